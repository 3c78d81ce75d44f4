/**
 * How far ahead a forecast may look. Two bounds, whichever is smaller:
 *
 * - the history: at most as many steps ahead as the history holds. The backtest that chooses the model and sizes
 *   the intervals tests at most half the history; beyond the history's own length nothing in it says how wrong a
 *   forecast gets, and a year planned from a week of data is a guess presented as a plan.
 * - absolutely, `MAX_HORIZON_STEPS` (a year of hourly steps) whatever the step and history: one forecast's arrays
 *   and time stay bounded, so one oversized request cannot exhaust the memory of a batch or a browser tab.
 */
import type { RawSeries } from '../series/regularise';

/** A year of hourly steps: the most steps one forecast computes. */
export const MAX_HORIZON_STEPS = 8760;

/** Why the history bounds the horizon, for messages in any layer. */
export const HISTORY_BOUND_REASON =
  'a forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot say how ' +
  'wrong it gets';
/** Why there is an absolute bound, for messages in any layer. */
export const ABSOLUTE_BOUND_REASON =
  'the most one forecast computes (a year of hourly steps), so that one request cannot take the time and memory of ' +
  'all the others';

export type HorizonLimit = 'history' | 'absolute';

/** A horizon beyond the bounds; the message says the limit and why, for a person. */
export class HorizonTooLongError extends RangeError {
  readonly name = 'HorizonTooLongError';
  constructor(
    readonly horizonSteps: number,
    /** The largest horizon allowed for this history, in steps. */
    readonly maxSteps: number,
    /** Which bound holds: the history's length or the absolute one. */
    readonly limit: HorizonLimit,
    message: string
  ) {
    super(message);
  }
}

/** The largest horizon, in steps, a history of `historySteps` steps allows. */
export function maxHorizonSteps(historySteps: number): number {
  return Math.max(0, Math.min(Math.floor(historySteps), MAX_HORIZON_STEPS));
}

/** The error for a horizon beyond the bounds, or undefined when it is within them. */
export function horizonTooLong(
  horizonSteps: number,
  historySteps: number,
  stepSeconds: number
): HorizonTooLongError | undefined {
  const max = maxHorizonSteps(historySteps);
  if (!(horizonSteps > max)) {
    return undefined;
  }
  const steps = (count: number) => `${count.toLocaleString('en-US')} steps (${duration(count * stepSeconds)})`;
  const asked = `the horizon of ${steps(horizonSteps)}`;
  if (max < MAX_HORIZON_STEPS) {
    return new HorizonTooLongError(
      horizonSteps,
      max,
      'history',
      `${asked} is longer than the history of ${steps(max)}: ${HISTORY_BOUND_REASON}. Ask for at most ${max} ` +
        'steps, or give more history.'
    );
  }
  return new HorizonTooLongError(
    horizonSteps,
    max,
    'absolute',
    `${asked} is more than ${steps(MAX_HORIZON_STEPS)}, ${ABSOLUTE_BOUND_REASON}. Ask for at most ` +
      `${MAX_HORIZON_STEPS} steps.`
  );
}

/** Throws HorizonTooLongError for a horizon beyond the bounds. */
export function checkHorizon(horizonSteps: number, historySteps: number, stepSeconds: number): void {
  const error = horizonTooLong(horizonSteps, historySteps, stepSeconds);
  if (error) {
    throw error;
  }
}

/**
 * The history's length in steps as the forecast sees it: the grid from the bucket of the first finite value to the
 * bucket of the last timestamp (trailing missing values still count: the forecast starts after them). 0 without a
 * finite value.
 */
export function historySteps(raw: RawSeries, stepSeconds: number): number {
  let first = Infinity;
  let last = -Infinity;
  raw.timestampsSeconds.forEach((t, i) => {
    if (!Number.isFinite(t)) {
      return;
    }
    last = Math.max(last, t);
    const v = raw.values[i];
    if (v !== null && Number.isFinite(v)) {
      first = Math.min(first, t);
    }
  });
  if (!Number.isFinite(first)) {
    return 0;
  }
  return Math.floor(last / stepSeconds) - Math.floor(first / stepSeconds) + 1;
}

/** Seconds as a person reads a horizon: `45 min`, `36 h`, `7 days`, `2.5 days`, `41,666,666.7 days`. */
export function duration(seconds: number): string {
  const round = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (seconds < 3600) {
    return `${round(seconds / 60)} min`;
  }
  if (seconds < 2 * 86400) {
    return `${round(seconds / 3600)} h`;
  }
  return `${round(seconds / 86400)} days`;
}
