/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from './errors';
import { exhaustionRisk, type ForecastBands } from './exhaustion';
import { normalCdf } from './normal';

// Published normal quantiles: Φ⁻¹(0.9) and Φ⁻¹(0.975), the upper ends of central 80 % and 95 % intervals.
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;
const HOUR = 3600;

/** Intervals of a normal forecast with standard deviation `sd` around each mean. */
function normalBands(mean: number[], sd: number): ForecastBands {
  const band = (z: number) => ({ lower: mean.map((m) => m - z * sd), upper: mean.map((m) => m + z * sd) });
  return { timestampsSeconds: mean.map((_, h) => h * HOUR), mean, intervals: { '80': band(Z80), '95': band(Z95) } };
}

describe('exhaustionRisk', () => {
  it('recovers normal tail probabilities from normal intervals, inside and beyond the outermost bound', () => {
    const forecast = normalBands([100, 100, 100, 100], 10);
    const at = (capacity: number) => exhaustionRisk(forecast, capacity).probabilityExceeding[0];
    // Capacity 110 is 1 sd above the mean: P = 1 − Φ(1) = 0.15865525393145707.
    expect(at(110)).toBeCloseTo(0.15865525393145707, 9);
    // 130 is 3 sd up, past the 95 % bound (119.6): P = 1 − Φ(3) = 0.0013498980316301.
    expect(at(130)).toBeCloseTo(0.0013498980316301, 9);
    // 90 is 1 sd below: P = Φ(1) = 0.8413447460685429; 70 is 3 sd below: P = Φ(3) = 0.9986501019683699.
    expect(at(90)).toBeCloseTo(0.8413447460685429, 9);
    expect(at(70)).toBeCloseTo(0.9986501019683699, 9);
    // At the mean (the median) and at each upper bound the probability is exactly what the quantile says.
    expect(at(100)).toBeCloseTo(0.5, 12);
    expect(at(100 + Z95 * 10)).toBeCloseTo(0.025, 12);
  });

  it('follows skewed intervals piece by piece', () => {
    const forecast: ForecastBands = {
      timestampsSeconds: [0],
      mean: [10],
      intervals: { '80': { lower: [8], upper: [20] }, '95': { lower: [7], upper: [40] } },
    };
    // 30 is halfway from the 80 % upper bound (z = Z80) to the 95 % one (z = Z95).
    expect(exhaustionRisk(forecast, 30).probabilityExceeding[0]).toBeCloseTo(1 - normalCdf((Z80 + Z95) / 2), 12);
    // 15 is halfway from the median (z = 0) to the 80 % upper bound.
    expect(exhaustionRisk(forecast, 15).probabilityExceeding[0]).toBeCloseTo(1 - normalCdf(Z80 / 2), 12);
  });

  it('finds the first time the mean and each upper bound exceed capacity', () => {
    // Means 90, 100, 110, 120 with sd 10: 80 % upper = mean + 12.8, 95 % upper = mean + 19.6.
    const forecast = normalBands([90, 100, 110, 120], 10);
    const risk = exhaustionRisk(forecast, 105);
    expect(risk.meanCrossingSeconds).toBe(2 * HOUR); // 110 > 105
    expect(risk.crossingSecondsByLevel).toEqual({ '80': HOUR, '95': 0 }); // 112.8 > 105; 109.6 > 105
    const never = exhaustionRisk(forecast, 200);
    expect(never.meanCrossingSeconds).toBeUndefined();
    expect(never.crossingSecondsByLevel).toEqual({ '80': undefined, '95': undefined });
  });

  it('treats intervals without spread as certain', () => {
    const forecast: ForecastBands = {
      timestampsSeconds: [0],
      mean: [5],
      intervals: { '80': { lower: [5], upper: [5] } },
    };
    expect([4, 5, 6].map((c) => exhaustionRisk(forecast, c).probabilityExceeding[0])).toEqual([1, 0, 0]);
  });

  it('rejects a missing, non-positive or non-numeric capacity and mismatched lengths', () => {
    const forecast = normalBands([1, 2], 1);
    for (const bad of [NaN, 0, -3, Number.POSITIVE_INFINITY, undefined as unknown as number]) {
      expect(() => exhaustionRisk(forecast, bad)).toThrow(CapacityInputError);
    }
    expect(() => exhaustionRisk(forecast, NaN)).toThrow(/Capacity must be a positive number/);
    expect(() => exhaustionRisk({ ...forecast, mean: [1] }, 5)).toThrow(/mean has 1 values for 2 timestamps/);
  });

  it('gives probabilities in [0, 1] that never rise with capacity', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        (median, [d80, d95, l80, l95], c1, c2) => {
          // Any nested intervals, possibly skewed: lower95 ≤ lower80 ≤ median ≤ upper80 ≤ upper95.
          const forecast: ForecastBands = {
            timestampsSeconds: [0],
            mean: [median],
            intervals: {
              '80': { lower: [median - l80], upper: [median + d80] },
              '95': { lower: [median - l80 - l95], upper: [median + d80 + d95] },
            },
          };
          const [low, high] = c1 <= c2 ? [c1, c2] : [c2, c1];
          const pLow = exhaustionRisk(forecast, low).probabilityExceeding[0];
          const pHigh = exhaustionRisk(forecast, high).probabilityExceeding[0];
          expect(pLow).toBeGreaterThanOrEqual(0);
          expect(pLow).toBeLessThanOrEqual(1);
          expect(pHigh).toBeLessThanOrEqual(pLow + 1e-12);
        }
      )
    );
  });
});
