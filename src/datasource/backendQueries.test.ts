/**
 * The own path's queries: the data source sends the types its backend answers to Grafana's `/api/ds/query` as
 * @grafana/runtime's DataSourceWithBackend sends them, with the app's settings in the queries that read them, and
 * reads the answer with toDataQueryResponse; the LSTM and the borrowed path stay in the browser. Grafana's backend
 * service is the stand-in: it records each request and answers as Grafana does (the JSON of tests/browser/harness).
 */
import type { DataSourcePluginMeta } from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
} from '@grafana/runtime';
import { defer, lastValueFrom } from 'rxjs';

import { HeadroomDataSource, PACKET_KEY } from './datasource';
import { headroomSettings, queryRequest } from './testing/queryRequest';
import { GrafanaTemplateSrv } from './testing/sceneTemplateSrv';
import type { HeadroomDataSourceOptions, HeadroomQuery } from './types';

const APP_SETTINGS = {
  defaultDatasourceUid: 'headroom',
  gpuPrices: [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 0.9, reservedPerGpuHour: 0.6, source: 'contract' }],
  monthlyBudget: 12_000,
  businessCalendar: [{ name: 'Launch', startSeconds: 1_700_000_000, endSeconds: 1_700_086_400, effect: 2 }],
};

/** A frame as Grafana's JSON has it (grafana-plugin-sdk-go data/frame_json.go). */
function frameJson(refId: string, name: string, value: number) {
  return {
    schema: {
      name,
      refId,
      meta: { typeVersion: [0, 0] },
      fields: [{ name: 'GPUs', type: 'number', typeInfo: { frame: 'float64' } }],
    },
    data: { values: [[value]] },
  };
}

interface Recorded {
  url: string;
  method?: string;
  data?: { queries: Array<HeadroomQuery & Record<string, unknown>>; from: string; to: string };
  headers?: Record<string, string>;
}

/** Grafana's answer to the app's settings, by default the settings above; a 403 is custom access rules'. */
type SettingsAnswer = { status: number; data: unknown };
const SETTINGS_OK: SettingsAnswer = { status: 200, data: { jsonData: APP_SETTINGS } };

function useGrafana(
  answer: (request: Recorded) => { status: number; data: unknown },
  settingsAnswer: SettingsAnswer = SETTINGS_OK
): Recorded[] {
  const recorded: Recorded[] = [];
  const respond = (options: BackendSrvRequest) => {
    const request = options as Recorded;
    recorded.push(request);
    const response = options.url === '/api/plugins/headroom-capacity-app/settings' ? settingsAnswer : answer(request);
    if (response.status >= 300) {
      // Grafana's backend service throws a non-2xx answer as a FetchError.
      throw { ...response, statusText: 'Bad Request', config: options };
    }
    return response;
  };
  setBackendSrv({
    fetch: (options: BackendSrvRequest) => defer(async () => respond(options)),
    get: async (url: string) => respond({ url, method: 'GET' }).data,
  } as unknown as BackendSrv);
  setDataSourceSrv({ getInstanceSettings: () => undefined } as unknown as DataSourceSrv);
  return recorded;
}

function ownDataSource(): HeadroomDataSource {
  const settings = headroomSettings({ ownConnection: true } as HeadroomDataSourceOptions);
  settings.meta = { backend: true } as DataSourcePluginMeta;
  return new HeadroomDataSource(settings, new GrafanaTemplateSrv());
}

const dsQueries = (recorded: Recorded[]) => recorded.filter((request) => request.url.startsWith('/api/ds/query'));

describe('HeadroomDataSource on its own path', () => {
  it("sends the backend's query types to /api/ds/query in one request, the app's settings with those that read them", async () => {
    const recorded = useGrafana(() => ({
      status: 200,
      data: {
        results: {
          A: { status: 200, frames: [frameJson('A', 'Fleet', 12)] },
          B: { status: 200, frames: [frameJson('B', 'Forecast', 3)] },
        },
      },
    }));
    const response = await lastValueFrom(
      ownDataSource().query(
        queryRequest<HeadroomQuery>([
          { refId: 'A', queryType: 'inventory', inventoryView: 'fleet' },
          { refId: 'B', queryType: 'forecast', target: 'gpus_allocated', model: 'auto' },
        ])
      )
    );

    const [request] = dsQueries(recorded);
    expect(dsQueries(recorded)).toHaveLength(1);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/api/ds/query?ds_type=headroom-capacity-datasource&requestId=r1');
    expect(request.headers).toMatchObject({
      'X-Plugin-Id': 'headroom-capacity-datasource',
      'X-Datasource-Uid': 'headroom',
    });
    // DataSourceWithBackend's body: the range as strings of epoch milliseconds, each query naming the data source.
    expect(request.data?.from).toBe('1700000000000');
    expect(request.data?.to).toBe('1700003600000');
    expect(request.data?.queries.map((q) => [q.refId, q.datasource, q.intervalMs])).toEqual([
      ['A', { type: 'headroom-capacity-datasource', uid: 'headroom' }, 60_000],
      ['B', { type: 'headroom-capacity-datasource', uid: 'headroom' }, 60_000],
    ]);
    expect(request.data?.queries[0].appSettings).toBeUndefined();
    // Everything the answer reads, not which data source the pages pick.
    expect(request.data?.queries[1].appSettings).toEqual({
      gpuPrices: APP_SETTINGS.gpuPrices,
      monthlyBudget: 12_000,
      businessCalendar: APP_SETTINGS.businessCalendar,
    });
    expect(response.key).toBe(PACKET_KEY);
    expect(response.data.map((frame) => [frame.refId, frame.name, frame.fields[0].values[0]])).toEqual([
      ['A', 'Fleet', 12],
      ['B', 'Forecast', 3],
    ]);
    expect(response.errors).toEqual([]);
  });

  it("shows a query's error from the backend (Grafana's 400) as that target's error, the other's frames kept", async () => {
    // The code of the error's message rides in a frame with no fields (frames/frameTexts.ts errorTextFrames).
    const message =
      'insufficient history: Allocated GPUs has 3 hours of data in the 28 days before the end of the range; a ' +
      'forecast needs at least 24. Move the range to where the metric exists, or wait for more history (have 3 ' +
      'steps, need at least 24)';
    const texts = {
      errors: {
        [message]: {
          code: 'short-history-error',
          target: 'Allocated GPUs',
          hours: 3,
          neededHours: 24,
          historyDays: 28,
        },
      },
    };
    const errorText = {
      schema: { name: 'Error text', refId: 'B', meta: { typeVersion: [0, 0], custom: { texts } }, fields: [] },
      data: { values: [] },
    };
    useGrafana(() => ({
      status: 400,
      data: {
        results: {
          A: { status: 200, frames: [frameJson('A', 'Fleet', 12)] },
          B: { error: message, errorSource: 'plugin', status: 400, frames: [errorText] },
        },
      },
    }));
    const response = await lastValueFrom(
      ownDataSource().query(
        queryRequest<HeadroomQuery>([
          { refId: 'A', queryType: 'inventory' },
          { refId: 'B', queryType: 'forecast', target: 'gpus_allocated' },
        ])
      )
    );

    expect(response.data.map((frame) => [frame.refId, frame.name, frame.fields.length])).toEqual([
      ['A', 'Fleet', 1],
      ['B', 'Error text', 0],
    ]);
    expect(response.data[1].meta?.custom?.texts).toEqual(texts);
    // In English, the code words the message as the backend wrote it.
    expect(response.errors).toEqual([{ refId: 'B', message, status: 400 }]);
  });

  it('app settings Grafana refuses to read (403): only the queries that read them fail, saying so; the rest answer', async () => {
    const recorded = useGrafana(
      () => ({ status: 200, data: { results: { A: { status: 200, frames: [frameJson('A', 'Fleet', 12)] } } } }),
      { status: 403, data: { message: 'Access denied' } }
    );
    const response = await lastValueFrom(
      ownDataSource().query(
        queryRequest<HeadroomQuery>([
          { refId: 'A', queryType: 'inventory' },
          { refId: 'E', queryType: 'efficiency' },
        ])
      )
    );

    expect(dsQueries(recorded).flatMap((request) => request.data!.queries.map((q) => q.refId))).toEqual(['A']);
    expect(response.data.map((frame) => frame.refId)).toEqual(['A']);
    expect(response.errors).toEqual([
      { refId: 'E', message: expect.stringMatching(/^Headroom could not read its app settings .*Access denied/) },
    ]);
  });

  it("Grafana's answer without results (a plugin failure, 500) is every sent query's error, not the first one's", async () => {
    useGrafana(() => ({
      status: 500,
      data: {
        message: 'An error occurred within the plugin',
        messageId: 'plugin.requestFailureError',
        statusCode: 500,
      },
    }));
    const response = await lastValueFrom(
      ownDataSource().query(
        queryRequest<HeadroomQuery>([
          { refId: 'A', queryType: 'inventory' },
          { refId: 'F', queryType: 'fragmentation' },
        ])
      )
    );

    expect(response.data).toEqual([]);
    expect(response.errors?.map((error) => [error.refId, error.message])).toEqual([
      ['A', 'An error occurred within the plugin'],
      ['F', 'An error occurred within the plugin'],
    ]);
  });

  it('frames keep the order of the targets after an error, when Grafana sorts its results by refId', async () => {
    // Grafana writes results sorted by refId (sort.Strings): A10 before A2.
    useGrafana(() => ({
      status: 400,
      data: {
        results: {
          A10: { status: 200, frames: [frameJson('A10', 'Tenth', 10)] },
          A2: { status: 200, frames: [frameJson('A2', 'Second', 2)] },
          B: { error: 'too little history', errorSource: 'plugin', status: 400, frames: [] },
        },
      },
    }));
    const response = await lastValueFrom(
      ownDataSource().query(
        queryRequest<HeadroomQuery>([
          { refId: 'A2', queryType: 'inventory' },
          { refId: 'A10', queryType: 'inventory' },
          { refId: 'B', queryType: 'fragmentation' },
        ])
      )
    );

    expect(response.data.map((frame) => frame.refId)).toEqual(['A2', 'A10']);
  });

  it('trains the LSTM in the browser, through the resource proxy, and sends the rest to the backend', async () => {
    const recorded = useGrafana((request) =>
      request.url.startsWith('/api/ds/query')
        ? { status: 200, data: { results: { A: { status: 200, frames: [frameJson('A', 'Fleet', 1)] } } } }
        : { status: 502, data: { message: 'no Prometheus here' } }
    );
    const response = await lastValueFrom(
      ownDataSource().query(
        queryRequest<HeadroomQuery>([
          { refId: 'A', queryType: 'inventory' },
          { refId: 'L', queryType: 'forecast', target: 'gpus_allocated', model: 'lstm' },
        ])
      )
    );

    expect(dsQueries(recorded).flatMap((request) => request.data!.queries.map((q) => q.refId))).toEqual(['A']);
    expect(recorded.some((request) => request.url.startsWith('/api/datasources/uid/headroom/resources/api/v1/'))).toBe(
      true
    );
    expect(response.errors?.map((error) => error.refId)).toEqual(['L']);
  });

  it('keeps every query in the browser on the borrowed path (no backend)', async () => {
    const recorded = useGrafana(() => ({ status: 502, data: { message: 'no Prometheus here' } }));
    const datasource = new HeadroomDataSource(headroomSettings({ prometheusUid: 'prom' }), new GrafanaTemplateSrv());
    await lastValueFrom(datasource.query(queryRequest<HeadroomQuery>([{ refId: 'A', queryType: 'inventory' }])));

    expect(dsQueries(recorded)).toEqual([]);
    expect(recorded.some((request) => request.url.startsWith('/api/datasources/uid/prom/resources/'))).toBe(true);
  });
});
