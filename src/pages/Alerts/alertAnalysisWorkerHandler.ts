/**
 * What the alert replay worker does with each message, apart from the worker itself so it can be tested. A replay
 * cannot be interrupted once it runs, so a task first lets the worker take the messages already waiting: a task
 * the page cancelled meanwhile (the person moved the slider again) is then dropped unrun.
 */
import { errorReply, type WorkerReply, type WorkerRequest } from '../../datasource/blobWorker';
import {
  runAlertAnalysisTask,
  transferablesOf,
  type AlertAnalysisOutcome,
  type AlertAnalysisTask,
} from './alertAnalysisTask';

export interface AlertAnalysisWorkerDeps {
  post(reply: WorkerReply<AlertAnalysisOutcome>, transfer: Transferable[]): void;
  /** Resolves after the worker has taken its pending messages (a macrotask). */
  yieldToMessages(): Promise<void>;
}

export function alertAnalysisWorkerHandler(
  deps: AlertAnalysisWorkerDeps
): (request: WorkerRequest<AlertAnalysisTask>) => Promise<void> {
  const waiting = new Set<number>();
  const cancelled = new Set<number>();

  return async (request) => {
    const { id } = request;
    if ('cancel' in request) {
      if (waiting.has(id)) {
        cancelled.add(id);
      }
      return;
    }
    waiting.add(id);
    await deps.yieldToMessages();
    waiting.delete(id);
    if (cancelled.delete(id)) {
      // The page stopped waiting when it cancelled: no reply.
      return;
    }
    try {
      const outcome = runAlertAnalysisTask(request.task);
      deps.post({ id, outcome }, transferablesOf(outcome));
    } catch (error) {
      // Not the replay's own error (that is an outcome): the page then replays in place rather than wait forever.
      deps.post(errorReply(id, error), []);
    }
  };
}
