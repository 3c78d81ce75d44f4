/**
 * The data source's connection to Prometheus, read from the instance settings Grafana sends with every call
 * (`PluginContext.dataSourceInstanceSettings`). The fields are where Grafana's own Prometheus data source keeps them,
 * so Grafana's HTTP settings editor writes them and Grafana encrypts the secret ones:
 *
 * - `url`: the Prometheus address (the instance's URL field, as Grafana's HTTP settings write it);
 * - `basicAuthEnabled`, `basicAuthUser`, secure `basicAuthPassword`: basic authentication;
 * - secure `bearerToken`: `Authorization: Bearer <token>` (when basic authentication is off);
 * - `jsonData.httpHeaderName<n>` with secure `httpHeaderValue<n>`: custom headers, their values treated as secrets;
 * - `jsonData.timeout`: seconds per request to Prometheus (Grafana's name and unit), default 30;
 * - TLS: `jsonData.tlsAuthWithCACert` with secure `tlsCACert`, `jsonData.tlsAuth` with secure `tlsClientCert` and
 *   `tlsClientKey`, `jsonData.tlsSkipVerify`, `jsonData.serverName`.
 */
import { parseBaseUrl } from '../prometheus/baseUrl';
import { DEFAULT_TIMEOUT_MS } from '../prometheus/client';
import type { TlsOptions } from './tlsFetch';

/** The fields of DataSourceInstanceSettings this reads, as the protocol decoder gives them. */
export interface InstanceSettingsMessage {
  url: string;
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
  if (raw === undefined || raw === '' || raw === null) {
    return DEFAULT_TIMEOUT_MS;
  }
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new SettingsError(`Timeout "${String(raw)}" is not a number of seconds above 0.`);
  }
  return seconds * 1000;
}

function authorization(settings: InstanceSettingsMessage): { header?: string; secrets: string[] } {
  const secure = settings.decryptedSecureJsonData;
  if (settings.basicAuthEnabled) {
    const password = secure.basicAuthPassword ?? '';
    const pair = `${settings.basicAuthUser}:${password}`;
    return { header: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`, secrets: [pair, password] };
  }
  const token = secure.bearerToken;
  return token ? { header: `Bearer ${token}`, secrets: [token] } : { secrets: [] };
}

function customHeaders(jsonData: Record<string, unknown>, secure: Record<string, string>) {
  const headers: Record<string, string> = {};
  for (const [key, name] of Object.entries(jsonData)) {
    const index = /^httpHeaderName(\d+)$/.exec(key)?.[1];
    if (index !== undefined && typeof name === 'string' && name.trim() !== '') {
      headers[name.trim()] = secure[`httpHeaderValue${index}`] ?? '';
    }
  }
  return headers;
}

/** Grafana's switches are booleans in jsonData; a certificate is used only when its switch is on, as Grafana does. */
function tlsOptions(jsonData: Record<string, unknown>, secure: Record<string, string>): TlsOptions {
  const on = (key: string) => jsonData[key] === true;
  const serverName = typeof jsonData.serverName === 'string' ? jsonData.serverName.trim() : '';
  return {
    caCert: on('tlsAuthWithCACert') ? secure.tlsCACert : undefined,
    clientCert: on('tlsAuth') ? secure.tlsClientCert : undefined,
    clientKey: on('tlsAuth') ? secure.tlsClientKey : undefined,
    skipVerify: on('tlsSkipVerify'),
    serverName: serverName === '' ? undefined : serverName,
  };
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
    headers: { ...custom, ...(header ? { Authorization: header } : {}) },
    secrets: [...base.secrets, ...auth.secrets, ...Object.values(custom)].filter((secret) => secret !== ''),
    secretHeaderNames: Object.keys(custom),
    timeoutMs: timeoutMs(jsonData),
    metricOverrides: typeof overrides === 'object' && overrides !== null ? (overrides as Record<string, string>) : {},
    tls: tlsOptions(jsonData, settings.decryptedSecureJsonData),
  };
}
