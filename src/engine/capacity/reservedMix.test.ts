/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from './errors';
import { reservedMix } from './reservedMix';

/** Cost over the window, written out independently of the implementation: reserved every hour, on-demand above. */
function windowCost(demand: number[], reserved: number, r: number, o: number): number {
  return demand.reduce((sum, d) => sum + reserved * r + Math.max(0, d - reserved) * o, 0);
}

describe('reservedMix', () => {
  it('reserves the (1 − r/o) quantile of hourly demand, worked by hand', () => {
    // r = 1.6, o = 4 → r/o = 0.4, quantile 0.6. Sorted demand of 10 hours: 2 3 3 4 4 4 5 6 8 10; the 6th smallest is 4.
    // Reserving 4: 4 × 1.6 × 10 = 64; on-demand above 4: 1 + 2 + 4 + 6 = 13 GPU-hours × 4 = 52; total 116 → 11.6/h.
    // All on-demand: Σ demand 49 × 4 / 10 = 19.6/h; savings 8.0/h. (Reserving 5 also costs 80 + 9 × 4 = 116: the
    // tie goes to the smaller commitment.)
    const mix = reservedMix([4, 2, 10, 3, 4, 6, 3, 8, 4, 5], { reservedPerGpuHour: 1.6, onDemandPerGpuHour: 4 });
    expect(mix.reservedGpus).toBe(4);
    expect(mix.quantile).toBeCloseTo(0.6, 12);
    expect(mix.onDemandGpuHours).toBe(13);
    expect(mix.spotGpuHours).toBe(0);
    expect(mix.expectedCostPerHour).toBeCloseTo(11.6, 10);
    expect(mix.costAllOnDemandPerHour).toBeCloseTo(19.6, 10);
    expect(mix.savingsPerHour).toBeCloseTo(8, 10);
  });

  it('puts the interruptible share on spot and plans reserved GPUs for the firm rest', () => {
    // Demand 2 and 4 GPUs, half interruptible: firm 1 and 2, spot 1 + 2 = 3 GPU-hours at 1.0.
    // r/o = 1/4 → quantile 0.75 → ceil(1.5) = 2nd smallest firm demand = 2 reserved: 2 × 1 × 2 h = 4, no on-demand.
    // Total 4 + 3 = 7 over 2 h = 3.5/h; all on-demand 6 × 4 / 2 = 12/h.
    const mix = reservedMix(
      [2, 4],
      { reservedPerGpuHour: 1, onDemandPerGpuHour: 4, spotPerGpuHour: 1 },
      { interruptibleShare: 0.5 }
    );
    expect(mix).toMatchObject({ reservedGpus: 2, onDemandGpuHours: 0, spotGpuHours: 3 });
    expect(mix.expectedCostPerHour).toBeCloseTo(3.5, 12);
    expect(mix.costAllOnDemandPerHour).toBeCloseTo(12, 12);
  });

  it('reserves nothing when reserving does not pay', () => {
    // Always 0.1 GPU at r/o = 0.5: one reserved GPU costs 2 × 5 = 10, on-demand costs 0.1 × 4 × 5 = 2.
    expect(reservedMix([0.1, 0.1, 0.1, 0.1, 0.1], { reservedPerGpuHour: 2, onDemandPerGpuHour: 4 }).reservedGpus).toBe(
      0
    );
    // Reserved as dear as on-demand: nothing to save.
    expect(reservedMix([5, 6], { reservedPerGpuHour: 4, onDemandPerGpuHour: 4 }).reservedGpus).toBe(0);
  });

  it('rejects prices and shares it cannot use', () => {
    expect(() => reservedMix([], { reservedPerGpuHour: 1, onDemandPerGpuHour: 2 })).toThrow(CapacityInputError);
    expect(() => reservedMix([1], { reservedPerGpuHour: 1, onDemandPerGpuHour: 0 })).toThrow(/on-demand price/);
    expect(() => reservedMix([1], { reservedPerGpuHour: -1, onDemandPerGpuHour: 2 })).toThrow(/reserved price/);
    expect(() =>
      reservedMix([1], { reservedPerGpuHour: 1, onDemandPerGpuHour: 2 }, { interruptibleShare: 0.3 })
    ).toThrow(/enter a spot price/);
    expect(() =>
      reservedMix([1], { reservedPerGpuHour: 1, onDemandPerGpuHour: 2, spotPerGpuHour: 1 }, { interruptibleShare: 2 })
    ).toThrow(/interruptible share/);
    expect(() => reservedMix([1, NaN], { reservedPerGpuHour: 1, onDemandPerGpuHour: 2 })).toThrow(/hour 1/);
  });

  const demands = fc.oneof(
    fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 60 }),
    fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 60 })
  );

  it('chooses a count no other whole count beats (brute force)', () => {
    fc.assert(
      fc.property(
        demands,
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (demand, r, o) => {
          const mix = reservedMix(demand, { reservedPerGpuHour: r, onDemandPerGpuHour: o });
          const chosen = windowCost(demand, mix.reservedGpus, r, o);
          expect(mix.expectedCostPerHour).toBeCloseTo(chosen / demand.length, 9);
          for (let k = 0; k <= Math.ceil(Math.max(...demand)) + 1; k++) {
            expect(chosen).toBeLessThanOrEqual(windowCost(demand, k, r, o) * (1 + 1e-9) + 1e-9);
          }
        }
      )
    );
  });

  it('reserves no more GPUs when reserved capacity becomes dearer relative to on-demand', () => {
    fc.assert(
      fc.property(
        demands,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (demand, a, b) => {
          const [cheap, dear] = a <= b ? [a, b] : [b, a];
          const at = (ratio: number) =>
            reservedMix(demand, { reservedPerGpuHour: ratio * 4, onDemandPerGpuHour: 4 }).reservedGpus;
          expect(at(cheap)).toBeGreaterThanOrEqual(at(dear));
        }
      )
    );
  });
});
