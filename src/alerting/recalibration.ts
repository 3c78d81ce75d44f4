/**
 * What every recalibration of Headroom-managed rules shares, whoever runs it (`headroom recalibrate`, the backend's
 * scheduler): which series the rules watch, how their history is read through Grafana, and how a run's calibration
 * time and "already recalibrated" are decided, so that runs in several places agree on both.
 */
import { DEFAULT_ALERT_RULE, medianStepSeconds, type AlertRuleConfig } from '../engine/thresholds';
import { WEEK_SECONDS } from '../engine/thresholds/slots';
import { PrometheusError } from '../prometheus/errors';
import type { PrometheusClient, PrometheusTransport } from '../prometheus/types';
import { CalibrationError } from './calibrate';
import type { GrafanaTransport } from './grafanaClient';
import { ANNOTATIONS, type ProvisionedAlertRule, valueRangeOf } from './grafanaRule';
import { parseSensitivity, ruleConfig } from './sensitivity';

/** Prometheus requests through Grafana's data source proxy, authenticated like every Grafana request. */
export function proxiedPrometheus(grafana: GrafanaTransport, datasourceUid: string): PrometheusTransport {
  return (request) =>
    grafana({
      method: 'GET',
      path: `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}${request.path}`,
      params: request.params,
      timeoutMs: request.timeoutMs,
    });
}

/** Rules sharing selector, data source and group are one series: learnt once, both sides written. */
export function watchedSeries(rules: readonly ProvisionedAlertRule[]) {
  const bySeries = new Map<string, ProvisionedAlertRule[]>();
  for (const rule of rules) {
    const selector = rule.annotations?.[ANNOTATIONS.selector];
    if (selector !== undefined) {
      const key = JSON.stringify([selector, rule.data[0]?.datasourceUid, rule.folderUID, rule.ruleGroup]);
      bySeries.set(key, [...(bySeries.get(key) ?? []), rule]);
    }
  }
  return [...bySeries.values()].map((rules) => ({
    selector: rules[0].annotations![ANNOTATIONS.selector],
    datasourceUid: rules[0].data[0].datasourceUid,
    folderUID: rules[0].folderUID,
    ruleGroup: rules[0].ruleGroup,
    uids: new Set(rules.map((r) => r.uid)),
    // Written from the Alerts page: the band width, margin, `for` and sides a person chose.
    sensitivity: rules.map(parseSensitivity).find((s) => s !== undefined),
    // The metric's range the thresholds were clamped into, clamped alike again.
    valueRange: rules.map(valueRangeOf).find((r) => r !== undefined),
  }));
}

export type WatchedSeries = ReturnType<typeof watchedSeries>[number];

/** The rule configuration a series is recalibrated with: its sensitivity and value range, else the defaults. */
export function seriesRuleConfig(series: WatchedSeries, timestampsSeconds: readonly number[]): AlertRuleConfig {
  const chosen = series.sensitivity
    ? ruleConfig(series.sensitivity, medianStepSeconds(timestampsSeconds))
    : DEFAULT_ALERT_RULE;
  const { valueRange } = series;
  return valueRange ? { ...chosen, band: { ...chosen.band, valueRange } } : chosen;
}

/**
 * The calibration time of the run due at `nowSeconds` with a cadence of `everySeconds`: the last whole multiple of
 * the cadence since 1970 (UTC). Every run inside one cadence period calibrates at the same time, so every replica
 * computes the same rules, and a rule calibrated at that time is done.
 */
export function dueCalibrationSeconds(nowSeconds: number, everySeconds: number): number {
  return Math.floor(nowSeconds / everySeconds) * everySeconds;
}

/** When the rule was last calibrated (`headroom_calibrated_at`), seconds since 1970; NaN when unknown. */
export function calibratedAtSeconds(rule: ProvisionedAlertRule): number {
  const text = rule.annotations?.[ANNOTATIONS.calibratedAt];
  return text === undefined ? NaN : Date.parse(text) / 1000;
}

/** Recalibrated at (or after) the due time already, by this process, another replica or the command line. */
export function isRecalibratedSince(rule: ProvisionedAlertRule, dueSeconds: number): boolean {
  return calibratedAtSeconds(rule) >= dueSeconds;
}

/** Grafana's rule evaluation interval must be a multiple of its base interval. */
export const BASE_INTERVAL_SECONDS = 10;

/** A watched expression that does not give exactly one series over the history: that rule's input, not a failure. */
export class TrainingSeriesError extends Error {}

/** The one series `expr` gives over the 4 weeks before `atSeconds`, the history a rule is calibrated from. */
export async function fetchTrainingSeries(
  prometheus: PrometheusClient,
  expr: string,
  atSeconds: number
): Promise<{ timestamps: number[]; values: number[] }> {
  const result = await prometheus.queryRange(expr, {
    startSeconds: atSeconds - 4 * WEEK_SECONDS,
    endSeconds: atSeconds,
  });
  if (result.series.length !== 1) {
    throw new TrainingSeriesError(
      `${expr} gives ${result.series.length} series over the 4 weeks before the calibration; a rule watches exactly one`
    );
  }
  return { timestamps: result.series[0].timestampsSeconds, values: result.series[0].values };
}

/** What fails one series (its history, or too little of it) and leaves its rules as they are while the others go on. */
export function isSeriesFailure(error: unknown): error is Error {
  return error instanceof PrometheusError || error instanceof CalibrationError || error instanceof TrainingSeriesError;
}
