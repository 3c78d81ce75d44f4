import { lastValueFrom, toArray } from 'rxjs';

import { NO_PROMETHEUS_MESSAGE } from './connection';
import { HeadroomDataSource, PACKET_KEY } from './datasource';
import {
  closeScenePages,
  GrafanaTemplateSrv,
  multiVariable,
  openScenePage,
  SCENES_COPIES,
  singleVariable,
} from './testing/sceneTemplateSrv';
import { headroomSettings, queryRequest } from './testing/queryRequest';
import type { HeadroomQuery } from './types';

afterEach(closeScenePages);

describe('HeadroomDataSource without a Prometheus data source', () => {
  const datasource = new HeadroomDataSource(headroomSettings({}), new GrafanaTemplateSrv());

  it('answers each visible target with an error that says what to configure, and skips hidden ones', async () => {
    const response = await lastValueFrom(
      datasource.query(
        queryRequest([
          { refId: 'A', queryType: 'inventory', inventoryView: 'fleet' },
          { refId: 'B', queryType: 'inventory', hide: true },
          { refId: 'C', queryType: 'inventory', inventoryView: 'nodes' },
        ])
      )
    );

    expect(response.data).toEqual([]);
    expect(response.errors).toEqual([
      { refId: 'A', message: NO_PROMETHEUS_MESSAGE },
      { refId: 'C', message: NO_PROMETHEUS_MESSAGE },
    ]);
  });

  it('fails the health check with the same advice', async () => {
    await expect(datasource.testDatasource()).resolves.toEqual({ status: 'error', message: NO_PROMETHEUS_MESSAGE });
  });

  it('rejects an unknown variable query before touching Prometheus', async () => {
    await expect(datasource.metricFindQuery('label_values(node)')).rejects.toThrow(/Use nodes\(\), namespaces\(\)/);
  });
});

describe('HeadroomDataSource queries', () => {
  const datasource = new HeadroomDataSource(headroomSettings({ prometheusUid: 'prom' }), new GrafanaTemplateSrv());

  it('names an unknown query type', async () => {
    const response = await lastValueFrom(
      datasource.query(queryRequest([{ refId: 'A', queryType: 'defragment' as unknown as HeadroomQuery['queryType'] }]))
    );

    expect(response.errors).toEqual([
      {
        refId: 'A',
        message:
          'Unknown Headroom query type "defragment": choose Inventory, Forecast, Capacity, Fragmentation, ' +
          'Efficiency, Alert or Serving in the query editor.',
      },
    ]);
  });

  it('answers an alert query with the shared alert answer, which names an unknown measure before Prometheus', async () => {
    const response = await lastValueFrom(
      datasource.query(
        queryRequest([{ refId: 'A', queryType: 'alert', measure: 'spend' as unknown as HeadroomQuery['measure'] }])
      )
    );

    expect(response.errors).toEqual([
      { refId: 'A', message: expect.stringMatching(/^Unknown alert measure "spend": choose exhaustionProbability, /) },
    ]);
  });

  it('defaults to the fleet inventory and hides nothing by default', () => {
    expect(datasource.getDefaultQuery()).toEqual({ queryType: 'inventory', inventoryView: 'fleet' });
    expect(datasource.filterQuery({ refId: 'A' })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A', hide: true })).toBe(false);
  });

  it('answers a request with every target hidden with one finished, keyed, empty packet', async () => {
    const packets = await lastValueFrom(
      datasource.query(queryRequest([{ refId: 'A', queryType: 'inventory', hide: true }])).pipe(toArray())
    );

    expect(packets).toEqual([{ data: [], state: 'Done', key: PACKET_KEY }]);
  });
});

// The query as a panel of a Headroom page sends it: scopedVars with the panel's scene object, interpolated by
// Grafana's own scenes copy (6.x in Grafana 12.4) or the plugin's (9.x).
describe.each(SCENES_COPIES)(
  'HeadroomDataSource template variables, interpolated by the $name scenes copy',
  (scenes) => {
    function pageDatasource() {
      const page = openScenePage(
        [
          multiVariable('node', ['gpu-node-1', 'gpu-node-2', 'gpu-node-3'], ['gpu-node-1', 'gpu-node-2']),
          multiVariable('namespace', ['team-a', 'team-b'], '$__all'),
          multiVariable('gpu_model', ['NVIDIA H100 80GB HBM3', 'NVIDIA L4'], '$__all', '.*'),
          singleVariable('model', ['auto', 'ets'], 'ets'),
        ],
        { scenes }
      );
      return {
        datasource: new HeadroomDataSource(headroomSettings({ prometheusUid: 'prom' }), page.templateSrv),
        page,
      };
    }

    it('turns filter fields into literal values: multi-value, All and custom All as no filter, typed text', () => {
      const { datasource, page } = pageDatasource();

      expect(
        datasource.fleetFilters(
          { refId: 'A', node: '$node', namespace: '$namespace', gpuModel: '$gpu_model' },
          page.panelScopedVars
        )
      ).toEqual({ nodes: ['gpu-node-1', 'gpu-node-2'], namespaces: undefined, gpuModels: undefined });
      expect(
        datasource.fleetFilters({ refId: 'A', gpuModel: 'NVIDIA A100 (80GB)' }, page.panelScopedVars).gpuModels
      ).toEqual(['NVIDIA A100 (80GB)']);
    });

    it('writes interpolated queries that select the same values when run again', () => {
      const { datasource, page } = pageDatasource();
      const [query] = datasource.interpolateVariablesInQueries(
        [
          {
            refId: 'A',
            queryType: 'forecast',
            model: '$model',
            node: '$node',
            namespace: '$namespace',
            gpuModel: '$gpu_model',
          },
        ],
        page.panelScopedVars
      );

      expect(query).toEqual({
        refId: 'A',
        queryType: 'forecast',
        model: 'ets',
        node: '["gpu-node-1","gpu-node-2"]',
        namespace: '',
        gpuModel: '',
      });
      expect(datasource.fleetFilters(query, page.panelScopedVars)).toEqual({
        nodes: ['gpu-node-1', 'gpu-node-2'],
        namespaces: undefined,
        gpuModels: undefined,
      });
    });
  }
);
