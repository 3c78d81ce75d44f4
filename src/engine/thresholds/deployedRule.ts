import { Band, BandLearner, bandLearner, BandOptions } from './band';
import {
  adaptiveThresholds,
  AlertStateMachine,
  AlertTiming,
  backtest,
  BacktestSummary,
  forEachDeployedRow,
  judgedSpanSeconds,
  perWeek,
} from './replay';
import { kthSmallest } from './robust';
import { DAY_SECONDS, WEEK_SECONDS } from './slots';

/** Everything that defines the alert rule the product deploys for one series. */
export interface AlertRuleConfig {
  band: BandOptions;
  recalibrationSeconds: number;
  /** Prometheus `for`, in steps of the series. */
  forSteps: number;
  /** Prometheus `keep_firing_for`, in steps of the series. */
  keepFiringForSteps: number;
}

/** Chosen on bench/alerts.ts (NAB + Donut); see src/engine/thresholds/README.md for the comparison. */
export const DEFAULT_ALERT_RULE: AlertRuleConfig = {
  band: {
    method: 'median-mad',
    direction: 'both',
    width: 3,
    scaleQuantile: 0.9,
    minMarginFraction: 0.1,
    smoothingSlots: 1,
    floorQuantile: 0.98,
    seasonalGainRatio: 0.8,
    maxTrainingSeconds: 4 * WEEK_SECONDS,
    significantDigits: 5,
  },
  recalibrationSeconds: DAY_SECONDS,
  forSteps: 1,
  keepFiringForSteps: 36,
};

/** Median spacing of consecutive timestamps: the series' step, robust to a few gaps; 0 for < 2 rows. */
export function medianStepSeconds(timestampsSeconds: readonly number[]): number {
  const n = timestampsSeconds.length;
  if (n < 2) {
    return 0;
  }
  // A regular series has one gap in more than half the places: it then covers the middle of the sorted gaps, so it
  // is the median without a selection (Boyer–Moore majority vote, then a count).
  let candidate = 0;
  let votes = 0;
  for (let i = 1; i < n; i++) {
    const gap = timestampsSeconds[i] - timestampsSeconds[i - 1];
    if (votes === 0) {
      candidate = gap;
    }
    votes += gap === candidate ? 1 : -1;
  }
  let count = 0;
  for (let i = 1; i < n; i++) {
    count += timestampsSeconds[i] - timestampsSeconds[i - 1] === candidate ? 1 : 0;
  }
  if (2 * count > n - 1) {
    return candidate;
  }
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    gaps[i - 1] = timestampsSeconds[i] - timestampsSeconds[i - 1];
  }
  return kthSmallest(gaps, Math.floor(gaps.length / 2));
}

/**
 * Replays the deployed rule over a series (sorted by time): learns from the first `warmupRows`,
 * recalibrates on the configured cadence from past rows only, and reports the alert episodes. `learner` as in
 * `adaptiveThresholds`.
 */
export function replayDeployedRule(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  warmupRows: number,
  config: AlertRuleConfig = DEFAULT_ALERT_RULE,
  learner = bandLearner(timestampsSeconds, values, config.band)
): BacktestSummary & { bands: Band[] } {
  const thresholds = adaptiveThresholds(
    timestampsSeconds,
    values,
    { ...config.band, warmupRows, recalibrationSeconds: config.recalibrationSeconds },
    learner
  );
  const timing = alertTiming(config, medianStepSeconds(timestampsSeconds));
  return { ...backtest(timestampsSeconds, values, thresholds, timing, warmupRows), bands: thresholds.bands };
}

/**
 * `replayDeployedRule`'s alert starts per week, counted in one pass without per-row thresholds or episodes: what a
 * recalibration reports as the rule's expected starts.
 */
export function deployedRuleStartsPerWeek(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  warmupRows: number,
  config: AlertRuleConfig,
  learner: BandLearner,
  stepSeconds = medianStepSeconds(timestampsSeconds)
): number {
  const alert = new AlertStateMachine(alertTiming(config, stepSeconds));
  let starts = 0;
  const options = { warmupRows, recalibrationSeconds: config.recalibrationSeconds };
  forEachDeployedRow(timestampsSeconds, options, learner.thresholdsAt, (i, upper, lower) => {
    if (alert.step(timestampsSeconds[i], values[i], upper, lower) === 'start') {
      starts++;
    }
  });
  return perWeek(starts, judgedSpanSeconds(timestampsSeconds, warmupRows));
}

/** The rule's `for` and `keep_firing_for` in seconds, for a series at this step. */
export function alertTiming(config: AlertRuleConfig, stepSeconds: number): AlertTiming {
  return {
    forSeconds: config.forSteps * stepSeconds,
    keepFiringForSeconds: config.keepFiringForSteps * stepSeconds,
  };
}
