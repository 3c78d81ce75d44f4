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
import { BLOB_WORKER_PUBLIC_PATH_GLOBAL } from '../blobWorker';
import type { WorkerRequest } from './workerProtocol';

declare let __webpack_public_path__: string;
// The bundle's own public path is relative, which means nothing inside a blob worker: the chunks (TensorFlow.js) and
// .wasm files sit in the folder of the module that started this worker, whose absolute public path the bootstrap
// passes (blobWorker.ts).
const publicPath = (self as unknown as Record<string, unknown>)[BLOB_WORKER_PUBLIC_PATH_GLOBAL];
if (typeof publicPath !== 'string') {
  throw new Error('the forecast worker has no public path: start it with workerClient (blobWorker.ts)');
}
__webpack_public_path__ = publicPath;

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
