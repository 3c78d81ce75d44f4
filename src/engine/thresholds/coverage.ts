import type { RowThresholds } from './replay';

/**
 * The band's coverage over a replay: the share of judged rows (from `fromRow`, with a value and thresholds) whose
 * value lay inside the band deployed then (lower ≤ value ≤ upper, as the rule's `>` and `<` fire only beyond it).
 * The alert rule's counterpart of a forecast interval's coverage; NaN when no row was judged.
 */
export function bandCoverage(
  values: ReadonlyArray<number | null>,
  thresholds: RowThresholds,
  fromRow: number
): number {
  let judged = 0;
  let inside = 0;
  for (let i = Math.max(0, fromRow); i < values.length; i++) {
    const value = values[i];
    const upper = thresholds.upper[i];
    const lower = thresholds.lower[i];
    if (value === null || !Number.isFinite(value) || Number.isNaN(upper) || Number.isNaN(lower)) {
      continue;
    }
    judged++;
    if (value <= upper && value >= lower) {
      inside++;
    }
  }
  return judged > 0 ? inside / judged : NaN;
}
