/**
 * Sends forecast tasks to one shared Web Worker so that fitting models never blocks the page. Where no Worker
 * exists (jest's jsdom) the task runs synchronously with the pure-TypeScript models only.
 */
import { PLUGIN_ID } from '../../constants';
import type { LstmProgress } from '../../engine/forecast';
import { LSTM_MODEL, runForecastTask, type ForecastOutcome, type ForecastTask } from './forecastTask';
import { WORKER_BASE_URL_GLOBAL, type WorkerReply, type WorkerRequest } from './workerProtocol';

declare let __webpack_public_path__: string;

type Pending = {
  resolve: (outcome: ForecastOutcome) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: LstmProgress) => void;
};

export interface RunForecastOptions {
  /** Training progress of the LSTM, epoch by epoch; the other models answer at once. */
  onProgress?: (progress: LstmProgress) => void;
  /** Aborting rejects at once and tells the worker to stop training. */
  signal?: AbortSignal;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/**
 * The URL of the worker bundle. Webpack emits a worker only for the literal `new Worker(new URL(...))`, and emits
 * it at the app's root folder while a nested plugin's bundle (data source, panel) has its own folder as public
 * path; so the URL is built from the app root and taken from a stand-in Worker instead of starting one.
 */
function workerScriptUrl(): string {
  const marker = `/${PLUGIN_ID}/`;
  const at = __webpack_public_path__.lastIndexOf(marker);
  if (at >= 0) {
    __webpack_public_path__ = __webpack_public_path__.slice(0, at + marker.length);
  }
  const RealWorker = globalThis.Worker;
  let url = '';
  globalThis.Worker = class {
    constructor(scriptUrl: string | URL) {
      url = String(scriptUrl);
    }
  } as unknown as typeof Worker;
  try {
    new Worker(new URL('./forecast.worker.ts', import.meta.url));
  } finally {
    globalThis.Worker = RealWorker;
  }
  return url;
}

/**
 * Starts the worker from a small bootstrap. The plugin is built as AMD, so the worker bundle is wrapped in
 * `define(...)`, which a worker does not have: the bootstrap provides it. Webpack's public path is relative to
 * Grafana's base URL, which a blob worker cannot resolve against: the bootstrap passes the page's base URL and
 * resolves the bundle's chunk imports against it. A blob worker also works when a CDN serves the plugin.
 */
function startWorker(): Worker {
  const pageBaseUrl = document.baseURI;
  const scriptUrl = new URL(workerScriptUrl(), pageBaseUrl).href;
  const bootstrap = [
    `self.${WORKER_BASE_URL_GLOBAL} = ${JSON.stringify(pageBaseUrl)};`,
    'self.define = function (deps, factory) { factory(); };',
    'var load = self.importScripts.bind(self);',
    'self.importScripts = function () {',
    `  return load.apply(self, Array.prototype.map.call(arguments, function (u) { return new URL(u, self.${WORKER_BASE_URL_GLOBAL}).href; }));`,
    '};',
    `importScripts(${JSON.stringify(scriptUrl)});`,
  ].join('\n');
  const started = new Worker(URL.createObjectURL(new Blob([bootstrap], { type: 'text/javascript' })));
  started.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if ('progress' in reply) {
      waiting?.onProgress?.(reply.progress);
      return;
    }
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

export function runForecast(task: ForecastTask, options: RunForecastOptions = {}): Promise<ForecastOutcome> {
  const { onProgress, signal } = options;
  if (signal?.aborted) {
    return Promise.reject(abortError());
  }
  if (typeof Worker === 'undefined') {
    if (task.model === LSTM_MODEL) {
      return Promise.reject(new Error('The LSTM model trains in a Web Worker, which this environment does not have.'));
    }
    return Promise.resolve().then(() => runForecastTask(task));
  }
  worker ??= startWorker();
  const started = worker;
  const id = nextId++;
  const request: WorkerRequest = { id, task };
  return new Promise<ForecastOutcome>((resolve, reject) => {
    const onAbort = () => {
      pending.delete(id);
      started.postMessage({ id, cancel: true } satisfies WorkerRequest);
      reject(abortError());
    };
    const settle =
      <T>(done: (value: T) => void) =>
      (value: T) => {
        signal?.removeEventListener('abort', onAbort);
        done(value);
      };
    pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
    signal?.addEventListener('abort', onAbort, { once: true });
    started.postMessage(request);
  });
}

const abortError = () => new DOMException('The forecast was cancelled.', 'AbortError');
