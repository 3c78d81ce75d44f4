/**
 * Loads TensorFlow.js for the LSTM, only when an LSTM forecast is asked for (it is megabytes of code): the
 * WebAssembly backend where its binaries load (several times faster on small recurrent networks), else the
 * plain JavaScript CPU backend.
 */
import type { LoadedTfjs } from './lstmTask';

/**
 * Webpack emits each binary as an asset for `new URL('<package>/<file>', import.meta.url)`, next to the module that
 * started the worker, and gives its absolute address here (the worker set its public path to that folder). Every
 * binary the backend may pick is listed: it chooses by SIMD and thread support, and one missing from the map would be
 * looked for next to a script that is a blob.
 */
function wasmBinaryUrls() {
  return {
    'tfjs-backend-wasm.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', import.meta.url)
      .href,
    'tfjs-backend-wasm-simd.wasm': new URL(
      '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
      import.meta.url
    ).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(
      '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
      import.meta.url
    ).href,
  };
}

export interface TfjsLoad extends LoadedTfjs {
  /** Why the wasm backend did not load, when it did not. */
  wasmProblem?: string;
}

export async function loadTfjs(): Promise<TfjsLoad> {
  const tf = await import('@tensorflow/tfjs');
  let wasmProblem: string;
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmBinaryUrls());
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, backend: 'wasm' };
    }
    wasmProblem = 'the wasm backend did not initialise';
  } catch (error) {
    wasmProblem = error instanceof Error ? error.message : String((error as { message?: string })?.message ?? error);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu', wasmProblem };
}
