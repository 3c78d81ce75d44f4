/** @jest-environment node */
import fc from 'fast-check';

import { SizingInputError } from './errors';
import { gpuDatasheet, peakDenseFlops } from './gpuDatasheets';
import { trainingEstimate } from './training';

describe('trainingEstimate', () => {
  it('reproduces Llama 2 70B: 2T tokens took 1,720,320 A100-80GB GPU-hours (Touvron et al. 2023, Table 2)', () => {
    // 6 × 70e9 × 2e12 = 8.4e23 FLOPs; A100 dense BF16 312e12 FLOP/s (A100 datasheet) at MFU 0.435:
    // 8.4e23 / (312e12 × 0.435 × 3600) = 8.4e23 / 4.88592e17 = 1,719,225.86 GPU-hours, 0.06 % under the paper.
    const peak = peakDenseFlops(gpuDatasheet('A100-80GB'), 'bf16');
    const estimate = trainingEstimate({ parameters: 70e9, tokens: 2e12, peakFlopsPerGpu: peak, mfu: 0.435 });
    expect(estimate.flops).toBe(8.4e23);
    expect(estimate.gpuHours).toBeCloseTo(1_719_225.857, 2);
    expect(Math.abs(estimate.gpuHours / 1_720_320 - 1)).toBeLessThan(0.005);
    expect(estimate.days).toBeUndefined();
  });

  it('gives wall-clock days when the GPU count is given: GPU-hours ÷ GPUs ÷ 24', () => {
    // 1,719,225.857 GPU-hours on 1,024 GPUs: 1,719,225.857 / 1024 / 24 = 69.955 days.
    const estimate = trainingEstimate({
      parameters: 70e9,
      tokens: 2e12,
      peakFlopsPerGpu: 312e12,
      mfu: 0.435,
      gpus: 1024,
    });
    expect(estimate.days).toBeCloseTo(69.955, 3);
  });

  it('GPU-hours are inversely proportional to MFU and proportional to tokens', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 1.01, max: 10, noNaN: true }),
        (mfu, factor) => {
          const base = { parameters: 7e9, tokens: 1e12, peakFlopsPerGpu: 989.5e12 };
          const slower = trainingEstimate({ ...base, mfu: mfu / factor }).gpuHours;
          const faster = trainingEstimate({ ...base, mfu }).gpuHours;
          const longer = trainingEstimate({ ...base, tokens: base.tokens * factor, mfu }).gpuHours;
          expect(slower / faster).toBeCloseTo(factor, 9);
          expect(longer / faster).toBeCloseTo(factor, 9);
        }
      )
    );
  });

  it.each([0, -70e9, Number.NaN, Number.POSITIVE_INFINITY])('refuses a parameter count of %p', (parameters) => {
    expect(() => trainingEstimate({ parameters, tokens: 2e12, peakFlopsPerGpu: 312e12, mfu: 0.4 })).toThrow(
      new SizingInputError('parameters', `parameters must be a positive number, got ${parameters}.`)
    );
  });

  it.each([0, -0.1, 1.2, 43.5, Number.NaN])('refuses an MFU of %p, outside (0, 1]', (mfu) => {
    expect(() => trainingEstimate({ parameters: 7e9, tokens: 1e12, peakFlopsPerGpu: 312e12, mfu })).toThrow(
      /mfu must be a share in \(0, 1\], e\.g\. 0\.4 for 40 %/
    );
  });

  it('accepts an MFU of exactly 1 (the peak itself)', () => {
    // 6 × 1e9 × 3.6e15 = 2.16e25 FLOPs; / (1e12 × 1 × 3600) = 6e9 GPU-hours.
    const estimate = trainingEstimate({ parameters: 1e9, tokens: 3.6e15, peakFlopsPerGpu: 1e12, mfu: 1 });
    expect(estimate.gpuHours).toBe(6e9);
  });

  it.each([0, 2.5, -8])('refuses a GPU count of %p', (gpus) => {
    expect(() => trainingEstimate({ parameters: 7e9, tokens: 1e12, peakFlopsPerGpu: 312e12, mfu: 0.4, gpus })).toThrow(
      /gpus must be a whole number ≥ 1/
    );
  });
});
