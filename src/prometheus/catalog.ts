/**
 * Metric catalog: the default names of docs/architecture.md ("Metric names") grouped by exporter family, and the overrides a
 * site uses when its recording rules or relabelling renamed them.
 */
import { assertLabelName, assertMetricName } from './promql';

export const METRIC_FAMILIES = {
  dcgm: [
    'DCGM_FI_DEV_GPU_UTIL',
    'DCGM_FI_DEV_FB_USED',
    'DCGM_FI_DEV_FB_FREE',
    'DCGM_FI_DEV_POWER_USAGE',
    'DCGM_FI_DEV_SM_CLOCK',
  ],
  dcgmProfiling: [
    'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    'DCGM_FI_PROF_SM_ACTIVE',
    'DCGM_FI_PROF_SM_OCCUPANCY',
    'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    'DCGM_FI_PROF_DRAM_ACTIVE',
  ],
  kubeStateMetrics: [
    'kube_node_status_allocatable',
    'kube_node_status_capacity',
    'kube_pod_container_resource_requests',
    'kube_pod_status_phase',
  ],
  vllm: [
    'vllm:num_requests_running',
    'vllm:num_requests_waiting',
    'vllm:kv_cache_usage_perc',
    'vllm:gpu_cache_usage_perc',
    'vllm:prompt_tokens_total',
    'vllm:generation_tokens_total',
    'vllm:time_to_first_token_seconds',
    'vllm:inter_token_latency_seconds',
  ],
} as const;

export type MetricFamily = keyof typeof METRIC_FAMILIES;
export type DefaultMetricName = (typeof METRIC_FAMILIES)[MetricFamily][number];

/** Histograms exist in Prometheus only as `_bucket`, `_sum` and `_count` series. */
const HISTOGRAMS: ReadonlySet<DefaultMetricName> = new Set([
  'vllm:time_to_first_token_seconds',
  'vllm:inter_token_latency_seconds',
]);

/** DCGM labels the inventory joins on, and the Kubernetes extended resource of a whole GPU. */
export const DEFAULT_DCGM_HOSTNAME_LABEL = 'Hostname';
export const DEFAULT_DCGM_MODEL_LABEL = 'modelName';
export const DEFAULT_GPU_RESOURCE = 'nvidia_com_gpu';

type LabelOrResourceName =
  typeof DEFAULT_DCGM_HOSTNAME_LABEL | typeof DEFAULT_DCGM_MODEL_LABEL | typeof DEFAULT_GPU_RESOURCE;
export type CatalogName = DefaultMetricName | LabelOrResourceName;

/** Keyed by default name, e.g. `{ "DCGM_FI_DEV_GPU_UTIL": "gpu_util_recorded", "Hostname": "node" }`. */
export type CatalogOverrides = Partial<Record<CatalogName, string>>;

export interface MetricCatalog {
  /** The name in use for a default metric name, DCGM label name or GPU resource. */
  name(defaultName: CatalogName): string;
  /** The series name that proves `defaultName` exists (`_count` for histograms). */
  seriesName(defaultName: DefaultMetricName): string;
}

const ALL_METRICS: readonly DefaultMetricName[] = Object.values(METRIC_FAMILIES).flat();
const LABELS: readonly string[] = [DEFAULT_DCGM_HOSTNAME_LABEL, DEFAULT_DCGM_MODEL_LABEL];
/** Every name a site can override: the metrics, the DCGM labels and the GPU resource. */
export const CATALOG_NAMES: readonly CatalogName[] = [
  ...ALL_METRICS,
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
];

/**
 * Why an override of `defaultName` with `value` cannot be used: an unknown key, or a name Prometheus would not
 * accept (a label name for the DCGM labels, a metric name otherwise; the GPU resource is Kubernetes' name and not
 * judged). Undefined when it can, and for an empty value, which means "the default name". The data source settings
 * and the command line both check overrides with it.
 */
export function overrideError(defaultName: string, value: string | undefined): string | undefined {
  if (!(CATALOG_NAMES as readonly string[]).includes(defaultName)) {
    return (
      `Unknown metric catalog entry "${defaultName}": overrides are keyed by default name, one of ` +
      `${CATALOG_NAMES.join(', ')}.`
    );
  }
  const name = value?.trim() ?? '';
  if (name === '' || defaultName === DEFAULT_GPU_RESOURCE) {
    return undefined;
  }
  try {
    if (LABELS.includes(defaultName)) {
      assertLabelName(name);
    } else {
      assertMetricName(name);
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Overrides as entered, trimmed, with cleared entries dropped: a cleared entry means "use the default name". */
export function effectiveOverrides(overrides: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(overrides ?? {})
      .map(([defaultName, name]) => [defaultName, (name ?? '').trim()])
      .filter(([, name]) => name !== '')
  );
}

export function createCatalog(overrides: Record<string, string> = {}): MetricCatalog {
  for (const [key, value] of Object.entries(overrides)) {
    const problem = value.trim() === '' ? `The override of "${key}" is empty.` : overrideError(key, value);
    if (problem) {
      throw new Error(problem);
    }
  }
  const name = (defaultName: CatalogName): string => overrides[defaultName] ?? defaultName;
  return {
    name,
    seriesName: (defaultName) => (HISTOGRAMS.has(defaultName) ? `${name(defaultName)}_count` : name(defaultName)),
  };
}
