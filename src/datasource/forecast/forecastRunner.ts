/**
 * Sends forecast tasks to one shared Web Worker so that fitting models never blocks the page. Where no Worker
 * exists (jest's jsdom) the task runs synchronously with the pure-TypeScript models only.
 */
import type { LstmProgress } from '../../engine/forecast';
import { workerClient, workerScriptUrl } from '../blobWorker';
import { LSTM_MODEL, runForecastTask, type ForecastOutcome, type ForecastTask } from './forecastTask';

export interface RunForecastOptions {
  /** Training progress of the LSTM, epoch by epoch; the other models answer at once. */
  onProgress?: (progress: LstmProgress) => void;
  /** Aborting rejects at once and tells the worker to stop training. */
  signal?: AbortSignal;
}

const client = workerClient<ForecastTask, ForecastOutcome, LstmProgress>('forecast', () =>
  workerScriptUrl(() => new Worker(new URL('./forecast.worker.ts', import.meta.url)))
);

export function runForecast(task: ForecastTask, options: RunForecastOptions = {}): Promise<ForecastOutcome> {
  if (typeof Worker === 'undefined') {
    if (options.signal?.aborted) {
      return Promise.reject(new DOMException('The forecast was cancelled.', 'AbortError'));
    }
    if (task.model === LSTM_MODEL) {
      return Promise.reject(new Error('The LSTM model trains in a Web Worker, which this environment does not have.'));
    }
    return Promise.resolve().then(() => runForecastTask(task));
  }
  return client.run(task, options);
}
