/**
 * Step choice for range queries. Prometheus rejects a range query whose (end − start) / step exceeds 11,000
 * ("exceeded maximum resolution of 11,000 points per timeseries"), and a step that is not a round number makes
 * charts and recording-rule alignment awkward.
 */
import type { TimeRangeSeconds } from './types';

/** Prometheus' own limit on points per series in one range query. */
export const MAX_POINTS_PER_SERIES = 11_000;
/** Default floor: the most common scrape interval; a finer step only repeats samples. */
export const DEFAULT_MIN_STEP_SECONDS = 15;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Steps a person reads at a glance; beyond a day, whole days. */
const HUMAN_STEPS_SECONDS = [
  1,
  2,
  5,
  10,
  15,
  30,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
];

export interface StepOptions {
  /** Never go below this (the scrape interval); default 15 s. */
  minStepSeconds?: number;
  /** Points allowed per series; default 11,000. */
  maxPoints?: number;
}

/**
 * The minimum itself when it fits, else the smallest human step above the minimum that keeps every series of the
 * range within `maxPoints` points, counting both ends: floor((end − start) / step) + 1 ≤ maxPoints.
 */
export function chooseStepSeconds(range: TimeRangeSeconds, options: StepOptions = {}): number {
  const minStepSeconds = options.minStepSeconds ?? DEFAULT_MIN_STEP_SECONDS;
  const maxPoints = options.maxPoints ?? MAX_POINTS_PER_SERIES;
  const spanSeconds = range.endSeconds - range.startSeconds;
  if (!(minStepSeconds > 0) || !Number.isFinite(minStepSeconds)) {
    throw new RangeError(`The minimum step must be a positive number of seconds, got ${minStepSeconds}.`);
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`The point limit must be an integer of at least 2, got ${maxPoints}.`);
  }
  if (!Number.isFinite(spanSeconds) || spanSeconds < 0) {
    throw new RangeError(
      `The time range must end after it starts (start ${range.startSeconds}, end ${range.endSeconds}).`
    );
  }
  const fits = (stepSeconds: number) => Math.floor(spanSeconds / stepSeconds) + 1 <= maxPoints;
  if (fits(minStepSeconds)) {
    return minStepSeconds;
  }
  const human = HUMAN_STEPS_SECONDS.find((candidate) => candidate >= minStepSeconds && fits(candidate));
  if (human !== undefined) {
    return human;
  }
  // Whole days: floor(span / (k·day)) ≤ maxPoints − 1 holds exactly when k > span / (maxPoints·day).
  const days = Math.max(Math.floor(spanSeconds / (maxPoints * DAY)) + 1, Math.ceil(minStepSeconds / DAY));
  return days * DAY;
}

/** The smallest human step of at least `seconds`; beyond a day, whole days. */
export function humanStepAtLeast(seconds: number): number {
  return HUMAN_STEPS_SECONDS.find((candidate) => candidate >= seconds) ?? Math.ceil(seconds / DAY) * DAY;
}
