/**
 * Which exporter families a Prometheus holds, from metadata only: one `__name__` label-values lookup over the range
 * plus one label-names lookup per family whose labels matter. Never reads samples.
 */
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
  METRIC_FAMILIES,
  type DefaultMetricName,
  type MetricCatalog,
} from './catalog';
import { matcher, regexEscape, selector } from './promql';
import type { PrometheusClient, TimeRangeSeconds } from './types';

/** Label names in use for a workload's namespace and pod; undefined when the series carry none. */
export interface WorkloadLabels {
  namespace?: string;
  pod?: string;
}

export interface FamilyDetection {
  /** Default names of the catalog metrics that have series in the range. */
  present: DefaultMetricName[];
  /** Any DCGM device field. */
  dcgm: boolean;
  /** `DCGM_FI_PROF_GR_ENGINE_ACTIVE`, the activity ratio the product prefers. */
  dcgmProfiling: boolean;
  /** GPU allocatable, pod GPU requests and pod phase: all three are needed for capacity and allocation. */
  kubeStateMetrics: boolean;
  vllm: boolean;
  /** Name in use of vLLM's KV-cache gauge: the current one, else the older `vllm:gpu_cache_usage_perc`. */
  vllmKvCacheMetric?: string;
  dcgmLabels: WorkloadLabels & { hostname: boolean; gpuModel: boolean };
  kubeStateMetricsLabels: WorkloadLabels;
  /** What is missing and what that costs, for people. */
  messages: string[];
}

export async function detectFamilies(
  client: PrometheusClient,
  range: TimeRangeSeconds,
  catalog: MetricCatalog,
  signal?: AbortSignal
): Promise<FamilyDetection> {
  const all: DefaultMetricName[] = Object.values(METRIC_FAMILIES).flat();
  const names = all.map((m) => regexEscape(catalog.seriesName(m)));
  const found = new Set(
    await client.labelValues('__name__', [`{${matcher('__name__', '=~', names.join('|'))}}`], range, signal)
  );
  const present = all.filter((m) => found.has(catalog.seriesName(m)));
  const has = (m: DefaultMetricName) => present.includes(m);

  const dcgm = METRIC_FAMILIES.dcgm.some(has);
  const dcgmProfiling = has('DCGM_FI_PROF_GR_ENGINE_ACTIVE');
  const kubeStateMetrics =
    has('kube_node_status_allocatable') && has('kube_pod_container_resource_requests') && has('kube_pod_status_phase');
  const vllm = METRIC_FAMILIES.vllm.some(has);
  const kvCache = (['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'] as const).find(has);

  const dcgmProbe = dcgmProfiling ? 'DCGM_FI_PROF_GR_ENGINE_ACTIVE' : METRIC_FAMILIES.dcgm.find(has);
  const [dcgmLabelNames, ksmLabelNames] = await Promise.all([
    dcgmProbe ? client.labelNames([selector(catalog.name(dcgmProbe), [])], range, signal) : Promise.resolve([]),
    has('kube_pod_container_resource_requests')
      ? client.labelNames([gpuRequestsSelector(catalog)], range, signal)
      : Promise.resolve([]),
  ]);

  const dcgmLabels = {
    ...workloadLabels(dcgmLabelNames),
    hostname: dcgmLabelNames.includes(catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL)),
    gpuModel: dcgmLabelNames.includes(catalog.name(DEFAULT_DCGM_MODEL_LABEL)),
  };
  const detection: Omit<FamilyDetection, 'messages'> = {
    present,
    dcgm,
    dcgmProfiling,
    kubeStateMetrics,
    vllm,
    vllmKvCacheMetric: kvCache && catalog.name(kvCache),
    dcgmLabels,
    kubeStateMetricsLabels: workloadLabels(ksmLabelNames),
  };
  return { ...detection, messages: describe(detection, catalog) };
}

/** kube-state-metrics' whole-GPU requests, whose label names say which labels name the workload's pods. */
function gpuRequestsSelector(catalog: MetricCatalog): string {
  return selector(catalog.name('kube_pod_container_resource_requests'), [
    matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE)),
  ]);
}

/**
 * The labels kube-state-metrics' GPU requests name pods by, as detectFamilies finds them (`kubeStateMetricsLabels`),
 * with one label-names lookup instead of its three: for a reader of those requests alone, such as the fragmentation
 * workload, whose days of history make the other lookups (DCGM's label names over days) cost about a second at
 * 10,000 GPUs. None when the requests have no series in the range, as there.
 */
export async function detectGpuRequestLabels(
  client: PrometheusClient,
  range: TimeRangeSeconds,
  catalog: MetricCatalog,
  signal?: AbortSignal
): Promise<WorkloadLabels> {
  return workloadLabels(await client.labelNames([gpuRequestsSelector(catalog)], range, signal));
}

/** Relabelling on scrape renames a target's own `pod`/`namespace` to `exported_*`; those are the workload's. */
function workloadLabels(labelNames: string[]): WorkloadLabels {
  const pick = (base: string) =>
    labelNames.includes(`exported_${base}`) ? `exported_${base}` : labelNames.includes(base) ? base : undefined;
  return { namespace: pick('namespace'), pod: pick('pod') };
}

function describe(d: Omit<FamilyDetection, 'messages'>, catalog: MetricCatalog): string[] {
  const messages: string[] = [];
  const name = (m: DefaultMetricName) => catalog.name(m);
  if (!d.dcgm && !d.dcgmProfiling) {
    messages.push(
      `No DCGM exporter metrics (${name('DCGM_FI_DEV_GPU_UTIL')}, ${name('DCGM_FI_PROF_GR_ENGINE_ACTIVE')}) in this range: ` +
        'busy GPUs, utilisation, idle-GPU waste and MFU are unavailable. Deploy NVIDIA dcgm-exporter and scrape it, ' +
        'or map the names in the metric catalog.'
    );
  } else {
    if (!d.dcgmProfiling) {
      messages.push(
        `DCGM profiling fields are off: utilisation falls back to ${name('DCGM_FI_DEV_GPU_UTIL')}, which counts any ` +
          "kernel as busy; MFU estimates unavailable. Enable them in dcgm-exporter's counters CSV."
      );
    } else if (!d.present.includes('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE')) {
      messages.push(
        `${name('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE')} is missing: the DCGM MFU estimate is unavailable. ` +
          "Add it to dcgm-exporter's counters CSV."
      );
    }
    if (!d.dcgmLabels.hostname || !d.dcgmLabels.gpuModel) {
      messages.push(
        `DCGM series lack the ${catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL)} or ${catalog.name(DEFAULT_DCGM_MODEL_LABEL)} ` +
          "label: GPU models per node and per-model totals are unavailable. Keep dcgm-exporter's default labels, " +
          'or map the label names in the metric catalog.'
      );
    }
    if (!d.dcgmLabels.namespace || !d.dcgmLabels.pod) {
      messages.push(
        'DCGM series carry no namespace/pod labels: busy GPUs per namespace and idle-but-allocated waste per pod are ' +
          "unavailable. Enable dcgm-exporter's Kubernetes pod mapping."
      );
    }
  }
  if (!d.kubeStateMetrics) {
    const missing = (
      ['kube_node_status_allocatable', 'kube_pod_container_resource_requests', 'kube_pod_status_phase'] as const
    )
      .filter((m) => !d.present.includes(m))
      .map(name);
    messages.push(
      `kube-state-metrics series missing (${missing.join(', ')}): GPU capacity, allocation, free GPUs and ` +
        'fragmentation are unavailable. Deploy kube-state-metrics and check that the NVIDIA device plugin advertises ' +
        `the ${catalog.name(DEFAULT_GPU_RESOURCE)} resource.`
    );
  }
  if (!d.vllm) {
    messages.push(
      'No vLLM metrics: tokens/s, queue depth and KV-cache forecasts are unavailable (only needed for LLM inference ' +
        'services served by vLLM).'
    );
  } else if (d.vllmKvCacheMetric === name('vllm:gpu_cache_usage_perc')) {
    messages.push(
      `vLLM exposes the older ${name('vllm:gpu_cache_usage_perc')} instead of ${name('vllm:kv_cache_usage_perc')}; ` +
        'it is used for KV-cache usage.'
    );
  }
  return messages;
}
