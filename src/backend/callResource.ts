/**
 * `/api/datasources/uid/<uid>/resources/api/v1/...` through this backend to the data source's Prometheus, with the
 * data source's authentication: the browser side reads Prometheus' HTTP API without ever holding its credentials.
 * Only Prometheus' read API under `api/v1/` is served, by GET or POST (Prometheus takes a query as a form too);
 * the caller's own headers (Grafana's cookies, its user's authorization) are not passed on.
 */
import { redactCredentials } from '../prometheus/redact';
import type { PrometheusConnection } from './settings';
import { tlsFetch } from './tlsFetch';

export interface ResourceRequest {
  /** After `resources/`, decoded, without the query string, e.g. `api/v1/query` (Grafana: `URL.Path`). */
  path: string;
  method: string;
  /** The URL Grafana received, whose query string is passed on. */
  url: string;
  headers: Record<string, { values: string[] }>;
  body: Uint8Array;
}

export interface ResourceResponse {
  code: number;
  headers: Record<string, { values: string[] }>;
  body: Uint8Array;
}

const API_PREFIX = 'api/v1/';
/** Request headers that describe the body or the wanted answer, the only ones passed on. */
const PASSED_ON = ['accept', 'content-type'];

function textAnswer(code: number, text: string): ResourceResponse {
  return {
    code,
    headers: { 'Content-Type': { values: ['text/plain; charset=utf-8'] } },
    body: Buffer.from(text, 'utf8'),
  };
}

function queryString(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index);
}

/**
 * The target URL, or undefined when the path would leave `api/v1/` (`..`, encoded or not). Grafana sends the path
 * decoded, so each segment is escaped again: a `#`, `?` or `%` from a label value stays in its segment.
 */
function targetUrl(base: string, request: ResourceRequest): URL | undefined {
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  const escapedPath = request.path.split('/').map(encodeURIComponent).join('/');
  const target = new URL(escapedPath + queryString(request.url), root);
  const allowed = `${root.pathname}${API_PREFIX}`;
  return target.origin === root.origin && target.pathname.startsWith(allowed) && !/%2e/i.test(request.path)
    ? target
    : undefined;
}

function passedOnHeaders(request: ResourceRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, list] of Object.entries(request.headers)) {
    if (PASSED_ON.includes(name.toLowerCase()) && list.values.length > 0) {
      headers[name] = list.values[0];
    }
  }
  return headers;
}

/** `signal` aborts the request when Grafana's call ends first (server.ts); the connection's timeout does too. */
export async function callResource(
  connection: PrometheusConnection,
  request: ResourceRequest,
  signal?: AbortSignal
): Promise<ResourceResponse> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    return textAnswer(405, `Only GET and POST reach Prometheus through Headroom, not ${method}.`);
  }
  const path = request.path.replace(/^\/+/, '');
  const target = path.startsWith(API_PREFIX) ? targetUrl(connection.url, { ...request, path }) : undefined;
  if (target === undefined) {
    return textAnswer(404, `Headroom serves Prometheus' API under ${API_PREFIX} only, not "${request.path}".`);
  }
  const redact = (text: string) => redactCredentials(text, connection.secrets, connection.secretHeaderNames);
  try {
    const answer = await tlsFetch(connection.tls)(target, {
      method,
      headers: { ...passedOnHeaders(request), ...connection.headers },
      body: method === 'POST' ? Buffer.from(request.body) : undefined,
      signal: signal
        ? AbortSignal.any([AbortSignal.timeout(connection.timeoutMs), signal])
        : AbortSignal.timeout(connection.timeoutMs),
    });
    const contentType = answer.headers.get('content-type');
    return {
      code: answer.status,
      headers: contentType ? { 'Content-Type': { values: [contentType] } } : {},
      // Something in front of Prometheus may echo the request's headers: the credentials never leave here.
      body: Buffer.from(redact(await answer.text()), 'utf8'),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return textAnswer(502, redact(`Cannot reach Prometheus at ${connection.url} (${reason}).`));
  }
}
