/** @jest-environment node */
import fc from 'fast-check';

import { InsufficientHistoryError } from '../series/errors';
import { calibrateThroughput } from './calibrate';
import { CapacityInputError } from './errors';

describe('calibrateThroughput', () => {
  it('matches a least-squares fit worked by hand', () => {
    // x = 1, 2, 3; y = 2, 4, 5. x̄ = 2, ȳ = 11/3; Sxx = 2; Sxy = (−1)(−5/3) + 0 + (1)(4/3) = 3 → slope 1.5,
    // intercept 11/3 − 3 = 2/3. Syy = 25/9 + 1/9 + 16/9 = 14/3; SSres = 14/3 − 1.5 × 3 = 1/6; r² = 1 − (1/6)/(14/3) = 27/28.
    const fit = calibrateThroughput([2, 4, 5], [1, 2, 3]);
    expect(fit.throughputPerGpu).toBeCloseTo(1.5, 12);
    expect(fit.interceptPerSecond).toBeCloseTo(2 / 3, 12);
    expect(fit.r2).toBeCloseTo(27 / 28, 12);
    expect(fit.samples).toBe(3);
  });

  it('drops pairs with a missing value', () => {
    // Served = 5 + 100 × busy on the complete pairs; the NaN pairs would break that line if used.
    const fit = calibrateThroughput([105, NaN, 305, 405, 9999], [1, 2, 3, 4, NaN]);
    expect(fit.samples).toBe(3);
    expect(fit.throughputPerGpu).toBeCloseTo(100, 10);
    expect(fit.interceptPerSecond).toBeCloseTo(5, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('explains what is wrong with unusable history', () => {
    expect(() => calibrateThroughput([1, 2, NaN], [1, 2, 3])).toThrow(InsufficientHistoryError);
    expect(() => calibrateThroughput([1, 2, 3], [4, 4, 4])).toThrow(/Busy GPUs did not vary/);
    expect(() => calibrateThroughput([3, 2, 1], [1, 2, 3])).toThrow(/does not rise with busy GPUs/);
    expect(() => calibrateThroughput([1, 2], [1, 2, 3])).toThrow(CapacityInputError);
  });

  it('recovers any increasing line exactly', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1e4, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 3, maxLength: 50 }),
        (slope, intercept, busy) => {
          const fit = calibrateThroughput(
            busy.map((x) => intercept + slope * x),
            busy
          );
          expect(fit.throughputPerGpu).toBeCloseTo(slope, 6);
          expect(Math.abs(fit.interceptPerSecond - intercept)).toBeLessThan(1e-6 * (Math.abs(intercept) + slope * 500));
          expect(fit.r2).toBeCloseTo(1, 9);
        }
      )
    );
  });
});
