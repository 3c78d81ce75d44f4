/**
 * Calibrates the deployed rule (DEFAULT_ALERT_RULE) for one series at one time, from the history
 * strictly before it: the band, the `for` / `keep_firing_for` durations in the series' step, and how
 * often the rule would have started firing over that history.
 */
import {
  AlertRuleConfig,
  DEFAULT_ALERT_RULE,
  learnBand,
  medianStepSeconds,
  replayDeployedRule,
} from '../engine/thresholds';
import { DAY_SECONDS } from '../engine/thresholds/slots';
import type { Calibration, RuleTiming } from './grafanaRule';

export class CalibrationError extends Error {}

export function calibrateSeries(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  calibratedAtSeconds: number,
  config: AlertRuleConfig = DEFAULT_ALERT_RULE
): { calibration: Calibration; timing: RuleTiming } {
  const training = timestampsSeconds
    .map((t, i) => ({ t, v: values[i] }))
    .filter(({ t }) => t < calibratedAtSeconds && t >= calibratedAtSeconds - config.band.maxTrainingSeconds)
    .sort((a, b) => a.t - b.t);
  const times = training.map(({ t }) => t);
  const band = learnBand(
    times,
    training.map(({ v }) => v),
    calibratedAtSeconds,
    config.band
  );
  const stepSeconds = medianStepSeconds(times);
  if (!band || stepSeconds <= 0) {
    throw new CalibrationError('there are fewer than two samples before the calibration time to learn a band from');
  }
  // The first day is warm-up, as when the product starts watching a new series; the rest is replayed.
  const warmupRows = times.filter((t) => t < times[0] + DAY_SECONDS).length;
  const replay = replayDeployedRule(
    times,
    training.map(({ v }) => v),
    warmupRows,
    config
  );
  return {
    calibration: {
      band,
      method: config.band.method,
      trainingStartSeconds: times[0],
      trainingEndSeconds: times[times.length - 1],
      expectedStartsPerWeek: replay.startsPerWeek,
      stepSeconds,
    },
    timing: {
      forSeconds: config.forSteps * stepSeconds,
      keepFiringForSeconds: config.keepFiringForSteps * stepSeconds,
    },
  };
}
