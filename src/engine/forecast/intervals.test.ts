/** @jest-environment node */
import fc from 'fast-check';
import { calibratedIntervals, conformalQuantile, errorScaleByStep } from './intervals';

describe('conformalQuantile', () => {
  it('takes the ceil((n+1)p)-th smallest sample', () => {
    // n = 9, p = 0.8: ceil(10 · 0.8) = 8th smallest.
    expect(conformalQuantile([9, 1, 8, 2, 7, 3, 6, 4, 5], 0.8)).toBe(8);
    // n = 4, p = 0.95: ceil(4.75) = 5 > n, so the largest.
    expect(conformalQuantile([1, 2, 3, 4], 0.95)).toBe(4);
  });
});

describe('errorScaleByStep', () => {
  it('grows like the square root of the step beyond the tested steps', () => {
    // One origin, one tested step with |error| 2: scale at step h is 2·√(h+1).
    expect(errorScaleByStep([[2]], 4)).toEqual([2, 2 * Math.SQRT2, 2 * Math.sqrt(3), 4]);
  });
});

describe('calibratedIntervals', () => {
  it('scale each step by the errors of the origins that reach it', () => {
    // Two full windows with |errors| 1 and 3 at both steps, and a recent one that ends after step 0 with |error| 5.
    // Half-window 1 pools both steps: step 0 scale (1+3+1+3+5)/5 = 2.6, step 1 the same window = 2.6.
    expect(errorScaleByStep([[1, 1], [3, 3], [5]], 2)).toEqual([2.6, 2.6]);
  });

  it('use the pooled conformal quantile when the windows cover the horizon', () => {
    // Ratios |e| / scale with scale 2 at both steps: 0.5, 0.5, 1.5, 1.5 (n = 4). 80 %: ceil(5 · 0.8) = 4th = 1.5.
    const out = calibratedIntervals(
      [10, 10],
      [
        [1, -1],
        [3, -3],
      ],
      [80]
    );
    expect(out['80']).toEqual({ lower: [7, 7], upper: [13, 13] });
  });

  it('take one sample per origin beyond the tested steps, and keep the tested steps as they are', () => {
    // Ten one-step origins with |errors| 1..10: scale 5.5 at step 0, 5.5·√2 at step 1 (grown like √h).
    const errors = Array.from({ length: 10 }, (_, k) => [k + 1]);
    // Step 0 is tested: pooled, 80 %: ceil(11 · 0.8) = 9th ratio = 9 / 5.5; half-width 9, whatever the horizon.
    expect(calibratedIntervals([0], errors, [80])['80'].upper[0]).toBeCloseTo(9, 10);
    expect(calibratedIntervals([0, 0], errors, [80])['80'].upper[0]).toBeCloseTo(9, 10);
    // Step 1 is beyond the tested step: level ceil(11 · 0.8) / 10 = 0.9, so the ceil(11 · 0.9) = 10th ratio,
    // 10 / 5.5, times the scale 5.5·√2: 10·√2.
    expect(calibratedIntervals([0, 0], errors, [80])['80'].upper[1]).toBeCloseTo(10 * Math.SQRT2, 10);
  });

  it('use every backtest error, even where the horizon is shorter than the tested steps', () => {
    // Two 2-step origins with |errors| (1, 3) and (1, 3); half-window 1 pools both steps: scale 2 at each.
    // Ratios 0.5, 1.5, 0.5, 1.5: 80 % takes the ceil(5 · 0.8) = 4th, 1.5, so a 1-step horizon is ±3, as the
    // first step of a 2-step one. Only the errors of step 0 (ratios 0.5, 0.5) would give ±1.
    const errors = [
      [1, 3],
      [-1, -3],
    ];
    expect(calibratedIntervals([0], errors, [80])['80'].upper).toEqual([3]);
    expect(calibratedIntervals([0, 0], errors, [80])['80'].upper).toEqual([3, 3]);
  });

  it('are ordered, nested and contain the mean (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 6, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 10 }),
        (errors, mean) => {
          const out = calibratedIntervals(mean, errors, [80, 95]);
          mean.forEach((m, h) => {
            expect(out['95'].lower[h]).toBeLessThanOrEqual(out['80'].lower[h]);
            expect(out['80'].lower[h]).toBeLessThanOrEqual(m);
            expect(out['80'].upper[h]).toBeGreaterThanOrEqual(m);
            expect(out['95'].upper[h]).toBeGreaterThanOrEqual(out['80'].upper[h]);
          });
        }
      )
    );
  });

  it('cover about the nominal share of new errors from the same distribution', () => {
    // Deterministic pseudo-normal errors (sum of 4 uniforms from a fixed LCG).
    let state = 12345;
    const uniform = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const noise = () => uniform() + uniform() + uniform() + uniform() - 2;
    const draw = (origins: number, steps: number) =>
      Array.from({ length: origins }, () => Array.from({ length: steps }, noise));
    const mean = new Array(24).fill(0);
    const out = calibratedIntervals(mean, draw(8, 24), [80, 95]);
    const future = draw(200, 24);
    const share = (level: string) =>
      future.flat().filter((e, i) => e >= out[level].lower[i % 24] && e <= out[level].upper[i % 24]).length /
      future.flat().length;
    expect(share('80')).toBeGreaterThan(0.72);
    expect(share('80')).toBeLessThan(0.9);
    expect(share('95')).toBeGreaterThan(0.9);
  });
});
