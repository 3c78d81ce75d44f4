import { clampToValueRange, type ValueRange } from '../series/valueRange';
import type { Interval } from './intervals';

export type { ValueRange };

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
  const clamp = (values: number[]) => values.map((v) => clampToValueRange(v, range));
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
