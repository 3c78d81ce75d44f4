/**
 * Pure geometry of the band chart: pixel buckets, value range and axis ticks, so the SVG component only draws.
 */

export interface ChartPoint {
  x: number;
  /** Lowest and highest value in the pixel column (equal when one sample falls in it). */
  low: number;
  high: number;
}

/**
 * Reduces a series to at most one min/max pair per pixel column, so thousands of samples draw as a few hundred
 * segments without hiding a spike. Non-finite values are skipped.
 */
export function pixelBuckets(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  xOf: (timeSeconds: number) => number
): ChartPoint[] {
  const columns = new Map<number, ChartPoint>();
  for (let i = 0; i < timestampsSeconds.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      continue;
    }
    const x = Math.round(xOf(timestampsSeconds[i]));
    const point = columns.get(x);
    if (point) {
      point.low = Math.min(point.low, v);
      point.high = Math.max(point.high, v);
    } else {
      columns.set(x, { x, low: v, high: v });
    }
  }
  return [...columns.values()].sort((a, b) => a.x - b.x);
}

/** Runs of consecutive rows where `keep` holds, as [first, last] index pairs. */
export function runs(count: number, keep: (i: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= count; i++) {
    if (i < count && keep(i)) {
      start = start < 0 ? i : start;
    } else if (start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}

/**
 * The rows of [first, last] a step line needs: both ends, and each row whose value differs from its neighbour's.
 * A band's thresholds hold for an hour or a day at a time, so a path through these draws the same line as one
 * through every row, with a point per step instead of per sample.
 */
export function stepCorners(first: number, last: number, valueAt: (row: number) => number): number[] {
  const rows: number[] = [];
  for (let i = first; i <= last; i++) {
    const value = valueAt(i);
    if (i === first || i === last || value !== valueAt(i - 1) || value !== valueAt(i + 1)) {
      rows.push(i);
    }
  }
  return rows;
}

/** Smallest and largest finite number of the arrays, padded by 5 % of the span (1 when flat). */
export function valueRange(...arrays: Array<ReadonlyArray<number | null>>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const array of arrays) {
    for (const v of array) {
      if (v !== null && Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  if (min > max) {
    return { min: 0, max: 1 };
  }
  const pad = max > min ? (max - min) * 0.05 : Math.max(1, Math.abs(max) * 0.05);
  return { min: min - pad, max: max + pad };
}

/** About `count` round tick values (1, 2 or 5 × 10^k apart) inside [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min;
  if (!(span > 0) || count < 1) {
    return [min];
  }
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}
