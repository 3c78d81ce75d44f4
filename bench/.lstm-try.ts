import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { trainLstm, DEFAULT_LSTM_OPTIONS } from '../src/engine/forecast/lstm';
async function main() {
  const backend = process.argv[2] ?? 'cpu';
  await tf.setBackend(backend); await tf.ready();
  const f = (k: number) => 100 + 20 * Math.sin((2 * Math.PI * k) / 24) + 10*Math.floor((k % 168)/24) ;
  const values = Array.from({ length: 672 }, (_, k) => f(k));
  for (const cfg of [{ epochs: 1, patchSteps: 24 }, { epochs: 1, patchSteps: 12 }, { epochs: 30, patchSteps: 24 },{ epochs: 30, patchSteps: 24 , batchSize: 64}]) {
    const t0 = performance.now();
    const r = await trainLstm({ values, startSeconds: 1_700_006_400, stepSeconds: 3600, horizonSteps: 168 }, { ...DEFAULT_LSTM_OPTIONS, ...cfg, tf });
    const mae = r.mean.reduce((s, m, h) => s + Math.abs(m - f(672 + h)), 0) / 168;
    console.log(backend, JSON.stringify(cfg), (performance.now() - t0).toFixed(0), 'ms', r.finalLoss, 'mae', mae.toFixed(2));
  }
}
main();
