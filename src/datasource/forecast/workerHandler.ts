/**
 * What the forecast worker does with each message, apart from the worker itself so it can be tested: a task runs
 * and is answered; an LSTM task also reports every epoch and stops when a cancel message for it arrives.
 */
import type { AugursModels, LstmOptions } from '../../engine/forecast';
import { LSTM_MODEL, runForecastTask } from './forecastTask';
import { runLstmTask, type LoadedTfjs } from './lstmTask';
import { errorReply } from '../blobWorker';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

export interface WorkerDeps {
  /** Undefined: the models without augurs (no MSTL). */
  loadAugurs(): Promise<AugursModels | undefined>;
  loadTfjs(): Promise<LoadedTfjs>;
  /** The engine's defaults unless given (tests shrink the network). */
  lstmOptions?: Omit<LstmOptions, 'tf'>;
  post(reply: WorkerReply): void;
  /**
   * Resolves after the worker has taken its pending messages (a macrotask): training awaits only microtasks, so
   * without this a cancel message would wait for the training to end.
   */
  yieldToMessages(): Promise<void>;
}

export function forecastWorkerHandler(deps: WorkerDeps): (request: WorkerRequest) => Promise<void> {
  let augurs: Promise<AugursModels | undefined> | undefined;
  let tfjs: Promise<LoadedTfjs> | undefined;
  const cancelled = new Set<number>();
  const running = new Set<number>();

  return async (request) => {
    const { id } = request;
    if ('cancel' in request) {
      if (running.has(id)) {
        cancelled.add(id);
      }
      return;
    }
    const { task } = request;
    running.add(id);
    try {
      augurs ??= deps.loadAugurs();
      if (task.model === LSTM_MODEL) {
        tfjs ??= deps.loadTfjs();
        const [models, loaded] = await Promise.all([augurs, tfjs]);
        const outcome = await runLstmTask(
          task,
          loaded,
          {
            onProgress: async (progress) => {
              deps.post({ id, progress });
              await deps.yieldToMessages();
            },
            shouldCancel: () => cancelled.has(id),
          },
          models,
          deps.lstmOptions
        );
        deps.post({ id, outcome });
      } else {
        deps.post({ id, outcome: runForecastTask(task, await augurs) });
      }
    } catch (error) {
      deps.post(errorReply(id, error));
    } finally {
      running.delete(id);
      cancelled.delete(id);
    }
  };
}
