/**
 * The data source's connection to Prometheus, read from the instance settings Grafana sends with every call
 * (`PluginContext.dataSourceInstanceSettings`). The fields are where Grafana's own Prometheus data source keeps them,
 * so Grafana's HTTP settings editor writes them and Grafana encrypts the secret ones:
 *
 * - `url`: the Prometheus address (the instance's URL field, as Grafana's HTTP settings write it);
 * - `basicAuthEnabled`, `basicAuthUser`, secure `basicAuthPassword`: basic authentication; with it off, the
 *   instance's `user` and secure `password` (older data sources), as the SDK does;
 * - secure `bearerToken`: `Authorization: Bearer <token>` (Headroom's own; when no basic authentication applies);
 * - `jsonData.httpHeaderName<n>` with secure `httpHeaderValue<n>`, n = 1, 2, … until a name is missing: custom
 *   headers, their values treated as secrets; a custom `Authorization` wins over the authentication above;
 * - `jsonData.timeout`: seconds per request to Prometheus (Grafana's name and unit), default 30;
 * - TLS: switches `jsonData.tlsAuthWithCACert`, `jsonData.tlsAuth`, `jsonData.tlsSkipVerify`; when either of the
 *   first two is on, secure `tlsCACert`, `tlsClientCert`, `tlsClientKey` and `jsonData.serverName` are used.
 *
 * The reading follows grafana-plugin-sdk-go's backend/http_settings.go and backend/common.go, from which Grafana's
 * own Prometheus data source builds its client (docs/grafana-compatibility.md, "Backend plugin protocol").
 */
import { parseBaseUrl } from '../prometheus/baseUrl';
import { DEFAULT_TIMEOUT_MS } from '../prometheus/client';
import type { TlsOptions } from './tlsFetch';

/** The fields of DataSourceInstanceSettings this reads, as the protocol decoder gives them. */
export interface InstanceSettingsMessage {
  url: string;
  /** The instance's user field (protocol field 4); older data sources' basic authentication. */
  user?: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  jsonData: Uint8Array;
  decryptedSecureJsonData: Record<string, string>;
}

export interface PrometheusConnection {
  /** Without user information (that became an Authorization header) or a trailing slash: safe to print. */
  url: string;
  /** Authorization and custom headers, sent with every request. */
  headers: Record<string, string>;
  /** Every credential in `headers`, for redaction. */
  secrets: string[];
  /** The names of custom headers, whose values are redacted wherever they appear in an answer. */
  secretHeaderNames: string[];
  timeoutMs: number;
  /** Metric-name overrides of the settings page (`jsonData.metricOverrides`). */
  metricOverrides: Record<string, string>;
  tls: TlsOptions;
}

/** The settings cannot be used; the message says what to change on the data source's settings page. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

function parseJsonData(bytes: Uint8Array): Record<string, unknown> {
  const text = Buffer.from(bytes).toString('utf8').trim();
  if (text === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`The data source settings (jsonData) are not JSON: ${(error as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError('The data source settings (jsonData) are not a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function timeoutMs(jsonData: Record<string, unknown>): number {
  const raw = jsonData.timeout;
  // Grafana's SDK reads 0 as "no limit"; a backend call must end, so 0 keeps the default.
  if (raw === undefined || raw === '' || raw === null || raw === 0) {
    return DEFAULT_TIMEOUT_MS;
  }
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new SettingsError(`Timeout "${String(raw)}" is not a number of seconds above 0.`);
  }
  return seconds * 1000;
}

function basic(user: string, password: string): { header: string; secrets: string[] } {
  const pair = `${user}:${password}`;
  return { header: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`, secrets: [pair, password] };
}

function authorization(settings: InstanceSettingsMessage): { header?: string; secrets: string[] } {
  const secure = settings.decryptedSecureJsonData;
  if (settings.basicAuthEnabled) {
    return basic(settings.basicAuthUser, secure.basicAuthPassword ?? '');
  }
  if (settings.user) {
    return basic(settings.user, secure.password ?? '');
  }
  const token = secure.bearerToken;
  return token ? { header: `Bearer ${token}`, secrets: [token] } : { secrets: [] };
}

/** Numbered from 1 and read until a name is missing; a header whose value is not stored is left out (the SDK). */
function customHeaders(jsonData: Record<string, unknown>, secure: Record<string, string>) {
  const headers: Record<string, string> = {};
  for (let index = 1; `httpHeaderName${index}` in jsonData; index++) {
    const name = jsonData[`httpHeaderName${index}`];
    const value = secure[`httpHeaderValue${index}`];
    if (typeof name === 'string' && name.trim() !== '' && value !== undefined) {
      headers[name.trim()] = value;
    }
  }
  return headers;
}

/**
 * Grafana's switches are booleans in jsonData. As the SDK's parseHTTPSettings: either certificate switch brings in
 * all three stored certificates and the server name; neither, none of them (skip-verify alone included).
 */
function tlsOptions(jsonData: Record<string, unknown>, secure: Record<string, string>): TlsOptions {
  const on = (key: string) => jsonData[key] === true;
  const skipVerify = on('tlsSkipVerify');
  if (!on('tlsAuth') && !on('tlsAuthWithCACert')) {
    return { skipVerify };
  }
  const serverName = typeof jsonData.serverName === 'string' ? jsonData.serverName.trim() : '';
  // GetTLSConfig presents a client certificate only when both it and its key are there.
  const clientPair = Boolean(secure.tlsClientCert) && Boolean(secure.tlsClientKey);
  return {
    caCert: secure.tlsCACert,
    clientCert: clientPair ? secure.tlsClientCert : undefined,
    clientKey: clientPair ? secure.tlsClientKey : undefined,
    skipVerify,
    serverName: serverName === '' ? undefined : serverName,
  };
}

/** A custom header of the same name, in any case, replaces the authentication header (the SDK's middleware order). */
function withAuthorization(custom: Record<string, string>, header: string | undefined): Record<string, string> {
  const customAuthorization = Object.keys(custom).some((name) => name.toLowerCase() === 'authorization');
  return header === undefined || customAuthorization ? { ...custom } : { ...custom, Authorization: header };
}

export function prometheusConnection(settings: InstanceSettingsMessage | null | undefined): PrometheusConnection {
  if (!settings || settings.url.trim() === '') {
    throw new SettingsError('No Prometheus URL: set the URL in the data source settings, e.g. http://prometheus:9090.');
  }
  const jsonData = parseJsonData(settings.jsonData);
  // User information in the URL is basic authentication, as in the command line; the settings' own auth wins.
  const base = parseBaseUrl(settings.url.trim(), { server: 'Prometheus', example: 'http://prometheus:9090' });
  const auth = authorization(settings);
  const header = auth.header ?? base.authorization;
  const custom = customHeaders(jsonData, settings.decryptedSecureJsonData);
  const overrides = jsonData.metricOverrides;
  return {
    url: base.base,
    headers: withAuthorization(custom, header),
    secrets: [...base.secrets, ...auth.secrets, ...Object.values(custom)].filter((secret) => secret !== ''),
    secretHeaderNames: Object.keys(custom),
    timeoutMs: timeoutMs(jsonData),
    metricOverrides: typeof overrides === 'object' && overrides !== null ? (overrides as Record<string, string>) : {},
    tls: tlsOptions(jsonData, settings.decryptedSecureJsonData),
  };
}
