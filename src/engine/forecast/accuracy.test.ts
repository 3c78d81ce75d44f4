/** @jest-environment node */
import { coverage, mase, peakError, seasonalNaiveMae, wape } from './accuracy';

describe('accuracy measures', () => {
  it('match hand calculations', () => {
    // |errors| = 1, 2, 0, 1 → sum 4; Σ|y| = 10 + 20 + 10 + 20 = 60.
    const actual = [10, 20, 10, 20];
    const forecast = [11, 18, 10, 21];
    expect(wape(actual, forecast)).toBeCloseTo(4 / 60, 12);
    // Season 2 on [1, 3, 2, 5]: |2 − 1| and |5 − 3| → MAE 1.5; forecast MAE 1 → MASE 2/3.
    expect(seasonalNaiveMae([1, 3, 2, 5], 2)).toBe(1.5);
    expect(mase(actual, forecast, 1.5)).toBeCloseTo(1 / 1.5, 12);
    // Peaks 21 vs 20.
    expect(peakError(actual, forecast)).toBeCloseTo(0.05, 12);
    expect(coverage(actual, [9, 21, 9, 19], [11, 25, 11, 21])).toBe(0.75);
  });

  it('are NaN when the scale is zero', () => {
    expect(wape([0, 0], [1, 1])).toBeNaN();
    expect(mase([1], [2], 0)).toBeNaN();
  });
});
