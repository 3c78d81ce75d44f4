import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { PrometheusTimeoutError, PrometheusUnreachableError } from '../prometheus/errors';
import { createGrafanaTransport } from './grafanaTransport';

/**
 * Grafana's backend service cannot run here, so its `fetch` is replaced by one that answers the way Grafana's does:
 * an Observable of the response for 2xx, an error carrying `status` and `data` for other statuses.
 */
function useBackend(fetch: (options: BackendSrvRequest) => Observable<FetchResponse<unknown>>): BackendSrvRequest[] {
  const seen: BackendSrvRequest[] = [];
  setBackendSrv({
    fetch: (options: BackendSrvRequest) => {
      seen.push(options);
      return fetch(options);
    },
  } as unknown as BackendSrv);
  return seen;
}

function okResponse(options: BackendSrvRequest, data: unknown): FetchResponse<unknown> {
  return {
    data,
    status: 200,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: options.url,
    config: options,
  };
}

const request = { path: '/api/v1/query', params: { query: 'up{job="a,b"}', time: '1700000000' }, timeoutMs: 1000 };

describe('createGrafanaTransport', () => {
  it("sends the request to the Prometheus data source's resource route without error toasts", async () => {
    const body = { status: 'success', data: { resultType: 'vector', result: [] } };
    const seen = useBackend((options) => of(okResponse(options, body)));

    const response = await createGrafanaTransport('prom-uid')(request);

    expect(response).toEqual({ status: 200, body });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/datasources/uid/prom-uid/resources/api/v1/query');
    expect(seen[0].method).toBe('GET');
    expect(seen[0].params).toEqual({ query: 'up{job="a,b"}', time: '1700000000' });
    expect(seen[0].showErrorAlert).toBe(false);
  });

  it('resolves with status and body when Grafana reports an HTTP error status', async () => {
    const errorBody = { status: 'error', errorType: 'bad_data', error: 'parse error' };
    useBackend((options) =>
      throwError(() => ({ status: 400, statusText: 'Bad Request', data: errorBody, config: options }))
    );

    await expect(createGrafanaTransport('prom-uid')(request)).resolves.toEqual({ status: 400, body: errorBody });
  });

  it('resolves a 502 from Grafana itself (Prometheus behind it is down)', async () => {
    const errorBody = { message: 'Bad Gateway' };
    useBackend((options) => throwError(() => ({ status: 502, data: errorBody, config: options })));

    await expect(createGrafanaTransport('prom-uid')(request)).resolves.toEqual({ status: 502, body: errorBody });
  });

  it('rejects with an unreachable error when no response arrived', async () => {
    useBackend(() => throwError(() => new TypeError('Failed to fetch')));

    const failure = createGrafanaTransport('prom-uid')(request);

    await expect(failure).rejects.toBeInstanceOf(PrometheusUnreachableError);
    await expect(failure).rejects.toThrow(/Failed to fetch/);
  });

  it('rejects a cancelled request that Grafana reports with status -1', async () => {
    useBackend((options) =>
      throwError(() => ({ status: -1, cancelled: true, statusText: 'Request was aborted', data: [], config: options }))
    );

    await expect(createGrafanaTransport('prom-uid')(request)).rejects.toThrow(/Request was aborted/);
  });

  it('rejects with a timeout error when no answer comes within timeoutMs', async () => {
    useBackend(
      (options) =>
        new Observable((subscriber) => {
          options.abortSignal?.addEventListener('abort', () =>
            subscriber.error(new DOMException('aborted', 'AbortError'))
          );
        })
    );

    await expect(createGrafanaTransport('prom-uid')({ ...request, timeoutMs: 20 })).rejects.toBeInstanceOf(
      PrometheusTimeoutError
    );
  });

  it("passes the caller's own abort through unchanged", async () => {
    const abortError = new DOMException('aborted', 'AbortError');
    useBackend(
      (options) =>
        new Observable((subscriber) => {
          options.abortSignal?.addEventListener('abort', () => subscriber.error(abortError));
        })
    );
    const controller = new AbortController();

    const pending = createGrafanaTransport('prom-uid')({ ...request, signal: controller.signal });
    controller.abort();

    await expect(pending).rejects.toBe(abortError);
  });
});
