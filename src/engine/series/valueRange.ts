/** The values a quantity can take, either end absent when unbounded: a count or a rate is ≥ 0, a ratio in [0, 1]. */
export interface ValueRange {
  min?: number;
  max?: number;
}

/** The value moved into the range: above the maximum it is the maximum, below the minimum the minimum. */
export function clampToValueRange(value: number, range: ValueRange | undefined): number {
  if (!range) {
    return value;
  }
  const atMost = range.max !== undefined && value > range.max ? range.max : value;
  return range.min !== undefined && atMost < range.min ? range.min : atMost;
}
