/**
 * Which values of a node / namespace / GPU model / served-model filter name something Prometheus holds in a range,
 * and what it holds instead, so that a typo is told apart from "nothing happened". Metadata only: one label-values
 * lookup (`/api/v1/label/<name>/values` with `match[]`) per label and family, never samples.
 *
 * Where each filter's values live, as the inventory and the forecast targets read them:
 * - nodes: kube-state-metrics' `node` on GPU allocatable and GPU requests, DCGM's `Hostname`;
 * - namespaces: kube-state-metrics' GPU requests, DCGM's workload namespace (`namespace` or `exported_namespace`),
 *   vLLM's `namespace`;
 * - GPU models: DCGM's `modelName`;
 * - served models: vLLM's `model_name`.
 */
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  METRIC_FAMILIES,
  type DefaultMetricName,
  type MetricCatalog,
} from './catalog';
import { detectFamilies, type FamilyDetection } from './detect';
import { anyGpuResourceMatcher, NODE_LABEL } from './inventoryQueries';
import { matcher, regexEscape, selector } from './promql';
import type { PrometheusClient, TimeRangeSeconds } from './types';

export type FilterDimension = 'nodes' | 'namespaces' | 'gpuModels' | 'servedModels';

export type FilterValues = Partial<Record<FilterDimension, readonly string[]>>;

export interface FilterCheck {
  dimension: FilterDimension;
  /** Values asked for that no series carries in the range. */
  unmatched: string[];
  /** Every value the range holds for this filter, sorted. */
  known: string[];
}

const VLLM_NAMESPACE_LABEL = 'namespace';
const VLLM_MODEL_LABEL = 'model_name';

/** One check per filter given with values, in the order nodes, namespaces, GPU models, served models. */
export async function checkFilterValues(
  client: PrometheusClient,
  catalog: MetricCatalog,
  filters: FilterValues,
  range: TimeRangeSeconds,
  detection?: FamilyDetection,
  signal?: AbortSignal
): Promise<FilterCheck[]> {
  const asked = (['nodes', 'namespaces', 'gpuModels', 'servedModels'] as const).filter((d) => filters[d]?.length);
  if (asked.length === 0) {
    return [];
  }
  const found = detection ?? (await detectFamilies(client, range, catalog, signal));
  const sources = labelSources(catalog, found);
  return Promise.all(
    asked.map(async (dimension) => {
      const lists = await Promise.all(
        sources[dimension].map(({ label, match }) => client.labelValues(label, [match], range, signal))
      );
      const known = [...new Set(lists.flat().filter((v) => v !== ''))].sort();
      const unmatched = [...new Set(filters[dimension])].filter((value) => !known.includes(value));
      return { dimension, unmatched, known };
    })
  );
}

interface LabelSource {
  label: string;
  /** A selector for `match[]`. */
  match: string;
}

function labelSources(catalog: MetricCatalog, detection: FamilyDetection): Record<FilterDimension, LabelSource[]> {
  const present = (metrics: readonly DefaultMetricName[]) => metrics.filter((m) => detection.present.includes(m));
  const anyOf = (metrics: readonly DefaultMetricName[]) =>
    `{${matcher('__name__', '=~', metrics.map((m) => regexEscape(catalog.seriesName(m))).join('|'))}}`;
  const dcgmMetrics = present([...METRIC_FAMILIES.dcgm, ...METRIC_FAMILIES.dcgmProfiling]);
  const vllmMetrics = present(METRIC_FAMILIES.vllm);
  const dcgm = dcgmMetrics.length > 0 ? anyOf(dcgmMetrics) : undefined;
  const vllm = vllmMetrics.length > 0 ? anyOf(vllmMetrics) : undefined;
  const gpus = anyGpuResourceMatcher(catalog);
  const kube = (metric: 'kube_node_status_allocatable' | 'kube_pod_container_resource_requests') =>
    detection.present.includes(metric) ? selector(catalog.name(metric), [gpus]) : undefined;
  const allocatable = kube('kube_node_status_allocatable');
  const requests = kube('kube_pod_container_resource_requests');
  const source = (label: string | undefined, match: string | undefined): LabelSource[] =>
    label && match ? [{ label, match }] : [];
  return {
    nodes: [
      ...source(NODE_LABEL, allocatable),
      ...source(NODE_LABEL, requests),
      ...source(catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL), dcgm),
    ],
    namespaces: [
      ...source(detection.kubeStateMetricsLabels.namespace, requests),
      ...source(detection.dcgmLabels.namespace, dcgm),
      ...source(VLLM_NAMESPACE_LABEL, vllm),
    ],
    gpuModels: source(catalog.name(DEFAULT_DCGM_MODEL_LABEL), dcgm),
    servedModels: source(VLLM_MODEL_LABEL, vllm),
  };
}
