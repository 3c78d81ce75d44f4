/** @jest-environment node */
import fc from 'fast-check';
import { calibratedIntervals, conformalQuantile, errorScaleByStep, levelQuantile } from './intervals';

describe('conformalQuantile', () => {
  it('takes the ceil((n+1)p)-th smallest sample', () => {
    // n = 9, p = 0.8: ceil(10 · 0.8) = 8th smallest.
    expect(conformalQuantile([9, 1, 8, 2, 7, 3, 6, 4, 5], 0.8)).toBe(8);
    // n = 4, p = 0.95: ceil(4.75) = 5 > n, so the largest.
    expect(conformalQuantile([1, 2, 3, 4], 0.95)).toBe(4);
  });
});

describe('levelQuantile', () => {
  it('is the conformal quantile while the sample holds the rank', () => {
    // n = 9, p = 0.8: ceil(8) = 8th smallest, as conformalQuantile.
    expect(levelQuantile([9, 1, 8, 2, 7, 3, 6, 4, 5], 0.8)).toBe(8);
  });

  it('goes past the largest sample along an exponential tail instead of stopping at it', () => {
    // n = 4, mean 2.5, largest 4. p = 0.95: ceil(4.75) = 5 > 4, so 4 + 2.5·ln((1/5) / 0.05) = 4 + 2.5·ln 4.
    expect(levelQuantile([1, 2, 3, 4], 0.95)).toBeCloseTo(4 + 2.5 * Math.log(4), 12);
    // p = 0.8: ceil(4) = 4, still in the sample: the largest, 4.
    expect(levelQuantile([1, 2, 3, 4], 0.8)).toBe(4);
    expect(levelQuantile([], 0.9)).toBe(0);
  });
});

describe('errorScaleByStep', () => {
  it('grows in proportion to the lead time beyond the tested steps', () => {
    // One origin, one tested step with |error| 2: scale at step h is 2·(h+1)/1.
    expect(errorScaleByStep([[2]], 4)).toEqual([2, 4, 6, 8]);
    // Two tested steps with |errors| 1 and 3 (half-window 1 pools them: 2 and 2): step h ≥ 2 is 2·(h+1)/2.
    expect(errorScaleByStep([[1, 3]], 4)).toEqual([2, 2, 3, 4]);
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

  it('keep the pooled level beyond the tested steps, where only the scale widens them', () => {
    // Ten one-step origins with |errors| 1..10: scale 5.5 at step 0, 5.5·2 = 11 at step 1 (grown like h).
    const errors = Array.from({ length: 10 }, (_, k) => [k + 1]);
    // 80 %: ceil(11 · 0.8) = 9th ratio = 9 / 5.5 at every step; half-width 9 at step 0, whatever the horizon.
    expect(calibratedIntervals([0], errors, [80])['80'].upper[0]).toBeCloseTo(9, 10);
    expect(calibratedIntervals([0, 0], errors, [80])['80'].upper[0]).toBeCloseTo(9, 10);
    // Step 1 is beyond the tested step: the same ratio 9 / 5.5 times the scale 11: 18.
    expect(calibratedIntervals([0, 0], errors, [80])['80'].upper[1]).toBeCloseTo(18, 10);
  });

  it('give 95 % a wider interval than 80 % when few origins were tested (the bug: both took the largest ratio)', () => {
    // Two one-step origins with errors 1 and −3 around a mean of 10. Scale 2 at step 0, 4 at step 1 (grown like h).
    // Ratios 0.5 and 1.5 (n = 2, mean 1): ceil(3 · 0.8) = 3 and ceil(3 · 0.95) = 3 are past the sample, so
    // 80 %: 1.5 + ln((1/3) / 0.2) = 1.5 + ln(5/3);  95 %: 1.5 + ln((1/3) / 0.05) = 1.5 + ln(20/3).
    // The old code gave both the largest ratio, 1.5 (at step 1 via the per-origin level ceil(3 · p) / 2 → 1): 10 ± 3, 10 ± 6.
    const q80 = 1.5 + Math.log(5 / 3); // 2.0108
    const q95 = 1.5 + Math.log(20 / 3); // 3.3971
    const out = calibratedIntervals([10, 10], [[1], [-3]], [80, 95]);
    expect(out['80'].lower[0]).toBeCloseTo(10 - 2 * q80, 10);
    expect(out['95'].lower[0]).toBeCloseTo(10 - 2 * q95, 10);
    expect(out['80'].upper[1]).toBeCloseTo(10 + 4 * q80, 10);
    expect(out['95'].upper[1]).toBeCloseTo(10 + 4 * q95, 10);
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

  it('are ordered, nested and contain the mean for any errors and levels (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1, max: 99.9, noNaN: true }),
        fc.double({ min: 1, max: 99.9, noNaN: true }),
        (errors, mean, a, b) => {
          const [low, high] = [Math.min(a, b), Math.max(a, b)];
          const out = calibratedIntervals(mean, errors, [low, high]);
          mean.forEach((m, h) => {
            expect(out[String(high)].lower[h]).toBeLessThanOrEqual(out[String(low)].lower[h]);
            expect(out[String(low)].lower[h]).toBeLessThanOrEqual(m);
            expect(out[String(low)].upper[h]).toBeGreaterThanOrEqual(m);
            expect(out[String(high)].upper[h]).toBeGreaterThanOrEqual(out[String(low)].upper[h]);
          });
        }
      )
    );
  });

  it('are strictly nested where the errors are non-zero and the levels differ, at every step (property)', () => {
    // Distinct non-zero magnitudes, so that no two pooled ratios tie; two levels then differ in width unless they
    // fall on the same order statistic of the n ratios, ceil((n + 1)·a) = ceil((n + 1)·b) ≤ n, where the sample
    // cannot tell them apart. 80 and 95 % never do: their ranks differ by ≥ 1 from n = 6, and below that 95 % is
    // past the sample.
    const magnitudes = fc.uniqueArray(fc.double({ min: 0.01, max: 100, noNaN: true }), {
      minLength: 1,
      maxLength: 24,
    });
    fc.assert(
      fc.property(
        magnitudes,
        fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.oneof(
          fc.constant<[number, number]>([80, 95]),
          fc.tuple(fc.double({ min: 1, max: 99.9, noNaN: true }), fc.double({ min: 1, max: 99.9, noNaN: true }))
        ),
        (mags, signs, width, mean, [a, b]) => {
          // Rows of `width` steps (the last one shorter, like the most recent origin's).
          const signed = mags.map((x, i) => (signs[i] ? x : -x));
          const errors: number[][] = [];
          for (let i = 0; i < signed.length; i += width) {
            errors.push(signed.slice(i, i + width));
          }
          const [low, high] = [Math.min(a, b), Math.max(a, b)];
          const n = signed.length;
          fc.pre(
            low < high &&
              (Math.ceil(((n + 1) * low) / 100) < Math.ceil(((n + 1) * high) / 100) || ((n + 1) * high) / 100 > n)
          );
          const out = calibratedIntervals(mean, errors, [low, high]);
          mean.forEach((m, h) => {
            expect(out[String(high)].lower[h]).toBeLessThan(out[String(low)].lower[h]);
            expect(out[String(low)].lower[h]).toBeLessThan(m);
            expect(out[String(low)].upper[h]).toBeGreaterThan(m);
            expect(out[String(high)].upper[h]).toBeGreaterThan(out[String(low)].upper[h]);
          });
        }
      )
    );
  });

  it('widen with the lead time (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 20 }),
        (errors, steps) => {
          const out = calibratedIntervals(new Array(steps).fill(0), errors, [80, 95]);
          for (let h = 1; h < steps; h++) {
            expect(out['95'].upper[h]).toBeGreaterThanOrEqual(out['95'].upper[h - 1]);
            expect(out['80'].upper[h]).toBeGreaterThanOrEqual(out['80'].upper[h - 1]);
          }
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
