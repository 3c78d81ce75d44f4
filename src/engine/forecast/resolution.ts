/**
 * The finest step a series' values move by, for the interval floor (intervals.ts): the smallest non-zero change
 * between consecutive values (1 for a GPU count, a bucket's share for a mean of samples), ignoring rounding noise
 * below a billionth of the largest value. A history that never moved shows no step: then the unit of its value's
 * last decimal place (1 for a whole number, 0.01 for 0.35; 1 for zero, the unit of a count).
 */
export function valueResolution(values: readonly number[]): number {
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const noise = 1e-9 * largest;
  let smallest = Infinity;
  for (let t = 1; t < values.length; t++) {
    const step = Math.abs(values[t] - values[t - 1]);
    if (step > noise && step < smallest) {
      smallest = step;
    }
  }
  if (Number.isFinite(smallest)) {
    return smallest;
  }
  return values.length === 0 ? 1 : lastDecimalUnit(values[values.length - 1]);
}

/** 10^−d for a value written with d decimals (at most 12: beyond that it is binary rounding, not a decimal). */
function lastDecimalUnit(value: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = value * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) {
      return 10 ** -d;
    }
  }
  return 1e-12;
}
