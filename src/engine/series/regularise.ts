import { insufficientHistory } from './errors';

export type Aggregation = 'mean' | 'last' | 'sum';

export interface RawSeries {
  timestampsSeconds: readonly number[];
  /** `null` is a missing sample. */
  values: ReadonlyArray<number | null>;
}

export interface RegularSeries {
  /** Timestamp of the first bucket, a multiple of stepSeconds so that buckets line up with hours and days. */
  startSeconds: number;
  stepSeconds: number;
  /** One value per bucket; NaN marks a gap longer than the bridging limit. */
  values: number[];
  /** True where the value was bridged (linearly) rather than observed. */
  bridged: boolean[];
  /** Samples that were NaN or ±Infinity and therefore ignored. */
  droppedNonFiniteCount: number;
}

export interface RegulariseOptions {
  stepSeconds: number;
  aggregation: Aggregation;
  /** Gaps of at most this many buckets are bridged linearly; longer ones stay NaN. */
  maxBridgeSteps: number;
  /** Fewer observed buckets than this is an InsufficientHistoryError. */
  minObservedSteps?: number;
}

/**
 * The most buckets one regular series may hold (about 23 months of minutes): enough for any history Headroom reads
 * (Prometheus answers at most 11,000 points per series), small enough that a batch task with timestamps years
 * apart on a one-second step is refused instead of exhausting the memory.
 */
export const MAX_GRID_STEPS = 1_000_000;

/**
 * Puts a series with arbitrary, possibly irregular or unsorted timestamps onto a fixed grid:
 * bucket k covers [startSeconds + k·step, startSeconds + (k+1)·step).
 */
export function regularise(raw: RawSeries, options: RegulariseOptions): RegularSeries {
  const { stepSeconds, aggregation, maxBridgeSteps } = options;
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) {
    throw new RangeError(`stepSeconds must be a positive number, got ${stepSeconds}`);
  }
  if (raw.timestampsSeconds.length !== raw.values.length) {
    throw new RangeError(
      `timestamps and values differ in length (${raw.timestampsSeconds.length} vs ${raw.values.length})`
    );
  }
  let droppedNonFiniteCount = 0;
  // The grid runs to the last timestamp even if its value is missing, so a forecast starts after it.
  let lastSeconds = Number.NEGATIVE_INFINITY;
  const samples: Array<[number, number]> = [];
  for (let i = 0; i < raw.values.length; i++) {
    const t = raw.timestampsSeconds[i];
    const v = raw.values[i];
    if (!Number.isFinite(t)) {
      continue;
    }
    lastSeconds = Math.max(lastSeconds, t);
    if (v === null) {
      continue;
    }
    if (!Number.isFinite(v)) {
      droppedNonFiniteCount++;
      continue;
    }
    samples.push([t, v]);
  }
  const minObserved = Math.max(1, options.minObservedSteps ?? 1);
  if (samples.length === 0) {
    throw insufficientHistory({ reason: 'no-finite-values' }, 0, minObserved);
  }
  // Stable sort keeps arrival order among equal timestamps, which 'last' relies on.
  samples.sort((a, b) => a[0] - b[0]);
  const startSeconds = Math.floor(samples[0][0] / stepSeconds) * stepSeconds;
  const bucketCount = Math.floor((lastSeconds - startSeconds) / stepSeconds) + 1;
  if (bucketCount > MAX_GRID_STEPS) {
    // Checked before allocating: timestamps far apart on a fine step would otherwise take all the memory.
    throw new RangeError(
      `the timestamps span ${bucketCount.toLocaleString('en-US')} steps of ${stepSeconds} s, more than the ` +
        `${MAX_GRID_STEPS.toLocaleString('en-US')} one series may hold: use a longer step or a shorter range`
    );
  }
  const sums = new Array<number>(bucketCount).fill(0);
  const counts = new Array<number>(bucketCount).fill(0);
  const lasts = new Array<number>(bucketCount).fill(NaN);
  for (const [t, v] of samples) {
    const k = Math.floor((t - startSeconds) / stepSeconds);
    sums[k] += v;
    counts[k]++;
    lasts[k] = v;
  }
  const values = sums.map((sum, k) => {
    if (counts[k] === 0) {
      return NaN;
    }
    return aggregation === 'mean' ? sum / counts[k] : aggregation === 'sum' ? sum : lasts[k];
  });
  const observed = counts.filter((c) => c > 0).length;
  if (observed < minObserved) {
    throw insufficientHistory({ reason: 'too-few-buckets' }, observed, minObserved);
  }
  const bridged = bridgeShortGaps(values, maxBridgeSteps);
  return { startSeconds, stepSeconds, values, bridged, droppedNonFiniteCount };
}

/** Fills interior NaN runs of at most maxSteps by linear interpolation, in place; returns the filled mask. */
export function bridgeShortGaps(values: number[], maxSteps: number): boolean[] {
  const bridged = new Array<boolean>(values.length).fill(false);
  let k = 0;
  while (k < values.length) {
    if (!Number.isNaN(values[k])) {
      k++;
      continue;
    }
    const gapStart = k;
    while (k < values.length && Number.isNaN(values[k])) {
      k++;
    }
    const gapLength = k - gapStart;
    const interior = gapStart > 0 && k < values.length;
    if (interior && gapLength <= maxSteps) {
      const before = values[gapStart - 1];
      const after = values[k];
      for (let j = gapStart; j < k; j++) {
        values[j] = before + ((after - before) * (j - gapStart + 1)) / (gapLength + 1);
        bridged[j] = true;
      }
    }
  }
  return bridged;
}
