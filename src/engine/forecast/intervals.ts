export interface Interval {
  lower: number[];
  upper: number[];
}

/** The k-th smallest with k = ceil((n+1)·p), the split-conformal choice that keeps coverage ≥ p. */
export function conformalQuantile(samples: readonly number[], p: number): number {
  if (samples.length === 0) {
    return 0;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const k = Math.min(sorted.length, Math.ceil((sorted.length + 1) * p));
  return sorted[Math.max(0, k - 1)];
}

/**
 * The level-p quantile of positive samples: the ⌈(n+1)·p⌉-th smallest while the sample holds it; past the largest
 * (⌈(n+1)·p⌉ > n, where the conformal bound is infinite) an exponential tail with the samples' mean as its scale,
 * largest + mean·ln((1/(n+1)) / (1 − p)), instead of the largest itself. So a higher level is wider even when few
 * samples cannot resolve it (80 and 95 % were both the largest with under 19 samples). Exponential: the Laplace
 * distribution of forecast errors, whose scale is their mean absolute value; nothing is tuned.
 */
export function levelQuantile(samples: readonly number[], p: number): number {
  return sortedLevelQuantile(
    [...samples].sort((a, b) => a - b),
    samples.reduce((a, b) => a + b, 0),
    p
  );
}

/** `levelQuantile` of samples already sorted ascending, given their sum (added in the samples' own order). */
function sortedLevelQuantile(sorted: readonly number[], sum: number, p: number): number {
  const n = sorted.length;
  if (n === 0) {
    return 0;
  }
  const k = Math.ceil((n + 1) * p);
  if (k <= n) {
    return sorted[Math.max(0, k - 1)];
  }
  return sorted[n - 1] + (sum / n) * Math.log(1 / (n + 1) / (1 - p));
}

/** Ascending `sorted` with the values of `row` merged in. */
function mergedSorted(sorted: readonly number[], row: readonly number[]): number[] {
  const added = [...row].sort((a, b) => a - b);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < sorted.length || j < added.length) {
    out.push(j >= added.length || (i < sorted.length && sorted[i] <= added[j]) ? sorted[i++] : added[j++]);
  }
  return out;
}

/** The longest backtest window: rows of recent origins end with the history and are shorter. */
const testedSteps = (errors: ReadonlyArray<readonly number[]>) => Math.max(0, ...errors.map((row) => row.length));

/**
 * Beyond the t tested steps the error scale grows like ((h + 1)/t)^β. β = 1, in proportion to the lead time (the error
 * of a level or trend that is off, which beyond a day outweighs the random walk's √h), chosen leave-one-family-out by
 * coverage at 168 h (issue 12); the interval score would choose β = 0.5 (src/engine/forecast/README.md).
 */
export const GROWTH_EXPONENT = 1;

/**
 * Typical absolute error at each horizon step: the mean over the origins that reach it and a window
 * of neighbouring steps (a few origins alone are too noisy), made non-decreasing because
 * uncertainty does not shrink with lead time. Beyond the t backtested steps it grows like the lead time
 * to the power β, scale(t − 1)·((h + 1)/t)^β (`GROWTH_EXPONENT`).
 */
export function errorScaleByStep(
  errors: ReadonlyArray<readonly number[]>,
  horizonSteps: number,
  growthExponent = GROWTH_EXPONENT
): number[] {
  const tested = testedSteps(errors);
  const halfWindow = Math.max(1, Math.floor(tested / 8));
  const scale: number[] = [];
  for (let h = 0; h < tested; h++) {
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, h - halfWindow); j <= Math.min(tested - 1, h + halfWindow); j++) {
      for (const row of errors) {
        if (j < row.length) {
          sum += Math.abs(row[j]);
          count++;
        }
      }
    }
    scale.push(Math.max(sum / count, h > 0 ? scale[h - 1] : 0));
  }
  for (let h = tested; h < horizonSteps; h++) {
    scale.push(tested === 0 ? 0 : scale[tested - 1] * ((h + 1) / tested) ** growthExponent);
  }
  return scale.slice(0, horizonSteps);
}

/** How the backtest errors become intervals; `DEFAULT_INTERVAL_OPTIONS` is what the product uses. */
export interface IntervalOptions {
  /**
   * Step size γ of adaptive conformal inference (Gibbs & Candès 2021), per origin: after each backtest origin the
   * level's miscoverage α moves by γ·(α_nominal − the origin's share of errors outside its interval). 0 keeps the
   * nominal level (plain split conformal).
   */
  gamma: number;
  /** Several step sizes aggregated as DtACI does (`adaptedLevels`); replaces `gamma` when given. */
  gammas?: readonly number[];
  /**
   * Beyond the t tested steps the scale grows like ((h + 1)/t)^β (`errorScaleByStep`): β = 1 in proportion to the lead
   * time (an offset level or trend), 0.5 like a random walk. Default `GROWTH_EXPONENT`.
   */
  growthExponent?: number;
  /** Lead-time groups over the tested steps, each adapting its own level (1: one level for every step). */
  leadGroups: number;
  /**
   * The series' value resolution (resolution.ts): the half-width at level p is at least resolution·ln(1 / (1 − p)),
   * grown like the scale beyond the tested steps. Absent: no floor.
   */
  resolution?: number;
}

/** Chosen leave-one-family-out with bench/intervalRules.ts (src/engine/forecast/README.md). */
export const DEFAULT_INTERVAL_OPTIONS: IntervalOptions = { gamma: 0, leadGroups: 1 };

/** The backtest's own check of the intervals, beside them. */
export interface CalibratedIntervals {
  intervals: Record<string, Interval>;
  /**
   * Per level, the share of backtest errors (every origin after the oldest) inside the interval built, at the adapted
   * level, from the origins before theirs: how the intervals would have fared on this series. Absent for a level when
   * fewer than two origins were tested.
   */
  backtestCoverage: Record<string, number>;
}

/**
 * The highest level a walk may reach from level p with n ratios: miscoverage (1 − p)/(n + 1), as far past the sample
 * (along levelQuantile's tail) as the nominal level is inside it. ACI itself would give an infinite interval at α ≤ 0.
 */
const maxLevel = (p: number, n: number) => 1 - (1 - p) / (n + 1);

/**
 * The lowest level whose `levelQuantile` of the pool covers ratio r: (#{pool < r} + 1)/(n + 1) inside the sample,
 * 1 − e^{−(r − largest)/mean}/(n + 1) along the exponential tail past it.
 */
export function realisedLevel(pool: readonly number[], r: number): number {
  const n = pool.length;
  const largest = Math.max(...pool);
  if (r <= largest) {
    return (pool.filter((x) => x < r).length + 1) / (n + 1);
  }
  const mean = pool.reduce((a, b) => a + b, 0) / n;
  return mean > 0 ? 1 - Math.exp(-(r - largest) / mean) / (n + 1) : 1;
}

/** Lead-time group of step h: equal shares of the t tested steps; steps beyond them share the last group's level. */
const groupOf = (h: number, tested: number, groups: number) =>
  Math.min(groups - 1, Math.floor((Math.min(h, tested - 1) * groups) / Math.max(1, tested)));

/** DtACI's share of weight moved back to every expert at each update, σ, and the weights' learning rate, η. */
const DTACI_SIGMA = 1 / 1000;
const DTACI_ETA = 2.72;

/** Pinball loss of DtACI, ℓ(β, θ) = α(β − θ) − min(0, β − θ). */
const pinball = (beta: number, theta: number, alpha: number) => alpha * (beta - theta) - Math.min(0, beta - theta);

/**
 * Adaptive conformal inference over the backtest origins in time order (rows oldest first; ratio NaN where the step's
 * scale is 0): at origin k the interval of each lead-time group is the pooled quantile of the ratios of origins 0..k−1
 * at that group's level 1 − α_g; once origin k's errors are known, α_g ← α_g + γ·(α − err_g), err_g being the share of
 * the group's ratios outside it (Gibbs & Candès 2021, eq. 2, one update per origin). So a series whose recent errors
 * exceed its intervals gets a higher level, one that stays inside them a lower one.
 *
 * With several step sizes (`gammas`), one ACI expert per γ and their α aggregated by exponential weights as DtACI does
 * (Gibbs & Candès 2024, Algorithm 1): each expert's weight is multiplied by exp(−η Σ ℓ(β, α_i)) over the origin's
 * errors, β being the miscoverage level at which each error was just covered (1 − `realisedLevel`), then mixed with
 * σ/k of the total; α_g is the weighted mean of the experts'. η = 2.72 and σ = 1/1000 are the authors' defaults.
 * Returns the level each group ends with and the walk's coverage (origins 1..K−1) at the levels it used.
 */
export function adaptedLevels(
  ratioRows: ReadonlyArray<readonly number[]>,
  level: number,
  options: Pick<IntervalOptions, 'gamma' | 'gammas' | 'leadGroups'>
): { levels: number[]; covered: number; count: number } {
  const groups = Math.max(1, Math.round(options.leadGroups));
  const gammas = options.gammas?.length ? options.gammas : [options.gamma];
  const tested = testedSteps(ratioRows);
  const alpha = 1 - level;
  const experts = Array.from({ length: groups }, () => gammas.map(() => alpha));
  const weights = Array.from({ length: groups }, () => gammas.map(() => 1 / gammas.length));
  const total = ratioRows.reduce((n, row) => n + row.filter(Number.isFinite).length, 0);
  const clamp = (p: number) => Math.min(maxLevel(level, total), Math.max(0, p));
  const aggregate = (g: number) => experts[g].reduce((sum, a, i) => sum + weights[g][i] * a, 0);
  const pool: number[] = [];
  // The pool sorted and summed as it grows: every origin reads its quantiles without sorting it again.
  let sortedPool: number[] = [];
  let poolSum = 0;
  const quantile = (p: number) => sortedLevelQuantile(sortedPool, poolSum, p);
  let covered = 0;
  let count = 0;
  ratioRows.forEach((row, k) => {
    if (k > 0 && pool.length > 0) {
      const q = experts.map((_, g) => quantile(clamp(1 - aggregate(g))));
      const qExpert = experts.map((alphas) => alphas.map((a) => quantile(clamp(1 - a))));
      const misses = experts.map((alphas) => alphas.map(() => 0));
      const losses = experts.map((alphas) => alphas.map(() => 0));
      const seen = new Array<number>(groups).fill(0);
      row.forEach((r, h) => {
        if (Number.isFinite(r)) {
          const g = groupOf(h, tested, groups);
          experts[g].forEach((_, i) => (misses[g][i] += r <= qExpert[g][i] ? 0 : 1));
          // The losses only weigh several experts: one (the product's split conformal) skips scanning the pool.
          if (gammas.length > 1) {
            const u = realisedLevel(pool, r);
            experts[g].forEach((a, i) => (losses[g][i] += pinball(1 - u, a, alpha)));
          }
          seen[g]++;
          covered += r <= q[g] ? 1 : 0;
          count++;
        }
      });
      experts.forEach((alphas, g) => {
        if (seen[g] === 0) {
          return;
        }
        alphas.forEach((a, i) => (alphas[i] = a + gammas[i] * (alpha - misses[g][i] / seen[g])));
        if (gammas.length > 1) {
          const raw = weights[g].map((w, i) => w * Math.exp(-DTACI_ETA * losses[g][i]));
          const sum = raw.reduce((x, y) => x + y, 0);
          weights[g] = raw.map(
            (w) => (sum > 0 ? (1 - DTACI_SIGMA) * (w / sum) : 1 / gammas.length) + DTACI_SIGMA / gammas.length
          );
        }
      });
    }
    const finite = row.filter(Number.isFinite);
    pool.push(...finite);
    sortedPool = mergedSorted(sortedPool, finite);
    poolSum = finite.reduce((a, b) => a + b, poolSum);
  });
  return { levels: experts.map((_, g) => clamp(1 - aggregate(g))), covered, count };
}

/**
 * Symmetric intervals around the mean from backtest errors (errors[origin][step] = actual − forecast, origins oldest
 * first, rows may be shorter than the horizon): errors are divided by the step's scale so every origin and step
 * contributes to one pooled quantile (`levelQuantile`), taken at the level adaptive conformal inference reached for
 * the step's lead-time group (`adaptedLevels`; the nominal level when γ = 0), and the half-width at step h is that
 * quantile times the scale at h, at least the resolution floor.
 *
 * Beyond the backtested steps only the scale's growth with the lead time widens the intervals, at the last group's
 * level; a step is never narrower than the one before it. A higher level is never narrower (its adapted level is raised to the lower level's where the walks cross).
 * Every step's half-width depends only on the errors and the step, never on how many steps are asked: a longer
 * horizon adds steps at the end and leaves the first ones as they were.
 */
export function calibratedIntervalsWithCoverage(
  mean: readonly number[],
  errors: ReadonlyArray<readonly number[]>,
  levels: readonly number[],
  options: IntervalOptions = DEFAULT_INTERVAL_OPTIONS
): CalibratedIntervals {
  const tested = testedSteps(errors);
  // The scale of every tested step, even past the horizon asked: all the backtest errors go into the quantile.
  const growth = options.growthExponent ?? GROWTH_EXPONENT;
  const scale = errorScaleByStep(errors, Math.max(mean.length, tested), growth);
  const ratioRows = errors.map((row) => row.map((e, h) => (scale[h] > 0 ? Math.abs(e) / scale[h] : NaN)));
  const ratios = ratioRows.flat().filter(Number.isFinite);
  const intervals: Record<string, Interval> = {};
  const backtestCoverage: Record<string, number> = {};
  let below: number[] | undefined;
  for (const level of [...levels].sort((a, b) => a - b)) {
    const p = level / 100;
    const walk = adaptedLevels(ratioRows, p, options);
    // Nested: a level adapts on its own walk, but never below a lower level's.
    const adapted = walk.levels.map((l, g) => Math.max(l, below?.[g] ?? 0));
    below = adapted;
    const q = adapted.map((l) => levelQuantile(ratios, l));
    const floor = (options.resolution ?? 0) * Math.log(1 / (1 - p));
    // Never narrower than an earlier step (a later lead-time group may have adapted to a lower level): the running
    // maximum reads steps 0..h only, so a step's width still does not depend on the horizon.
    const halfWidths: number[] = [];
    mean.forEach((_, h) =>
      halfWidths.push(
        Math.max(
          q[groupOf(h, tested, q.length)] * scale[h],
          floor * Math.max(1, (h + 1) / Math.max(1, tested)) ** growth,
          h > 0 ? halfWidths[h - 1] : 0
        )
      )
    );
    intervals[String(level)] = {
      lower: mean.map((m, h) => m - halfWidths[h]),
      upper: mean.map((m, h) => m + halfWidths[h]),
    };
    if (walk.count > 0) {
      backtestCoverage[String(level)] = walk.covered / walk.count;
    }
  }
  return { intervals, backtestCoverage };
}

/** `calibratedIntervalsWithCoverage` without the backtest's coverage. */
export function calibratedIntervals(
  mean: readonly number[],
  errors: ReadonlyArray<readonly number[]>,
  levels: readonly number[],
  options: IntervalOptions = DEFAULT_INTERVAL_OPTIONS
): Record<string, Interval> {
  return calibratedIntervalsWithCoverage(mean, errors, levels, options).intervals;
}
