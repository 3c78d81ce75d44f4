/**
 * The errors a query answers are in the user's language where Headroom words them itself: Grafana shows a query's
 * error message as it comes (the error badge in a panel's header, Explore), so the data source words it, on the
 * browser path and on the own path (from the code in the backend's `Error text` frame).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSourcePluginMeta } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { setBackendSrv, setDataSourceSrv, type BackendSrv, type DataSourceSrv } from '@grafana/runtime';
import i18next from 'i18next';
import { defer, lastValueFrom } from 'rxjs';

import { HeadroomDataSource } from './datasource';
import { headroomSettings, queryRequest } from './testing/queryRequest';
import { GrafanaTemplateSrv } from './testing/sceneTemplateSrv';
import type { HeadroomDataSourceOptions, HeadroomQuery } from './types';

beforeAll(async () => {
  const catalog: unknown = JSON.parse(
    readFileSync(path.join(__dirname, '../locales/zh-Hans/headroom-capacity-app.json'), 'utf8')
  );
  await i18next.init({ lng: 'zh-Hans', resources: { 'zh-Hans': { 'headroom-capacity-app': catalog as object } } });
  await initPluginTranslations('headroom-capacity-app');
});

it('words an unknown query type in Chinese on the browser path, naming the types as the Chinese editor does', async () => {
  const datasource = new HeadroomDataSource(headroomSettings({ prometheusUid: 'prom' }), new GrafanaTemplateSrv());
  const response = await lastValueFrom(
    datasource.query(queryRequest([{ refId: 'A', queryType: 'defragment' as unknown as HeadroomQuery['queryType'] }]))
  );

  expect(response.errors).toEqual([
    {
      refId: 'A',
      message:
        '未知的 Headroom 查询类型 "defragment"：请在查询编辑器中选择资源清单、预测、容量、碎片化、效率、告警 或 推理服务。',
    },
  ]);
  // The frame keeps the English and the code, for the pages and panels.
  expect(Object.keys(response.data[0].meta?.custom?.texts.errors)).toEqual([
    'Unknown Headroom query type "defragment": choose Inventory, Forecast, Capacity, Fragmentation, Efficiency, ' +
      'Alert or Serving in the query editor.',
  ]);
});

it("words the backend's error in Chinese on the own path, and leaves an error without a code as it came", async () => {
  const english = 'The horizon must be a whole number of hours from 1 to 672 (…), got "1.5".';
  const errorText = {
    schema: {
      name: 'Error text',
      refId: 'A',
      meta: {
        typeVersion: [0, 0],
        custom: {
          texts: { errors: { [english]: { code: 'horizon-hours-error', maxHours: 672, historyDays: 28, got: '1.5' } } },
        },
      },
      fields: [],
    },
    data: { values: [] },
  };
  const answer = {
    status: 400,
    data: {
      results: {
        A: { error: english, errorSource: 'plugin', status: 400, frames: [errorText] },
        B: { error: 'Prometheus said: something new', errorSource: 'downstream', status: 500 },
      },
    },
  };
  setBackendSrv({
    // Grafana's backend service throws a non-2xx answer as a FetchError.
    fetch: () =>
      defer(async () => {
        throw { ...answer, statusText: 'Bad Request' };
      }),
    get: async () => ({ jsonData: {} }),
  } as unknown as BackendSrv);
  setDataSourceSrv({ getInstanceSettings: () => undefined } as unknown as DataSourceSrv);
  const settings = headroomSettings({ ownConnection: true } as HeadroomDataSourceOptions);
  settings.meta = { backend: true } as DataSourcePluginMeta;
  const datasource = new HeadroomDataSource(settings, new GrafanaTemplateSrv());

  const response = await lastValueFrom(
    datasource.query(
      queryRequest<HeadroomQuery>([
        { refId: 'A', queryType: 'forecast', horizonHours: '1.5' },
        { refId: 'B', queryType: 'inventory' },
      ])
    )
  );

  expect(response.errors).toEqual([
    {
      refId: 'A',
      message:
        '预测期必须是 1 到 672 之间的整数小时（预测读取 28 天的历史：预测最多只能看到与历史一样远的未来，超出这个长度，' +
        '回测就无法说明它会错多少），当前为 "1.5"。',
      status: 400,
    },
    { refId: 'B', message: 'Prometheus said: something new', status: 500 },
  ]);
});
