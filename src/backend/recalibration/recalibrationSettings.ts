/**
 * What the recalibration needs to know, from what Grafana gives the app's backend: the app's settings with every call
 * to the app (`PluginContext.appInstanceSettings`: the configuration page's JSON, and the service-account token as a
 * secret), Grafana's URL in every call's `grafanaConfig` (GF_APP_URL), and the token of the service account Grafana
 * manages for the plugin, when it does, both in `grafanaConfig` and in the process' environment at start
 * (GF_PLUGIN_APP_CLIENT_SECRET; docs/grafana-compatibility.md cites Grafana's code).
 */
import type { GrafanaFolder } from '../../alerting/grafanaClient';
import { PLUGIN_ID, RECALIBRATION_TOKEN_KEY } from '../../constants';
import { TEMPLATE_FOLDER } from '../../alerting/templates/grafanaTemplates';

/** Grafana's names (grafana-plugin-sdk-go backend/tokenretriever.go: AppURL, AppClientSecret). */
export const APP_URL_KEY = 'GF_APP_URL';
export const MANAGED_TOKEN_KEY = 'GF_PLUGIN_APP_CLIENT_SECRET';
/**
 * The managed account's client id: the slug of the plugin id it was made for (pkg/plugins/envvars, extsvcaccounts
 * `SaveExternalService` returns `ID: slug`), so the app's process and the data source's can tell their accounts apart.
 */
export const MANAGED_CLIENT_ID_KEY = 'GF_PLUGIN_APP_CLIENT_ID';

/**
 * The managed account's token and Grafana's root URL as Grafana gives them: in a call's `grafanaConfig`, else in the
 * process' environment at start (the same names in both); blank counts as absent. undefined when neither has one.
 */
export function managedAccess(
  grafanaConfig: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>
): { token: string | undefined; appUrl: string | undefined } {
  const given = (key: string) =>
    [grafanaConfig[key], env[key]].map((value) => value?.trim()).find((value) => value !== undefined && value !== '');
  return { token: given(MANAGED_TOKEN_KEY), appUrl: given(APP_URL_KEY) };
}

/**
 * Whether the process starts the schedule when it starts: only the app's, with the account Grafana manages for the
 * app. The same executable serves the data source, whose managed account (it reads the app's settings) is not the
 * app's; Grafana names the plugin an account was made for in its client id.
 */
export function startsRecalibrationAtBoot(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env[MANAGED_TOKEN_KEY]) && env[MANAGED_CLIENT_ID_KEY] === PLUGIN_ID;
}

const HOUR_SECONDS = 3600;
/** Daily, at 00:00 UTC: the cadence of `headroom recalibrate` in a daily cron job, so both calibrate alike. */
const DEFAULT_EVERY_HOURS = 24;
const MIN_EVERY_HOURS = 1;
const MAX_EVERY_HOURS = 7 * 24;

/** The app's `jsonData.recalibration`, from the configuration page. */
export interface RecalibrationJson {
  /** false switches the scheduled recalibration off; absent means on whenever a token is available. */
  enabled?: boolean;
  /** Hours between calibration times (1..168, default 24), counted from 1970 in UTC. */
  everyHours?: number;
  /** Grafana's address as the backend reaches it, when Grafana's root_url (GF_APP_URL) is not reachable from it. */
  grafanaUrl?: string;
}

export interface AppSettingsMessage {
  jsonData: Buffer | Uint8Array;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMs: number;
}

export interface RecalibrationSettings {
  enabled: boolean;
  everySeconds: number;
  /** The folder the Alerts page writes Headroom's rules into. */
  folder: GrafanaFolder;
  /** undefined when neither the settings nor Grafana say where Grafana is. */
  grafanaUrl: string | undefined;
  /** undefined when there is no token: the stored one wins over the managed one, being a person's explicit choice. */
  credentials: { token: string; source: 'stored' | 'managed' } | undefined;
  /** Changes whenever the app's settings are saved, so that a corrected token is tried at once. */
  version: string;
}

function recalibrationJson(jsonData: AppSettingsMessage['jsonData'] | undefined): RecalibrationJson {
  if (!jsonData || jsonData.length === 0) {
    return {};
  }
  try {
    const parsed = JSON.parse(Buffer.from(jsonData).toString('utf8')) as { recalibration?: unknown };
    return typeof parsed.recalibration === 'object' && parsed.recalibration !== null
      ? (parsed.recalibration as RecalibrationJson)
      : {};
  } catch {
    // Grafana stores only JSON it parsed; unreadable settings mean the defaults.
    return {};
  }
}

/**
 * The settings from the app's last known settings (undefined before any call to the app), Grafana's configuration
 * of the last call and the process' environment.
 */
export function recalibrationSettings(
  app: AppSettingsMessage | undefined,
  grafanaConfig: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>
): RecalibrationSettings {
  const json = recalibrationJson(app?.jsonData);
  const hours = typeof json.everyHours === 'number' && Number.isFinite(json.everyHours) ? json.everyHours : NaN;
  const everyHours = Number.isNaN(hours)
    ? DEFAULT_EVERY_HOURS
    : Math.min(MAX_EVERY_HOURS, Math.max(MIN_EVERY_HOURS, Math.round(hours)));
  const stored = app?.decryptedSecureJsonData?.[RECALIBRATION_TOKEN_KEY]?.trim();
  const { token: managed, appUrl } = managedAccess(grafanaConfig, env);
  // The address a person entered wins over root_url: it is there because root_url is not reachable from Grafana's host.
  const entered = typeof json.grafanaUrl === 'string' ? json.grafanaUrl.trim() : '';
  return {
    enabled: json.enabled !== false,
    everySeconds: everyHours * HOUR_SECONDS,
    folder: TEMPLATE_FOLDER,
    grafanaUrl: entered || appUrl,
    credentials: stored
      ? { token: stored, source: 'stored' }
      : managed
        ? { token: managed, source: 'managed' }
        : undefined,
    version: `${app?.lastUpdatedMs ?? 0}`,
  };
}
