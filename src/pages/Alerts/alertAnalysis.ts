/**
 * What the Alerts page computes from one series' history, free of React and Grafana so it runs in Node tests and
 * the benchmark: the adaptive band replayed as deployed (recalibrated daily from past data only), its alert
 * starts, and the same backtest for a static threshold and a grafana/promql-anomaly-detection-style band; plus the
 * calibration the rule written now would carry.
 */
import { calibrateSeries } from '../../alerting/calibrate';
import { ruleConfig, type Sensitivity } from '../../alerting/sensitivity';
import type { Calibration, RuleTiming } from '../../alerting/grafanaRule';
import {
  adaptiveThresholds,
  backtest,
  bandCoverage,
  checkHistory,
  grafanaStyleThresholds,
  staticThresholds,
  type AlertRuleConfig,
  type BacktestSummary,
  type BandDirection,
  type RowThresholds,
  type ValueRange,
} from '../../engine/thresholds';
import { DAY_SECONDS } from '../../engine/thresholds/slots';

export { ALERT_STEP_SECONDS, DEFAULT_SENSITIVITY, ruleConfig, type Sensitivity } from '../../alerting/sensitivity';

/** Static baseline: the 1 % and 99 % quantiles of the warm-up, as in bench/alerts.ts. */
export const STATIC_QUANTILE = 0.99;

export class TooLittleHistoryError extends Error {}

export interface MethodBacktest {
  method: 'adaptive' | 'static' | 'grafana-style';
  label: string;
  alertStarts: number;
  startsPerWeek: number;
  timeInAlertSeconds: number;
  timeInAlertFraction: number;
  /** Share of the judged samples inside the method's band (NaN when none was judged): its backtest coverage. */
  coverage: number;
}

export interface SeriesAnalysis {
  stepSeconds: number;
  /** Leading rows only learnt from (the first day), as when Headroom starts watching a new series. */
  warmupRows: number;
  /** Per-row thresholds of the adaptive band as it was deployed at each time; NaN during the warm-up. */
  thresholds: RowThresholds;
  adaptive: BacktestSummary;
  backtests: MethodBacktest[];
  /** The band learnt from the whole history, for the rule written now. */
  calibration: Calibration;
  timing: RuleTiming;
  config: AlertRuleConfig;
  /** What a person should know about the rule written now: a short history, a side that cannot fire. */
  warnings: string[];
}

/** Hides the side a person does not alert on, so the baselines are compared on the same sides. */
function onlySides(thresholds: RowThresholds, direction: BandDirection): RowThresholds {
  const keep = (side: 'upper' | 'lower', fill: number) =>
    direction === 'both' || direction === side
      ? thresholds[side]
      : thresholds[side].map((v) => (Number.isNaN(v) ? v : fill));
  return { upper: keep('upper', Infinity), lower: keep('lower', -Infinity) };
}

/**
 * Replays the rule over the history (sorted by time, one row per step), its thresholds clamped into `valueRange`
 * when the metric's range is known. Throws TooLittleHistoryError below the history `rules export` and `recalibrate`
 * refuse too (`checkHistory`: 2 days and 48 samples with values: the first day to learn from, the rest to judge).
 */
export function analyseSeries(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  sensitivity: Sensitivity,
  stepSeconds: number,
  valueRange?: ValueRange
): SeriesAnalysis {
  const calibratedAtSeconds = timestampsSeconds[timestampsSeconds.length - 1] + stepSeconds;
  const chosen = ruleConfig(sensitivity, stepSeconds);
  const config = valueRange ? { ...chosen, band: { ...chosen.band, valueRange } } : chosen;
  const history = checkHistory(timestampsSeconds, values, calibratedAtSeconds, stepSeconds, Number.POSITIVE_INFINITY);
  if (history.refusal) {
    throw new TooLittleHistoryError(
      `${history.refusal.charAt(0).toUpperCase()}${history.refusal.slice(1).replace(/Give a longer history.*$/, '')}` +
        'Widen the time range (4 weeks learns the weekly rhythm).'
    );
  }
  const warmupRows = timestampsSeconds.filter((t) => t < timestampsSeconds[0] + DAY_SECONDS).length;
  const timing: RuleTiming = {
    forSeconds: config.forSteps * stepSeconds,
    keepFiringForSeconds: config.keepFiringForSteps * stepSeconds,
  };
  const adaptive = adaptiveThresholds(timestampsSeconds, values, {
    ...config.band,
    warmupRows,
    recalibrationSeconds: config.recalibrationSeconds,
  });
  const judge = (thresholds: RowThresholds) => backtest(timestampsSeconds, values, thresholds, timing, warmupRows);
  const adaptiveSummary = judge(adaptive);
  const row = (method: MethodBacktest['method'], label: string, thresholds: RowThresholds): MethodBacktest => {
    const summary = method === 'adaptive' ? adaptiveSummary : judge(thresholds);
    return {
      method,
      label,
      alertStarts: summary.startsSeconds.length,
      startsPerWeek: summary.startsPerWeek,
      timeInAlertSeconds: summary.timeInAlertSeconds,
      timeInAlertFraction: summary.timeInAlertFraction,
      coverage: bandCoverage(values, thresholds, warmupRows),
    };
  };
  const direction = sensitivity.direction;
  const { calibration, warnings } = calibrateSeries(timestampsSeconds, values, calibratedAtSeconds, config);
  return {
    stepSeconds,
    warmupRows,
    thresholds: { upper: adaptive.upper, lower: adaptive.lower },
    adaptive: adaptiveSummary,
    backtests: [
      row('adaptive', 'Headroom adaptive band', adaptive),
      row(
        'static',
        `Static threshold (warm-up q${STATIC_QUANTILE * 100})`,
        onlySides(staticThresholds(values, warmupRows, STATIC_QUANTILE), direction)
      ),
      row(
        'grafana-style',
        'Mean ± 2σ, 1-day and 1-week bands',
        onlySides(grafanaStyleThresholds(timestampsSeconds, values, warmupRows), direction)
      ),
    ],
    calibration,
    timing,
    config,
    warnings,
  };
}
