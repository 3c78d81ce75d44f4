import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

export type HeadroomQueryType = 'inventory';

/** Which slice of the fleet inventory a query returns. */
export type InventoryView = 'fleet' | 'byModel' | 'byNamespace' | 'nodes';

export interface HeadroomQuery extends DataQuery {
  queryType?: HeadroomQueryType;
  inventoryView?: InventoryView;
  /** Template-variable aware filters (`$node`, `$namespace`, `$gpu_model`), each a regex-free list after interpolation. */
  node?: string;
  namespace?: string;
  gpuModel?: string;
}

export const DEFAULT_QUERY: Partial<HeadroomQuery> = {
  queryType: 'inventory',
  inventoryView: 'fleet',
};

/** Metric-name overrides keyed by the default name (DESIGN.md "Metric names"). */
export type MetricNameOverrides = Record<string, string>;

export interface HeadroomDataSourceOptions extends DataSourceJsonData {
  /** UID of the Prometheus-type data source Headroom reads from. */
  prometheusUid?: string;
  metricOverrides?: MetricNameOverrides;
}
