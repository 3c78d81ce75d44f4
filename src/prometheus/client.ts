/**
 * The one Prometheus HTTP client. It knows the API paths and answer shapes; the transport decides how bytes travel
 * (fetch in Node, Grafana's backend inside the app), so the same client serves the CLI, tests and the data source.
 */
import { PrometheusError, PrometheusTimeoutError, PrometheusUnreachableError } from './errors';
import { parseLabelSets, parseQueryData, parseStringList, unwrapEnvelope } from './parse';
import { chooseStepSeconds } from './step';
import type {
  PrometheusClient,
  PrometheusHttpResponse,
  PrometheusTransport,
  QueryResult,
  RangeQueryOptions,
  TimeRangeSeconds,
} from './types';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface PrometheusClientOptions {
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export function createPrometheusClient(
  transport: PrometheusTransport,
  options: PrometheusClientOptions = {}
): PrometheusClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function get(
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
    onBodyReceived?: () => void
  ): Promise<PrometheusHttpResponse> {
    const emptyParams = Object.keys(params).filter((name) => params[name] === '');
    if (emptyParams.length > 0) {
      // Grafana's BackendSrv drops empty parameters, so Prometheus would answer another request than the CLI's.
      throw new Error(
        `Headroom built the Prometheus request ${path} with empty parameters (${emptyParams.join(', ')}); ` +
          'this is a bug in Headroom, please report it with the query that caused it.'
      );
    }
    try {
      return await transport({ path, params, timeoutMs, signal, ...(onBodyReceived && { onBodyReceived }) });
    } catch (error) {
      throw transportFailure(error, path, timeoutMs, signal);
    }
  }

  async function query(
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
    onBodyReceived?: () => void
  ): Promise<QueryResult> {
    const response = await get(path, params, signal, onBodyReceived);
    const { data, warnings } = unwrapEnvelope(response, path, params.query);
    return { series: parseQueryData(data, path), warnings };
  }

  /**
   * Metadata endpoints OR several `match[]` selectors; the transport carries one value per parameter, so each
   * selector is its own request and the caller merges the answers.
   */
  function metadata(path: string, matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal) {
    const params = rangeParams(range);
    const selectors = matchers.length > 0 ? matchers : [undefined];
    return Promise.all(
      selectors.map(async (m) => {
        const response = await get(path, m === undefined ? params : { ...params, 'match[]': m }, signal);
        return unwrapEnvelope(response, path).data;
      })
    );
  }

  return {
    async queryRange(
      expr: string,
      options: RangeQueryOptions,
      signal?: AbortSignal,
      onBodyReceived?: () => void
    ): Promise<QueryResult> {
      const stepSeconds = options.stepSeconds ?? chooseStepSeconds(options);
      const result = await query(
        '/api/v1/query_range',
        { query: expr, ...rangeParams(options), step: String(stepSeconds) },
        signal,
        onBodyReceived
      );
      return { ...result, stepSeconds };
    },

    queryInstant(expr: string, timeSeconds: number, signal?: AbortSignal): Promise<QueryResult> {
      return query('/api/v1/query', { query: expr, time: String(timeSeconds) }, signal);
    },

    async series(matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal) {
      if (matchers.length === 0) {
        throw new Error('A series lookup needs at least one selector, e.g. {__name__="up"}.');
      }
      const pages = await metadata('/api/v1/series', matchers, range, signal);
      return uniqueBy(
        pages.flatMap((data) => parseLabelSets(data, '/api/v1/series')),
        (labels) => JSON.stringify(Object.entries(labels).sort())
      );
    },

    async labelNames(matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal) {
      const pages = await metadata('/api/v1/labels', matchers, range, signal);
      return sortedUnique(pages.flatMap((data) => parseStringList(data, '/api/v1/labels')));
    },

    async labelValues(label: string, matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal) {
      const path = `/api/v1/label/${encodeURIComponent(label)}/values`;
      const pages = await metadata(path, matchers, range, signal);
      return sortedUnique(pages.flatMap((data) => parseStringList(data, path)));
    },
  };
}

function rangeParams(range: TimeRangeSeconds): Record<string, string> {
  return { start: String(range.startSeconds), end: String(range.endSeconds) };
}

/** Maps whatever a transport rejected with onto the typed errors; a caller's own abort passes through unchanged. */
function transportFailure(error: unknown, path: string, timeoutMs: number, signal?: AbortSignal): unknown {
  if (error instanceof PrometheusError || signal?.aborted) {
    return error;
  }
  // Duck-typed: transports may reject with errors from another realm (workers, test sandboxes).
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
  };
  if (name === 'TimeoutError') {
    return new PrometheusTimeoutError(path, timeoutMs);
  }
  return new PrometheusUnreachableError(path, message === undefined ? String(error) : String(message));
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    seen.set(key(item), item);
  }
  return [...seen.values()];
}
