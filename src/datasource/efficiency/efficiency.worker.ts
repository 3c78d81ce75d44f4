/// <reference lib="webworker" />
/** Runs waste and MFU analyses off the main thread: a week of a thousand GPUs is ten million samples. */
import { errorReply, type WorkerReply } from '../blobWorker';
import { runEfficiencyTask, type EfficiencyOutcome, type EfficiencyTask } from './efficiencyTask';

self.onmessage = (event: MessageEvent<{ id: number; task: EfficiencyTask }>) => {
  const { id, task } = event.data;
  let reply: WorkerReply<EfficiencyOutcome>;
  try {
    reply = { id, outcome: runEfficiencyTask(task) };
  } catch (error) {
    reply = errorReply(id, error);
  }
  self.postMessage(reply);
};
