/** Linear-interpolation quantile (Hyndman–Fan type 7) of an ascending array; NaN when empty. */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * Median absolute deviation scaled by 1.4826 so that it estimates the standard deviation of
 * normal data while ignoring up to half of the samples being anomalies.
 */
export function robustSpread(values: readonly number[], median: number): number {
  return 1.4826 * quantileOfSorted(sortedCopy(values.map((v) => Math.abs(v - median))), 0.5);
}

/** Rounds to a number of significant digits, so a deployed threshold prints short and exactly. */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) {
    return value;
  }
  return Number(value.toPrecision(digits));
}
