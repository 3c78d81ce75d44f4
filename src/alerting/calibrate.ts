/**
 * Calibrates the deployed rule (DEFAULT_ALERT_RULE) for one series at one time, from the history
 * strictly before it: the band, the `for` / `keep_firing_for` durations in the series' step, and how
 * often the rule would have started firing over that history.
 */
import {
  AlertRuleConfig,
  Band,
  bandLearner,
  checkHistory,
  DEFAULT_ALERT_RULE,
  deployedRuleStartsPerWeek,
  medianStepSeconds,
  ValueRange,
} from '../engine/thresholds';
import { alertTiming } from '../engine/thresholds/deployedRule';
import { firstAtLeast } from '../engine/thresholds/robust';
import { DAY_SECONDS } from '../engine/thresholds/slots';
import type { Calibration, RuleTiming } from './grafanaRule';

export class CalibrationError extends Error {}

/**
 * The samples in [fromSeconds, toSeconds), by time; ties keep their order. Timestamps in order (Prometheus'
 * answer) take one slice found by bisection, none when the window holds them all (as the CLI fetches it).
 */
function windowByTime(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  fromSeconds: number,
  toSeconds: number
): { times: readonly number[]; values: ReadonlyArray<number | null> } {
  let sorted = true;
  for (let i = 1; i < timestampsSeconds.length && sorted; i++) {
    sorted = timestampsSeconds[i] >= timestampsSeconds[i - 1]; // false for NaN
  }
  if (sorted) {
    const first = firstAtLeast(timestampsSeconds, fromSeconds, 0, timestampsSeconds.length);
    const end = Math.max(first, firstAtLeast(timestampsSeconds, toSeconds, first, timestampsSeconds.length));
    if (first === 0 && end === timestampsSeconds.length && values.length === end) {
      return { times: timestampsSeconds, values };
    }
    return { times: timestampsSeconds.slice(first, end), values: values.slice(first, end) };
  }
  const inWindow: number[] = [];
  for (let i = 0; i < timestampsSeconds.length; i++) {
    const t = timestampsSeconds[i];
    if (t < toSeconds && t >= fromSeconds) {
      inWindow.push(i);
    }
  }
  inWindow.sort((a, b) => timestampsSeconds[a] - timestampsSeconds[b] || a - b);
  return { times: inWindow.map((i) => timestampsSeconds[i]), values: inWindow.map((i) => values[i]) };
}

/**
 * A side whose every threshold is an end of the metric's range cannot fire, and training values outside the range
 * mean the range is wrong: a person should know.
 */
function clampWarnings(band: Band, range: ValueRange | undefined, values: ReadonlyArray<number | null>): string[] {
  const warnings: string[] = [];
  const outside = values.filter(
    (v) => v !== null && ((range?.min !== undefined && v < range.min) || (range?.max !== undefined && v > range.max))
  ).length;
  if (outside > 0) {
    warnings.push(
      `${outside} of the history's values lie outside the metric's range [${range?.min ?? '-Inf'}, ` +
        `${range?.max ?? '+Inf'}]: check the range; the thresholds are clamped into it.`
    );
  }
  if (range?.max !== undefined && band.upper?.every((u) => u >= range.max!)) {
    warnings.push(
      `the upper edge is at the metric's maximum (${range.max}) at every hour: the upper side cannot fire.`
    );
  }
  if (range?.min !== undefined && band.lower?.every((l) => l <= range.min!)) {
    warnings.push(
      `the lower edge is at the metric's minimum (${range.min}) at every hour: the lower side cannot fire.`
    );
  }
  return warnings;
}

/**
 * Calibrates the rule at `calibratedAtSeconds`. Throws CalibrationError when the history is shorter than the
 * minimum (`checkHistory`); `warnings` say what a person should know about the rule (a short history, a side that
 * cannot fire).
 */
export function calibrateSeries(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  calibratedAtSeconds: number,
  config: AlertRuleConfig = DEFAULT_ALERT_RULE
): { calibration: Calibration; timing: RuleTiming; warnings: string[] } {
  const { times, values: trainingValues } = windowByTime(
    timestampsSeconds,
    values,
    calibratedAtSeconds - config.band.maxTrainingSeconds,
    calibratedAtSeconds
  );
  const stepSeconds = medianStepSeconds(times);
  const history = checkHistory(times, trainingValues, calibratedAtSeconds, stepSeconds, config.band.maxTrainingSeconds);
  if (history.refusal) {
    throw new CalibrationError(history.refusal);
  }
  const learner = bandLearner(times, trainingValues, config.band);
  // The first day is warm-up, as when the product starts watching a new series; the rest is replayed, and the
  // learner that replayed it goes on to the calibration time, merging only the samples since the last midnight.
  let warmupRows = 0;
  while (warmupRows < times.length && times[warmupRows] < times[0] + DAY_SECONDS) {
    warmupRows++;
  }
  const startsPerWeek =
    stepSeconds > 0
      ? deployedRuleStartsPerWeek(times, trainingValues, warmupRows, config, learner, stepSeconds)
      : undefined;
  const band = learner(calibratedAtSeconds);
  if (!band || startsPerWeek === undefined) {
    throw new CalibrationError('there are fewer than two samples before the calibration time to learn a band from');
  }
  return {
    calibration: {
      band,
      method: config.band.method,
      trainingStartSeconds: times[0],
      trainingEndSeconds: times[times.length - 1],
      expectedStartsPerWeek: startsPerWeek,
      stepSeconds,
      ...(config.band.valueRange ? { valueRange: config.band.valueRange } : {}),
    },
    timing: alertTiming(config, stepSeconds),
    warnings: [...history.warnings, ...clampWarnings(band, config.band.valueRange, trainingValues)],
  };
}
