import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

import type { QueryAppSettings } from '../frames/appSettings';
import type { AlertMeasure } from '../frames/alert/alertQuery';

import type { FragmentationView } from '../frames/fragmentation/fragmentationQuery';
import type { ForecastQuery } from '../frames/forecast/runForecastQuery';
import type { EfficiencyView, PricingTier, WasteGroupBy } from '../frames/efficiency/runEfficiencyQuery';
import type { InventoryView } from '../frames/inventoryFrames';
import type { ServingQuery, ServingView } from '../frames/serving/runServingQuery';

export type HeadroomQueryType =
  'inventory' | 'forecast' | 'capacity' | 'fragmentation' | 'efficiency' | 'alert' | 'serving';

/** Every query type with the name the query editor shows for it, in the editor's order. */
export const QUERY_TYPE_LABELS: Readonly<Record<HeadroomQueryType, string>> = {
  inventory: 'Inventory',
  forecast: 'Forecast',
  capacity: 'Capacity',
  fragmentation: 'Fragmentation',
  efficiency: 'Efficiency',
  alert: 'Alert',
  serving: 'Serving',
};

/** Which slice of the fleet inventory a query returns (frames/inventoryFrames.ts, shared with the backend). */
export type { InventoryView };

/** Which part of the fragmentation analysis a query returns (frames/fragmentation/, shared with the backend). */
export type { FragmentationView };

/** Which part of the efficiency analysis a query returns, its rows and prices (frames/efficiency/, shared). */
export type { EfficiencyView, PricingTier, WasteGroupBy };

/** What the inference services run and serve (frames/serving/, shared with the backend). */
export type { ServingView };

export interface HeadroomQuery
  extends DataQuery, Omit<ForecastQuery, 'refId' | 'queryType'>, Omit<ServingQuery, 'refId'> {
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

  // Alert only (frames/alert/alertQuery.ts: AlertQuery); answered by Headroom's backend, where Grafana evaluates rules.
  measure?: AlertMeasure;
  /** Days ahead the exhaustion probability looks (default 14). */
  withinDays?: string;
  /** US dollars a month for the budget ratio; empty takes the app configuration's budget. */
  monthlyBudget?: string;

  /**
   * The app's settings the answer reads (calendar, prices, budget), added by the data source to the query it sends
   * to its backend, which Grafana gives no app settings; never saved with the query.
   */
  appSettings?: QueryAppSettings;
}

/** Which number an alert query answers per series (frames/alert/, shared with the backend). */
export type { AlertMeasure };

/** Forecast and capacity defaults (frames/forecast/, shared with the backend). */
export { FORECAST_DEFAULTS, type DemandLevel } from '../frames/forecast/runForecastQuery';

export const DEFAULT_QUERY: Partial<HeadroomQuery> = {
  queryType: 'inventory',
  inventoryView: 'fleet',
};

/** Metric-name overrides keyed by the default name (docs/architecture.md, "Metric names"). */
export type MetricNameOverrides = Record<string, string>;

/**
 * The data source's `jsonData`. The connection fields are where Grafana's own Prometheus data source keeps them
 * (Grafana's HTTP settings editor writes them; src/backend/settings.ts reads them): the URL itself is the
 * instance's top-level `url`, the secrets are in `secureJsonData` (HeadroomSecureJsonData).
 */
export interface HeadroomDataSourceOptions extends DataSourceJsonData {
  /**
   * UID of the person's Prometheus-type data source: the compiled threshold rules run on it in Grafana, and without
   * a URL of its own Headroom reads Prometheus through it (the connection before Headroom had a backend).
   */
  prometheusUid?: string;
  /**
   * Set by the settings page when the data source has a URL: the browser then reads Prometheus through Headroom's
   * own backend. Grafana hides the URL of a server-access data source from the browser (it sends
   * `/api/datasources/proxy/uid/<uid>` instead), so the browser learns from this that one is set.
   */
  ownConnection?: boolean;
  /** Seconds per request to Prometheus (Grafana's name and unit). */
  timeout?: number;
  tlsAuth?: boolean;
  tlsAuthWithCACert?: boolean;
  tlsSkipVerify?: boolean;
  serverName?: string;
  metricOverrides?: MetricNameOverrides;
}

/** The secret settings, write-only from the browser: Grafana sends back only which ones are set. */
export interface HeadroomSecureJsonData {
  basicAuthPassword?: string;
  /** Sent as `Authorization: Bearer <token>` when basic authentication is off. */
  bearerToken?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}
