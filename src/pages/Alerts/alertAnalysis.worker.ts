/// <reference lib="webworker" />
/** Replays the alert rule and its baselines off the main thread (alertAnalysisRunner.ts starts it). */
import type { WorkerRequest } from '../../datasource/blobWorker';
import type { AlertAnalysisTask } from './alertAnalysisTask';
import { alertAnalysisWorkerHandler } from './alertAnalysisWorkerHandler';

const handle = alertAnalysisWorkerHandler({
  post: (reply, transfer) => self.postMessage(reply, transfer),
  yieldToMessages: () => new Promise((resolve) => setTimeout(resolve, 0)),
});

self.onmessage = (event: MessageEvent<WorkerRequest<AlertAnalysisTask>>) => void handle(event.data);
