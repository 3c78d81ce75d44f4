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
  const n = samples.length;
  if (n === 0) {
    return 0;
  }
  if (Math.ceil((n + 1) * p) <= n) {
    return conformalQuantile(samples, p);
  }
  const largest = Math.max(...samples);
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  return largest + mean * Math.log(1 / (n + 1) / (1 - p));
}

/** The longest backtest window: rows of recent origins end with the history and are shorter. */
const testedSteps = (errors: ReadonlyArray<readonly number[]>) => Math.max(0, ...errors.map((row) => row.length));

/**
 * Typical absolute error at each horizon step: the mean over the origins that reach it and a window
 * of neighbouring steps (a few origins alone are too noisy), made non-decreasing because
 * uncertainty does not shrink with lead time. Beyond the backtested steps it grows in proportion to
 * the lead time, scale(t − 1)·(h + 1)/t for t tested steps: the error of a level or trend that is
 * off, which beyond a day outweighs the random walk's √h (chosen over √h, and over an exponent fitted
 * to the tested steps, by leave-one-family-out coverage on the benchmark's series: docs/formulas.md).
 */
export function errorScaleByStep(errors: ReadonlyArray<readonly number[]>, horizonSteps: number): number[] {
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
    scale.push(tested === 0 ? 0 : (scale[tested - 1] * (h + 1)) / tested);
  }
  return scale.slice(0, horizonSteps);
}

/**
 * Symmetric intervals around the mean from backtest errors (errors[origin][step] = actual − forecast,
 * rows may be shorter than the horizon): errors are divided by the step's scale so every origin and
 * step contributes to one quantile (`levelQuantile` at the level asked), and the half-width at step h
 * is that quantile times the scale at h.
 *
 * The same quantile serves every step, tested or not: beyond the backtested steps only the scale's
 * growth with the lead time widens the intervals. So a higher level is always at least as wide at
 * every step (nested intervals), and wider wherever the errors are non-zero and the sample tells the
 * levels apart. (Raising the level beyond the tested steps to the per-origin ⌈(m+1)·p⌉/m saturated at 1
 * with few origins and gave 80 and 95 % the same, largest, ratio.)
 *
 * Every step's half-width depends only on the errors and the step, never on how many steps are
 * asked: a longer horizon adds steps at the end and leaves the first ones as they were.
 */
export function calibratedIntervals(
  mean: readonly number[],
  errors: ReadonlyArray<readonly number[]>,
  levels: readonly number[]
): Record<string, Interval> {
  // The scale of every tested step, even past the horizon asked: all the backtest errors go into the quantile.
  const scale = errorScaleByStep(errors, Math.max(mean.length, testedSteps(errors)));
  const ratios: number[] = [];
  for (const row of errors) {
    row.forEach((e, h) => {
      if (scale[h] > 0) {
        ratios.push(Math.abs(e) / scale[h]);
      }
    });
  }
  const out: Record<string, Interval> = {};
  for (const level of levels) {
    const q = levelQuantile(ratios, level / 100);
    out[String(level)] = {
      lower: mean.map((m, h) => m - q * scale[h]),
      upper: mean.map((m, h) => m + q * scale[h]),
    };
  }
  return out;
}
