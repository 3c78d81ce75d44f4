/**
 * Typed failures of the Prometheus layer. Every message says what went wrong and what a person can do about it,
 * because these messages reach dashboards and the command line unchanged; credentials an answer echoed are redacted.
 */
import { redactCredentials } from './redact';

const LONG_QUERY_ADVICE =
  'narrow the time range, raise the step, or add recording rules that pre-aggregate per-GPU series for large fleets';

/**
 * Base class, so callers can tell Prometheus failures from programming errors with one `instanceof`. The message
 * quotes answers (of Prometheus, Grafana or a proxy), so it is redacted.
 */
export class PrometheusError extends Error {
  constructor(message: string) {
    super(redactCredentials(message));
    this.name = new.target.name;
  }
}

/** No HTTP answer at all: wrong URL, Prometheus down, DNS or network failure. */
export class PrometheusUnreachableError extends PrometheusError {
  constructor(
    readonly target: string,
    readonly causeMessage: string
  ) {
    super(
      `Cannot reach Prometheus at ${target} (${causeMessage}). ` +
        'Check the data source URL, that Prometheus is running, and that the network allows the connection.'
    );
  }
}

/** The request was sent but no answer came within the time limit. */
export class PrometheusTimeoutError extends PrometheusError {
  constructor(
    readonly target: string,
    readonly timeoutMs: number
  ) {
    super(
      `Prometheus at ${target} did not answer within ${formatSeconds(timeoutMs)}: it is overloaded or the query is too ` +
        `expensive; ${LONG_QUERY_ADVICE}.`
    );
  }
}

/** A non-2xx answer that is not a Prometheus error envelope (a proxy, Grafana or an auth layer answered). */
export class PrometheusHttpError extends PrometheusError {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly bodyExcerpt: string
  ) {
    super(`${httpAdvice(status, path)}${bodyExcerpt ? ` Answer: ${bodyExcerpt}` : ''}`);
  }
}

/** Prometheus answered `{"status":"error","errorType":...,"error":...}`. */
export class PrometheusQueryError extends PrometheusError {
  constructor(
    readonly status: number,
    readonly errorType: string,
    readonly prometheusError: string,
    readonly query?: string
  ) {
    super(queryAdvice(status, errorType, prometheusError, query));
  }
}

/** A 2xx answer that is not what the Prometheus HTTP API returns. */
export class PrometheusResponseError extends PrometheusError {
  constructor(
    readonly path: string,
    detail: string
  ) {
    super(
      `The answer to ${path} is not a Prometheus API response (${detail}). ` +
        'Check that the data source URL points at Prometheus (or Mimir, Thanos, VictoriaMetrics), without /api/v1.'
    );
  }
}

function httpAdvice(status: number, path: string): string {
  const head = `Prometheus request ${path} failed with HTTP ${status}:`;
  if (status === 401 || status === 403) {
    return `${head} access denied; check the data source's credentials (user, password or token) and its permissions.`;
  }
  if (status === 404) {
    return `${head} not found; check that the data source URL is the Prometheus base URL (without /api/v1).`;
  }
  if (status === 429) {
    return `${head} too many requests; wait a moment and retry, or lower the dashboard's refresh rate.`;
  }
  if (status === 502 || status === 503 || status === 504) {
    return `${head} Prometheus (or a proxy in front of it) is overloaded or down; ${LONG_QUERY_ADVICE}.`;
  }
  if (status >= 500) {
    return `${head} server error; check Prometheus' logs.`;
  }
  return `${head} the request was rejected; check the data source URL and settings.`;
}

/**
 * VictoriaMetrics answers a query it cannot parse with 422 and `errorType` "422", like an execution error; its
 * MetricsQL parser's messages tell the two apart (`Parse` in VictoriaMetrics/metricsql: "…; unparsed data: …",
 * "unparsed data left: …", "cannot find the first token: …").
 */
const VICTORIA_METRICS_PARSE_ERROR = /; unparsed data: |unparsed data left: |cannot find the first token: /;

function queryAdvice(status: number, errorType: string, error: string, query: string | undefined): string {
  const quoted = query ? ` Query: ${query}` : '';
  if (errorType === 'bad_data' || status === 400 || (status === 422 && VICTORIA_METRICS_PARSE_ERROR.test(error))) {
    return `The PromQL is invalid: Prometheus says "${error}".${quoted}`;
  }
  if (errorType === 'timeout' || errorType === 'canceled' || status === 503) {
    return `Prometheus gave up on the query (${errorType}: ${error}): it is overloaded or the query is too expensive; ${LONG_QUERY_ADVICE}.${quoted}`;
  }
  if (errorType === 'execution' || status === 422) {
    return `Prometheus could not execute the query: "${error}". If it mentions too many samples or points, ${LONG_QUERY_ADVICE}.${quoted}`;
  }
  if (status === 401 || status === 403) {
    return `Prometheus refused access (${error}); check the data source's credentials (user, password or token).`;
  }
  return `Prometheus failed with HTTP ${status} (${errorType}: ${error}); check Prometheus' logs.${quoted}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
