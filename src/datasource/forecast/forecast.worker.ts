/// <reference lib="webworker" />
/**
 * Runs forecasts off the main thread. The augurs WebAssembly (MSTL, ETS) is fetched once, on the first task, from the file
 * webpack emitted next to this worker's script.
 */
import initEts, { AutoETS } from '@bsull/augurs/ets';
import initMstl, { MSTL } from '@bsull/augurs/mstl';
import type { AugursModels } from '../../engine/forecast';
import { runForecastTask } from './forecastTask';
import { WORKER_BASE_URL_GLOBAL, type WorkerReply, type WorkerRequest } from './workerProtocol';

declare let __webpack_public_path__: string;
// The build's public path is relative to Grafana's base URL, which means nothing inside a blob worker: the
// bootstrap (forecastRunner.ts) passes the page's base URL, and the .wasm files are fetched from the absolute path.
__webpack_public_path__ = new URL(
  __webpack_public_path__,
  (self as unknown as Record<string, string>)[WORKER_BASE_URL_GLOBAL]
).href;

let augurs: Promise<AugursModels> | undefined;

async function loadAugurs(): Promise<AugursModels> {
  await Promise.all([initMstl(), initEts()]);
  return { MSTL, AutoETS };
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const { id, task } = event.data;
  let reply: WorkerReply;
  try {
    augurs ??= loadAugurs();
    reply = { id, outcome: runForecastTask(task, await augurs) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
