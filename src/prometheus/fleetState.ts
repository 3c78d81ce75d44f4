/**
 * The cluster state the fragmentation engine needs, read from Prometheus at one instant: nodes with free CPU and the
 * free share of each whole GPU, the running GPU pods and where they sit, the pending GPU pods, and the places where
 * kube-state-metrics and DCGM disagree. Every query is instant, so the answer grows with nodes, pods and GPUs, never
 * with samples; only the workload's request history uses a range selector, aggregated to one value per pod in PromQL.
 *
 * Which GPU is held comes from DCGM: dcgm-exporter labels a GPU's series with the pod (and namespace) while a pod
 * holds it, and a free GPU's series carries no pod label. Kubernetes says how many GPUs a pod holds, not which.
 * MIG GPUs are left out of the node GPU lists: a whole-GPU request (`nvidia_com_gpu`) cannot use a GPU in MIG mode,
 * and the FGD measure models shares of whole GPUs, not MIG slice geometry (engine/fragmentation/mig.ts does that);
 * their instances are reported per node instead.
 */
import type { NodeState, PendingRequest, PlacedPod, PodRequest } from '../engine/fragmentation';
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
  type MetricCatalog,
} from './catalog';
import { detectFamilies, type FamilyDetection } from './detect';
import { PrometheusError } from './errors';
import { chooseActivitySource, NODE_LABEL } from './inventoryQueries';
import { matcher, regexEscape, selector } from './promql';
import type { PrometheusClient, PromSeries } from './types';

/** A GPU whose activity ratio is above this with no pod holding it is busy without an owner. */
export const BUSY_WITHOUT_POD_RATIO = 0.05;
/** How far back the detection of metric and label names looks. */
const DETECTION_SECONDS = 3600;
const MIG_RESOURCE_PREFIX = 'nvidia_com_mig_';
const MIG_PROFILE_LABEL = 'GPU_I_PROFILE';
const DCGM_UUID_LABEL = 'UUID';
const DCGM_GPU_LABEL = 'gpu';
const MILLI = 1000;

/** Data the fleet state cannot do without is absent (kube-state-metrics or DCGM). */
export class FleetDataError extends PrometheusError {}

export type Disagreement =
  | { kind: 'busy-without-pod'; node: string; gpu: number; uuid: string; activityRatio: number }
  | {
      kind: 'pod-not-in-dcgm';
      namespace: string;
      pod: string;
      node: string;
      /** Whole GPUs the pod requests (kube-state-metrics) and GPUs DCGM shows it holding. */
      requestedGpus: number;
      dcgmGpus: number;
    }
  | { kind: 'allocatable-mismatch'; node: string; allocatableGpus: number; dcgmGpus: number };

export interface FleetNode extends NodeState {
  /** MIG instances the node offers, by kube resource (`nvidia_com_mig_3g_40gb`); not part of `gpus`. */
  migInstancesAllocatable: Record<string, number>;
}

export interface FleetState {
  timeSeconds: number;
  nodes: FleetNode[];
  /** Running whole-GPU pods on the GPUs DCGM shows them holding, named `namespace/pod` (for the defrag planner). */
  runningPods: PlacedPod[];
  /** Pending pods asking for whole GPUs, `id` = `namespace/pod`. */
  pendingPods: PendingRequest[];
  disagreements: Disagreement[];
  warnings: string[];
  /** Every expression run, for people checking a number. */
  queries: Array<{ name: string; expr: string }>;
}

/** Label names of kube-state-metrics and DCGM series, and the DCGM activity metric, as detected. */
interface Labels {
  ksmNamespace: string;
  ksmPod: string;
  dcgmNamespace?: string;
  dcgmPod?: string;
  hostname: string;
  gpuModel: string;
}

interface DcgmGpu {
  uuid: string;
  index: number;
  model: string;
  activityRatio: number;
  /** `namespace/pod` of each pod on the GPU's newest series; empty when free. */
  holders: Set<string>;
}

export async function fetchFleetState(
  client: PrometheusClient,
  catalog: MetricCatalog,
  timeSeconds: number,
  signal?: AbortSignal
): Promise<FleetState> {
  const detection = await detectFamilies(
    client,
    { startSeconds: timeSeconds - DETECTION_SECONDS, endSeconds: timeSeconds },
    catalog,
    signal
  );
  const activity = chooseActivitySource(detection, catalog);
  if (!detection.kubeStateMetrics || !activity) {
    throw new FleetDataError(
      `The fleet state at ${new Date(timeSeconds * 1000).toISOString()} needs kube-state-metrics and a DCGM activity ` +
        `metric in the hour before it. ${detection.messages.join(' ')}`
    );
  }
  const labels = labelsOf(detection, catalog);
  const queries: FleetState['queries'] = [];
  const instant = async (name: string, expr: string) => {
    queries.push({ name, expr });
    return (await client.queryInstant(expr, timeSeconds, signal)).series;
  };
  const gpuResource = catalog.name(DEFAULT_GPU_RESOURCE);
  const resources = matcher('resource', '=~', `cpu|${regexEscape(gpuResource)}|${regexEscape(MIG_RESOURCE_PREFIX)}.+`);
  const wholeDevice = selector(activity.metric, [matcher(MIG_PROFILE_LABEL, '=', '')]);
  const [allocatable, running, pending, devices, deviceTimes] = await Promise.all([
    instant('allocatable', selector(catalog.name('kube_node_status_allocatable'), [resources])),
    instant('runningRequests', podRequestsExpr(catalog, labels, 'Running', resources)),
    instant('pendingRequests', podRequestsExpr(catalog, labels, 'Pending', resources)),
    instant('gpuActivity', `${wholeDevice} * ${activity.scale}`),
    instant('gpuSampleTimes', `timestamp(${wholeDevice})`),
  ]);

  const warnings: string[] = [];
  const dcgmMapsPods = labels.dcgmPod !== undefined && labels.dcgmNamespace !== undefined;
  if (!dcgmMapsPods) {
    warnings.push(
      'DCGM series carry no pod labels, so which GPU is held is unknown: each node counts allocatable minus ' +
        "requested GPUs as fully free. Enable dcgm-exporter's Kubernetes pod mapping."
    );
  }
  const gpusByNode = dcgmGpus(devices, deviceTimes, labels);
  const requestsByPod = groupPods(running, labels);
  const disagreements: Disagreement[] = [];
  const nodeNames = new Set([...allocatable.map((s) => s.labels[NODE_LABEL]), ...gpusByNode.keys()]);
  const nodes: FleetNode[] = [];
  const runningPods: PlacedPod[] = [];
  for (const name of [...nodeNames].sort()) {
    const resourcesOfNode = Object.fromEntries(
      allocatable.filter((s) => s.labels[NODE_LABEL] === name).map((s) => [s.labels.resource, s.values[0]])
    );
    const allocatableGpus = resourcesOfNode[gpuResource] ?? 0;
    const migInstancesAllocatable = Object.fromEntries(
      Object.entries(resourcesOfNode).filter(([resource]) => resource.startsWith(MIG_RESOURCE_PREFIX))
    );
    const seen = gpusByNode.get(name) ?? [];
    if (allocatableGpus === 0 && seen.length === 0 && Object.keys(migInstancesAllocatable).length === 0) {
      continue; // A node without GPUs takes no part in GPU fragmentation.
    }
    const pods = [...requestsByPod.values()].filter((p) => p.node === name);
    const cpuRequestedMilli = pods.reduce((sum, p) => sum + p.cpuMilli, 0);
    const cpuFreeMilli = Math.max(0, Math.round((resourcesOfNode.cpu ?? 0) * MILLI - cpuRequestedMilli));
    const model = [...new Set(seen.map((g) => g.model))].sort().join('|');
    const dcgmKnowsHolders = dcgmMapsPods && seen.length === allocatableGpus;
    if (seen.length !== allocatableGpus) {
      disagreements.push({ kind: 'allocatable-mismatch', node: name, allocatableGpus, dcgmGpus: seen.length });
    }
    for (const gpu of seen) {
      if (gpu.holders.size === 0 && gpu.activityRatio > BUSY_WITHOUT_POD_RATIO) {
        disagreements.push({
          kind: 'busy-without-pod',
          node: name,
          gpu: gpu.index,
          uuid: gpu.uuid,
          activityRatio: gpu.activityRatio,
        });
      }
    }
    for (const pod of pods.filter((p) => p.gpuCount > 0)) {
      const held = seen.filter((g) => g.holders.has(pod.key)).map((g) => g.index);
      if (dcgmMapsPods && held.length < pod.gpuCount) {
        disagreements.push({
          kind: 'pod-not-in-dcgm',
          namespace: pod.namespace,
          pod: pod.pod,
          node: name,
          requestedGpus: pod.gpuCount,
          dcgmGpus: held.length,
        });
      }
      if (dcgmKnowsHolders && held.length === pod.gpuCount) {
        runningPods.push({ ...toRequest(pod), name: pod.key, node: name, gpuIndexes: held });
      }
    }
    const wholeRequested = pods.reduce((sum, p) => sum + p.gpuCount, 0);
    const gpus = dcgmKnowsHolders
      ? seen.map((g) => ({ index: g.index, freeMilli: g.holders.size > 0 ? 0 : MILLI }))
      : Array.from({ length: allocatableGpus }, (_, index) => ({
          index,
          freeMilli: index < allocatableGpus - wholeRequested ? MILLI : 0,
        }));
    nodes.push({
      name,
      // Without DCGM series on the node, its model is unknown; FGD needs one for a node with GPUs.
      gpuModel: gpus.length > 0 ? model || 'unknown' : model,
      gpuCount: gpus.length,
      cpuFreeMilli,
      gpus,
      migInstancesAllocatable,
    });
  }
  const pendingPods = [...groupPods(pending, labels).values()]
    .filter((p) => p.gpuCount > 0)
    .map((p) => ({ ...toRequest(p), id: p.key }));
  return { timeSeconds, nodes, runningPods, pendingPods, disagreements, warnings, queries };
}

/**
 * Whole-GPU requests (with their CPU) of the pods that existed in the `windowSeconds` before `timeSeconds`, running,
 * pending or finished: the sample `learnWorkload` turns into the target workload. One value per pod and resource,
 * aggregated in PromQL: each container's largest request over the window, summed over the pod's containers. A pod
 * appears as one series while pending (node "") and another once placed, hence the max before the sum. Pods asking
 * only for MIG instances are counted in `migOnlyPods` and left out (see the module comment); kube-state-metrics
 * does not expose node selectors, so every request accepts any GPU model.
 */
export async function fetchRecentGpuRequests(
  client: PrometheusClient,
  catalog: MetricCatalog,
  timeSeconds: number,
  windowSeconds: number,
  signal?: AbortSignal
): Promise<{ requests: PodRequest[]; migOnlyPods: number; expr: string }> {
  const detection = await detectFamilies(
    client,
    { startSeconds: timeSeconds - windowSeconds, endSeconds: timeSeconds },
    catalog,
    signal
  );
  const labels = labelsOf(detection, catalog);
  const gpuResource = catalog.name(DEFAULT_GPU_RESOURCE);
  const resources = matcher('resource', '=~', `cpu|${regexEscape(gpuResource)}|${regexEscape(MIG_RESOURCE_PREFIX)}.+`);
  const pod = `${labels.ksmNamespace}, ${labels.ksmPod}`;
  const expr =
    `sum by (${pod}, resource) (max by (${pod}, container, resource) ` +
    `(max_over_time(${selector(catalog.name('kube_pod_container_resource_requests'), [resources])}[${windowSeconds}s])))`;
  const { series } = await client.queryInstant(expr, timeSeconds, signal);
  const pods = [...groupPods(series, labels).values()];
  return {
    requests: pods.filter((p) => p.gpuCount > 0).map(toRequest),
    migOnlyPods: pods.filter((p) => p.gpuCount === 0 && p.migInstances > 0).length,
    expr,
  };
}

function labelsOf(detection: FamilyDetection, catalog: MetricCatalog): Labels {
  return {
    ksmNamespace: detection.kubeStateMetricsLabels.namespace ?? 'namespace',
    ksmPod: detection.kubeStateMetricsLabels.pod ?? 'pod',
    dcgmNamespace: detection.dcgmLabels.namespace,
    dcgmPod: detection.dcgmLabels.pod,
    hostname: catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL),
    gpuModel: catalog.name(DEFAULT_DCGM_MODEL_LABEL),
  };
}

/** Requests per pod, resource and node of the pods in `phase`, containers summed. */
function podRequestsExpr(catalog: MetricCatalog, labels: Labels, phase: string, resources: string): string {
  const pod = `${labels.ksmNamespace}, ${labels.ksmPod}`;
  const inPhase = `max by (${pod}) (${selector(catalog.name('kube_pod_status_phase'), [matcher('phase', '=', phase)])} == 1)`;
  // A placed pod's requests carry its node; the pending series (node "") is another series, excluded once running.
  const node = phase === 'Running' ? matcher(NODE_LABEL, '!=', '') : matcher(NODE_LABEL, '=', '');
  return (
    `sum by (${pod}, ${NODE_LABEL}, resource) ` +
    `(${selector(catalog.name('kube_pod_container_resource_requests'), [resources, node])} ` +
    `* on (${pod}) group_left () ${inPhase})`
  );
}

interface PodRequests {
  key: string;
  namespace: string;
  pod: string;
  node: string;
  cpuMilli: number;
  gpuCount: number;
  migInstances: number;
}

function groupPods(series: PromSeries[], labels: Labels): Map<string, PodRequests> {
  const pods = new Map<string, PodRequests>();
  for (const s of series) {
    const namespace = s.labels[labels.ksmNamespace] ?? '';
    const pod = s.labels[labels.ksmPod] ?? '';
    const key = `${namespace}/${pod}`;
    let entry = pods.get(key);
    if (!entry) {
      entry = { key, namespace, pod, node: s.labels[NODE_LABEL] ?? '', cpuMilli: 0, gpuCount: 0, migInstances: 0 };
      pods.set(key, entry);
    }
    const value = s.values[0];
    const resource = s.labels.resource;
    if (resource === 'cpu') {
      entry.cpuMilli += Math.round(value * MILLI);
    } else if (resource.startsWith(MIG_RESOURCE_PREFIX)) {
      entry.migInstances += value;
    } else {
      entry.gpuCount += value;
    }
  }
  return pods;
}

function toRequest(pod: PodRequests): PodRequest {
  return { cpuMilli: pod.cpuMilli, gpuCount: pod.gpuCount, gpuMilli: MILLI, gpuSpec: '' };
}

/**
 * Whole GPUs per node from DCGM, each with the pods on its newest series. A backfilled history has no staleness
 * markers, so the series of a pod that just left a GPU stays visible for the lookback beside the GPU's free series;
 * the newest sample tells which one is the GPU's state now. Several series sharing the newest time are time-sliced
 * pods sharing the GPU.
 */
function dcgmGpus(devices: PromSeries[], times: PromSeries[], labels: Labels): Map<string, DcgmGpu[]> {
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const timeOf = new Map(times.map((s) => [key(s.labels), s.values[0]]));
  const newest = new Map<string, { time: number; series: PromSeries[] }>();
  for (const s of devices) {
    // Both queries drop the metric name (arithmetic, timestamp()), so their label sets match one to one.
    const time = timeOf.get(key(s.labels)) ?? -Infinity;
    const uuid = `${s.labels[labels.hostname]}/${s.labels[DCGM_UUID_LABEL] ?? s.labels[DCGM_GPU_LABEL]}`;
    const current = newest.get(uuid);
    if (!current || time > current.time) {
      newest.set(uuid, { time, series: [s] });
    } else if (time === current.time) {
      current.series.push(s);
    }
  }
  const { dcgmNamespace, dcgmPod } = labels;
  const byNode = new Map<string, DcgmGpu[]>();
  for (const { series } of newest.values()) {
    const first = series[0].labels;
    const node = first[labels.hostname] ?? '';
    const holders = new Set(
      dcgmNamespace && dcgmPod
        ? series.filter((s) => s.labels[dcgmPod]).map((s) => `${s.labels[dcgmNamespace] ?? ''}/${s.labels[dcgmPod]}`)
        : []
    );
    const gpu: DcgmGpu = {
      uuid: first[DCGM_UUID_LABEL] ?? '',
      index: Number(first[DCGM_GPU_LABEL]),
      model: first[labels.gpuModel] ?? '',
      activityRatio: Math.max(...series.map((s) => s.values[0])),
      holders,
    };
    byNode.set(node, [...(byNode.get(node) ?? []), gpu]);
  }
  for (const gpus of byNode.values()) {
    gpus.sort((a, b) => a.index - b.index);
  }
  return byNode;
}
