/**
 * Sends forecast tasks to one shared Web Worker so that fitting models never blocks the page. Where no Worker
 * exists (jest's jsdom) the task runs synchronously with the pure-TypeScript models only.
 */
import { PLUGIN_ID } from '../../constants';
import { runForecastTask, type ForecastOutcome, type ForecastTask } from './forecastTask';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

declare let __webpack_public_path__: string;

type Pending = { resolve: (outcome: ForecastOutcome) => void; reject: (error: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/**
 * Webpack emits every chunk, the worker too, at the app's root folder, while a nested plugin's bundle (the data
 * source, a panel) gets its own folder as public path: point this bundle at the root before creating the worker.
 */
function useAppRootAsPublicPath(): void {
  const marker = `/${PLUGIN_ID}/`;
  const at = __webpack_public_path__.lastIndexOf(marker);
  if (at >= 0) {
    __webpack_public_path__ = __webpack_public_path__.slice(0, at + marker.length);
  }
}

function startWorker(): Worker {
  useAppRootAsPublicPath();
  const started = new Worker(new URL('./forecast.worker.ts', import.meta.url));
  started.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if ('error' in reply) {
      waiting?.reject(new Error(reply.error));
    } else {
      waiting?.resolve(reply.outcome);
    }
  };
  started.onerror = (event) => {
    // A worker that failed to load cannot answer: fail everything waiting, and start afresh next time.
    const error = new Error(`The forecast worker failed: ${event.message || 'it could not be loaded'}`);
    pending.forEach((waiting) => waiting.reject(error));
    pending.clear();
    started.terminate();
    worker = undefined;
  };
  return started;
}

export function runForecast(task: ForecastTask): Promise<ForecastOutcome> {
  if (typeof Worker === 'undefined') {
    return Promise.resolve().then(() => runForecastTask(task));
  }
  worker ??= startWorker();
  const id = nextId++;
  const request: WorkerRequest = { id, task };
  return new Promise<ForecastOutcome>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.postMessage(request);
  });
}
