/** @jest-environment node */
import { describeCitation, priceCatalogOf, PUBLISHED_GPU_PRICES } from './priceCatalog';

describe('PUBLISHED_GPU_PRICES', () => {
  it('re-derives each row from the instance list price, divided by its GPUs', () => {
    // Hand-copied from the cited list (us-central1 / us-west1, 730 h per month for 1-year prices).
    const h100 = PUBLISHED_GPU_PRICES.find((p) => p.gpuModel === 'NVIDIA H100 80GB HBM3')!;
    expect(h100.onDemandPerGpuHour).toBeCloseTo(88.4899999025753 / 8, 4);
    expect(h100.reservedPerGpuHour).toBeCloseTo(44810.08066464 / 730 / 8, 4);
    expect(h100.spotPerGpuHour).toBeCloseTo(35.3957496986301 / 8, 4);
    const l4 = PUBLISHED_GPU_PRICES.find((p) => p.gpuModel === 'NVIDIA L4')!;
    expect(l4.reservedPerGpuHour).toBeCloseTo(527.60109206 / 730, 4);
  });

  it('orders spot ≤ reserved ≤ on-demand and cites provider, instance, region, URL and dates', () => {
    for (const p of PUBLISHED_GPU_PRICES) {
      expect(p.spotPerGpuHour).toBeLessThanOrEqual(p.reservedPerGpuHour);
      expect(p.reservedPerGpuHour).toBeLessThanOrEqual(p.onDemandPerGpuHour);
      const text = describeCitation(p.citation);
      expect(text).toMatch(/^Google Cloud \S+/);
      expect(text).toContain(p.citation.region);
      expect(text).toMatch(/https:\/\//);
      expect(text).toMatch(/list of \d{4}-\d{2}-\d{2}.*read \d{4}-\d{2}-\d{2}/);
    }
    expect(describeCitation(PUBLISHED_GPU_PRICES[0].citation)).toContain('a3-highgpu-8g ÷ 8 GPUs');
  });
});

describe('priceCatalogOf', () => {
  it('keys by trimmed model name and leaves out a missing spot price', () => {
    expect(
      priceCatalogOf([
        { gpuModel: ' NVIDIA L4 ', onDemandPerGpuHour: 1, reservedPerGpuHour: 0.5 },
        { gpuModel: 'X', onDemandPerGpuHour: 2, reservedPerGpuHour: 1, spotPerGpuHour: 0.4 },
      ])
    ).toEqual({ 'NVIDIA L4': { onDemand: 1, reserved: 0.5 }, X: { onDemand: 2, reserved: 1, spot: 0.4 } });
  });
});
