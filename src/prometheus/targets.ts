/**
 * Forecast targets: the series a person forecasts for capacity planning, each one PromQL expression that aggregates
 * the fleet in Prometheus (one series per target, whatever the fleet size). GPU counts reuse the inventory's
 * definitions (inventoryQueries.ts), so a forecast of allocated GPUs continues exactly the history the Overview shows.
 */
import type { ValueRange } from '../engine/forecast/range';
import type { Aggregation } from '../engine/series';
import { METRIC_FAMILIES, type MetricCatalog } from './catalog';
import type { FamilyDetection } from './detect';
import { buildInventoryQueries, chooseActivitySource } from './inventoryQueries';
import { anyOfMatcher, selector } from './promql';
import type { FleetFilters } from './types';

export type ForecastTargetId =
  | 'gpus_allocated'
  | 'gpus_busy'
  | 'gpu_utilisation'
  | 'tokens_per_second'
  | 'queue_depth'
  | 'kv_cache_usage'
  | 'gpu_capacity';

/** Inventory filters plus vLLM's served model (`model_name`); each list is OR-ed, empty means all. */
export interface TargetFilters extends FleetFilters {
  servedModels?: string[];
}

export interface ForecastTarget {
  id: ForecastTargetId;
  label: string;
  /** `GPUs` (GPU-equivalents), `ratio` (0–1), `tokens/s` or `requests`. */
  unit: 'GPUs' | 'ratio' | 'tokens/s' | 'requests';
  /** How samples inside one forecast step combine when the series is regularised (engine/series). */
  aggregation: Aggregation;
  /** The filters this target can apply; any other filter is an error rather than silently ignored. */
  filters: ReadonlyArray<keyof TargetFilters>;
}

export const FORECAST_TARGETS: readonly ForecastTarget[] = [
  {
    id: 'gpus_allocated',
    label: 'Allocated GPUs',
    unit: 'GPUs',
    aggregation: 'mean',
    filters: ['namespaces', 'nodes', 'gpuModels'],
  },
  {
    id: 'gpus_busy',
    label: 'Busy GPUs',
    unit: 'GPUs',
    aggregation: 'mean',
    filters: ['namespaces', 'nodes', 'gpuModels'],
  },
  {
    id: 'gpu_utilisation',
    label: 'GPU utilisation',
    unit: 'ratio',
    aggregation: 'mean',
    filters: ['namespaces', 'nodes', 'gpuModels'],
  },
  {
    id: 'tokens_per_second',
    label: 'Generated tokens/s',
    unit: 'tokens/s',
    aggregation: 'mean',
    filters: ['namespaces', 'servedModels'],
  },
  {
    id: 'queue_depth',
    label: 'Queued requests',
    unit: 'requests',
    aggregation: 'mean',
    filters: ['namespaces', 'servedModels'],
  },
  {
    id: 'kv_cache_usage',
    label: 'KV-cache usage',
    unit: 'ratio',
    aggregation: 'mean',
    filters: ['namespaces', 'servedModels'],
  },
  // Capacity changes in steps (nodes join and leave); the latest value is what the next hour can use.
  { id: 'gpu_capacity', label: 'GPU capacity', unit: 'GPUs', aggregation: 'last', filters: ['nodes', 'gpuModels'] },
];

/**
 * The values each unit can take, for clamping a forecast (engine/forecast/range): GPU counts and GPU-equivalents,
 * rates and queue lengths are never negative; a ratio lies in [0, 1].
 */
export const UNIT_RANGES: Readonly<Record<ForecastTarget['unit'], ValueRange>> = {
  GPUs: { min: 0 },
  ratio: { min: 0, max: 1 },
  'tokens/s': { min: 0 },
  requests: { min: 0 },
};

/** Thrown when a target cannot be computed from what this Prometheus holds, or with the filters asked for. */
export class TargetUnavailableError extends Error {
  readonly name = 'TargetUnavailableError';
}

/** vLLM's labels for the workload's namespace (from the scrape target) and the model it serves. */
const VLLM_NAMESPACE_LABEL = 'namespace';
const VLLM_MODEL_LABEL = 'model_name';
/** Default window of rate(): several scrapes at the common 15–60 s intervals. */
const DEFAULT_RATE_WINDOW_SECONDS = 300;

export interface TargetExprOptions {
  /**
   * Window of rate() for counter targets (default 300 s). A forecast sampling the series once per step should pass
   * the step, so each value is the average over the step rather than over its last five minutes.
   */
  rateWindowSeconds?: number;
}

/** A PromQL duration: `5m`, `1h`, `90s`. */
function promDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new RangeError(`A rate window must be a whole number of seconds > 0, got ${seconds}.`);
  }
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/**
 * What targetExpr assumes without a detection: every family present with its default labels, so expressions
 * take their fullest form (profiling activity, DCGM-counted MIG GPUs, the current KV-cache gauge).
 */
export const ASSUME_EVERYTHING: FamilyDetection = {
  present: Object.values(METRIC_FAMILIES).flat(),
  dcgm: true,
  dcgmProfiling: true,
  kubeStateMetrics: true,
  vllm: true,
  dcgmLabels: { namespace: 'namespace', pod: 'pod', hostname: true, gpuModel: true },
  kubeStateMetricsLabels: { namespace: 'namespace', pod: 'pod' },
  messages: [],
};

export function forecastTarget(id: string): ForecastTarget {
  const target = FORECAST_TARGETS.find((t) => t.id === id);
  if (!target) {
    throw new TargetUnavailableError(
      `Unknown forecast target "${id}"; choose one of ${FORECAST_TARGETS.map((t) => t.id).join(', ')}.`
    );
  }
  return target;
}

/** The PromQL of a target: one fleet-wide series, filtered as asked. */
export function targetExpr(
  id: ForecastTargetId,
  catalog: MetricCatalog,
  detection: FamilyDetection = ASSUME_EVERYTHING,
  filters: TargetFilters = {},
  options: TargetExprOptions = {}
): string {
  const target = forecastTarget(id);
  const unsupported = (Object.keys(filters) as Array<keyof TargetFilters>).filter(
    (f) => filters[f]?.length && !target.filters.includes(f)
  );
  if (unsupported.length > 0) {
    throw new TargetUnavailableError(
      `${target.label} cannot be filtered by ${unsupported.join(', ')}; it takes ${target.filters.join(', ')}.`
    );
  }
  const { servedModels, ...fleetFilters } = filters;
  const missing = (what: string) =>
    new TargetUnavailableError(`${target.label} needs ${what}, and this Prometheus has none in the range.`);

  switch (id) {
    case 'gpus_allocated':
    case 'gpu_capacity': {
      const q = buildInventoryQueries(catalog, detection, fleetFilters);
      const expr = id === 'gpus_allocated' ? q.allocated?.fleet : q.capacity?.fleet;
      if (!expr) {
        throw missing('kube-state-metrics GPU series (allocatable, pod requests, pod phase)');
      }
      return expr;
    }
    case 'gpus_busy': {
      const busy = buildInventoryQueries(catalog, detection, fleetFilters).busy?.fleet;
      if (!busy) {
        throw missing('DCGM activity series (with namespace labels when filtering by namespace)');
      }
      return busy;
    }
    case 'gpu_utilisation': {
      // Every DCGM series (a whole GPU or a MIG instance) weighs the same in the mean.
      const activity = chooseActivitySource(detection, catalog);
      const namespaceLabel = detection.dcgmLabels.namespace;
      if (!activity || (fleetFilters.namespaces?.length && !namespaceLabel)) {
        throw missing('DCGM activity series (with namespace labels when filtering by namespace)');
      }
      const mean = `avg(${selector(activity.metric, [
        anyOfMatcher(catalog.name('Hostname'), fleetFilters.nodes),
        anyOfMatcher(catalog.name('modelName'), fleetFilters.gpuModels),
        namespaceLabel ? anyOfMatcher(namespaceLabel, fleetFilters.namespaces) : undefined,
      ])})`;
      return activity.scale === 1 ? mean : `${mean} * ${activity.scale}`;
    }
    case 'tokens_per_second':
    case 'queue_depth':
    case 'kv_cache_usage': {
      if (!detection.vllm) {
        throw missing('vLLM metrics');
      }
      const matchers = [
        anyOfMatcher(VLLM_NAMESPACE_LABEL, fleetFilters.namespaces),
        anyOfMatcher(VLLM_MODEL_LABEL, servedModels),
      ];
      if (id === 'tokens_per_second') {
        return `sum(rate(${selector(catalog.name('vllm:generation_tokens_total'), matchers)}[${promDuration(options.rateWindowSeconds ?? DEFAULT_RATE_WINDOW_SECONDS)}]))`;
      }
      if (id === 'queue_depth') {
        return `sum(${selector(catalog.name('vllm:num_requests_waiting'), matchers)})`;
      }
      return `avg(${selector(detection.vllmKvCacheMetric ?? catalog.name('vllm:kv_cache_usage_perc'), matchers)})`;
    }
  }
}
