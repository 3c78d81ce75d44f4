import type { DataSourcePluginMeta } from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
  type FetchError,
} from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import {
  connectionPath,
  NO_PROMETHEUS_MESSAGE,
  prometheusConnection,
  type HeadroomInstanceSettings,
} from './connection';
import { HeadroomDataSource } from './datasource';
import { GrafanaTemplateSrv } from './testing/sceneTemplateSrv';
import { headroomSettings } from './testing/queryRequest';
import type { HeadroomDataSourceOptions } from './types';

/** Grafana's meta of the data source plugin: `backend` is plugin.json's, true when Grafana runs its backend. */
function settings(jsonData: HeadroomDataSourceOptions, backend: boolean): HeadroomInstanceSettings {
  return { uid: 'headroom', jsonData, meta: { backend } as DataSourcePluginMeta };
}

/** Records the URLs the browser asks Grafana for and answers each with `answer`. */
function recordRequests(answer: (options: BackendSrvRequest) => Observable<unknown>): string[] {
  const urls: string[] = [];
  setBackendSrv({
    fetch: (options: BackendSrvRequest) => {
      urls.push(options.url);
      return answer(options);
    },
  } as unknown as BackendSrv);
  return urls;
}

const VECTOR = { status: 'success', data: { resultType: 'vector', result: [] } };
const ok = (options: BackendSrvRequest) => of({ data: VECTOR, status: 200, config: options });

function registerDataSources(jsonDataByUid: Record<string, object>) {
  setDataSourceSrv({
    getInstanceSettings: (uid?: unknown) =>
      typeof uid === 'string' && jsonDataByUid[uid] ? { uid, name: uid, jsonData: jsonDataByUid[uid] } : undefined,
  } as unknown as DataSourceSrv);
}

describe('the connection path', () => {
  beforeEach(() => registerDataSources({}));

  it("goes through Headroom's own backend when the settings have a URL and Grafana runs the backend", async () => {
    const urls = recordRequests(ok);
    const connection = prometheusConnection(settings({ ownConnection: true, prometheusUid: 'prom' }, true));

    await connection.client.queryInstant('up', 1_700_000_000);

    expect(connection.path).toBe('own');
    expect(urls).toEqual(['/api/datasources/uid/headroom/resources/api/v1/query']);
    // The rules still run on the person's Prometheus data source.
    expect(connection.prometheusUid).toBe('prom');
  });

  it('borrows the Prometheus data source when no URL is set (settings from before the backend)', async () => {
    const urls = recordRequests(ok);
    const connection = prometheusConnection(settings({ prometheusUid: 'prom' }, true));

    await connection.client.queryInstant('up', 1_700_000_000);

    expect(connection.path).toBe('borrowed');
    expect(urls).toEqual(['/api/datasources/uid/prom/resources/api/v1/query']);
  });

  it('borrows too when a URL is set but this build of the plugin has no backend for Grafana to run', () => {
    expect(connectionPath(settings({ ownConnection: true, prometheusUid: 'prom' }, false))).toBe('borrowed');
    expect(() => prometheusConnection(settings({ ownConnection: true }, false))).toThrow(NO_PROMETHEUS_MESSAGE);
  });

  it('says what to configure when there is neither', () => {
    expect(connectionPath(settings({}, true))).toBeUndefined();
    expect(() => prometheusConnection(settings({ ownConnection: false }, true))).toThrow(NO_PROMETHEUS_MESSAGE);
  });

  it("redacts the values of Headroom's own custom headers on its own path", async () => {
    const secret = 'tenant-7';
    registerDataSources({ headroom: { ownConnection: true, httpHeaderName1: 'X-Scope-OrgID' } });
    // A proxy before Prometheus echoes the request's headers into its error page, passed on as a text body.
    const page = `upstream refused. request headers: X-Scope-OrgID: ${secret} User-Agent: Grafana`;
    recordRequests((options) =>
      throwError((): FetchError => ({
        status: 502,
        statusText: 'Bad Gateway',
        data: { message: page, error: 'Bad Gateway', response: page },
        config: options,
      }))
    );
    const connection = prometheusConnection(settings({ ownConnection: true }, true));

    const failure = await connection.client.queryInstant('up', 1).catch((error: unknown) => error);

    const shown = connection.messageOf(failure);
    expect(shown).toContain('request headers: X-Scope-OrgID: [redacted] User-Agent: Grafana');
    expect(shown).not.toContain(secret);
  });
});

describe("the health check on Headroom's own path", () => {
  beforeEach(() => registerDataSources({}));

  it("fails with the backend's message, which names the cause, before asking Prometheus for metrics", async () => {
    const message = 'Prometheus request /api/v1/query failed with HTTP 401: access denied; check the credentials.';
    const urls = recordRequests((options) =>
      throwError((): FetchError => ({ status: 400, data: { status: 'ERROR', message }, config: options }))
    );
    const instance = { ...headroomSettings({ ownConnection: true }), meta: { backend: true } as DataSourcePluginMeta };

    const result = await new HeadroomDataSource(instance, new GrafanaTemplateSrv()).testDatasource();

    expect(result).toEqual({ status: 'error', message: `Headroom cannot read from Prometheus. ${message}` });
    expect(urls).toEqual(['/api/datasources/uid/headroom/health']);
  });
});
