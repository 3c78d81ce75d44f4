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

export function createCatalog(overrides: Record<string, string> = {}): MetricCatalog {
  const known = new Set<string>([...ALL_METRICS, ...LABELS, DEFAULT_GPU_RESOURCE]);
  for (const [key, value] of Object.entries(overrides)) {
    if (!known.has(key)) {
      throw new Error(
        `Unknown metric catalog entry "${key}": overrides are keyed by default name, one of ${[...known].join(', ')}.`
      );
    }
    if (LABELS.includes(key)) {
      assertLabelName(value);
    } else if (key !== DEFAULT_GPU_RESOURCE) {
      assertMetricName(value);
    }
  }
  const name = (defaultName: CatalogName): string => overrides[defaultName] ?? defaultName;
  return {
    name,
    seriesName: (defaultName) => (HISTOGRAMS.has(defaultName) ? `${name(defaultName)}_count` : name(defaultName)),
  };
}
