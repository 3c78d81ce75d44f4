/**
 * `headroom recalibrate`: relearns every Headroom-managed Grafana alert rule from its series' recent
 * history and writes the new thresholds back, asking (via `--confirm UID`) before overwriting a rule
 * a person edited. Meant for a daily schedule; calibrating at the last UTC midnight makes a second
 * run on the same day change nothing.
 */
import type { CalibratedRules } from '../../alerting/calibrationJob';
import { CalibrationPool } from '../calibrationPool';
import { applySync, createGrafanaProvisioningClient, planSync } from '../../alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../alerting/grafanaFetchTransport';
import { isHeadroomManaged, ProvisionedAlertRule } from '../../alerting/grafanaRule';
import {
  BASE_INTERVAL_SECONDS,
  dueCalibrationSeconds,
  fetchTrainingSeries,
  isSeriesFailure,
  proxiedPrometheus,
  seriesRuleConfig,
  watchedSeries,
} from '../../alerting/recalibration';
import { DAY_SECONDS } from '../../engine/thresholds/slots';
import { createPrometheusClient } from '../../prometheus/client';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { createTaskQueue } from '../../prometheus/taskQueue';
import { parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { grafanaToken, TOKEN_VARIABLE } from '../grafanaToken';
import { printDiagnostic, reportCommandError } from '../reportError';
import { parseFlags } from './rules';
import { printSyncReport } from '../syncReport';

export { TOKEN_VARIABLE };
const DEFAULT_FOLDER_UID = 'headroom';
const FOLDER_TITLE = 'Headroom';
/** Histories read from Prometheus at once: each is 4 weeks of one series, and Prometheus serves them in parallel. */
const FETCHES_AT_ONCE = 6;

const USAGE = `usage: ${TOKEN_VARIABLE}=<service-account token> headroom recalibrate --grafana-url URL [options]

Relearns every Headroom-managed alert rule in the Headroom folder and writes the new thresholds back, keeping the
sensitivity (band width, margin, for, sides) a rule was written with on the Alerts page and the metric's range its
thresholds are clamped into. A series with less than 2 days and 48 samples of values is not recalibrated (its rules
are left as they are, exit 1); under a week of history it is, with a warning.
  --grafana-url URL   Grafana, e.g. http://localhost:3000 (the token needs alert-rule write access)
  --prometheus URL    read history from this Prometheus instead of through Grafana's data source proxy
  --folder-uid UID    folder Headroom owns (default ${DEFAULT_FOLDER_UID})
  --at TIME           calibration time, ISO 8601 or unix seconds (default: the last UTC midnight)
  --dry-run           print what would change, write nothing
  --confirm UID       overwrite this rule although a person edited it (repeatable; see the printed diff)
`;

async function recalibrate(args: string[]): Promise<number> {
  const values = parseFlags(args, {
    'grafana-url': { type: 'string' },
    prometheus: { type: 'string' },
    'folder-uid': { type: 'string', default: DEFAULT_FOLDER_UID },
    at: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    confirm: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values['grafana-url']) {
    throw new UsageError('--grafana-url is required');
  }
  const token = grafanaToken();
  const atSeconds = parseTimeSeconds('--at', values.at) ?? dueCalibrationSeconds(Date.now() / 1000, DAY_SECONDS);
  const folderUid = values['folder-uid'];
  const transport = createGrafanaFetchTransport(values['grafana-url'], token);
  // A --prometheus that is not a URL is refused now, not once per series.
  const prometheusTransport = values.prometheus ? createFetchTransport(values.prometheus) : undefined;
  const grafana = createGrafanaProvisioningClient(transport);

  const inFolder = (await grafana.listRules()).filter((rule) => rule.folderUID === folderUid);
  const managed = inFolder.filter(isHeadroomManaged);
  const desired: ProvisionedAlertRule[] = [];
  let failures = 0;
  let groupIntervalSeconds = BASE_INTERVAL_SECONDS;
  const watched = watchedSeries(managed);
  // Histories are fetched a few at a time, each series calibrated on a pool thread as soon as its history is in.
  const pool = CalibrationPool.forSeries(watched.length);
  const fetches = createTaskQueue(FETCHES_AT_ONCE);
  // An error that is not one series' (a bug, say) stops the fetches not yet started and fails the run.
  const stop = new AbortController();
  let fatal: { error: unknown } | undefined;
  try {
    const outcomes = watched.map(async (series): Promise<CalibratedRules | { error: unknown }> => {
      const prometheus = createPrometheusClient(
        prometheusTransport ?? proxiedPrometheus(transport, series.datasourceUid)
      );
      try {
        const history = await fetches.run(
          () => fetchTrainingSeries(prometheus, series.selector, atSeconds),
          stop.signal
        );
        const { selector, datasourceUid, folderUID, ruleGroup, sensitivity } = series;
        const config = seriesRuleConfig(series, history.timestamps);
        return await pool.calibrate({
          target: { selector, datasourceUid, folderUID, ruleGroup },
          timestampsSeconds: history.timestamps,
          values: history.values,
          calibratedAtSeconds: atSeconds,
          config,
          sensitivity,
        });
      } catch (error) {
        if (!isSeriesFailure(error) && !stop.signal.aborted) {
          fatal = { error };
          stop.abort();
        }
        return { error };
      }
    });
    const calibrated = await Promise.all(outcomes);
    if (fatal) {
      throw fatal.error;
    }
    calibrated.forEach((outcome, i) => {
      const series = watched[i];
      if ('error' in outcome) {
        const { error } = outcome;
        if (!isSeriesFailure(error)) {
          throw error;
        }
        failures++;
        printDiagnostic(`headroom recalibrate: ${series.selector}: ${error.message}; its rules are left as they are\n`);
        return;
      }
      for (const warning of outcome.warnings) {
        process.stderr.write(`headroom recalibrate: ${series.selector}: warning: ${warning}\n`);
      }
      // Recalibration updates the rules that exist; a side someone deleted stays deleted.
      desired.push(...outcome.rules.filter((rule) => series.uids.has(rule.uid)));
      groupIntervalSeconds = Math.max(
        groupIntervalSeconds,
        Math.ceil(outcome.calibration.stepSeconds / BASE_INTERVAL_SECONDS) * BASE_INTERVAL_SECONDS
      );
    });
  } finally {
    await pool.close();
  }
  // Only the rules recalibrated now: nothing is deleted.
  const desiredUids = new Set(desired.map((rule) => rule.uid));
  const plan = planSync(
    desired,
    inFolder.filter((rule) => desiredUids.has(rule.uid))
  );
  const dryRun = values['dry-run'];
  const result = await applySync(grafana, plan, {
    confirmEdited: values.confirm,
    dryRun,
    folder: { uid: folderUid, title: FOLDER_TITLE },
    groupIntervalSeconds,
  });
  const heldBack = printSyncReport(plan, result, dryRun);
  return heldBack || failures > 0 ? 1 : 0;
}

export const recalibrateCommand: CliCommand = {
  summary: 'relearn the Headroom-managed Grafana alert rules and write them back (HEADROOM_GRAFANA_TOKEN)',
  async run(args) {
    try {
      return await recalibrate(args);
    } catch (error) {
      return reportCommandError('recalibrate', error);
    }
  },
};
