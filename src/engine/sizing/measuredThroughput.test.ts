import fc from 'fast-check';

import { SizingInputError } from './errors';
import { measuredTokensPerSecondPerGpu } from './measuredThroughput';

describe('measuredTokensPerSecondPerGpu', () => {
  it('divides each hour by the GPUs held and takes the 0.9 quantile of serving hours', () => {
    // Per GPU: 100, 200, …, 1000 (ten hours). Type-7 quantile 0.9: position 9 × 0.9 = 8.1 → 900 + 0.1 × 100 = 910.
    const hours = Array.from({ length: 10 }, (_, i) => ({ tokensPerSecond: (i + 1) * 200, gpus: 2 }));
    expect(measuredTokensPerSecondPerGpu(hours)).toEqual({
      tokensPerSecondPerGpu: 910,
      servingHours: 10,
      quantile: 0.9,
    });
  });

  it('leaves out idle hours (no tokens) and hours without GPUs, which would drag the figure down', () => {
    const measured = measuredTokensPerSecondPerGpu([
      { tokensPerSecond: 3000, gpus: 2 },
      { tokensPerSecond: 0, gpus: 2 },
      { tokensPerSecond: 500, gpus: 0 },
    ]);
    expect(measured).toMatchObject({ tokensPerSecondPerGpu: 1500, servingHours: 1 });
  });

  it('says what to give instead when no hour served tokens', () => {
    expect(() => measuredTokensPerSecondPerGpu([{ tokensPerSecond: 0, gpus: 4 }])).toThrow(SizingInputError);
    expect(() => measuredTokensPerSecondPerGpu([])).toThrow('give --tokens-per-second-per-gpu');
  });

  it('lies between the slowest and the fastest serving hour per GPU', () => {
    const hour = fc.record({
      tokensPerSecond: fc.double({ min: 1, max: 1e6, noNaN: true }),
      gpus: fc.integer({ min: 1, max: 64 }),
    });
    fc.assert(
      fc.property(fc.array(hour, { minLength: 1, maxLength: 50 }), (hours) => {
        const perGpu = hours.map((h) => h.tokensPerSecond / h.gpus);
        const { tokensPerSecondPerGpu } = measuredTokensPerSecondPerGpu(hours);
        return (
          tokensPerSecondPerGpu >= Math.min(...perGpu) * (1 - 1e-12) &&
          tokensPerSecondPerGpu <= Math.max(...perGpu) * (1 + 1e-12)
        );
      })
    );
  });
});
