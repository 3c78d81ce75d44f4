/** @jest-environment node */
import { grafanaStyleThresholds, staticThresholds } from './baselines';

describe('staticThresholds', () => {
  it('uses quantiles of the warm-up only', () => {
    // Warm-up 0..4 sorted; q0.75 at position 3 → 3, q0.25 at position 1 → 1.
    const out = staticThresholds([4, 0, 3, 1, 2, 100, -100], 5, 0.75);
    expect(out.upper.slice(5)).toEqual([3, 3]);
    expect(out.lower.slice(5)).toEqual([1, 1]);
    expect(out.upper.slice(0, 5).every(Number.isNaN)).toBe(true);
  });
});

describe('grafanaStyleThresholds', () => {
  it('is the widest of mean ± 2σ of the last day and the bands centred one day and one week back', () => {
    const hour = 3600;
    // Hourly for 9 days; 10 everywhere except 20 at the hour exactly one day before the last row.
    const t = Array.from({ length: 9 * 24 }, (_, k) => k * hour);
    const last = t.length - 1;
    const v = t.map((_, k) => (k === last - 24 ? 20 : 10));
    const out = grafanaStyleThresholds(t, v, last);
    // Last day (24 rows): one 20, 23 tens → mean 10.41667, Σx² = 2700, σ = √(2700/24 − mean²) = 1.99826.
    const mean = 250 / 24;
    const twoSigma = 2 * Math.sqrt(2700 / 24 - mean * mean);
    // Centres: that mean, 20 (one day back, the hour around it holds only that row), 10 (a week back).
    expect(out.upper[last]).toBeCloseTo(20 + twoSigma, 10);
    expect(out.lower[last]).toBeCloseTo(10 - twoSigma, 10);
  });
});
