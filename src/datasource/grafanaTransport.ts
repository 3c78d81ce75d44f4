/**
 * Carries Prometheus API requests through Grafana's backend: `/api/datasources/uid/<uid>/resources/api/v1/...` is
 * forwarded by the Prometheus data source plugin to its server with the data source's own auth, so Headroom never
 * sees credentials.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { sendWithDeadline } from '../prometheus/sendWithDeadline';
import type { PrometheusHttpRequest, PrometheusHttpResponse, PrometheusTransport } from '../prometheus/types';

function prometheusResourcesUrl(prometheusUid: string): string {
  return `/api/datasources/uid/${encodeURIComponent(prometheusUid)}/resources`;
}

export function createGrafanaTransport(prometheusUid: string): PrometheusTransport {
  const baseUrl = prometheusResourcesUrl(prometheusUid);
  const target = `Grafana's proxy for data source ${prometheusUid}`;

  return async (request: PrometheusHttpRequest): Promise<PrometheusHttpResponse> => {
    return sendWithDeadline(
      request,
      target,
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
          // Grafana's backend service throws for every non-2xx answer; an answer is still an answer.
          if (isFetchError(error) && error.status > 0 && !error.cancelled) {
            return { status: error.status, body: error.data };
          }
          throw error;
        }
      },
      describeFailure
    );
  };
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  if (isFetchError(error)) {
    return error.statusText || error.message || `status ${error.status}`;
  }
  return String(error);
}
