/**
 * The app's settings for a query that brings none (an alert rule Grafana evaluates, a panel with a server-side
 * expression, a public dashboard): the data source's backend asks Grafana for them as the app's pages do
 * (`GET /api/plugins/<app id>/settings`, jsonData only), signed in as the service account Grafana manages for the data
 * source. Grafana gives a data source's calls its own instance settings only, never the app's, but a plugin with an
 * `iam` block gets a managed account whose token comes in every call's `grafanaConfig` and in the process'
 * environment (docs/grafana-compatibility.md, "The app's settings in the data source's backend", cites Grafana's code).
 *
 * An answer is kept a minute, a refusal too: alert rules are evaluated every minute or so, and a setting saved on the
 * configuration page applies within that minute. The token is only ever sent in the Authorization header.
 */
import {
  createGrafanaProvisioningClient,
  GrafanaApiError,
  GrafanaUnexpectedAnswerError,
  type GrafanaTransport,
} from '../alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../alerting/grafanaFetchTransport';
import { PLUGIN_ID } from '../constants';
import type { HeadroomAppSettings } from '../frames/appSettings';
import type { AppSettingsUnread } from '../frames/frameTexts';
import { parseAppSettings } from '../frames/parseAppSettings';
import { managedAccess } from './recalibration/recalibrationSettings';

/**
 * Grafana (≥ 11.3) creates a managed service account in its default organisation, `auto_assign_org_id` when
 * `auto_assign_org` is on, else 1 (pkg/services/serviceaccounts/extsvcaccounts/service.go, `cfg.DefaultOrgID()`),
 * which it does not tell the plugin: a person sets it as `managed_account_org_id` under
 * `[plugin.headroom-capacity-datasource]`, which Grafana passes to the process as this variable (pluginconfig/envvars.go).
 */
export const ACCOUNT_ORG_KEY = 'GF_PLUGIN_MANAGED_ACCOUNT_ORG_ID';
const KEEP_MS = 60_000;
/** Below Grafana's own alert evaluation timeout (30 s), so that a slow Grafana leaves the query time to answer. */
const READ_TIMEOUT_MS = 10_000;
/** Bad gateway, service unavailable, gateway timeout: what a reverse proxy answers while Grafana restarts or is busy. */
const PROXY_UNAVAILABLE_STATUSES = [502, 503, 504];

/** Where the settings came from: read from Grafana, or why not (the answer then uses none). */
export type AppSettingsReading = { settings: HeadroomAppSettings } | { unread: AppSettingsUnread };

/** What a call's plugin context says about Grafana and the query's organisation. */
export interface ReaderContext {
  orgId?: number | string | { toString(): string } | null;
  grafanaConfig?: Record<string, string> | null;
}

export interface AppSettingsReaderOptions {
  env: Readonly<Record<string, string | undefined>>;
  nowMs?(): number;
  /** Makes the transport to Grafana; a parameter so that tests can count requests. */
  transport?(baseUrl: string, token: string): GrafanaTransport;
}

export type ReadAppSettings = (context: ReaderContext | null | undefined) => Promise<AppSettingsReading>;

/** The reader of one process: shares one request among the queries of a minute. */
export function appSettingsReader(options: AppSettingsReaderOptions): ReadAppSettings {
  const nowMs = options.nowMs ?? Date.now;
  const transport = options.transport ?? createGrafanaFetchTransport;
  const kept = new Map<string, { untilMs: number; reading: Promise<AppSettingsReading> }>();

  return (context) => {
    const { token, appUrl: url } = managedAccess(context?.grafanaConfig ?? {}, options.env);
    // No account first: its advice (turn managed accounts on) is what a default Grafana needs, whatever the organisation.
    if (!token || !url) {
      return Promise.resolve({ unread: { code: 'app-settings-unread', reason: 'no-account' } });
    }
    const org = context?.orgId === undefined || context.orgId === null ? '' : String(context.orgId);
    const accountOrgText = options.env[ACCOUNT_ORG_KEY]?.trim() || '1';
    // Only a positive whole number names an organisation: anything else is said, never read as organisation 1.
    const accountOrgNumber = /^\d+$/.test(accountOrgText) ? Number(accountOrgText) : NaN;
    if (!Number.isSafeInteger(accountOrgNumber) || accountOrgNumber < 1) {
      return Promise.resolve({
        unread: { code: 'app-settings-unread', reason: 'bad-account-org', value: accountOrgText },
      });
    }
    const accountOrgId = String(accountOrgNumber);
    if (org !== '' && org !== '0' && org !== accountOrgId) {
      return Promise.resolve({
        unread: { code: 'app-settings-unread', reason: 'other-organisation', orgId: org, accountOrgId },
      });
    }
    const key = `${url}\n${token}`;
    const now = nowMs();
    const entry = kept.get(key);
    if (entry && entry.untilMs > now) {
      return entry.reading;
    }
    const reading = read(transport, url, token);
    kept.clear();
    kept.set(key, { untilMs: now + KEEP_MS, reading });
    return reading;
  };
}

async function read(
  transport: NonNullable<AppSettingsReaderOptions['transport']>,
  url: string,
  token: string
): Promise<AppSettingsReading> {
  let jsonData: Record<string, unknown>;
  try {
    jsonData = await createGrafanaProvisioningClient(transport(url, token), READ_TIMEOUT_MS).appJsonData(PLUGIN_ID);
  } catch (error) {
    // Grafana's own answers on this path are 200, 401, 403, 404 and 500 (authn, GetPluginSettingByID, Recovery): a
    // 502, 503 or 504, whatever its body, is a proxy in front of Grafana that found no Grafana behind it in time.
    if (error instanceof GrafanaApiError && PROXY_UNAVAILABLE_STATUSES.includes(error.status)) {
      return { unread: { code: 'app-settings-unread', reason: 'grafana-unavailable', status: error.status } };
    }
    // A login page or a redirect at the root URL is not Grafana refusing: the address is wrong, not the permission.
    if (error instanceof GrafanaUnexpectedAnswerError) {
      return { unread: { code: 'app-settings-unread', reason: 'not-grafana' } };
    }
    // A status with Grafana's own message (never the token: the transport redacts it); no status means no answer.
    return error instanceof GrafanaApiError && error.status > 0
      ? { unread: { code: 'app-settings-unread', reason: 'refused', status: error.status } }
      : { unread: { code: 'app-settings-unread', reason: 'unreachable' } };
  }
  // Saved by the configuration page, which checks them; a bad one is the query's error, as a query's own would be.
  return { settings: parseAppSettings(jsonData, "The app's settings read from Grafana") };
}
