/**
 * Carries Prometheus API requests through Grafana's backend: `/api/datasources/uid/<uid>/resources/api/v1/...` goes
 * to the backend of the data source `<uid>`, Headroom's own (src/backend/callResource.ts) or a Prometheus data
 * source, which forwards it to Prometheus with the data source's own auth, so the browser never holds credentials.
 * Grafana 12.4 passes a GET on as a GET with the query string as sent, without retrying, and answers for Prometheus
 * when it cannot (docs/grafana-compatibility.md, "Resource proxy"); those answers become
 * `GrafanaProxyError`s, Prometheus' own are passed on.
 */
import { getBackendSrv, getDataSourceSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { PrometheusResponseError } from '../prometheus/errors';
import { sendWithDeadline } from '../prometheus/sendWithDeadline';
import type { PrometheusHttpRequest, PrometheusHttpResponse, PrometheusTransport } from '../prometheus/types';
import { grafanaAnswer, grafanaProxyFailure, GrafanaProxyError, type ProxiedDataSource } from './grafanaProxyErrors';

/** grafana-plugin-sdk-go's default HTTP client timeout, for a data source without its own `timeout`. */
const GRAFANA_DEFAULT_TIMEOUT_SECONDS = 30;
/**
 * Headroom waits this much longer than the data source's timeout, so that when Prometheus is slow Grafana's own
 * answer (which names the cause) arrives before Headroom gives up.
 */
const GRAFANA_ANSWER_MARGIN_MS = 10_000;

function prometheusResourcesUrl(dataSourceUid: string): string {
  return `/api/datasources/uid/${encodeURIComponent(dataSourceUid)}/resources`;
}

/** The data source as Grafana's frontend knows it: its name and the `timeout` that bounds Grafana's upstream call. */
function proxiedDataSource(uid: string): ProxiedDataSource {
  const settings = getDataSourceSrv().getInstanceSettings(uid);
  const timeout: unknown = (settings?.jsonData as { timeout?: unknown } | undefined)?.timeout;
  return {
    uid,
    name: settings?.name,
    timeoutSeconds: typeof timeout === 'number' && timeout > 0 ? timeout : GRAFANA_DEFAULT_TIMEOUT_SECONDS,
  };
}

/**
 * The names of the Prometheus data source's custom HTTP headers (`jsonData.httpHeaderName<n>`). Grafana adds their
 * values server-side from secureJsonData and never sends them to the browser, but a proxy before Prometheus may echo
 * them into an error body, which Grafana passes on verbatim: messages redact the values of headers of these names.
 */
export function secretHeaderNames(dataSourceUid: string | undefined): string[] {
  let jsonData: object = {};
  try {
    jsonData = (dataSourceUid ? getDataSourceSrv().getInstanceSettings(dataSourceUid)?.jsonData : undefined) ?? {};
  } catch {
    // No data source service (outside Grafana): there are no custom headers to know of, and a message must not throw.
  }
  return Object.entries(jsonData).flatMap(([key, value]) =>
    /^httpHeaderName\d+$/.test(key) && typeof value === 'string' && value.trim() !== '' ? [value.trim()] : []
  );
}

export function createGrafanaTransport(dataSourceUid: string): PrometheusTransport {
  const baseUrl = prometheusResourcesUrl(dataSourceUid);

  return async (request: PrometheusHttpRequest): Promise<PrometheusHttpResponse> => {
    const dataSource = proxiedDataSource(dataSourceUid);
    const timeoutMs = Math.max(request.timeoutMs, dataSource.timeoutSeconds * 1000 + GRAFANA_ANSWER_MARGIN_MS);
    return sendWithDeadline(
      { ...request, timeoutMs },
      `Grafana's proxy for data source ${dataSourceUid}`,
      async (signal) => {
        try {
          const response = await lastValueFrom(
            getBackendSrv().fetch<unknown>({
              url: baseUrl + request.path,
              method: 'GET',
              params: request.params,
              abortSignal: signal,
              // Errors reach the panel as query errors with advice; a toast on top would say it twice.
              showErrorAlert: false,
            })
          );
          return { status: response.status, body: response.data };
        } catch (error) {
          return answerOf(error, request.path, dataSource);
        }
      },
      {
        noAnswer: (error) => new GrafanaProxyError('no-grafana', dataSource, { message: describeFailure(error) }),
        deadlinePassed: (ms) =>
          new GrafanaProxyError('no-grafana', dataSource, { message: `nothing within ${ms / 1000} s` }),
      }
    );
  };
}

/**
 * BackendSrv throws for every non-2xx answer: `{ status, data }`, `data` being the parsed JSON body, or for a text
 * body `{ message: text, error: statusText, response: text }`. An answer is still an answer, unless Grafana made it.
 */
function answerOf(error: unknown, path: string, dataSource: ProxiedDataSource): PrometheusHttpResponse {
  if (isFetchError(error) && error.status > 0 && !error.cancelled) {
    const failure = grafanaProxyFailure(error.status, error.data);
    if (failure) {
      throw new GrafanaProxyError(failure, dataSource, grafanaAnswer(error.status, error.data));
    }
    return { status: error.status, body: upstreamBody(error.data) };
  }
  if (error instanceof SyntaxError) {
    // BackendSrv could not parse a body sent as JSON.
    throw new PrometheusResponseError(path, `invalid JSON: ${error.message}`);
  }
  throw error;
}

function upstreamBody(data: unknown): unknown {
  const wrapped = data as { message?: unknown; response?: unknown } | null;
  return typeof wrapped?.response === 'string' && wrapped.message === wrapped.response ? wrapped.response : data;
}

function describeFailure(error: unknown): string {
  if (isFetchError(error)) {
    return error.statusText || `status ${error.status}`;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
