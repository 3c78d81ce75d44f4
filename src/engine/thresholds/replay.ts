import { Band, bandLearner, BandOptions, BandThresholds } from './band';
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
 * Replays the adaptive band as deployed: each row is judged by the latest calibration at or before it. `learner`
 * (a `bandLearner` of the same series and options) can be passed to go on learning after the replay.
 */
export function adaptiveThresholds(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  options: BandOptions & RecalibrationOptions,
  learner = bandLearner(timestampsSeconds, values, options)
): RowThresholds & { bands: Band[] } {
  const n = timestampsSeconds.length;
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  const bands: Band[] = [];
  const thresholdsAt = (calibratedAtSeconds: number) => {
    const thresholds = learner.thresholdsAt(calibratedAtSeconds);
    if (thresholds) {
      bands.push(thresholds.band());
    }
    return thresholds;
  };
  forEachDeployedRow(timestampsSeconds, options, thresholdsAt, (i, rowUpper, rowLower) => {
    upper[i] = rowUpper;
    lower[i] = rowLower;
  });
  return { upper, lower, bands };
}

/**
 * Walks the rows after the warm-up that have a deployed band, calling `judge` with each row's thresholds (±Infinity
 * for an unwatched side). `thresholdsAt`: the band's thresholds at a calibration time, as `BandLearner`'s. Rows must
 * be in time order.
 */
export function forEachDeployedRow(
  timestampsSeconds: readonly number[],
  options: RecalibrationOptions,
  thresholdsAt: (calibratedAtSeconds: number) => BandThresholds | undefined,
  judge: (row: number, upper: number, lower: number) => void
): void {
  const n = timestampsSeconds.length;
  const times = calibrationTimes(timestampsSeconds, options);
  let next = 0;
  let thresholds: BandThresholds | undefined;
  let slotAt = slotLookup('flat');
  // The thresholds of the slot the last row was in: rows come an hour's worth at a time.
  let slot = -1;
  let upper = NaN;
  let lower = NaN;
  for (let i = options.warmupRows; i < n; i++) {
    while (next < times.length && times[next] <= timestampsSeconds[i]) {
      const learnt = thresholdsAt(times[next]);
      if (learnt) {
        thresholds = learnt;
        slotAt = slotLookup(learnt.mode);
        slot = -1;
      }
      next++;
    }
    if (thresholds) {
      const rowSlot = slotAt(timestampsSeconds[i]);
      if (rowSlot !== slot) {
        slot = rowSlot;
        upper = thresholds.upperAt(slot);
        lower = thresholds.lowerAt(slot);
      }
      judge(i, upper, lower);
    }
  }
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
 * The alert's state as Prometheus evaluates it, one row at a time: the condition (value above the upper or below
 * the lower threshold) makes it pending, it fires once the condition has held for `forSeconds`, and resolves once
 * the condition has been clear for `keepFiringForSeconds`. A row without a value or without a deployed threshold
 * (NaN) leaves the state unchanged.
 */
export class AlertStateMachine {
  firing = false;
  private pending = false;
  private activeSinceSeconds = 0;
  private lastBreachSeconds = 0;

  constructor(private readonly timing: AlertTiming) {}

  /** Evaluates one row: 'start' when the alert starts firing at it, 'end' when it stops, else undefined. */
  step(timeSeconds: number, value: number | null, upper: number, lower: number): 'start' | 'end' | undefined {
    if (value === null || !Number.isFinite(value) || Number.isNaN(upper) || Number.isNaN(lower)) {
      return undefined;
    }
    if (value > upper || value < lower) {
      this.lastBreachSeconds = timeSeconds;
      if (!this.firing && !this.pending) {
        this.pending = true;
        this.activeSinceSeconds = timeSeconds;
      }
      if (this.pending && timeSeconds - this.activeSinceSeconds >= this.timing.forSeconds) {
        this.pending = false;
        this.firing = true;
        return 'start';
      }
    } else if (this.pending) {
      this.pending = false;
    } else if (this.firing && timeSeconds - this.lastBreachSeconds >= this.timing.keepFiringForSeconds) {
      this.firing = false;
      return 'end';
    }
    return undefined;
  }
}

/** Evaluates the alert at every row like Prometheus does (`AlertStateMachine`). */
export function alertEpisodes(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  thresholds: RowThresholds,
  timing: AlertTiming
): AlertEpisodes {
  const startsSeconds: number[] = [];
  const endsSeconds: number[] = [];
  const firing = new Array<boolean>(timestampsSeconds.length).fill(false);
  const alert = new AlertStateMachine(timing);
  for (let i = 0; i < timestampsSeconds.length; i++) {
    const t = timestampsSeconds[i];
    const change = alert.step(t, values[i], thresholds.upper[i], thresholds.lower[i]);
    if (change === 'start') {
      startsSeconds.push(t);
    } else if (change === 'end') {
      endsSeconds.push(t);
    }
    firing[i] = alert.firing;
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
  const judgedSeconds = judgedSpanSeconds(timestampsSeconds, warmupRows);
  return {
    ...episodes,
    startsPerWeek: perWeek(episodes.startsSeconds.length, judgedSeconds),
    timeInAlertSeconds,
    timeInAlertFraction: judgedSeconds > 0 ? timeInAlertSeconds / judgedSeconds : 0,
  };
}

/** The span judged after the warm-up: from its first row to the last. */
export function judgedSpanSeconds(timestampsSeconds: readonly number[], warmupRows: number): number {
  const n = timestampsSeconds.length;
  return warmupRows < n ? timestampsSeconds[n - 1] - timestampsSeconds[warmupRows] : 0;
}

/** A count over a judged span as a weekly rate; 0 for an empty span. */
export function perWeek(count: number, judgedSeconds: number): number {
  return judgedSeconds > 0 ? (count * WEEK_SECONDS) / judgedSeconds : 0;
}
