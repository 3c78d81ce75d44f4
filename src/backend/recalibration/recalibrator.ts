/**
 * The backend's recalibration schedule: it keeps the app's latest settings (from Grafana's calls; only in memory),
 * looks every minute whether a calibration time has passed that this process has not handled, and runs
 * recalibrationRun.ts for it. Everything it says goes to Grafana's log (pluginLog.ts), with the token removed from
 * every line, and what it did is counted for CollectMetrics.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import {
  createGrafanaProvisioningClient,
  GrafanaApiError,
  GrafanaConflictError,
  GrafanaForbiddenError,
  GrafanaUnauthorizedError,
  type GrafanaTransport,
} from '../../alerting/grafanaClient';
import { createGrafanaFetchTransport, GrafanaUnreachableError } from '../../alerting/grafanaFetchTransport';
import { dueCalibrationSeconds } from '../../alerting/recalibration';
import { errorMessage, redactCredentials } from '../../prometheus/redact';
import type { PluginLogLevel } from '../pluginLog';
import { recalibrateDue, type RunReport } from './recalibrationRun';
import { recalibrationSettings, type AppSettingsMessage, type RecalibrationSettings } from './recalibrationSettings';
import { isoMilliseconds as iso } from '../../engine/series/timeText';

export type ErrorKind = 'unauthorized' | 'forbidden' | 'conflict' | 'unreachable' | 'grafana' | 'other';
const ERROR_KINDS: ErrorKind[] = ['unauthorized', 'forbidden', 'conflict', 'unreachable', 'grafana', 'other'];
/** A failed run is tried again this much later (a restarted Grafana, a network blip) within the same period. */
const RETRY_AFTER_SECONDS = 15 * 60;
const OUTCOMES: Array<RunReport['outcome'] | 'failed'> = ['done', 'nothing due', 'other replica', 'failed'];

const ADVICE: Partial<Record<ErrorKind, string>> = {
  unauthorized:
    "Grafana refused the token: enter a valid service-account token on Headroom's configuration page " +
    "(Recalibration), or let Grafana manage the plugin's service account.",
  forbidden:
    'The service account may not write alert rules in the Headroom folder: give it the Editor role, or a role with ' +
    'alert.rules.provisioning:write.',
};

export interface RecalibratorOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Writes one log line to Grafana's log. */
  log(level: PluginLogLevel, message: string, fields?: Record<string, string>): void;
  nowSeconds?(): number;
  /** How often to look whether a run is due (default a minute). */
  tickMs?: number;
  /** Makes the transport to Grafana; a parameter so that tests can count requests. */
  transport?(baseUrl: string, token: string): GrafanaTransport;
}

export interface PluginContextSettings {
  /** int64 in the protocol: a number, a string or a Long depending on the loader; compared as text. */
  orgId?: number | string | { toString(): string } | null;
  appInstanceSettings?: AppSettingsMessage | null;
  grafanaConfig?: Record<string, string> | null;
}

export class Recalibrator {
  private app: AppSettingsMessage | undefined;
  private grafanaConfig: Record<string, string> = {};
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /**
   * The due time handled last, with the settings' version then: a run is tried again when the settings change (a new
   * token), and after a failure no sooner than `retryAtSeconds`, so an error is not logged every minute.
   */
  private handled = { dueSeconds: -Infinity, version: '', retryAtSeconds: Infinity };
  /** Why the last tick did not run, said once rather than every minute. */
  private lastIdleReason = '';
  private orgId: string | undefined;
  private otherOrgLogged = false;
  /** Names this process in the lease it holds. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly metrics = {
    lastRunSeconds: 0,
    lastSuccessSeconds: 0,
    rulesUpdated: 0,
    rulesLeftEdited: 0,
    seriesFailed: 0,
    runs: new Map<string, number>(OUTCOMES.map((outcome) => [outcome, 0])),
    errors: new Map<ErrorKind, number>(ERROR_KINDS.map((kind) => [kind, 0])),
  };

  constructor(private readonly options: RecalibratorOptions) {}

  /** Takes the app's settings and Grafana's configuration from a call's plugin context; starts the schedule. */
  observe(context: PluginContextSettings | null | undefined): void {
    // Single organisation only (as Grafana's managed service accounts are): the first organisation seen owns the
    // settings; calls from another are ignored, said once.
    const org = context?.orgId === undefined || context.orgId === null ? undefined : String(context.orgId);
    if (org !== undefined && (this.orgId ??= org) !== org) {
      if (!this.otherOrgLogged) {
        this.options.log('warn', `recalibration serves organisation ${this.orgId} only; calls from ${org} are ignored`);
        this.otherOrgLogged = true;
      }
      return;
    }
    if (context?.appInstanceSettings) {
      this.app = context.appInstanceSettings;
    }
    if (context?.grafanaConfig && Object.keys(context.grafanaConfig).length > 0) {
      this.grafanaConfig = context.grafanaConfig;
    }
    if (context?.appInstanceSettings || this.settings().credentials?.source === 'managed') {
      this.start();
    }
  }

  /** Starts looking for due runs; a process Grafana started with a managed service account starts at once. */
  start(): void {
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 60_000);
      this.timer.unref();
      setImmediate(() => void this.tick());
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  settings(): RecalibrationSettings {
    return recalibrationSettings(this.app, this.grafanaConfig, this.options.env);
  }

  /** Runs the due recalibration if this process has not handled it; resolves when that run has ended. */
  async tick(): Promise<void> {
    if (this.running) {
      return this.running;
    }
    this.running = this.runIfDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private idle(reason: string): void {
    if (reason !== this.lastIdleReason) {
      this.options.log('info', `recalibration waits: ${reason}`);
      this.lastIdleReason = reason;
    }
  }

  private async runIfDue(): Promise<void> {
    if (this.app === undefined) {
      // Until a call to the app brings its settings, `enabled: false` and the cadence are unknown: not run on defaults.
      return this.idle("waiting for the app's settings (Grafana sends them with the first call to the app)");
    }
    const settings = this.settings();
    const { credentials, grafanaUrl } = settings;
    if (!settings.enabled) {
      return this.idle('switched off in the app settings (recalibration.enabled = false)');
    }
    if (!credentials) {
      return this.idle('no service-account token (app settings, or a service account Grafana manages for the plugin)');
    }
    if (!grafanaUrl) {
      return this.idle("Grafana's address is unknown (recalibration.grafanaUrl in the app settings)");
    }
    const nowSeconds = this.options.nowSeconds?.() ?? Date.now() / 1000;
    const dueSeconds = dueCalibrationSeconds(nowSeconds, settings.everySeconds);
    const { handled } = this;
    if (
      dueSeconds === handled.dueSeconds &&
      settings.version === handled.version &&
      nowSeconds < handled.retryAtSeconds
    ) {
      return;
    }
    this.lastIdleReason = '';
    this.handled = { dueSeconds, version: settings.version, retryAtSeconds: Infinity };
    this.metrics.lastRunSeconds = Math.floor(nowSeconds);
    const secrets = [credentials.token];
    const log = (level: PluginLogLevel, message: string) =>
      this.options.log(level, redactCredentials(message, secrets), { due: iso(dueSeconds) });
    try {
      const transport = (this.options.transport ?? createGrafanaFetchTransport)(grafanaUrl, credentials.token);
      const report = await recalibrateDue({
        client: createGrafanaProvisioningClient(transport),
        transport,
        folder: settings.folder,
        dueSeconds,
        holder: this.holder,
        log,
      });
      this.count(report);
      log(
        report.outcome === 'done' ? 'info' : 'debug',
        `recalibration ${report.outcome}: ${report.rulesUpdated} rules updated, ${report.rulesLeftEdited.length} ` +
          `edited by a person left alone, ${report.seriesFailed} series failed (token: ${credentials.source})`
      );
    } catch (error) {
      const kind = errorKind(error);
      this.metrics.errors.set(kind, this.metrics.errors.get(kind)! + 1);
      this.metrics.runs.set('failed', this.metrics.runs.get('failed')! + 1);
      this.handled.retryAtSeconds = nowSeconds + RETRY_AFTER_SECONDS;
      log('error', `recalibration failed: ${describe(error, kind)}`);
    }
  }

  private count(report: RunReport): void {
    this.metrics.runs.set(report.outcome, this.metrics.runs.get(report.outcome)! + 1);
    this.metrics.lastSuccessSeconds = this.metrics.lastRunSeconds;
    this.metrics.rulesUpdated += report.rulesUpdated;
    this.metrics.rulesLeftEdited += report.rulesLeftEdited.length;
    this.metrics.seriesFailed += report.seriesFailed;
  }

  /**
   * The app's health check (Grafana's /api/plugins/<app>/health, e.g. after saving the configuration page): whether
   * the recalibration can run, without calling Grafana, and when it last ran. Never names the token itself.
   */
  health(): { status: 'OK' | 'ERROR'; message: string } {
    const { enabled, credentials, grafanaUrl, everySeconds } = this.settings();
    if (!enabled) {
      return { status: 'OK', message: 'Recalibration is switched off.' };
    }
    if (!credentials) {
      return {
        status: 'ERROR',
        message:
          'Recalibration has no service-account token: store one on the configuration page, or let Grafana manage ' +
          "the plugin's service account.",
      };
    }
    if (!grafanaUrl) {
      return {
        status: 'ERROR',
        message: "Recalibration does not know Grafana's address: set recalibration.grafanaUrl.",
      };
    }
    const last = this.metrics.lastRunSeconds ? iso(this.metrics.lastRunSeconds) : 'not yet';
    const token = credentials.source === 'stored' ? 'the stored token' : "Grafana's managed service account";
    // A grafanaUrl may carry user:password; the configuration page shows this message.
    const at = redactCredentials(grafanaUrl, [credentials.token]);
    return {
      status: 'OK',
      message: `Recalibration every ${everySeconds / 3600} h with ${token} at ${at}; last run: ${last}.`,
    };
  }

  /** The recalibration's metric families, in Prometheus' text format, for CollectMetrics. */
  exposition(): string {
    const m = this.metrics;
    const lines: string[] = [];
    const family = (name: string, help: string, type: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      samples.forEach(([labels, value]) => lines.push(`${name}${labels} ${value}`));
    };
    family(
      'headroom_recalibration_last_run_timestamp_seconds',
      'When this process last started a recalibration run (0: never).',
      'gauge',
      [['', m.lastRunSeconds]]
    );
    family(
      'headroom_recalibration_last_success_timestamp_seconds',
      'When the last run that ended without an error started (0: never).',
      'gauge',
      [['', m.lastSuccessSeconds]]
    );
    family(
      'headroom_recalibration_runs_total',
      'Recalibration runs by outcome (other replica: another Grafana replica held the lease).',
      'counter',
      [...m.runs].map(([outcome, n]) => [`{outcome="${outcome}"}`, n])
    );
    family(
      'headroom_recalibration_rules_updated_total',
      'Alert rules this process rewrote with new thresholds.',
      'counter',
      [['', m.rulesUpdated]]
    );
    family(
      'headroom_recalibration_rules_left_edited_total',
      'Due rules left alone because a person edited them.',
      'counter',
      [['', m.rulesLeftEdited]]
    );
    family(
      'headroom_recalibration_series_failed_total',
      'Series whose history could not be recalibrated (their rules kept).',
      'counter',
      [['', m.seriesFailed]]
    );
    family(
      'headroom_recalibration_errors_total',
      'Runs stopped by an error, by kind.',
      'counter',
      [...m.errors].map(([kind, n]) => [`{kind="${kind}"}`, n])
    );
    return `${lines.join('\n')}\n`;
  }
}

function errorKind(error: unknown): ErrorKind {
  if (error instanceof GrafanaUnauthorizedError) {
    return 'unauthorized';
  }
  if (error instanceof GrafanaForbiddenError) {
    return 'forbidden';
  }
  if (error instanceof GrafanaConflictError) {
    return 'conflict';
  }
  if (error instanceof GrafanaUnreachableError) {
    return 'unreachable';
  }
  return error instanceof GrafanaApiError ? 'grafana' : 'other';
}

/** The error in words for Grafana's log: what Grafana answered, with advice for a backend rather than the CLI. */
function describe(error: unknown, kind: ErrorKind): string {
  if (error instanceof GrafanaUnreachableError) {
    return `cannot reach Grafana at ${error.target}; set recalibration.grafanaUrl in the app settings if Grafana's root_url is not reachable from the plugin`;
  }
  const advice = ADVICE[kind];
  if (error instanceof GrafanaApiError && advice) {
    const quoted = error.grafanaMessage ? ` "${error.grafanaMessage}"` : '';
    return `${error.action}: Grafana answered ${error.status}${quoted}. ${advice}`;
  }
  return errorMessage(error);
}
