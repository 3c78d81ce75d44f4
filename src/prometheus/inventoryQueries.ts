/**
 * PromQL of the GPU inventory. Every expression aggregates in Prometheus (`sum by`), so the answer size grows with
 * nodes, models and namespaces, never with GPUs × samples.
 *
 * Every count is in GPU-equivalents, so that MIG and shared GPUs add up with whole GPUs:
 * - capacity: whole GPUs Kubernetes offers (`nvidia_com_gpu` allocatable) plus physical GPUs in MIG mode. With the
 *   device plugin's mixed strategy a MIG GPU appears only as `nvidia_com_mig_<profile>` instances, and neither
 *   allocatable nor `kube_node_status_capacity` counts it as a GPU. dcgm-exporter reports every MIG instance with its
 *   parent GPU's `UUID` and a `GPU_I_PROFILE`, so the distinct UUIDs among instance series count the physical GPUs
 *   exactly. Without such DCGM series, Σ instances × slices / 7 of the MIG allocatable stands in: it equals the GPU
 *   count when the layout uses all seven slices and falls short when slices are left unused.
 * - allocated: whole-GPU requests plus MIG requests × slices / 7, the `Ng` of the profile giving the slices.
 * - busy: Σ activity × the series' share of its GPU (slices / 7 for an `Ng.*` GPU_I_PROFILE, 1 otherwise).
 * A100 and H100 have 7 compute slices; the A30's 4-slice profiles are not modelled. The device plugin's single MIG
 * strategy advertises each instance as `nvidia_com_gpu`, which then counts as a whole GPU.
 * Time-sliced GPUs: busy counts each physical GPU once (see `sharers`), but Kubernetes advertises every time-slicing
 * replica as an `nvidia_com_gpu`, so capacity and allocated are in replicas unless the device plugin renames them.
 */
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
  type MetricCatalog,
} from './catalog';
import type { FamilyDetection } from './detect';
import { anyOfMatcher, assertLabelName, matcher, quotePromQLString, regexEscape, selector } from './promql';
import type { FleetFilters } from './types';

/** Label that names the Kubernetes node on kube-state-metrics series and on the node-to-model map. */
export const NODE_LABEL = 'node';

/** dcgm-exporter's labels of the physical GPU (MIG instances carry their parent's UUID) and of a MIG instance. */
const DCGM_UUID_LABEL = 'UUID';
const MIG_PROFILE_LABEL = 'GPU_I_PROFILE';
const MIG_INSTANCE_LABEL = 'GPU_I_ID';

/** Compute slices of an A100 / H100 and the slice counts of its GPU instance profiles (1g … 7g). */
const MIG_COMPUTE_SLICES = 7;
const MIG_PROFILE_SLICES = [1, 2, 3, 4, 7] as const;

/** kube-state-metrics' name of the device plugin's `nvidia.com/mig-<profile>` resources. */
const MIG_RESOURCE_PREFIX = 'nvidia_com_mig_';

/** Model reported for a node whose DCGM series name more than one GPU model. */
export const MIXED_GPU_MODEL = 'mixed';

/** Matches every GPU resource kube-state-metrics reports: whole GPUs and each MIG profile. */
export function anyGpuResourceMatcher(catalog: MetricCatalog): string {
  return matcher(
    'resource',
    '=~',
    `${regexEscape(catalog.name(DEFAULT_GPU_RESOURCE))}|${regexEscape(MIG_RESOURCE_PREFIX)}.+`
  );
}

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
  /** `group by (Hostname, modelName)`: which models each node has. */
  nodeModels?: string;
  /** Label names to read each group's key from. */
  labels: { gpuModel: string; hostname: string; namespace: string; busyNamespace?: string };
  /**
   * Set when MIG GPUs in capacity come from Σ slices / 7 of the MIG allocatable rather than from DCGM: counts the
   * MIG allocatable series, so that a fleet with MIG GPUs is told the capacity is an estimate.
   */
  migSliceEstimate?: string;
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

/**
 * A DCGM metric with one series per whole GPU and per MIG instance: framebuffer use, else the profiling activity.
 * DCGM_FI_DEV_GPU_UTIL does not qualify: DCGM does not report it for MIG instances.
 */
function chooseDeviceMetric(detection: FamilyDetection, catalog: MetricCatalog): string | undefined {
  if (detection.present.includes('DCGM_FI_DEV_FB_USED')) {
    return catalog.name('DCGM_FI_DEV_FB_USED');
  }
  return detection.dcgmProfiling ? catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE') : undefined;
}

/**
 * `whole or mig(1) * 1 / 7 or mig(2) * 2 / 7 …`: one term per profile size, so each series is weighted by its
 * share of a GPU. The terms differ in the profile or resource label, so `or` keeps every series. Inventory counts
 * and the per-pod GPU-hours of the efficiency analysis (podActivity.ts) both weigh MIG instances with it.
 */
export function gpuEquivalents(whole: string, migOfSlices: (slices: number) => string): string {
  const terms = MIG_PROFILE_SLICES.map((slices) => `${migOfSlices(slices)} * ${slices} / ${MIG_COMPUTE_SLICES}`);
  return `(${[whole, ...terms].join(' or ')})`;
}

/**
 * `gpuEquivalents` over DCGM series: `dcgm(matcher)` gives the series of whole GPUs (no GPU_I_PROFILE) or of the MIG
 * instances of an `Ng.*` profile, each weighted by its share of a GPU.
 */
export function dcgmGpuEquivalents(dcgm: (profileMatcher: string) => string): string {
  return gpuEquivalents(dcgm(matcher(MIG_PROFILE_LABEL, '=', '')), (slices) =>
    dcgm(matcher(MIG_PROFILE_LABEL, '=~', `${slices}g\\..*`))
  );
}

/**
 * `devices` DCGM devices of one MIG profile in GPU-equivalents, as `dcgmGpuEquivalents` weighs them: whole GPUs without
 * a profile, N/7 each of an `Ng.*` profile; undefined for a profile it does not weigh. For devices counted by profile in
 * PromQL and weighed here.
 */
export function dcgmGpuEquivalentsOf(profile: string, devices: number): number | undefined {
  if (profile === '') {
    return devices;
  }
  const slices = MIG_PROFILE_SLICES.find((n) => profile.startsWith(`${n}g.`));
  return slices === undefined ? undefined : (devices * slices) / MIG_COMPUTE_SLICES;
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
  const deviceMetric = chooseDeviceMetric(detection, catalog);
  const modelMetric = deviceMetric ?? activity?.metric;
  const hasModels = modelMetric !== undefined && detection.dcgmLabels.hostname && detection.dcgmLabels.gpuModel;

  if (filters.gpuModels?.length && !hasModels) {
    throw new Error(
      `Filtering by GPU model needs DCGM series with the ${hostname} and ${gpuModel} labels, and there are none in ` +
        'this range. Remove the GPU model filter or check dcgm-exporter.'
    );
  }

  const hostFilter = anyOfMatcher(hostname, filters.nodes);
  const modelFilter = anyOfMatcher(gpuModel, filters.gpuModels);
  const toNodeLabel = (expr: string) =>
    `label_replace(${expr}, ${quotePromQLString(NODE_LABEL)}, "$1", ${quotePromQLString(hostname)}, "(.*)")`;
  const nodeModelPairs =
    hasModels &&
    `group by (${NODE_LABEL}, ${gpuModel}) (${toNodeLabel(selector(modelMetric, [hostFilter, modelFilter]))})`;
  // One model per node, so joins stay one-to-one: the node's model, or `mixed` when DCGM names several.
  const mixedNodes = nodeModelPairs && `group by (${NODE_LABEL}) (count by (${NODE_LABEL}) (${nodeModelPairs}) > 1)`;
  const nodeModelMap =
    nodeModelPairs &&
    `((${nodeModelPairs} unless on (${NODE_LABEL}) ${mixedNodes}) or ` +
      `label_replace(${mixedNodes}, ${quotePromQLString(gpuModel)}, ${quotePromQLString(MIXED_GPU_MODEL)}, ` +
      `${quotePromQLString(NODE_LABEL)}, ".*"))`;
  const restrictToModels = (expr: string) =>
    modelFilter && nodeModelMap ? `(${expr} * on (${NODE_LABEL}) group_left () ${nodeModelMap})` : expr;
  const addModel = (expr: string) => `(${expr} * on (${NODE_LABEL}) group_left (${gpuModel}) ${nodeModelMap})`;

  const wholeGpu = matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE));
  const migResource = (slices: number) => matcher('resource', '=~', `${regexEscape(MIG_RESOURCE_PREFIX)}${slices}g_.*`);
  const nodeFilter = anyOfMatcher(NODE_LABEL, filters.nodes);
  const ksmNamespaceFilter = anyOfMatcher(ksmNamespace, filters.namespaces);

  const queries: InventoryQueries = {
    labels: { gpuModel, hostname, namespace: ksmNamespace, busyNamespace: dcgmNamespace },
  };

  if (detection.kubeStateMetrics) {
    const allocatable = (resource: string) =>
      selector(catalog.name('kube_node_status_allocatable'), [resource, nodeFilter]);
    // 1 per physical GPU in MIG mode, labelled with its node.
    const migGpus = deviceMetric
      ? toNodeLabel(
          `group by (${hostname}, ${DCGM_UUID_LABEL}) ` +
            `(${selector(deviceMetric, [matcher(MIG_PROFILE_LABEL, '!=', ''), hostFilter, modelFilter])})`
        )
      : undefined;
    const capacity = restrictToModels(
      migGpus
        ? `(${allocatable(wholeGpu)} or ${migGpus})`
        : gpuEquivalents(allocatable(wholeGpu), (slices) => allocatable(migResource(slices)))
    );
    const requested = (resource: string) =>
      selector(catalog.name('kube_pod_container_resource_requests'), [resource, nodeFilter, ksmNamespaceFilter]);
    const runningPods =
      `max by (${ksmNamespace}, ${ksmPod}) ` +
      `(${selector(catalog.name('kube_pod_status_phase'), [matcher('phase', '=', 'Running'), ksmNamespaceFilter])} == 1)`;
    const requests = restrictToModels(
      `(${gpuEquivalents(requested(wholeGpu), (slices) => requested(migResource(slices)))}` +
        ` * on (${ksmNamespace}, ${ksmPod}) group_left () ${runningPods})`
    );
    if (!migGpus) {
      queries.migSliceEstimate = `count(${allocatable(matcher('resource', '=~', `${regexEscape(MIG_RESOURCE_PREFIX)}.*`))})`;
    }
    queries.capacity = {
      fleet: `sum(${capacity})`,
      byModel: nodeModelMap ? `sum by (${gpuModel}) (${addModel(capacity)})` : undefined,
      byNode: `sum by (${NODE_LABEL}) (${capacity})`,
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
    const raw = (matchers: Array<string | undefined>) =>
      selector(activity.metric, [hostFilter, modelFilter, ...matchers]);
    const scaled = (expr: string) => (activity.scale === 1 ? expr : `${expr} * ${activity.scale}`);
    const device = `${hostname}, ${DCGM_UUID_LABEL}, ${MIG_INSTANCE_LABEL}`;
    // A time-sliced GPU has one series per pod sharing it, each with the whole GPU's activity: every series gets an
    // equal part, so the GPU counts once and each sharing pod's namespace gets its share.
    const sharers = `count by (${device}) (${raw([])})`;
    const busyShare = (matchers: Array<string | undefined>) =>
      `(${scaled(dcgmGpuEquivalents((more) => raw([...matchers, more])))} / on (${device}) group_left () ${sharers})`;
    const namespaceFilter = dcgmNamespace ? anyOfMatcher(dcgmNamespace, filters.namespaces) : undefined;
    const filtered = busyShare([namespaceFilter]);
    queries.busy = {
      // With a namespace filter, no matching GPU means 0 busy while DCGM reports at all, not "unknown".
      fleet: namespaceFilter ? `(sum(${filtered}) or 0 * sum(${busyShare([])}))` : `sum(${filtered})`,
      byModel: detection.dcgmLabels.gpuModel ? `sum by (${gpuModel}) (${filtered})` : undefined,
      // GPUs no pod holds carry an empty namespace; they belong to no namespace row.
      byNamespace: dcgmNamespace
        ? `sum by (${dcgmNamespace}) (${busyShare([namespaceFilter ?? matcher(dcgmNamespace, '!=', '')])})`
        : undefined,
      byNode: detection.dcgmLabels.hostname ? `sum by (${hostname}) (${filtered})` : undefined,
    };
  }
  if (nodeModelMap) {
    queries.nodeModels = `group by (${hostname}, ${gpuModel}) (${selector(modelMetric, [hostFilter, modelFilter])})`;
  }
  return queries;
}
