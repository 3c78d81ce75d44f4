/** @jest-environment node */
import { PUBLISHED_GPU_PRICES } from '../engine/efficiency/priceCatalog';
import { gpuDatasheet } from '../engine/sizing';
import { GPU_MODELS } from './gpuCatalog';

describe('GPU_MODELS', () => {
  it('has a published price for every GPU model the simulator (and so DCGM) names', () => {
    const priced = new Set(PUBLISHED_GPU_PRICES.map((p) => p.gpuModel));
    for (const model of Object.values(GPU_MODELS)) {
      expect(priced).toContain(model.modelName);
    }
  });

  it('names each model as the sizing datasheets do, by id and by DCGM modelName, with at least their memory', () => {
    for (const model of Object.values(GPU_MODELS)) {
      const row = gpuDatasheet(model.id);
      expect(row.id).toBe(model.id);
      expect(row.dcgmModelNames).toContain(model.modelName);
      // The datasheets read "80GB" as 80e9 bytes, never more than the MiB DCGM reports.
      expect(model.memoryMiB * 2 ** 20).toBeGreaterThanOrEqual(row.memoryBytes);
    }
  });
});
