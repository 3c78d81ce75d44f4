/**
 * PromQL of the GPU inventory. Every expression aggregates in Prometheus (`sum by`), so the answer size grows with
 * nodes, models and namespaces, never with GPUs × samples.
 */
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
  type MetricCatalog,
} from './catalog';
import type { FamilyDetection } from './detect';
import { anyOfMatcher, assertLabelName, matcher, quotePromQLString, selector } from './promql';
import type { FleetFilters } from './types';

/** Label that names the Kubernetes node on kube-state-metrics series and on the node-to-model map. */
export const NODE_LABEL = 'node';

export interface ActivitySource {
  /** Metric name in use. */
  metric: string;
  /** Multiplier to a 0–1 ratio: 1 for profiling ratios, 0.01 for the percentage DCGM_FI_DEV_GPU_UTIL. */
  scale: number;
}

/** Expressions by group; a group is undefined when the data it needs is absent. */
export interface InventoryQueries {
  capacity?: { fleet: string; byModel?: string; byNode: string };
  allocated?: { fleet: string; byModel?: string; byNamespace: string; byNode: string };
  busy?: { fleet: string; byModel?: string; byNamespace?: string; byNode?: string };
  /** `group by (Hostname, modelName)`: which model each node has. */
  nodeModels?: string;
  /** Label names to read each group's key from. */
  labels: { gpuModel: string; hostname: string; namespace: string; busyNamespace?: string };
}

/** Profiling ratio when present, else the coarse utilisation percentage; undefined without DCGM. */
export function chooseActivitySource(detection: FamilyDetection, catalog: MetricCatalog): ActivitySource | undefined {
  if (detection.dcgmProfiling) {
    return { metric: catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE'), scale: 1 };
  }
  if (detection.present.includes('DCGM_FI_DEV_GPU_UTIL')) {
    return { metric: catalog.name('DCGM_FI_DEV_GPU_UTIL'), scale: 0.01 };
  }
  return undefined;
}

export function buildInventoryQueries(
  catalog: MetricCatalog,
  detection: FamilyDetection,
  filters: FleetFilters = {}
): InventoryQueries {
  const hostname = assertLabelName(catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL));
  const gpuModel = assertLabelName(catalog.name(DEFAULT_DCGM_MODEL_LABEL));
  const ksmNamespace = detection.kubeStateMetricsLabels.namespace ?? 'namespace';
  const ksmPod = detection.kubeStateMetricsLabels.pod ?? 'pod';
  const dcgmNamespace = detection.dcgmLabels.namespace;
  const activity = chooseActivitySource(detection, catalog);
  const hasModels = activity !== undefined && detection.dcgmLabels.hostname && detection.dcgmLabels.gpuModel;

  if (filters.gpuModels?.length && !hasModels) {
    throw new Error(
      `Filtering by GPU model needs DCGM series with the ${hostname} and ${gpuModel} labels, and there are none in ` +
        'this range. Remove the GPU model filter or check dcgm-exporter.'
    );
  }

  const hostFilter = anyOfMatcher(hostname, filters.nodes);
  const modelFilter = anyOfMatcher(gpuModel, filters.gpuModels);
  // 1 for every (node, model) pair DCGM reports; joins GPU models onto kube-state-metrics' node label.
  const nodeModelMap =
    hasModels &&
    `group by (${NODE_LABEL}, ${gpuModel}) (label_replace(${selector(activity.metric, [hostFilter, modelFilter])}, ` +
      `${quotePromQLString(NODE_LABEL)}, "$1", ${quotePromQLString(hostname)}, "(.*)"))`;
  const restrictToModels = (expr: string) =>
    modelFilter && nodeModelMap ? `(${expr} * on (${NODE_LABEL}) group_left () ${nodeModelMap})` : expr;
  const addModel = (expr: string) => `(${expr} * on (${NODE_LABEL}) group_left (${gpuModel}) ${nodeModelMap})`;

  const gpuResource = matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE));
  const nodeFilter = anyOfMatcher(NODE_LABEL, filters.nodes);
  const ksmNamespaceFilter = anyOfMatcher(ksmNamespace, filters.namespaces);

  const queries: InventoryQueries = {
    labels: { gpuModel, hostname, namespace: ksmNamespace, busyNamespace: dcgmNamespace },
  };

  if (detection.kubeStateMetrics) {
    const allocatable = restrictToModels(
      selector(catalog.name('kube_node_status_allocatable'), [gpuResource, nodeFilter])
    );
    const runningPods =
      `max by (${ksmNamespace}, ${ksmPod}) ` +
      `(${selector(catalog.name('kube_pod_status_phase'), [matcher('phase', '=', 'Running'), ksmNamespaceFilter])} == 1)`;
    const requests = restrictToModels(
      `(${selector(catalog.name('kube_pod_container_resource_requests'), [gpuResource, nodeFilter, ksmNamespaceFilter])}` +
        ` * on (${ksmNamespace}, ${ksmPod}) group_left () ${runningPods})`
    );
    queries.capacity = {
      fleet: `sum(${allocatable})`,
      byModel: nodeModelMap ? `sum by (${gpuModel}) (${addModel(allocatable)})` : undefined,
      byNode: `sum by (${NODE_LABEL}) (${allocatable})`,
    };
    queries.allocated = {
      fleet: `sum(${requests})`,
      byModel: nodeModelMap ? `sum by (${gpuModel}) (${addModel(requests)})` : undefined,
      byNamespace: `sum by (${ksmNamespace}) (${requests})`,
      byNode: `sum by (${NODE_LABEL}) (${requests})`,
    };
  }

  // Without workload labels on DCGM series a namespace filter cannot be applied to busy GPUs: leave busy unknown.
  if (activity && (!filters.namespaces?.length || dcgmNamespace)) {
    const ratio = (matchers: Array<string | undefined>) => {
      const raw = selector(activity.metric, [hostFilter, modelFilter, ...matchers]);
      return activity.scale === 1 ? raw : `(${raw} * ${activity.scale})`;
    };
    const namespaceFilter = dcgmNamespace ? anyOfMatcher(dcgmNamespace, filters.namespaces) : undefined;
    const filtered = ratio([namespaceFilter]);
    queries.busy = {
      // With a namespace filter, no matching GPU means 0 busy while DCGM reports at all, not "unknown".
      fleet: namespaceFilter ? `(sum(${filtered}) or 0 * sum(${ratio([])}))` : `sum(${filtered})`,
      byModel: detection.dcgmLabels.gpuModel ? `sum by (${gpuModel}) (${filtered})` : undefined,
      // GPUs no pod holds carry an empty namespace; they belong to no namespace row.
      byNamespace: dcgmNamespace
        ? `sum by (${dcgmNamespace}) (${ratio([namespaceFilter ?? matcher(dcgmNamespace, '!=', '')])})`
        : undefined,
      byNode: detection.dcgmLabels.hostname ? `sum by (${hostname}) (${filtered})` : undefined,
    };
  }
  if (nodeModelMap) {
    queries.nodeModels = `group by (${hostname}, ${gpuModel}) (${selector(activity.metric, [hostFilter, modelFilter])})`;
  }
  return queries;
}
