import {
  dateTime,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { NO_PROMETHEUS_MESSAGE } from './connection';
import { HeadroomDataSource } from './datasource';
import { multiVariable, templateSrvOver } from './testing/sceneTemplateSrv';
import type { HeadroomDataSourceOptions, HeadroomQuery } from './types';

function settings(jsonData: HeadroomDataSourceOptions): DataSourceInstanceSettings<HeadroomDataSourceOptions> {
  return {
    uid: 'headroom',
    type: 'headroom-capacity-datasource',
    name: 'Headroom',
    meta: {} as DataSourcePluginMeta,
    readOnly: false,
    access: 'proxy',
    jsonData,
  };
}

function request(targets: HeadroomQuery[]): DataQueryRequest<HeadroomQuery> {
  const from = dateTime(1_700_000_000_000);
  const to = dateTime(1_700_003_600_000);
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

const templateSrv = templateSrvOver([
  multiVariable('node', ['gpu-node-1', 'gpu-node-2'], ['gpu-node-1', 'gpu-node-2']),
  multiVariable('namespace', ['team-a', 'team-b'], ['$__all']),
  multiVariable('gpu_model', ['NVIDIA H100 80GB HBM3'], ['NVIDIA H100 80GB HBM3']),
]);

describe('HeadroomDataSource without a Prometheus data source', () => {
  const datasource = new HeadroomDataSource(settings({}), templateSrv);

  it('answers each visible target with an error that says what to configure, and skips hidden ones', async () => {
    const response = await lastValueFrom(
      datasource.query(
        request([
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
  const datasource = new HeadroomDataSource(settings({ prometheusUid: 'prom' }), templateSrv);

  it('names an unknown query type', async () => {
    const response = await lastValueFrom(
      datasource.query(request([{ refId: 'A', queryType: 'defragment' as unknown as HeadroomQuery['queryType'] }]))
    );

    expect(response.errors).toEqual([
      {
        refId: 'A',
        message:
          'Unknown Headroom query type "defragment": choose Inventory, Forecast, Capacity, Fragmentation or ' +
          'Efficiency in the query editor.',
      },
    ]);
  });

  it('defaults to the fleet inventory and hides nothing by default', () => {
    expect(datasource.getDefaultQuery()).toEqual({ queryType: 'inventory', inventoryView: 'fleet' });
    expect(datasource.filterQuery({ refId: 'A' })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A', hide: true })).toBe(false);
  });

  it('turns filter fields into literal values: multi-value, All as no filter, typed text', () => {
    const filters = datasource.fleetFilters(
      { refId: 'A', node: '$node', namespace: '$namespace', gpuModel: 'NVIDIA A100 (80GB)' },
      {}
    );

    expect(filters).toEqual({
      nodes: ['gpu-node-1', 'gpu-node-2'],
      namespaces: undefined,
      gpuModels: ['NVIDIA A100 (80GB)'],
    });
  });

  it('writes interpolated queries that select the same values when run again', () => {
    const [query] = datasource.interpolateVariablesInQueries(
      [{ refId: 'A', inventoryView: 'byModel', node: '$node', namespace: '$namespace', gpuModel: '$gpu_model' }],
      {}
    );

    expect(query).toEqual({
      refId: 'A',
      inventoryView: 'byModel',
      node: '["gpu-node-1","gpu-node-2"]',
      namespace: '',
      gpuModel: 'NVIDIA H100 80GB HBM3',
    });
    expect(datasource.fleetFilters(query, {})).toEqual({
      nodes: ['gpu-node-1', 'gpu-node-2'],
      namespaces: undefined,
      gpuModels: ['NVIDIA H100 80GB HBM3'],
    });
  });
});
