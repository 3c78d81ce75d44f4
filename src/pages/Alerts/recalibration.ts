/**
 * Recalibrating the rules of one watched series from the page: its history over the training window before the
 * calibration time, the band relearnt with the sensitivity the rule was written with, and how far that band has
 * drifted from the thresholds in Grafana.
 */
import { calibrateSeries } from '../../alerting/calibrate';
import { valueRangeOf, type ProvisionedAlertRule } from '../../alerting/grafanaRule';
import { createTaskQueue } from '../../prometheus/taskQueue';
import type { PrometheusClient } from '../../prometheus/types';
import { ruleConfig } from './alertAnalysis';
import { desiredRules, type ManagedRuleRow } from './alertRules';
import { fetchWatchedHistory, trainingRange } from './alertsData';
import { deployedSideOf, driftFraction } from './deployedBand';

export interface SeriesRecalibration {
  /** The series' rules as Headroom would write them now (both sides it watches). */
  desired: ProvisionedAlertRule[];
  /** Drift since calibration per rule UID; NaN when the deployed PromQL is no longer Headroom's. */
  driftByUid: Map<string, number>;
  stepSeconds: number;
}

/** Rows of one series (same selector and data source), relearnt at `atSeconds` from the 4 weeks before it. */
export async function recalibrateSeries(
  rows: readonly ManagedRuleRow[],
  atSeconds: number,
  clientFor: (datasourceUid: string) => PrometheusClient
): Promise<SeriesRecalibration> {
  const [first] = rows;
  const history = await fetchWatchedHistory(clientFor(first.datasourceUid), first.selector, trainingRange(atSeconds));
  const chosen = ruleConfig(first.sensitivity, history.stepSeconds);
  // The metric's range the rule was clamped into, clamped alike again (as `headroom recalibrate` does).
  const valueRange = rows.map((row) => valueRangeOf(row.rule)).find((range) => range !== undefined);
  const { calibration, timing } = calibrateSeries(
    history.timestampsSeconds,
    history.values,
    atSeconds,
    valueRange ? { ...chosen, band: { ...chosen.band, valueRange } } : chosen
  );
  const driftByUid = new Map<string, number>();
  for (const row of rows) {
    const deployed = deployedSideOf(row.rule);
    driftByUid.set(row.uid, deployed ? driftFraction(deployed, row.side, calibration.band, history.values) : NaN);
  }
  return {
    desired: desiredRules(
      { selector: first.selector, datasourceUid: first.datasourceUid },
      calibration,
      timing,
      first.sensitivity
    ),
    driftByUid,
    stepSeconds: history.stepSeconds,
  };
}

/** Series whose drift is worked out at once: each reads 4 weeks from Prometheus over the browser's few connections. */
const DRIFT_SERIES_AT_ONCE = 4;

/**
 * Drift since calibration of every managed rule, by UID, a few series at a time; NaN for the rules of a series that
 * could not be relearnt (its history is gone or Prometheus refused), so one series does not hide the others'. Once
 * `signal` aborts, series not yet started are not started and the answer rejects.
 */
export async function driftOfSeries(
  groups: ReadonlyArray<readonly ManagedRuleRow[]>,
  atSeconds: number,
  clientFor: (datasourceUid: string) => PrometheusClient,
  signal?: AbortSignal
): Promise<Map<string, number>> {
  const queue = createTaskQueue(DRIFT_SERIES_AT_ONCE);
  const byUid = new Map<string, number>();
  await Promise.all(
    groups.map((rows) =>
      queue.run(async () => {
        try {
          (await recalibrateSeries(rows, atSeconds, clientFor)).driftByUid.forEach((v, k) => byUid.set(k, v));
        } catch {
          rows.forEach((row) => byUid.set(row.uid, NaN));
        }
      }, signal)
    )
  );
  return byUid;
}

/** Rows grouped by the series they watch, in the rows' order. */
export function rowsBySeries(rows: readonly ManagedRuleRow[]): ManagedRuleRow[][] {
  const groups = new Map<string, ManagedRuleRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.selector, row.datasourceUid]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}
