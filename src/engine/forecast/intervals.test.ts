/** @jest-environment node */
import fc from 'fast-check';
import {
  adaptedLevels,
  calibratedIntervals,
  calibratedIntervalsWithCoverage,
  conformalQuantile,
  DEFAULT_INTERVAL_OPTIONS,
  errorScaleByStep,
  levelQuantile,
  realisedLevel,
  type IntervalOptions,
} from './intervals';

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

  it('grows like the square root of the lead time with exponent 0.5', () => {
    // 2·√((h+1)/1): 2, 2√2, 2√3, 4.
    const expected = [2, 2 * Math.SQRT2, 2 * Math.sqrt(3), 4];
    errorScaleByStep([[2]], 4, 0.5).forEach((s, h) => expect(s).toBeCloseTo(expected[h], 12));
  });
});

/**
 * Plain split conformal at the nominal level, the product's default today (`DEFAULT_INTERVAL_OPTIONS`), passed
 * explicitly so these hand values keep pinning it if the default ever adapts the level (ACI).
 */
const SPLIT: IntervalOptions = { gamma: 0, leadGroups: 1 };

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
      [80],
      SPLIT
    );
    expect(out['80']).toEqual({ lower: [7, 7], upper: [13, 13] });
  });

  it('keep the pooled level beyond the tested steps, where only the scale widens them', () => {
    // Ten one-step origins with |errors| 1..10: scale 5.5 at step 0, 5.5·2 = 11 at step 1 (grown like h).
    const errors = Array.from({ length: 10 }, (_, k) => [k + 1]);
    // 80 %: ceil(11 · 0.8) = 9th ratio = 9 / 5.5 at every step; half-width 9 at step 0, whatever the horizon.
    expect(calibratedIntervals([0], errors, [80], SPLIT)['80'].upper[0]).toBeCloseTo(9, 10);
    expect(calibratedIntervals([0, 0], errors, [80], SPLIT)['80'].upper[0]).toBeCloseTo(9, 10);
    // Step 1 is beyond the tested step: the same ratio 9 / 5.5 times the scale 11: 18.
    expect(calibratedIntervals([0, 0], errors, [80], SPLIT)['80'].upper[1]).toBeCloseTo(18, 10);
  });

  it('give 95 % a wider interval than 80 % when few origins were tested (the bug: both took the largest ratio)', () => {
    // Two one-step origins with errors 1 and −3 around a mean of 10. Scale 2 at step 0, 4 at step 1 (grown like h).
    // Ratios 0.5 and 1.5 (n = 2, mean 1): ceil(3 · 0.8) = 3 and ceil(3 · 0.95) = 3 are past the sample, so
    // 80 %: 1.5 + ln((1/3) / 0.2) = 1.5 + ln(5/3);  95 %: 1.5 + ln((1/3) / 0.05) = 1.5 + ln(20/3).
    // The old code gave both the largest ratio, 1.5 (at step 1 via the per-origin level ceil(3 · p) / 2 → 1): 10 ± 3, 10 ± 6.
    const q80 = 1.5 + Math.log(5 / 3); // 2.0108
    const q95 = 1.5 + Math.log(20 / 3); // 3.3971
    const out = calibratedIntervals([10, 10], [[1], [-3]], [80, 95], SPLIT);
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
    expect(calibratedIntervals([0], errors, [80], SPLIT)['80'].upper).toEqual([3]);
    expect(calibratedIntervals([0, 0], errors, [80], SPLIT)['80'].upper).toEqual([3, 3]);
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
          const out = calibratedIntervals(mean, errors, [low, high], SPLIT);
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
    const out = calibratedIntervals(mean, draw(8, 24), [80, 95], SPLIT);
    const future = draw(200, 24);
    const share = (level: string) =>
      future.flat().filter((e, i) => e >= out[level].lower[i % 24] && e <= out[level].upper[i % 24]).length /
      future.flat().length;
    expect(share('80')).toBeGreaterThan(0.72);
    expect(share('80')).toBeLessThan(0.9);
    expect(share('95')).toBeGreaterThan(0.9);
  });
});

describe('adaptedLevels (adaptive conformal inference over the origins, oldest first)', () => {
  it('moves the level as Gibbs & Candès update it, one step per origin', () => {
    // Origin 0 only fills the pool [1, 2, 3, 4]. Origin 1 at 80 %: q = ceil(5·0.8) = 4th smallest = 4; ratios
    // [1, 5, 1, 5]: 2 of 4 outside, α ← 0.2 + 0.5·(0.2 − 0.5) = 0.05 (level 95 %). Origin 2 at 95 %: pool
    // [1,2,3,4,1,5,1,5], n = 8, ceil(9·0.95) = 9 > 8: tail 5 + 2.75·ln((1/9)/0.05) = 7.196; ratio 6 inside,
    // α ← 0.05 + 0.5·(0.2 − 0) = 0.15: level 85 %. Covered 2 + 1 of 5.
    const out = adaptedLevels([[1, 2, 3, 4], [1, 5, 1, 5], [6]], 0.8, { gamma: 0.5, leadGroups: 1 });
    expect(out.levels[0]).toBeCloseTo(0.85, 12);
    expect(out.covered).toBe(3);
    expect(out.count).toBe(5);
  });

  it('raises the level after an origin whose errors all fell outside, up to the cap', () => {
    // q = 4 at 80 %, the next origin's ratios 5 all outside: α ← 0.2 + 0.5·(0.2 − 1) = −0.2, past 0, so the level
    // stops at the cap 1 − 0.2/(8 + 1) (8 ratios in all).
    const out = adaptedLevels(
      [
        [1, 2, 3, 4],
        [5, 5, 5, 5],
      ],
      0.8,
      { gamma: 0.5, leadGroups: 1 }
    );
    expect(out.levels[0]).toBeCloseTo(1 - 0.2 / 9, 12);
    expect(out.covered).toBe(0);
  });

  it('is what the product uses today: split conformal at the nominal level', () => {
    expect(DEFAULT_INTERVAL_OPTIONS).toEqual(SPLIT);
  });

  it('keeps the nominal level with γ = 0, and adapts each lead-time group apart', () => {
    const rows = [
      [1, 2, 3, 4],
      [1, 1, 9, 9],
    ];
    expect(adaptedLevels(rows, 0.8, { gamma: 0, leadGroups: 2 }).levels).toEqual([0.8, 0.8]);
    // Two groups of two steps; q = 4: the first group's ratios 1, 1 inside (α ← 0.2 + 0.5·0.2 = 0.3), the second's
    // 9, 9 outside (α ← 0.2 + 0.5·(0.2 − 1) = −0.2, capped at 1 − 0.2/9).
    const [early, late] = adaptedLevels(rows, 0.8, { gamma: 0.5, leadGroups: 2 }).levels;
    expect(early).toBeCloseTo(0.7, 12);
    expect(late).toBeCloseTo(1 - 0.2 / 9, 12);
  });
});

describe('realisedLevel', () => {
  it('is the lowest level whose quantile covers the ratio', () => {
    // Pool [1, 2, 3, 4]: 2.5 has 2 below, (2 + 1)/5 = 0.6; 4 has 3 below, 4/5 (levelQuantile at 0.8 is 4).
    expect(realisedLevel([1, 2, 3, 4], 2.5)).toBeCloseTo(0.6, 12);
    expect(realisedLevel([1, 2, 3, 4], 4)).toBeCloseTo(0.8, 12);
    // Past the largest, along the tail: 1 − e^(−(6 − 4)/2.5)/5; levelQuantile there is 4 + 2.5·ln((1/5)/(e^(−0.8)/5)) = 6.
    expect(realisedLevel([1, 2, 3, 4], 6)).toBeCloseTo(1 - Math.exp(-0.8) / 5, 12);
    expect(levelQuantile([1, 2, 3, 4], realisedLevel([1, 2, 3, 4], 6))).toBeCloseTo(6, 10);
  });
});

describe('adaptedLevels with several step sizes (DtACI)', () => {
  const rowsOf = fc.array(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }), {
    minLength: 1,
    maxLength: 8,
  });

  it('is plain ACI with one step size (property)', () => {
    fc.assert(
      fc.property(rowsOf, fc.double({ min: 0.01, max: 2, noNaN: true }), (rows, gamma) => {
        const alone = adaptedLevels(rows, 0.8, { gamma, leadGroups: 1 });
        const aggregated = adaptedLevels(rows, 0.8, { gamma: 0, gammas: [gamma], leadGroups: 1 });
        expect(aggregated.levels[0]).toBeCloseTo(alone.levels[0], 12);
      })
    );
  });

  it('ends between the levels its experts reach alone (property)', () => {
    // The experts' α do not depend on the weights, and the output is a weighted mean of them, clamped monotonically.
    fc.assert(
      fc.property(
        rowsOf,
        fc.uniqueArray(fc.double({ min: 0.01, max: 2, noNaN: true }), { minLength: 2, maxLength: 4 }),
        (rows, gammas) => {
          const alone = gammas.map((gamma) => adaptedLevels(rows, 0.8, { gamma, leadGroups: 1 }).levels[0]);
          const level = adaptedLevels(rows, 0.8, { gamma: 0, gammas, leadGroups: 1 }).levels[0];
          expect(level).toBeGreaterThanOrEqual(Math.min(...alone) - 1e-12);
          expect(level).toBeLessThanOrEqual(Math.max(...alone) + 1e-12);
        }
      )
    );
  });
});

describe('calibratedIntervals, adaptive and floored', () => {
  const adaptive = { gamma: 0.5, leadGroups: 1 };

  it('are at least as wide when the errors grew towards now as when they shrank (property)', () => {
    // The same errors, one constant magnitude per origin, oldest first in growing or shrinking order: the scale and
    // the pooled ratios are the same, but shrinking errors are always inside the earlier origins' intervals (α only
    // rises) while growing ones may fall outside (α rises less or falls), so the level reached is never lower.
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (magnitudes, width) => {
          const rows = (order: number[]) => order.map((m) => new Array<number>(width).fill(m));
          const growing = calibratedIntervals([0], rows([...magnitudes].sort((a, b) => a - b)), [80, 95], adaptive);
          const shrinking = calibratedIntervals([0], rows([...magnitudes].sort((a, b) => b - a)), [80, 95], adaptive);
          for (const level of ['80', '95']) {
            expect(growing[level].upper[0]).toBeGreaterThanOrEqual(shrinking[level].upper[0] - 1e-12);
          }
        }
      )
    );
  });

  it('are wider when the newest origin missed than when it was the calmest (hand case)', () => {
    // Ratios (scale 2.5 at every step, the mean |error|): origins 1, 2, 3, 4 (×1/2.5). Growing: every new origin is
    // above the pooled 80 % quantile of the earlier ones, shrinking: below. With γ = 0 both give the pooled
    // ceil(5·0.8) = 4th ratio, 4/2.5, times 2.5 = ±4.
    const up = [[1], [2], [3], [4]];
    const down = [[4], [3], [2], [1]];
    expect(calibratedIntervals([0], up, [80], { gamma: 0, leadGroups: 1 })['80'].upper[0]).toBeCloseTo(4, 12);
    expect(calibratedIntervals([0], down, [80], { gamma: 0, leadGroups: 1 })['80'].upper[0]).toBeCloseTo(4, 12);
    // Shrinking: α ← 0.2 + 0.5·0.2 three times = 0.5, level 50 %: ceil(5·0.5) = 3rd ratio: ±3.
    expect(calibratedIntervals([0], down, [80], adaptive)['80'].upper[0]).toBeCloseTo(3, 12);
    // Growing: origin 1 (pool [1], ceil(2·0.8) = 2 > 1: tail 1 + 1·ln((1/2)/0.2) = 1.92) covers 2: α = 0.3;
    // origin 2 at 70 % (pool [1, 2]: ceil(3·0.7) = 3 > 2: tail 2 + 1.5·ln((1/3)/0.3) = 2.16) misses 3: α = 0.3 − 0.4 =
    // −0.1; origin 3 at the cap 1 − 0.2/5 = 0.96 (pool [1,2,3]: tail 3 + 2·ln((1/4)/0.04) = 6.67) covers 4: α = 0.
    // Level 1 − 0, capped at 0.96: n = 4, ceil(5·0.96) = 5 > 4: 4 + 2.5·ln((1/5)/0.04) = 4 + 2.5·ln 5 (ratio units
    // of 2.5: half-width 4 + 2.5·ln 5 = 8.02).
    expect(calibratedIntervals([0], up, [80], adaptive)['80'].upper[0]).toBeCloseTo(4 + 2.5 * Math.log(5), 10);
  });

  it('are never narrower than the resolution floor, even when every error was zero (property)', () => {
    // A history that was flat (zero errors) and then moves: the half-width at level p is at least
    // u·ln(1/(1 − p)) > 0 (the old intervals had zero width there).
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.constant(0), fc.double({ min: -10, max: 10, noNaN: true })), {
            minLength: 1,
            maxLength: 6,
          }),
          {
            minLength: 1,
            maxLength: 6,
          }
        ),
        fc.double({ min: 1e-6, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 1, max: 99.9, noNaN: true }),
        (errors, resolution, steps, level) => {
          const out = calibratedIntervals(new Array<number>(steps).fill(5), errors, [level], {
            ...DEFAULT_INTERVAL_OPTIONS,
            resolution,
          });
          const floor = resolution * Math.log(1 / (1 - level / 100));
          expect(floor).toBeGreaterThan(0);
          out[String(level)].upper.forEach((u) => expect(u - 5).toBeGreaterThanOrEqual(floor - 1e-12));
          out[String(level)].lower.forEach((l) => expect(5 - l).toBeGreaterThanOrEqual(floor - 1e-12));
        }
      )
    );
  });

  it('give a flat history intervals of the floor, grown like the lead time beyond the tested steps', () => {
    // Two origins of 3 tested steps, all errors 0, resolution 1: 80 % half-width ln 5 on steps 0..2, then
    // ln 5·(h + 1)/3: step 3 → ln 5·4/3, step 5 → ln 5·2.
    const out = calibratedIntervals(
      new Array<number>(6).fill(8),
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      [80],
      {
        ...DEFAULT_INTERVAL_OPTIONS,
        resolution: 1,
      }
    );
    const expected = [1, 1, 1, 4 / 3, 5 / 3, 2].map((g) => 8 + Math.log(5) * g);
    out['80'].upper.forEach((u, h) => expect(u).toBeCloseTo(expected[h], 12));
  });

  it('report the walk coverage of the backtest (hand case)', () => {
    // Scale 2.5 at the one step; ratios 0.4, 0.8, 1.2, 1.6 oldest first, γ = 0 at 80 %: origin 1 (pool [0.4], tail
    // 0.4 + 0.4·ln 2.5 = 0.77) misses 0.8; origin 2 (pool [0.4, 0.8], ceil(3·0.8) = 3 > 2: 0.8 + 0.6·ln(1/0.9) = 0.74)
    // misses 1.2; origin 3 (pool [0.4, 0.8, 1.2]: ceil(3.2) = 4 > 3: 1.2 + 0.8·ln(0.25/0.2) = 1.38) misses 1.6: 0 of 3.
    const out = calibratedIntervalsWithCoverage([0], [[1], [2], [3], [4]], [80], { gamma: 0, leadGroups: 1 });
    expect(out.backtestCoverage['80']).toBe(0);
    // Shrinking errors are inside every earlier interval: 3 of 3.
    const down = calibratedIntervalsWithCoverage([0], [[4], [3], [2], [1]], [80], { gamma: 0, leadGroups: 1 });
    expect(down.backtestCoverage['80']).toBe(1);
  });
});
