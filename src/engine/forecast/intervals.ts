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
 * Typical absolute error at each horizon step: the mean over origins and a window of neighbouring
 * steps (a few origins alone are too noisy), made non-decreasing because uncertainty does not
 * shrink with lead time. Beyond the backtested steps it grows like √h, the random-walk rate.
 */
export function errorScaleByStep(errors: ReadonlyArray<readonly number[]>, horizonSteps: number): number[] {
  const tested = errors[0]?.length ?? 0;
  const halfWindow = Math.max(1, Math.floor(tested / 8));
  const scale: number[] = [];
  for (let h = 0; h < tested; h++) {
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, h - halfWindow); j <= Math.min(tested - 1, h + halfWindow); j++) {
      for (const row of errors) {
        sum += Math.abs(row[j]);
        count++;
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
 * Symmetric intervals around the mean from backtest errors (errors[origin][step] = actual − forecast):
 * errors are divided by the step's scale so every origin and step contributes to one quantile, and
 * the half-width at step h is that quantile times the scale at h.
 */
export function calibratedIntervals(
  mean: readonly number[],
  errors: ReadonlyArray<readonly number[]>,
  levels: readonly number[]
): Record<string, Interval> {
  const scale = errorScaleByStep(errors, mean.length);
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
    const q = conformalQuantile(ratios, level / 100);
    out[String(level)] = {
      lower: mean.map((m, h) => m - q * scale[h]),
      upper: mean.map((m, h) => m + q * scale[h]),
    };
  }
  return out;
}
