/**
 * One scheduled recalibration of the Headroom-managed rules in the Headroom folder, as `headroom recalibrate` does it,
 * with what running inside every Grafana replica adds: rules already calibrated at the due time are skipped (by
 * their `headroom_calibrated_at` annotation), the run is claimed with a lease (lease.ts) so that two replicas never
 * write the same rules, and a rule a person edited is left alone and reported (never overwritten: nobody is there to
 * confirm it; the Alerts page or `headroom recalibrate --confirm` can).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

import { calibrateRules } from '../../alerting/calibrationJob';
import {
  applySync,
  planSync,
  type GrafanaFolder,
  type GrafanaProvisioningClient,
  type GrafanaTransport,
} from '../../alerting/grafanaClient';
import {
  ANNOTATIONS,
  editedSinceWritten,
  isHeadroomManaged,
  type ProvisionedAlertRule,
} from '../../alerting/grafanaRule';
import {
  BASE_INTERVAL_SECONDS,
  fetchTrainingSeries,
  isRecalibratedSince,
  isSeriesFailure,
  proxiedPrometheus,
  seriesRuleConfig,
  watchedSeries,
} from '../../alerting/recalibration';
import { createPrometheusClient } from '../../prometheus/client';
import { errorMessage } from '../../prometheus/redact';
import { claimLease, LEASE_HOLDER_ANNOTATION, leaseRule, staleLeases } from './lease';
import { isoMilliseconds as iso } from '../../engine/series/timeText';

export type RunLog = (level: 'debug' | 'info' | 'warn', message: string) => void;

export interface RunRequest {
  client: GrafanaProvisioningClient;
  /** Carries the Prometheus history requests through Grafana's data source proxy. */
  transport: GrafanaTransport;
  folder: GrafanaFolder;
  dueSeconds: number;
  /** Names this process in the lease. */
  holder: string;
  log: RunLog;
}

export interface RunReport {
  /** `nothing due`: every rule was calibrated at the due time already; `other replica`: another one holds the lease. */
  outcome: 'nothing due' | 'other replica' | 'done';
  rulesUpdated: number;
  /** Rules a person edited since Headroom wrote them: not written. */
  rulesLeftEdited: string[];
  /** Series whose history failed (Prometheus, too little history, not one series): their rules are as they were. */
  seriesFailed: number;
}

/**
 * The managed threshold rules of the folder not yet calibrated at the due time, apart from those a person edited since
 * Headroom wrote them (src/alerting's fingerprint check, as the Alerts page and `headroom recalibrate` use it). Only
 * rules naming their series (the selector annotation, as watchedSeries reads it) are calibrated: the template rules
 * Headroom writes into the same folder have none, and are never recalibrated.
 */
function dueRules(rules: readonly ProvisionedAlertRule[], folderUid: string, dueSeconds: number) {
  const due = rules.filter(
    (rule) =>
      rule.folderUID === folderUid &&
      isHeadroomManaged(rule) &&
      rule.annotations?.[ANNOTATIONS.selector] !== undefined &&
      !isRecalibratedSince(rule, dueSeconds)
  );
  return { due: due.filter((rule) => !editedSinceWritten(rule)), edited: due.filter(editedSinceWritten) };
}

const EDIT_ADVICE =
  'left as it is (recalibrate it from the Alerts page, or with headroom recalibrate --confirm, to overwrite the edit)';

export async function recalibrateDue(request: RunRequest): Promise<RunReport> {
  const { client, folder, dueSeconds, log } = request;
  const report: RunReport = { outcome: 'nothing due', rulesUpdated: 0, rulesLeftEdited: [], seriesFailed: 0 };
  const listed = (await client.listRules()).filter((rule) => rule.folderUID === folder.uid);
  for (const stale of staleLeases(listed, dueSeconds)) {
    log('info', `deleting the recalibration lease ${stale.uid} a stopped run left behind`);
    await client.deleteRule(stale.uid);
  }
  const { due: candidates, edited } = dueRules(listed, folder.uid, dueSeconds);
  for (const rule of edited) {
    log('warn', `rule ${rule.uid} ("${rule.title}") was edited by a person since Headroom wrote it: ${EDIT_ADVICE}`);
  }
  report.rulesLeftEdited = edited.map((rule) => rule.uid);
  if (candidates.length === 0) {
    return report;
  }
  const lease = leaseRule(dueSeconds, folder.uid, candidates[0].data[0].datasourceUid, request.holder);
  // Its own lease, left by a run of this process that failed to delete it: taken over rather than standing back.
  const ownLease = listed.some(
    (rule) => rule.uid === lease.uid && rule.annotations?.[LEASE_HOLDER_ANNOTATION] === request.holder
  );
  if (!ownLease && !(await claimLease(client, lease))) {
    log(
      'info',
      `another Grafana replica recalibrates the rules due at ${iso(dueSeconds)} (its lease ${lease.uid} exists: Grafana answered 409); this one stands back`
    );
    return { ...report, outcome: 'other replica' };
  }
  try {
    // Read again under the lease: a replica that held it before may have written some rules since the first read.
    const inFolder = (await client.listRules()).filter((rule) => rule.folderUID === folder.uid);
    const { due } = dueRules(inFolder, folder.uid, dueSeconds);
    const dueUids = new Set(due.map((rule) => rule.uid));
    const desired: ProvisionedAlertRule[] = [];
    let groupIntervalSeconds = BASE_INTERVAL_SECONDS;
    for (const series of watchedSeries(due)) {
      try {
        const prometheus = createPrometheusClient(proxiedPrometheus(request.transport, series.datasourceUid));
        const history = await fetchTrainingSeries(prometheus, series.selector, dueSeconds);
        const { selector, datasourceUid, folderUID, ruleGroup, sensitivity } = series;
        const outcome = calibrateRules({
          target: { selector, datasourceUid, folderUID, ruleGroup },
          timestampsSeconds: history.timestamps,
          values: history.values,
          calibratedAtSeconds: dueSeconds,
          config: seriesRuleConfig(series, history.timestamps),
          sensitivity,
        });
        outcome.warnings.forEach((warning) => log('warn', `${selector}: ${warning}`));
        // Recalibration updates the rules that exist; a side someone deleted stays deleted.
        desired.push(...outcome.rules.filter((rule) => series.uids.has(rule.uid) && dueUids.has(rule.uid)));
        groupIntervalSeconds = Math.max(
          groupIntervalSeconds,
          Math.ceil(outcome.calibration.stepSeconds / BASE_INTERVAL_SECONDS) * BASE_INTERVAL_SECONDS
        );
      } catch (error) {
        if (!isSeriesFailure(error)) {
          throw error;
        }
        report.seriesFailed++;
        log('warn', `${series.selector}: ${error.message}; its rules are left as they are`);
      }
      // Calibrating is CPU work: let Grafana's calls in between.
      await nextTurn();
    }
    const desiredUids = new Set(desired.map((rule) => rule.uid));
    const plan = planSync(
      desired,
      inFolder.filter((rule) => desiredUids.has(rule.uid))
    );
    const result = await applySync(client, plan, { folder, groupIntervalSeconds });
    report.rulesUpdated = result.applied.length;
    // Edited while this run calibrated: planSync's check catches it, and applySync leaves it alone.
    for (const action of result.awaitingConfirmation) {
      report.rulesLeftEdited.push(action.uid);
      log('warn', `rule ${action.uid} ("${action.title}") was edited by a person during the run: ${EDIT_ADVICE}`);
    }
    return { ...report, outcome: 'done' };
  } finally {
    // A failed delete must not hide the run's own error; this process takes its lease over when it retries.
    await client.deleteRule(lease.uid).catch((error: unknown) => {
      log('warn', `could not delete the recalibration lease ${lease.uid}: ${errorMessage(error)}`);
    });
  }
}
