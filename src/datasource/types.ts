import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

import type { FragmentationView } from '../frames/fragmentation/fragmentationQuery';
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

/** Which part of the efficiency analysis a query returns (datasource/efficiency/efficiencyFrames.ts). */
export type EfficiencyView = 'waste' | 'mfu' | 'burn' | 'disagreements';

/** Rows of the waste table: one per pod, or pods summed by namespace or GPU model. */
export type WasteGroupBy = 'pod' | 'namespace' | 'gpuModel';

/** Which price of the catalog (app configuration) the GPU-hours are charged at. */
export type PricingTier = 'onDemand' | 'reserved' | 'spot';

export interface HeadroomQuery extends DataQuery {
  queryType?: HeadroomQueryType;
  inventoryView?: InventoryView;
  /** Template-variable aware filters (`$node`, `$namespace`, `$gpu_model`), each a regex-free list after interpolation. */
  node?: string;
  namespace?: string;
  gpuModel?: string;

  // Forecast and capacity. Text fields take numbers or template variables (the Forecast page keeps its state in
  // variables, so the URL holds it).
  /** A preset id from prometheus/targets.ts (`gpus_allocated`, ...), or `expr` for the PromQL in `expr`. */
  target?: string;
  /** PromQL returning one series, used when `target` is `expr`. */
  expr?: string;
  /** Hours to forecast. */
  horizonHours?: string;
  /** `auto`, or one model name of the forecast engine. */
  model?: string;
  /** Take the business calendar of the app's configuration into account. */
  useCalendar?: boolean;

  // Capacity only.
  /** GPUs available: a number, or `gpu_capacity` for the preset's latest value. */
  capacity?: string;
  /** Highest planned utilisation of a GPU, in percent. */
  targetUtilisationPercent?: string;
  /**
   * Demand one GPU serves at 100 %, in the target's unit, or `calibrated`. Empty: none for a GPU count, calibrated
   * for a throughput (tokens/s); a custom expression counts GPUs unless this is set.
   */
  throughputPerGpu?: string;
  /** Hours between asking for GPUs and serving with them (provisioning, image pull, model load). */
  coldStartHours?: string;
  /** Which forecast the GPUs are planned for: the mean or the upper bound of an interval. */
  demandLevel?: DemandLevel;
  /** GPU model whose prices (app configuration) price the cost mix. */
  priceGpuModel?: string;

  // Fragmentation only.
  fragmentationView?: FragmentationView;
  /** Days of GPU requests the target workload is learnt from (default 7); a number or a template variable. */
  workloadDays?: string;

  // Efficiency only.
  efficiencyView?: EfficiencyView;
  wasteGroupBy?: WasteGroupBy;
  pricingTier?: PricingTier;
}

export type DemandLevel = 'mean' | '80' | '95';

export const FORECAST_DEFAULTS = {
  target: 'gpus_allocated',
  horizonHours: '168',
  model: 'auto',
  capacity: 'gpu_capacity',
  targetUtilisationPercent: '80',
  coldStartHours: '2',
  demandLevel: '80' as DemandLevel,
};

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
