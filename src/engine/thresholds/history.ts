import { DAY_SECONDS, WEEK_SECONDS } from './slots';

/**
 * The least history a rule is calibrated from: two days of values (one to learn the daily rhythm from, one to check
 * it against; `finestSeasonMode` needs two for the hour of day) and 48 samples (one an hour). Below it the CLI
 * (`rules export`, `recalibrate`) and the Alerts page refuse to write a rule, and `thresholds --alerts` warns.
 */
export const MIN_HISTORY_SECONDS = 2 * DAY_SECONDS;
export const MIN_HISTORY_SAMPLES = 48;
/** Below a week of values a band has not seen a weekend: it is written, with a warning. */
export const FULL_WEEK_SECONDS = WEEK_SECONDS;

export interface HistoryCheck {
  /** Finite samples strictly before the calibration time. */
  samples: number;
  /** From the first to the last of them, plus one step (the time they cover). */
  spanSeconds: number;
  /** Why a rule must not be calibrated from this history; absent when it may. */
  refusal?: string;
  /** What a person should know about a rule calibrated from it. */
  warnings: string[];
}

const describeSpan = (seconds: number) =>
  seconds >= 2 * DAY_SECONDS ? `${(seconds / DAY_SECONDS).toFixed(1)} days` : `${(seconds / 3600).toFixed(1)} h`;

/**
 * Whether the samples before `calibratedAtSeconds` (within `maxTrainingSeconds`) are enough to learn a band from.
 * `stepSeconds` is the series' step (the time one sample stands for).
 */
export function checkHistory(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  calibratedAtSeconds: number,
  stepSeconds: number,
  maxTrainingSeconds = 4 * WEEK_SECONDS
): HistoryCheck {
  let samples = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < timestampsSeconds.length; i++) {
    const t = timestampsSeconds[i];
    const v = values[i];
    if (t < calibratedAtSeconds && t >= calibratedAtSeconds - maxTrainingSeconds && v !== null && Number.isFinite(v)) {
      samples++;
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
  }
  const spanSeconds = samples > 0 ? last - first + (Number.isFinite(stepSeconds) ? stepSeconds : 0) : 0;
  const held = `${samples} sample${samples === 1 ? '' : 's'} with values covering ${describeSpan(spanSeconds)}`;
  if (spanSeconds < MIN_HISTORY_SECONDS || samples < MIN_HISTORY_SAMPLES) {
    return {
      samples,
      spanSeconds,
      refusal:
        `the history before the calibration holds ${held}; a band needs at least ${MIN_HISTORY_SECONDS / DAY_SECONDS} ` +
        `days and ${MIN_HISTORY_SAMPLES} samples (one day to learn the daily rhythm from, one to check it). ` +
        'Give a longer history (4 weeks learns the weekly rhythm).',
      warnings: [],
    };
  }
  const warnings =
    spanSeconds < FULL_WEEK_SECONDS
      ? [
          `the band is learnt from ${describeSpan(spanSeconds)} of history: it has not seen a whole week (weekends may ` +
            'alert); it learns the hour of the week from 2 weeks of history.',
        ]
      : [];
  return { samples, spanSeconds, warnings };
}
