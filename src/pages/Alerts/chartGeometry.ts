/**
 * Pure data of the band chart: the series uPlot draws and the value range, so the component only wires them.
 */
import type { RowThresholds } from '../../engine/thresholds';

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

export interface BandSeries {
  timesMs: number[];
  /** The watched series; null where it has no finite value. */
  values: Array<number | null>;
  /** The band's edges where they exist (a side not watched, or the warm-up, has none): drawn as lines. */
  upperEdge: Array<number | null>;
  lowerEdge: Array<number | null>;
  /**
   * The band's area, filled between these two: both edges where both exist; with one side watched, from that edge to
   * the plot's border. Null where neither side is watched.
   */
  fillTop: Array<number | null>;
  fillBottom: Array<number | null>;
  range: { min: number; max: number };
}

const finiteOrNull = (v: number | null | undefined) => (v !== null && v !== undefined && Number.isFinite(v) ? v : null);

/** The watched series and its band as deployed at each row, on the rows' times. */
export function bandSeries(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  thresholds: RowThresholds
): BandSeries {
  const range = valueRange(values, thresholds.upper, thresholds.lower);
  const upperEdge = thresholds.upper.map(finiteOrNull);
  const lowerEdge = thresholds.lower.map(finiteOrNull);
  const banded = (i: number) => upperEdge[i] !== null || lowerEdge[i] !== null;
  return {
    timesMs: timestampsSeconds.map((t) => t * 1000),
    values: values.map(finiteOrNull),
    upperEdge,
    lowerEdge,
    fillTop: upperEdge.map((v, i) => (banded(i) ? Math.min(v ?? range.max, range.max) : null)),
    fillBottom: lowerEdge.map((v, i) => (banded(i) ? Math.max(v ?? range.min, range.min) : null)),
    range,
  };
}

/**
 * The part of the chart's rows a zoom selection covers, clamped to them; undefined when it covers none. Used for the
 * chart's own zoom: the page's time range is the history the band is learnt from, so zooming the range would relearn
 * the band instead of showing it closer.
 */
export function clampedWindow(
  selection: { from: number; to: number },
  timesMs: readonly number[]
): { from: number; to: number } | undefined {
  const first = timesMs[0];
  const last = timesMs[timesMs.length - 1];
  const from = Math.max(first, selection.from);
  const to = Math.min(last, selection.to);
  return to > from ? { from, to } : undefined;
}
