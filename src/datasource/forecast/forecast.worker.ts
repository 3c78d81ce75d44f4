/// <reference lib="webworker" />
/**
 * Runs forecasts off the main thread. The augurs WebAssembly (MSTL, ETS) is fetched once, on the first task, from the file
 * webpack emitted next to this worker's script; TensorFlow.js is loaded on the first LSTM task.
 */
import initEts, { AutoETS } from '@bsull/augurs/ets';
import initMstl, { MSTL } from '@bsull/augurs/mstl';
import type { AugursModels } from '../../engine/forecast';
import { loadTfjs } from './tfjsBackend';
import { forecastWorkerHandler } from './workerHandler';
import { BLOB_WORKER_BASE_URL_GLOBAL } from '../blobWorker';
import type { WorkerRequest } from './workerProtocol';

declare let __webpack_public_path__: string;
// The build's public path is relative to Grafana's base URL, which means nothing inside a blob worker: the
// bootstrap (blobWorker.ts) passes the page's base URL, and the .wasm files are fetched from the absolute path.
__webpack_public_path__ = new URL(
  __webpack_public_path__,
  (self as unknown as Record<string, string>)[BLOB_WORKER_BASE_URL_GLOBAL]
).href;

async function loadAugurs(): Promise<AugursModels> {
  await Promise.all([initMstl(), initEts()]);
  return { MSTL, AutoETS };
}

const handle = forecastWorkerHandler({
  loadAugurs,
  loadTfjs,
  post: (reply) => self.postMessage(reply),
  yieldToMessages: () => new Promise((resolve) => setTimeout(resolve, 0)),
});

self.onmessage = (event: MessageEvent<WorkerRequest>) => handle(event.data);
