import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

import type { FragmentationView } from '../frames/fragmentation/fragmentationQuery';
import type { ForecastQuery } from '../frames/forecast/runForecastQuery';
import type { EfficiencyView, PricingTier, WasteGroupBy } from '../frames/efficiency/runEfficiencyQuery';
import type { InventoryView } from '../frames/inventoryFrames';

export type HeadroomQueryType = 'inventory' | 'forecast' | 'capacity' | 'fragmentation' | 'efficiency';

/** Every query type with the name the query editor shows for it, in the editor's order. */
export const QUERY_TYPE_LABELS: Readonly<Record<HeadroomQueryType, string>> = {
  inventory: 'Inventory',
  forecast: 'Forecast',
  capacity: 'Capacity',
  fragmentation: 'Fragmentation',
  efficiency: 'Efficiency',
};

/** Which slice of the fleet inventory a query returns (frames/inventoryFrames.ts, shared with the backend). */
export type { InventoryView };

/** Which part of the fragmentation analysis a query returns (frames/fragmentation/, shared with the backend). */
export type { FragmentationView };

/** Which part of the efficiency analysis a query returns, its rows and prices (frames/efficiency/, shared). */
export type { EfficiencyView, PricingTier, WasteGroupBy };

export interface HeadroomQuery extends DataQuery, Omit<ForecastQuery, 'refId' | 'queryType'> {
  queryType?: HeadroomQueryType;
  inventoryView?: InventoryView;
  /** Template-variable aware filters (`$node`, `$namespace`, `$gpu_model`), each a regex-free list after interpolation. */
  node?: string;
  namespace?: string;
  gpuModel?: string;

  // Forecast and capacity (frames/forecast/runForecastQuery.ts: ForecastQuery). Text fields take numbers or template
  // variables (the Forecast page keeps its state in variables, so the URL holds it).

  // Fragmentation only.
  fragmentationView?: FragmentationView;
  /** Days of GPU requests the target workload is learnt from (default 7); a number or a template variable. */
  workloadDays?: string;

  // Efficiency only.
  efficiencyView?: EfficiencyView;
  wasteGroupBy?: WasteGroupBy;
  pricingTier?: PricingTier;
}

/** Forecast and capacity defaults (frames/forecast/, shared with the backend). */
export { FORECAST_DEFAULTS, type DemandLevel } from '../frames/forecast/runForecastQuery';

export const DEFAULT_QUERY: Partial<HeadroomQuery> = {
  queryType: 'inventory',
  inventoryView: 'fleet',
};

/** Metric-name overrides keyed by the default name (docs/architecture.md, "Metric names"). */
export type MetricNameOverrides = Record<string, string>;

export interface HeadroomDataSourceOptions extends DataSourceJsonData {
  /** UID of the Prometheus-type data source Headroom reads from. */
  prometheusUid?: string;
  metricOverrides?: MetricNameOverrides;
}
