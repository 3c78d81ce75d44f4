import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { AutoETS, initSync as initEts } from '@bsull/augurs/ets';
import { MSTL, initSync as initMstl } from '@bsull/augurs/mstl';
import type { AugursModels } from '../engine/forecast/augurs';

/** The augurs WebAssembly the backend needs; scripts/buildBackend.ts puts these files into the executable as assets. */
export const AUGURS_WASM_FILES = ['mstl_bg.wasm', 'ets_bg.wasm'] as const;

/** The executable's asset, or the installed package's file when run from source. */
function wasmBytes(file: (typeof AUGURS_WASM_FILES)[number]): ArrayBuffer | Buffer {
  if (isSea()) {
    return getAsset(file);
  }
  return readFileSync(join(dirname(require.resolve('@bsull/augurs/mstl')), file));
}

let loaded: AugursModels | undefined;

/**
 * MSTL and AutoETS, compiled on the first forecast rather than at start (the handshake stays fast), so the server's
 * auto chooses among the same models as the browser's worker.
 */
export function augursModels(): AugursModels {
  if (!loaded) {
    initMstl({ module: wasmBytes('mstl_bg.wasm') });
    initEts({ module: wasmBytes('ets_bg.wasm') });
    loaded = { MSTL, AutoETS };
  }
  return loaded;
}
