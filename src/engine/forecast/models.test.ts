/** @jest-environment node */
import { drift } from './drift';
import { fourierRegression } from './regression';
import { seasonalNaive } from './seasonalNaive';

const HOUR = 3600;
// 2023-11-15 00:00 UTC, a midnight, so hour of day = k mod 24.
const MIDNIGHT = 1_700_006_400;

describe('seasonalNaive', () => {
  it('repeats the last season, wrapping when the horizon is longer', () => {
    // Step 8 h gives a 3-step day: the last day is [7, 8, 9].
    const model = seasonalNaive('sn', 86_400);
    const out = model.forecast({ values: [1, 2, 3, 7, 8, 9], startSeconds: 0, stepSeconds: 8 * HOUR, horizonSteps: 7 });
    expect(out.mean).toEqual([7, 8, 9, 7, 8, 9, 7]);
    expect(out.residuals).toEqual([6, 6, 6]);
  });

  it('cannot be used when the season is not a whole number of steps', () => {
    expect(seasonalNaive('sn', 86_400).minHistorySteps(7 * HOUR)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('fourierRegression', () => {
  it('recovers a linear trend plus a daily sine exactly', () => {
    const truth = (k: number) => 5 + 0.1 * k + 3 * Math.sin((2 * Math.PI * k) / 24);
    const values = Array.from({ length: 24 * 5 }, (_, k) => truth(k));
    const model = fourierRegression({ dailyHarmonics: 3, weeklyHarmonics: 2 });
    const out = model.forecast({ values, startSeconds: MIDNIGHT, stepSeconds: HOUR, horizonSteps: 30 });
    out.mean.forEach((m, h) => expect(m).toBeCloseTo(truth(values.length + h), 6));
  });
});

describe('drift', () => {
  it('extends the line through the first and last values', () => {
    // First 2, last 11 over n = 4 values: slope (11 − 2) / 3 = 3 per step, so 14, 17, 20.
    // Residuals: each change minus the slope, (5 − 2) − 3 = 0, (4 − 5) − 3 = −4, (11 − 4) − 3 = 4.
    const out = drift().forecast({ values: [2, 5, 4, 11], startSeconds: 0, stepSeconds: HOUR, horizonSteps: 3 });
    expect(out.mean).toEqual([14, 17, 20]);
    expect(out.residuals).toEqual([0, -4, 4]);
  });

  it('is the naive forecast when the window starts and ends at the same value', () => {
    // Last = first = 7: slope 0, whatever lies between.
    const out = drift().forecast({ values: [7, 1, 30, 7], startSeconds: 0, stepSeconds: HOUR, horizonSteps: 2 });
    expect(out.mean).toEqual([7, 7]);
    expect(drift().minHistorySteps(HOUR)).toBe(2);
  });
});
