import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AutoETS, initSync as initEts } from '@bsull/augurs/ets';
import { MSTL, initSync as initMstl } from '@bsull/augurs/mstl';
import type { AugursModels } from '../engine/forecast/augurs';

/** Initialises the augurs WebAssembly synchronously from the installed package's .wasm files. */
export function loadAugursInNode(): AugursModels {
  const packageDir = dirname(createRequire(__filename).resolve('@bsull/augurs/mstl'));
  initMstl({ module: readFileSync(join(packageDir, 'mstl_bg.wasm')) });
  initEts({ module: readFileSync(join(packageDir, 'ets_bg.wasm')) });
  return { MSTL, AutoETS };
}
