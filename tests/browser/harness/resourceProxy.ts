// Grafana 12.4's data source resource API, `/api/datasources/uid/<uid>/resources/<path>`, for Prometheus data
// sources, answered the way Grafana's code answers it (docs/grafana-compatibility.md, "Resource proxy"):
// pkg/api/datasources.go CallDatasourceResourceWithUID, pkg/api/plugin_resource.go, pkg/plugins/manager/client,
// pkg/promlib/resource and pkg/promlib/client (QueryResource). The request goes upstream with the method and query
// string the browser sent, no retry; the answer comes back verbatim; Grafana's own failures are its JSON bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { readBody } from './httpBody';

/** `/api/datasources/uid/:uid/resources` and `/api/datasources/uid/:uid/resources/*`. */
export const DATA_SOURCE_RESOURCES = /^\/api\/datasources\/uid\/([^/]+)\/resources(?:\/(.*))?$/;

/** grafana-plugin-sdk-go httpclient.DefaultTimeoutOptions.Timeout: a data source without its own `timeout`. */
export const GRAFANA_DEFAULT_TIMEOUT_MS = 30_000;

export interface PrometheusDataSource {
  uid: string;
  /** The data source URL, e.g. http://127.0.0.1:9090. */
  url: string;
  /**
   * Its `timeout` (whole seconds in Grafana, milliseconds here so a test can be quick): the HTTP client's timeout,
   * which bounds the whole upstream call, body included. Default 30 s.
   */
  timeoutMs?: number;
  /** Its `customQueryParameters`, e.g. `dedup=false&partial_response=true`, added to every upstream request. */
  customQueryParameters?: string;
}

/** pkg/plugins/errors.go ErrPluginRequestFailureErrorBase rendered by errutil's PublicError. */
export const PLUGIN_REQUEST_FAILURE = {
  statusCode: 500,
  messageId: 'plugin.requestFailureError',
  message: 'An error occurred within the plugin',
};

/** util.IsValidShortUID. */
const VALID_UID = /^[a-zA-Z0-9\-_]*$/;

/** Hop-by-hop headers (Grafana's plugin client, client.go `hopHeaders`): a resource call loses them both ways. */
export const HOP_HEADERS = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
];

/**
 * Answer headers that do not reach the browser: hop-by-hop ones and Set-Cookie (the plugin client removes them), and
 * Content-Encoding/Length because Go's transport hands over the body decoded, as fetch does here.
 */
const DROPPED_ANSWER_HEADERS = new Set([...HOP_HEADERS, 'set-cookie', 'content-encoding', 'content-length']);

function sendGrafanaJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function callDataSourceResource(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  dataSources: readonly PrometheusDataSource[]
): Promise<void> {
  const [, rawUid, rawTail = ''] = url.pathname.match(DATA_SOURCE_RESOURCES) ?? [];
  const uid = decodeSegment(rawUid);
  if (uid === undefined || !VALID_UID.test(uid)) {
    // JsonApiErr(400, "UID is invalid", nil): no error, so no traceID.
    return sendGrafanaJson(res, 400, { message: 'UID is invalid' });
  }
  const dataSource = dataSources.find((candidate) => candidate.uid === uid);
  if (!dataSource) {
    // Every lookup error but access denied, a missing data source included; traceID is empty without tracing.
    return sendGrafanaJson(res, 500, { message: 'Unable to load datasource meta data', traceID: '' });
  }

  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const clientGone = new AbortController();
  res.on('close', () => clientGone.abort());
  const signal = AbortSignal.any([
    clientGone.signal,
    AbortSignal.timeout(dataSource.timeoutMs ?? GRAFANA_DEFAULT_TIMEOUT_MS),
  ]);
  // The query string exactly as the browser sent it (Grafana passes URL.RawQuery on).
  const rawQuery = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  let answer: { status: number; headers: Headers; body: Buffer };
  try {
    const upstream = await fetch(upstreamUrl(dataSource, decodeSegment(rawTail) ?? rawTail, rawQuery), {
      method,
      // createRequest sets this for POST whatever the browser sent; no other browser header goes upstream.
      headers: method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : undefined,
      body: body.length > 0 && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(body) : undefined,
      // Go's http.Client follows redirects too.
      redirect: 'follow',
      signal,
    });
    answer = { status: upstream.status, headers: upstream.headers, body: Buffer.from(await upstream.arrayBuffer()) };
  } catch {
    if (clientGone.signal.aborted) {
      return;
    }
    // Connection refused, DNS, TLS or the client timeout: Execute fails, the plugin client wraps it.
    return sendGrafanaJson(res, 500, PLUGIN_REQUEST_FAILURE);
  }
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!DROPPED_ANSWER_HEADERS.has(name)) {
      headers[name] = value;
    }
  });
  headers['content-security-policy'] = 'sandbox';
  if (!headers['content-type'] && answer.status !== 204) {
    headers['content-type'] = 'application/json';
  }
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * QueryResource: `path.Join(base path, tail)` and the browser's raw query; the CustomQueryParameters middleware
 * then adds the data source's parameters and re-encodes the whole query (Go's url.Values.Encode, sorted by key).
 */
function upstreamUrl(dataSource: PrometheusDataSource, tail: string, rawQuery: string): string {
  const target = new URL(dataSource.url);
  target.pathname = `/${goPathJoin(target.pathname, tail)}`.replace(/^\/+/, '/');
  target.search = '';
  // The middleware is skipped when the setting is empty or does not parse; otherwise req.URL.Query() drops bad pairs.
  const custom = goParseQuery(dataSource.customQueryParameters ?? '');
  const skipped = !dataSource.customQueryParameters || custom.failed;
  const query = skipped ? rawQuery : goEncodeQuery([...goParseQuery(rawQuery).pairs, ...custom.pairs]);
  return query ? `${target}?${query}` : target.toString();
}

/** Go's path.Join: empty parts ignored, the result cleaned, no trailing slash. */
function goPathJoin(...parts: string[]): string {
  const joined = parts.filter((part) => part !== '').join('/');
  if (joined === '') {
    return '';
  }
  const cleaned = path.posix.normalize(joined);
  return cleaned.length > 1 ? cleaned.replace(/\/$/, '') : cleaned;
}

/** Go's url.ParseQuery: the pairs it keeps, and whether it reported an error (a `;` or a bad escape) on the way. */
function goParseQuery(text: string): { pairs: Array<[string, string]>; failed: boolean } {
  const pairs: Array<[string, string]> = [];
  let failed = false;
  for (const part of text.split('&')) {
    if (part === '') {
      continue;
    }
    const [key, value = ''] = splitOnce(part, '=');
    const decodedKey = decodeSegment(key.replace(/\+/g, ' '));
    const decodedValue = decodeSegment(value.replace(/\+/g, ' '));
    if (part.includes(';') || decodedKey === undefined || decodedValue === undefined) {
      failed = true;
      continue;
    }
    pairs.push([decodedKey, decodedValue]);
  }
  return { pairs, failed };
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** Go's url.Values.Encode: keys sorted (stable, so each key keeps its values' order), QueryEscape on both sides. */
function goEncodeQuery(pairs: Array<[string, string]>): string {
  return [...pairs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${goQueryEscape(key)}=${goQueryEscape(value)}`)
    .join('&');
}

/** Go's url.QueryEscape: only A–Z a–z 0–9 - _ . ~ stay as they are; a space becomes `+`. */
function goQueryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
