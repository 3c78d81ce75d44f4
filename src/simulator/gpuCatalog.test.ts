/** @jest-environment node */
import { PUBLISHED_GPU_PRICES } from '../engine/efficiency/priceCatalog';
import { GPU_MODELS } from './gpuCatalog';

describe('GPU_MODELS', () => {
  it('has a published price for every GPU model the simulator (and so DCGM) names', () => {
    const priced = new Set(PUBLISHED_GPU_PRICES.map((p) => p.gpuModel));
    for (const model of Object.values(GPU_MODELS)) {
      expect(priced).toContain(model.modelName);
    }
  });
});
