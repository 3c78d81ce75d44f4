/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from './errors';
import { gpusNeeded } from './gpusNeeded';

describe('gpusNeeded', () => {
  it('is ceil(demand / (throughput × utilisation)), at least the minimum', () => {
    // 10 tokens/s per GPU at 80 % → 8 per GPU: 0/8 = 0, 10/8 = 1.25 → 2, 25/8 = 3.125 → 4, 40.5/8 = 5.06 → 6.
    const options = { throughputPerGpu: 10, targetUtilisation: 0.8 };
    expect(gpusNeeded([0, 10, 25, 40.5], options)).toEqual([0, 2, 4, 6]);
    expect(gpusNeeded([0, 10, 25, 40.5], { ...options, minimumGpus: 3 })).toEqual([3, 3, 4, 6]);
    // Demand already in GPUs at 100 %: exact counts stay, fractions round up, a negative forecast needs none.
    expect(gpusNeeded([3, 3.2, -1], { throughputPerGpu: 1, targetUtilisation: 1 })).toEqual([3, 4, 0]);
  });

  it('does not buy a GPU for floating-point noise', () => {
    // 1.1 / 0.1 is 11.000000000000002 in binary; the need is 11 GPUs, not 12.
    expect(gpusNeeded([1.1], { throughputPerGpu: 0.1, targetUtilisation: 1 })).toEqual([11]);
    // 2.4 / (1 × 0.8) is 2.9999999999999996: 3 GPUs.
    expect(gpusNeeded([2.4], { throughputPerGpu: 1, targetUtilisation: 0.8 })).toEqual([3]);
  });

  it('rejects unusable throughput, utilisation, minimum and demand', () => {
    const ok = { throughputPerGpu: 1, targetUtilisation: 0.5 };
    for (const throughputPerGpu of [0, -1, NaN, Infinity]) {
      expect(() => gpusNeeded([1], { ...ok, throughputPerGpu })).toThrow(CapacityInputError);
    }
    for (const targetUtilisation of [0, -0.2, 1.01, NaN]) {
      expect(() => gpusNeeded([1], { ...ok, targetUtilisation })).toThrow(/Target utilisation must be a share/);
    }
    expect(() => gpusNeeded([1], { ...ok, minimumGpus: 1.5 })).toThrow(CapacityInputError);
    expect(() => gpusNeeded([1, NaN], ok)).toThrow(/Demand at step 1 is NaN/);
    expect(gpusNeeded([1], { ...ok, targetUtilisation: 1 })).toEqual([1]);
  });

  it('covers the demand with the fewest GPUs and never needs fewer for more demand', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (a, b, throughputPerGpu, targetUtilisation) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const [gLow, gHigh] = gpusNeeded([low, high], { throughputPerGpu, targetUtilisation });
          expect(gLow).toBeLessThanOrEqual(gHigh);
          const perGpu = throughputPerGpu * targetUtilisation;
          // Enough: g GPUs serve the demand, up to the documented tolerance, which is relative to the quotient
          // demand / per-GPU throughput (absolute below a quotient of 1) …
          const quotient = high / perGpu;
          expect(gHigh).toBeGreaterThanOrEqual(quotient - 1e-9 * Math.max(1, quotient));
          // … and one fewer would not.
          if (gHigh > 0) {
            expect((gHigh - 1) * perGpu).toBeLessThan(high);
          }
        }
      )
    );
  });
});
