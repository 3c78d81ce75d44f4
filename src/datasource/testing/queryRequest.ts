/** Test support: a Headroom data source's settings and a query request as Grafana builds them. */
import {
  dateTime,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
} from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { HeadroomDataSourceOptions } from '../types';

export function headroomSettings(
  jsonData: HeadroomDataSourceOptions
): DataSourceInstanceSettings<HeadroomDataSourceOptions> {
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

/** A request for `targets` over one hour from `fromMs`, at a one-minute interval. */
export function queryRequest<Q extends DataQuery>(targets: Q[], fromMs = 1_700_000_000_000): DataQueryRequest<Q> {
  const from = dateTime(fromMs);
  const to = dateTime(fromMs + 3_600_000);
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
