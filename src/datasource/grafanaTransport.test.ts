import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
  type FetchError,
  type FetchResponse,
} from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { createPrometheusClient } from '../prometheus/client';
import { PrometheusQueryError, PrometheusResponseError } from '../prometheus/errors';
import { GrafanaProxyError } from './grafanaProxyErrors';
import { prometheusErrorMessage } from './connection';
import { createGrafanaTransport, secretHeaderNames } from './grafanaTransport';

/**
 * Grafana's backend service cannot run here, so its `fetch` is replaced by one that answers the way Grafana 12.4's
 * BackendSrv does: an Observable of the response for 2xx; for other statuses an error with `status`, `statusText`,
 * `data` and `config` and no top-level `message`, `data` being the parsed JSON body or, for a text body,
 * `{ message: text, error: statusText, response: text }` (processRequestError).
 */
function fakeBackend(fetch: (options: BackendSrvRequest) => Observable<FetchResponse<unknown>>): BackendSrvRequest[] {
  const seen: BackendSrvRequest[] = [];
  setBackendSrv({
    fetch: (options: BackendSrvRequest) => {
      seen.push(options);
      return fetch(options);
    },
  } as unknown as BackendSrv);
  return seen;
}

function answerWith(status: number, statusText: string, data: unknown) {
  return fakeBackend((options) => throwError((): FetchError => ({ status, statusText, data, config: options })));
}

/** A text body (a proxy's HTML page, Prometheus' 404) as BackendSrv hands it over. */
const textBody = (text: string, statusText: string) => ({ message: text, error: statusText, response: text });

/** The Prometheus data source as Grafana's frontend knows it; `jsonData.timeout` only when given. */
function registerPrometheusDataSource(jsonData: Record<string, unknown> = {}) {
  const settings = { uid: 'prom-uid', name: 'Prometheus', type: 'prometheus', jsonData };
  setDataSourceSrv({
    getInstanceSettings: (ref?: unknown) => (ref === settings.uid ? settings : undefined),
  } as unknown as DataSourceSrv);
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

/** Never answers; fails the way fetch does when the request's abort signal fires. */
const hangingBackend = () =>
  fakeBackend(
    (options) =>
      new Observable((subscriber) => {
        options.abortSignal?.addEventListener('abort', () =>
          subscriber.error(new DOMException('aborted', 'AbortError'))
        );
      })
  );

const request = { path: '/api/v1/query', params: { query: 'up{job="a,b"}', time: '1700000000' }, timeoutMs: 1000 };

beforeEach(() => registerPrometheusDataSource());

afterEach(() => jest.useRealTimers());

describe('createGrafanaTransport', () => {
  it("sends a GET to the Prometheus data source's resource route without error toasts (they bypass redaction)", async () => {
    const body = { status: 'success', data: { resultType: 'vector', result: [] } };
    const seen = fakeBackend((options) => of(okResponse(options, body)));

    const response = await createGrafanaTransport('prom-uid')(request);

    expect(response).toEqual({ status: 200, body });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/datasources/uid/prom-uid/resources/api/v1/query');
    expect(seen[0].method).toBe('GET');
    expect(seen[0].params).toEqual({ query: 'up{job="a,b"}', time: '1700000000' });
    // Grafana's toast would show the answer's body as it came, credentials included (backend_srv.ts showErrorAlert).
    expect(seen[0].showErrorAlert).toBe(false);
  });

  it("passes Prometheus' own error envelope on: invalid PromQL is one request and one clear message", async () => {
    const envelope = { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' };
    answerWith(400, 'Bad Request', envelope);
    await expect(createGrafanaTransport('prom-uid')(request)).resolves.toEqual({ status: 400, body: envelope });

    const seen = answerWith(400, 'Bad Request', envelope);
    const failure = createPrometheusClient(createGrafanaTransport('prom-uid')).queryInstant('sum(rate(', 1);
    await expect(failure).rejects.toBeInstanceOf(PrometheusQueryError);
    await expect(failure).rejects.toThrow(
      'The PromQL is invalid: Prometheus says "1:5: parse error: unclosed left parenthesis". Query: sum(rate('
    );
    // Grafana 12.4 does not retry a 400 (pkg/promlib/client QueryResource), and neither does Headroom.
    expect(seen).toHaveLength(1);
  });

  it('passes a text answer from Prometheus or a proxy in front of it on as the text it was', async () => {
    answerWith(404, 'Not Found', textBody('404 page not found\n', 'Not Found'));
    await expect(createGrafanaTransport('prom-uid')(request)).resolves.toEqual({
      status: 404,
      body: '404 page not found\n',
    });

    answerWith(403, 'Forbidden', textBody('Forbidden', 'Forbidden'));
    await expect(createGrafanaTransport('prom-uid')(request)).resolves.toEqual({ status: 403, body: 'Forbidden' });
  });

  it("redacts the values of the data source's custom headers that a proxy before Prometheus echoes", async () => {
    // The browser knows only the names (jsonData.httpHeaderName<n>); the values stay in Grafana's secureJsonData.
    registerPrometheusDataSource({
      httpHeaderName1: 'X-Scope-OrgID',
      httpHeaderName2: 'X-Sumo-Key',
      httpHeaderValue1: 1,
    });
    const page = 'upstream refused. request headers: X-Scope-OrgID: tenant-7 X-Sumo-Key: sk.9f2e User-Agent: Grafana';
    answerWith(502, 'Bad Gateway', textBody(page, 'Bad Gateway'));
    const failure = await createPrometheusClient(createGrafanaTransport('prom-uid'))
      .queryInstant('up', 1)
      .catch((error: unknown) => error);

    expect(secretHeaderNames('prom-uid')).toEqual(['X-Scope-OrgID', 'X-Sumo-Key']);
    const shown = prometheusErrorMessage('prom-uid')(failure);
    expect(shown).toContain('request headers: X-Scope-OrgID: [redacted] X-Sumo-Key: [redacted] User-Agent: Grafana');
    expect(shown).not.toMatch(/tenant-7|sk\.9f2e/);
  });

  describe("Grafana's own answers", () => {
    it("500 plugin.requestFailureError: Grafana got no answer from Prometheus; names the timeout and Grafana's log", async () => {
      registerPrometheusDataSource({ timeout: 60 });
      answerWith(500, 'Internal Server Error', {
        statusCode: 500,
        messageId: 'plugin.requestFailureError',
        message: 'An error occurred within the plugin',
      });

      const failure = createGrafanaTransport('prom-uid')(request);

      await expect(failure).rejects.toMatchObject({ name: 'GrafanaProxyError', failure: 'no-answer' });
      await expect(failure).rejects.toThrow(
        'Grafana could not get an answer from Prometheus for the data source "Prometheus" (uid prom-uid): ' +
          "Prometheus is unreachable or slower than the data source's timeout (60 s). The cause is in Grafana's " +
          'server log (search for plugin.requestFailureError).'
      );
    });

    it('500 "Failed to call resource" (Grafana 11 and older) reads the same', async () => {
      answerWith(500, 'Internal Server Error', { message: 'Failed to call resource', traceID: '' });

      const failure = createGrafanaTransport('prom-uid')(request);

      await expect(failure).rejects.toMatchObject({ failure: 'no-answer' });
      await expect(failure).rejects.toThrow(/could not get an answer from Prometheus.*timeout \(30 s\)/);
    });

    it('500 "Unable to load datasource meta data": the data source in Headroom\'s settings is gone', async () => {
      answerWith(500, 'Internal Server Error', { message: 'Unable to load datasource meta data', traceID: '' });

      const failure = createGrafanaTransport('deleted-uid')(request);

      await expect(failure).rejects.toMatchObject({ failure: 'missing' });
      await expect(failure).rejects.toThrow(
        'Headroom reads from the Prometheus data source with uid "deleted-uid", which no longer exists in Grafana'
      );
      await expect(failure).rejects.toThrow(/choose the Prometheus data source again, then Save & test\.$/);
    });

    it.each([
      ['the data source check', { message: 'Access denied to datasource', traceID: '' }],
      ['the request validator', { message: 'Access denied', traceID: '' }],
      [
        "the route's permission check",
        {
          title: 'Access denied',
          message: "You'll need additional permissions to perform this action. Permissions needed: datasources:query",
          accessErrorId: 'ACE0123456789',
        },
      ],
    ])('403 from %s: no permission to query the data source', async (_, body) => {
      answerWith(403, 'Forbidden', body);

      const failure = createGrafanaTransport('prom-uid')(request);

      await expect(failure).rejects.toMatchObject({ failure: 'forbidden' });
      await expect(failure).rejects.toThrow(
        /^You have no permission to query the Prometheus data source "Prometheus" \(uid prom-uid\)/
      );
    });

    it('400 "UID is invalid": the uid in Headroom\'s settings is malformed', async () => {
      answerWith(400, 'Bad Request', { message: 'UID is invalid' });

      const failure = createGrafanaTransport('prom.uid')(request);

      await expect(failure).rejects.toMatchObject({ failure: 'invalid-uid' });
      await expect(failure).rejects.toThrow(/uid "prom\.uid", which is not a valid data source uid/);
    });

    it("another Grafana error (a messageId) is reported as Grafana's, not as Prometheus'", async () => {
      answerWith(500, 'Internal Server Error', {
        statusCode: 500,
        messageId: 'plugin.unavailable',
        message: 'Plugin unavailable',
      });

      await expect(createGrafanaTransport('prom-uid')(request)).rejects.toThrow(
        'Grafana answered HTTP 500 instead of Prometheus for the data source "Prometheus" (uid prom-uid) ' +
          '(plugin.unavailable: "Plugin unavailable").'
      );
    });
  });

  describe('no answer', () => {
    it('from Grafana at all (the browser could not reach it)', async () => {
      fakeBackend(() => throwError(() => new TypeError('Failed to fetch')));

      const failure = createGrafanaTransport('prom-uid')(request);

      await expect(failure).rejects.toMatchObject({ failure: 'no-grafana' });
      await expect(failure).rejects.toThrow(/^No answer from Grafana's server .* \(Failed to fetch\)\./);
    });

    it('because Grafana cancelled the request (status -1)', async () => {
      fakeBackend((options) =>
        throwError((): FetchError => ({
          status: -1,
          cancelled: true,
          statusText: 'Request was aborted',
          data: null,
          config: options,
        }))
      );

      await expect(createGrafanaTransport('prom-uid')(request)).rejects.toThrow(/\(Request was aborted\)/);
    });

    it('a body BackendSrv could not parse is not a Prometheus answer', async () => {
      fakeBackend(() => throwError(() => new SyntaxError('Unexpected token < in JSON at position 0')));

      const failure = createGrafanaTransport('prom-uid')(request);

      await expect(failure).rejects.toBeInstanceOf(PrometheusResponseError);
      await expect(failure).rejects.toThrow(/invalid JSON: Unexpected token </);
    });
  });

  describe("Headroom's own deadline", () => {
    it("waits 10 s longer than the data source's timeout (30 s by default), so Grafana's answer comes first", async () => {
      jest.useFakeTimers();
      hangingBackend();
      const outcome = jest.fn();

      void createGrafanaTransport('prom-uid')(request).catch(outcome);
      await jest.advanceTimersByTimeAsync(39_999);
      expect(outcome).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);

      expect(outcome).toHaveBeenCalledTimes(1);
      expect(outcome.mock.calls[0][0]).toBeInstanceOf(GrafanaProxyError);
      expect(outcome.mock.calls[0][0].message).toMatch(/^No answer from Grafana's server .* \(nothing within 40 s\)/);
    });

    it("follows the data source's own timeout, and keeps a longer request deadline", async () => {
      jest.useFakeTimers();
      registerPrometheusDataSource({ timeout: 120 });
      hangingBackend();
      const derived = jest.fn();
      const longer = jest.fn();

      void createGrafanaTransport('prom-uid')(request).catch(derived);
      void createGrafanaTransport('prom-uid')({ ...request, timeoutMs: 200_000 }).catch(longer);
      await jest.advanceTimersByTimeAsync(129_999);
      expect(derived).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(derived).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(69_999);
      expect(longer).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(longer).toHaveBeenCalledTimes(1);
    });

    it("passes the caller's own abort through unchanged", async () => {
      const abortError = new DOMException('aborted', 'AbortError');
      fakeBackend(
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
});
