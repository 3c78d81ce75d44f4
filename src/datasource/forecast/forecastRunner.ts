/**
 * Sends forecast tasks to one shared Web Worker so that fitting models never blocks the page. Where no Worker
 * exists (jest's jsdom) the task runs synchronously with the pure-TypeScript models only.
 *
 * The worker gets one task at a time, each once the page is idle: on a machine with few cores a worker that is
 * always busy takes the core the page needs to draw the answers it already has, and every redraw then waits for
 * the CPU (100 forecast panels on 2 cores: main-thread tasks of 60 ms of work took 200 ms or more).
 */
import type { LstmProgress } from '../../engine/forecast';
import { abortError, workerClient, workerScriptUrl } from '../blobWorker';
import {
  LSTM_MODEL,
  runForecastTask,
  type ForecastOutcome,
  type ForecastTask,
  type RunForecastOptions,
} from './forecastTask';
import { createTaskQueue } from '../../prometheus/taskQueue';

export type { RunForecastOptions };

const client = workerClient<ForecastTask, ForecastOutcome, LstmProgress>('forecast', () =>
  workerScriptUrl(() => new Worker(new URL('./forecast.worker.ts', import.meta.url)))
);

const workerTurns = createTaskQueue(1);
/** A page that is never idle (an animation on a busy machine) still gets its forecasts, this much later at most. */
const IDLE_WAIT_MAX_MS = 500;

function whenPageIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback(() => resolve(), { timeout: IDLE_WAIT_MAX_MS });
    } else {
      setTimeout(resolve, 0);
    }
  });
}

export function runForecast(task: ForecastTask, options: RunForecastOptions = {}): Promise<ForecastOutcome> {
  if (typeof Worker === 'undefined') {
    if (options.signal?.aborted) {
      return Promise.reject(abortError('forecast'));
    }
    if (task.model === LSTM_MODEL) {
      return Promise.reject(new Error('The LSTM model trains in a Web Worker, which this environment does not have.'));
    }
    return Promise.resolve().then(() => runForecastTask(task));
  }
  return workerTurns.run(async () => {
    await whenPageIdle();
    return client.run(task, options);
  }, options.signal);
}
