import type { Interval } from './intervals';

/** The values a quantity can take: a count or a rate is never below 0, a ratio lies in [0, 1]. */
export interface ValueRange {
  min?: number;
  max?: number;
}

/**
 * The forecast with its mean and every interval bound clamped to the quantity's range: symmetric intervals around a
 * mean near 0 otherwise reach below zero GPUs. Clamping keeps the order of the bounds (lower ≤ mean ≤ upper, nested
 * levels), and loses no coverage, since the actual value lies in the range. Without a range, the forecast as it is.
 */
export function clampToRange<T extends { mean: number[]; intervals: Record<string, Interval> }>(
  forecast: T,
  range: ValueRange | undefined
): T {
  if (!range || (range.min === undefined && range.max === undefined)) {
    return forecast;
  }
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = range;
  const clamp = (values: number[]) => values.map((v) => Math.min(max, Math.max(min, v)));
  return {
    ...forecast,
    mean: clamp(forecast.mean),
    intervals: Object.fromEntries(
      Object.entries(forecast.intervals).map(([level, { lower, upper }]) => [
        level,
        { lower: clamp(lower), upper: clamp(upper) },
      ])
    ),
  };
}
