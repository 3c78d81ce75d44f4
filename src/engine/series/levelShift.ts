import { median } from './median';

export interface LevelShiftOptions {
  /** Length of the two compared windows; one season (a day of steps) keeps the rhythm out of the medians. */
  windowSteps: number;
  /** A shift is a median difference above this many robust standard deviations of the noise. */
  threshold: number;
}

export interface LevelShift {
  /** First step of the new level. */
  index: number;
  /** Median after minus median before. */
  change: number;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The most recent level shift, by a two-window median test: at each step t the median of the
 * `windowSteps` values from t on is compared with that of the `windowSteps` before t. The noise
 * scale is 1.4826 × the median absolute difference between values one window apart (robust to the
 * shift itself, which affects only a few of those differences), divided by √2 as each difference
 * holds two values' noise. Among the steps whose difference exceeds the threshold, the latest run
 * is located at the middle of the plateau of its largest difference, where the two windows straddle
 * the shift.
 */
export function detectLevelShift(values: readonly number[], options: LevelShiftOptions): LevelShift | undefined {
  const w = options.windowSteps;
  const n = values.length;
  if (w < 1 || n < 2 * w) {
    return undefined;
  }
  const lagged: number[] = [];
  for (let t = w; t < n; t++) {
    lagged.push(Math.abs(values[t] - values[t - w]));
  }
  // Counts that mostly repeat (GPUs in use) have a zero median difference: then the mean absolute
  // difference (× 1.2533, its normal-consistent factor) stands in. A noise-free series still needs
  // a floor, or rounding error in a median would count as a shift.
  const typicalDifference = median(lagged) > 0 ? 1.4826 * median(lagged) : 1.2533 * mean(lagged);
  const roundingFloor = 1e-9 * Math.max(1, median(values.map(Math.abs)));
  const noise = Math.max(typicalDifference / Math.SQRT2, roundingFloor);
  const change = (t: number) => median(values.slice(t, t + w)) - median(values.slice(t - w, t));
  let last: number | undefined;
  for (let t = n - w; t >= w; t--) {
    if (Math.abs(change(t)) > options.threshold * noise) {
      last = t;
      break;
    }
  }
  if (last === undefined) {
    return undefined;
  }
  let best = last;
  for (let t = Math.max(w, last - w); t <= last; t++) {
    if (Math.abs(change(t)) > Math.abs(change(best))) {
      best = t;
    }
  }
  // Medians of a clean step plateau for about a window around it: take the plateau's middle.
  const onPlateau = (t: number) => t >= w && t <= n - w && Math.abs(change(t)) >= Math.abs(change(best)) - noise;
  let from = best;
  let to = best;
  while (onPlateau(from - 1)) {
    from--;
  }
  while (onPlateau(to + 1)) {
    to++;
  }
  best = Math.round((from + to) / 2);
  return { index: best, change: change(best) };
}
