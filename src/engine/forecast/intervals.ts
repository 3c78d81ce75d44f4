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

/** The longest backtest window: rows of recent origins end with the history and are shorter. */
const testedSteps = (errors: ReadonlyArray<readonly number[]>) => Math.max(0, ...errors.map((row) => row.length));

/**
 * Typical absolute error at each horizon step: the mean over the origins that reach it and a window
 * of neighbouring steps (a few origins alone are too noisy), made non-decreasing because
 * uncertainty does not shrink with lead time. Beyond the backtested steps it grows like √h, the
 * random-walk rate.
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
    scale.push(tested === 0 ? 0 : scale[tested - 1] * Math.sqrt((h + 1) / tested));
  }
  return scale.slice(0, horizonSteps);
}

/**
 * Symmetric intervals around the mean from backtest errors (errors[origin][step] = actual − forecast,
 * rows may be shorter than the horizon): errors are divided by the step's scale so every origin and
 * step contributes to one quantile, and the half-width at step h is that quantile times the scale
 * at h.
 *
 * Beyond the backtested steps the pooled errors understate what lies there: from the first untested
 * step on, the level is raised to the split-conformal finite-sample level with one sample per origin,
 * ⌈(m + 1)·p⌉ / m for m origins (errors within one window move together, so the window is the unit),
 * up to the largest ratio seen. Within the tested steps the pooled quantile is kept: measured on the
 * benchmark it is calibrated, and the per-origin level over-covers (80 % intervals held 90 %).
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
  const tested = testedSteps(errors);
  const origins = errors.length;
  for (const level of levels) {
    const p = level / 100;
    const within = conformalQuantile(ratios, p);
    const beyond = conformalQuantile(ratios, Math.min(1, Math.ceil((origins + 1) * p) / Math.max(1, origins)));
    const halfWidth = (h: number) => (h < tested ? within : beyond) * scale[h];
    out[String(level)] = {
      lower: mean.map((m, h) => m - halfWidth(h)),
      upper: mean.map((m, h) => m + halfWidth(h)),
    };
  }
  return out;
}
