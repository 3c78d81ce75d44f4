/**
 * Typed failures of the Prometheus layer. Every message says what went wrong and what a person can do about it,
 * because these messages reach dashboards and the command line unchanged; credentials an answer echoed are redacted.
 */
import { redactCredentials, redactedFigures } from './redact';

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

/** Which advice a non-2xx answer that is not a Prometheus error envelope gets (`httpAdvice`). */
export type HttpAdvice =
  'access-denied' | 'not-found' | 'too-many-requests' | 'overloaded' | 'server-error' | 'rejected';

/** Which advice a Prometheus error envelope gets (`queryAdvice`). */
export type QueryAdvice = 'invalid-promql' | 'gave-up' | 'execution' | 'access-refused' | 'failed';

/**
 * The code and figures of a Prometheus failure's message, so Headroom's pages and panels word it in the user's
 * language (frames/frameTexts.ts); the message stays English. The figures that quote an answer are redacted like the
 * message.
 */
export type PrometheusErrorText =
  | { code: 'prometheus-unreachable'; target: string; cause: string }
  | { code: 'prometheus-timeout'; target: string; seconds: number }
  | { code: 'prometheus-http'; advice: HttpAdvice; status: number; path: string; answer: string }
  | {
      code: 'prometheus-query';
      advice: QueryAdvice;
      status: number;
      errorType: string;
      error: string;
      /** Empty when the message names no query. */
      query: string;
    }
  | { code: 'prometheus-response'; path: string; detail: string };

/** No HTTP answer at all: wrong URL, Prometheus down, DNS or network failure. */
export class PrometheusUnreachableError extends PrometheusError {
  readonly text: PrometheusErrorText;

  constructor(
    readonly target: string,
    readonly causeMessage: string
  ) {
    super(
      `Cannot reach Prometheus at ${target} (${causeMessage}). ` +
        'Check the data source URL, that Prometheus is running, and that the network allows the connection.'
    );
    this.text = redactedFigures({ code: 'prometheus-unreachable', target, cause: causeMessage });
  }
}

/** The request was sent but no answer came within the time limit. */
export class PrometheusTimeoutError extends PrometheusError {
  readonly text: PrometheusErrorText;

  constructor(
    readonly target: string,
    readonly timeoutMs: number
  ) {
    super(
      `Prometheus at ${target} did not answer within ${formatSeconds(timeoutMs)}: it is overloaded or the query is too ` +
        `expensive; ${LONG_QUERY_ADVICE}.`
    );
    this.text = redactedFigures({ code: 'prometheus-timeout', target, seconds: secondsOf(timeoutMs) });
  }
}

/** A non-2xx answer that is not a Prometheus error envelope (a proxy, Grafana or an auth layer answered). */
export class PrometheusHttpError extends PrometheusError {
  readonly text: PrometheusErrorText;

  constructor(
    readonly status: number,
    readonly path: string,
    readonly bodyExcerpt: string
  ) {
    const advice = httpAdviceOf(status);
    super(
      `${HTTP_ADVICE[advice](`Prometheus request ${path} failed with HTTP ${status}:`)}${bodyExcerpt ? ` Answer: ${bodyExcerpt}` : ''}`
    );
    this.text = redactedFigures({ code: 'prometheus-http', advice, status, path, answer: bodyExcerpt });
  }
}

/** Prometheus answered `{"status":"error","errorType":...,"error":...}`. */
export class PrometheusQueryError extends PrometheusError {
  readonly text: PrometheusErrorText;

  constructor(
    readonly status: number,
    readonly errorType: string,
    readonly prometheusError: string,
    readonly query?: string
  ) {
    const advice = queryAdviceOf(status, errorType, prometheusError);
    super(queryText(advice, status, errorType, prometheusError, query));
    this.text = redactedFigures({
      code: 'prometheus-query',
      advice,
      status,
      errorType,
      error: prometheusError,
      query: advice === 'access-refused' ? '' : (query ?? ''),
    });
  }
}

/** A 2xx answer that is not what the Prometheus HTTP API returns. */
export class PrometheusResponseError extends PrometheusError {
  readonly text: PrometheusErrorText;

  constructor(
    readonly path: string,
    detail: string
  ) {
    super(
      `The answer to ${path} is not a Prometheus API response (${detail}). ` +
        'Check that the data source URL points at Prometheus (or Mimir, Thanos, VictoriaMetrics), without /api/v1.'
    );
    this.text = redactedFigures({ code: 'prometheus-response', path, detail });
  }
}

function httpAdviceOf(status: number): HttpAdvice {
  if (status === 401 || status === 403) {
    return 'access-denied';
  }
  if (status === 404) {
    return 'not-found';
  }
  if (status === 429) {
    return 'too-many-requests';
  }
  if (status === 502 || status === 503 || status === 504) {
    return 'overloaded';
  }
  return status >= 500 ? 'server-error' : 'rejected';
}

/** Each advice after `head` (`Prometheus request <path> failed with HTTP <status>:`). */
const HTTP_ADVICE: Record<HttpAdvice, (head: string) => string> = {
  'access-denied': (head) =>
    `${head} access denied; check the data source's credentials (user, password or token) and its permissions.`,
  'not-found': (head) =>
    `${head} not found; check that the data source URL is the Prometheus base URL (without /api/v1).`,
  'too-many-requests': (head) =>
    `${head} too many requests; wait a moment and retry, or lower the dashboard's refresh rate.`,
  overloaded: (head) => `${head} Prometheus (or a proxy in front of it) is overloaded or down; ${LONG_QUERY_ADVICE}.`,
  'server-error': (head) => `${head} server error; check Prometheus' logs.`,
  rejected: (head) => `${head} the request was rejected; check the data source URL and settings.`,
};

/**
 * VictoriaMetrics answers a query it cannot parse with 422 and `errorType` "422", like an execution error; its
 * MetricsQL parser's messages tell the two apart (`Parse` in VictoriaMetrics/metricsql: "…; unparsed data: …",
 * "unparsed data left: …", "cannot find the first token: …").
 */
const VICTORIA_METRICS_PARSE_ERROR = /; unparsed data: |unparsed data left: |cannot find the first token: /;

function queryAdviceOf(status: number, errorType: string, error: string): QueryAdvice {
  if (errorType === 'bad_data' || status === 400 || (status === 422 && VICTORIA_METRICS_PARSE_ERROR.test(error))) {
    return 'invalid-promql';
  }
  if (errorType === 'timeout' || errorType === 'canceled' || status === 503) {
    return 'gave-up';
  }
  if (errorType === 'execution' || status === 422) {
    return 'execution';
  }
  return status === 401 || status === 403 ? 'access-refused' : 'failed';
}

function queryText(
  advice: QueryAdvice,
  status: number,
  errorType: string,
  error: string,
  query: string | undefined
): string {
  const quoted = query ? ` Query: ${query}` : '';
  switch (advice) {
    case 'invalid-promql':
      return `The PromQL is invalid: Prometheus says "${error}".${quoted}`;
    case 'gave-up':
      return `Prometheus gave up on the query (${errorType}: ${error}): it is overloaded or the query is too expensive; ${LONG_QUERY_ADVICE}.${quoted}`;
    case 'execution':
      return `Prometheus could not execute the query: "${error}". If it mentions too many samples or points, ${LONG_QUERY_ADVICE}.${quoted}`;
    case 'access-refused':
      return `Prometheus refused access (${error}); check the data source's credentials (user, password or token).`;
    case 'failed':
      return `Prometheus failed with HTTP ${status} (${errorType}: ${error}); check Prometheus' logs.${quoted}`;
  }
}

function secondsOf(ms: number): number {
  return Number((ms / 1000).toFixed(3));
}

function formatSeconds(ms: number): string {
  return `${secondsOf(ms)} s`;
}
