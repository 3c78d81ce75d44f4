import { Band, bandLearner, BandOptions } from './band';
import { slotLookup, WEEK_SECONDS } from './slots';

/** Per-row thresholds; NaN where no rule is deployed yet (warm-up), ±Infinity for an unwatched side. */
export interface RowThresholds {
  upper: number[];
  lower: number[];
}

export interface RecalibrationOptions {
  /** Leading rows that are only learnt from: the first rule is deployed at the row after them. */
  warmupRows: number;
  /** Recalibration cadence; calibrations fall on multiples of it in UTC (daily: at midnight). */
  recalibrationSeconds: number;
}

/**
 * When the product calibrates: once when the warm-up ends, then at every multiple of the cadence
 * up to the last row. Each calibration learns from the rows strictly before its time.
 */
export function calibrationTimes(timestampsSeconds: readonly number[], options: RecalibrationOptions): number[] {
  if (options.warmupRows >= timestampsSeconds.length) {
    return [];
  }
  const first = timestampsSeconds[options.warmupRows];
  const last = timestampsSeconds[timestampsSeconds.length - 1];
  const cadence = options.recalibrationSeconds;
  const times = [first];
  for (let t = (Math.floor(first / cadence) + 1) * cadence; t <= last; t += cadence) {
    times.push(t);
  }
  return times;
}

/**
 * Replays the adaptive band as deployed: each row is judged by the latest calibration at or before it. `learnAt`
 * (a `bandLearner` of the same series and options) can be passed to go on learning after the replay.
 */
export function adaptiveThresholds(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  options: BandOptions & RecalibrationOptions,
  learnAt = bandLearner(timestampsSeconds, values, options)
): RowThresholds & { bands: Band[] } {
  const n = timestampsSeconds.length;
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  const bands: Band[] = [];
  const times = calibrationTimes(timestampsSeconds, options);
  let next = 0;
  let band: Band | undefined;
  let slotAt = slotLookup('flat');
  for (let i = options.warmupRows; i < n; i++) {
    while (next < times.length && times[next] <= timestampsSeconds[i]) {
      const learnt = learnAt(times[next]);
      if (learnt) {
        band = learnt;
        bands.push(learnt);
        slotAt = slotLookup(learnt.mode);
      }
      next++;
    }
    if (band) {
      const slot = slotAt(timestampsSeconds[i]);
      upper[i] = band.upper ? band.upper[slot] : Number.POSITIVE_INFINITY;
      lower[i] = band.lower ? band.lower[slot] : Number.NEGATIVE_INFINITY;
    }
  }
  return { upper, lower, bands };
}

export interface AlertTiming {
  /** The condition must hold this long before the alert fires (Prometheus `for`). */
  forSeconds: number;
  /** The alert keeps firing this long after the condition clears (Prometheus `keep_firing_for`). */
  keepFiringForSeconds: number;
}

export interface AlertEpisodes {
  /** Times at which the alert starts firing. */
  startsSeconds: number[];
  /** Times at which it stops; a last episode still firing at the end of the data has none. */
  endsSeconds: number[];
  /** Whether the alert is firing at each row. */
  firing: boolean[];
}

/**
 * Evaluates the alert at every row like Prometheus does: the condition (value above the upper or
 * below the lower threshold) makes it pending, it fires once the condition has held for
 * `forSeconds`, and resolves once the condition has been clear for `keepFiringForSeconds`.
 * A row without a value or without a deployed threshold leaves the state unchanged.
 */
export function alertEpisodes(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  thresholds: RowThresholds,
  timing: AlertTiming
): AlertEpisodes {
  const startsSeconds: number[] = [];
  const endsSeconds: number[] = [];
  const firing = new Array<boolean>(timestampsSeconds.length).fill(false);
  let state: 'inactive' | 'pending' | 'firing' = 'inactive';
  let activeSinceSeconds = 0;
  let lastBreachSeconds = 0;
  for (let i = 0; i < timestampsSeconds.length; i++) {
    const t = timestampsSeconds[i];
    const v = values[i];
    const upper = thresholds.upper[i];
    const lower = thresholds.lower[i];
    if (v !== null && Number.isFinite(v) && !Number.isNaN(upper) && !Number.isNaN(lower)) {
      const breach = v > upper || v < lower;
      if (breach) {
        lastBreachSeconds = t;
        if (state === 'inactive') {
          state = 'pending';
          activeSinceSeconds = t;
        }
        if (state === 'pending' && t - activeSinceSeconds >= timing.forSeconds) {
          state = 'firing';
          startsSeconds.push(t);
        }
      } else if (state === 'pending') {
        state = 'inactive';
      } else if (state === 'firing' && t - lastBreachSeconds >= timing.keepFiringForSeconds) {
        state = 'inactive';
        endsSeconds.push(t);
      }
    }
    firing[i] = state === 'firing';
  }
  return { startsSeconds, endsSeconds, firing };
}

export interface BacktestSummary extends AlertEpisodes {
  startsPerWeek: number;
  timeInAlertSeconds: number;
  /** Share of the judged time (after the warm-up) spent firing. */
  timeInAlertFraction: number;
}

/** Alert starts per week and time in alert over the rows after the warm-up. */
export function backtest(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  thresholds: RowThresholds,
  timing: AlertTiming,
  warmupRows: number
): BacktestSummary {
  const episodes = alertEpisodes(timestampsSeconds, values, thresholds, timing);
  const n = timestampsSeconds.length;
  let timeInAlertSeconds = 0;
  for (let i = warmupRows; i + 1 < n; i++) {
    if (episodes.firing[i]) {
      timeInAlertSeconds += timestampsSeconds[i + 1] - timestampsSeconds[i];
    }
  }
  const judgedSeconds = warmupRows < n ? timestampsSeconds[n - 1] - timestampsSeconds[warmupRows] : 0;
  return {
    ...episodes,
    startsPerWeek: judgedSeconds > 0 ? (episodes.startsSeconds.length * WEEK_SECONDS) / judgedSeconds : 0,
    timeInAlertSeconds,
    timeInAlertFraction: judgedSeconds > 0 ? timeInAlertSeconds / judgedSeconds : 0,
  };
}
