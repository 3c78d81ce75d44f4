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
 * their instances are reported per node instead: each MIG GPU with its instances and their pods (DCGM), and the
 * instances of each profile still free (kube-state-metrics allocatable minus running requests).
 *
 * `fetchFleetStates` reads the state at many evenly spaced instants with the same expressions as range queries (one
 * per expression, whatever the number of instants): a range query evaluates at each step exactly as an instant
 * query at that time would, so each instant's state equals what `fetchFleetState` returns for it.
 */
import type { NodeState, PendingRequest, PlacedPod, PodRequest } from '../engine/fragmentation';
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
  type MetricCatalog,
} from './catalog';
import { detectFamilies, detectGpuRequestLabels, type FamilyDetection, type WorkloadLabels } from './detect';
import { PrometheusError } from './errors';
import { redactedFigures } from './redact';
import { chooseActivitySource, NODE_LABEL } from './inventoryQueries';
import { anyOfMatcher, matcher, regexEscape, selector } from './promql';
import type { PrometheusClient, PromSeries } from './types';

/** A GPU whose activity ratio is above this with no pod holding it is busy without an owner. */
export const BUSY_WITHOUT_POD_RATIO = 0.05;
/** How far back the detection of metric and label names looks. */
const DETECTION_SECONDS = 3600;
const MIG_RESOURCE_PREFIX = 'nvidia_com_mig_';
const MIG_PROFILE_LABEL = 'GPU_I_PROFILE';
const MIG_INSTANCE_LABEL = 'GPU_I_ID';
const DCGM_UUID_LABEL = 'UUID';
const DCGM_GPU_LABEL = 'gpu';
const MILLI = 1000;

/** Data the fleet state cannot do without is absent (kube-state-metrics or DCGM). */
export class FleetDataError extends PrometheusError {}

/**
 * The code and figures of FleetStateDataError's message (frames/frameTexts.ts): the time of the state and what the
 * detection found missing, in its English.
 */
export interface FleetDataErrorText {
  code: 'fleet-data-error';
  timeSeconds: number;
  details: string[];
}

/** kube-state-metrics or a DCGM activity metric is absent in the hour before the fleet state's time. */
export class FleetStateDataError extends FleetDataError {
  readonly text: FleetDataErrorText;

  constructor(timeSeconds: number, details: string[]) {
    super(
      `The fleet state at ${new Date(timeSeconds * 1000).toISOString()} needs kube-state-metrics and a DCGM activity ` +
        `metric in the hour before it. ${details.join(' ')}`
    );
    this.text = redactedFigures({ code: 'fleet-data-error', timeSeconds, details });
  }
}

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

/** One MIG instance of a GPU as DCGM reports it, with the pods (`namespace/pod`) on its newest series. */
export interface FleetMigInstance {
  /** `GPU_I_PROFILE`, e.g. `3g.40gb`. */
  profile: string;
  /** `GPU_I_ID`. */
  instanceId: number;
  holders: string[];
}

/** A physical GPU in MIG mode and the instances it is split into. */
export interface FleetMigGpu {
  index: number;
  model: string;
  instances: FleetMigInstance[];
}

export interface FleetNode extends NodeState {
  /** MIG instances the node offers, by kube resource (`nvidia_com_mig_3g_40gb`); not part of `gpus`. */
  migInstancesAllocatable: Record<string, number>;
  /** Per kube resource: allocatable instances no running pod requests. */
  migInstancesFree: Record<string, number>;
  /** GPUs in MIG mode per DCGM, by index; empty when DCGM reports none. */
  migGpus: FleetMigGpu[];
  /** `namespace/pod` of the pods on each whole GPU, by GPU index (DCGM); absent for a free GPU. */
  gpuHolders: Record<number, string[]>;
  /**
   * Whether `gpus` are the GPUs DCGM reports, held as it shows. When DCGM does not report as many whole GPUs as
   * kube-state-metrics offers (or names no pods), `gpus` are the allocatable slots numbered from 0, the requested
   * ones first: counts are right, which GPU is held is unknown.
   */
  gpusFromDcgm: boolean;
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

/** Label names kube-state-metrics names pods by. */
interface PodLabels {
  ksmNamespace: string;
  ksmPod: string;
}

/** Label names of kube-state-metrics and DCGM series, and the DCGM activity metric, as detected. */
interface Labels extends PodLabels {
  dcgmNamespace?: string;
  dcgmPod?: string;
  hostname: string;
  gpuModel: string;
}

interface DcgmDevice {
  uuid: string;
  index: number;
  model: string;
  /** Set on a MIG instance. */
  mig?: { profile: string; instanceId: number };
  /**
   * Activity of a device no pod holds, when above BUSY_WITHOUT_POD_RATIO (the busy-without-pod disagreement);
   * 0 otherwise. A held device's activity is not read.
   */
  activityRatio: number;
  /** `namespace/pod` of each pod on the device's newest series; empty when free. */
  holders: Set<string>;
}

/**
 * One series' value at one instant. The over-time view reads 20 states of tens of thousands of series each: one
 * object per value instead of a one-point series (three objects) is less for the garbage collector to trace.
 */
interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The answers of the five expressions at one instant. */
interface InstantAnswers {
  allocatable: Sample[];
  running: Sample[];
  pending: Sample[];
  /** Every DCGM series of a device, its value the time of its sample. */
  deviceTimes: Sample[];
  /** The series without a pod whose activity is above BUSY_WITHOUT_POD_RATIO. */
  busyWithoutPod: Sample[];
}

export async function fetchFleetState(
  client: PrometheusClient,
  catalog: MetricCatalog,
  timeSeconds: number,
  signal?: AbortSignal
): Promise<FleetState> {
  return (await fetchFleetStates(client, catalog, [timeSeconds], signal))[0];
}

/**
 * The fleet state at each of `timesSeconds` (one instant, or several evenly spaced ones in increasing order), with
 * one query per expression: instant queries for one time, range queries stepping through the times otherwise.
 * `detected` is detectFleetState's answer when the caller started it; else it is run for these times.
 */
export async function fetchFleetStates(
  client: PrometheusClient,
  catalog: MetricCatalog,
  timesSeconds: readonly number[],
  signal?: AbortSignal
): Promise<FleetState[]> {
  const first = timesSeconds[0];
  const last = timesSeconds[timesSeconds.length - 1];
  const stepSeconds = timesSeconds.length > 1 ? timesSeconds[1] - timesSeconds[0] : 0;
  if (
    timesSeconds.length === 0 ||
    timesSeconds.some((t, i) => !Number.isInteger(t) || (i > 0 && t - timesSeconds[i - 1] !== stepSeconds)) ||
    (timesSeconds.length > 1 && !(stepSeconds > 0))
  ) {
    throw new RangeError(
      `The fleet state needs increasing, evenly spaced whole seconds, got [${timesSeconds.join(', ')}].`
    );
  }
  const detection = await detectFamilies(
    client,
    { startSeconds: first - DETECTION_SECONDS, endSeconds: last },
    catalog,
    signal
  );
  const activity = chooseActivitySource(detection, catalog);
  if (!detection.kubeStateMetrics || !activity) {
    throw new FleetStateDataError(last, detection.messages);
  }
  const labels = labelsOf(detection, catalog);
  const queries: FleetState['queries'] = [];
  const run = async (name: string, expr: string) => {
    queries.push({ name, expr });
    return timesSeconds.length === 1
      ? (await client.queryInstant(expr, first, signal)).series
      : (await client.queryRange(expr, { startSeconds: first, endSeconds: last, stepSeconds }, signal)).series;
  };
  const gpuResource = catalog.name(DEFAULT_GPU_RESOURCE);
  const resources = matcher('resource', '=~', `cpu|${regexEscape(gpuResource)}|${regexEscape(MIG_RESOURCE_PREFIX)}.+`);
  // Whole GPUs and MIG instances alike: the MIG profile label tells them apart.
  const device = selector(activity.metric, []);
  // Series with a pod label hold their device: their activity is never read (see DcgmDevice.activityRatio).
  const withoutPod =
    labels.dcgmPod !== undefined && labels.dcgmNamespace !== undefined
      ? selector(activity.metric, [matcher(labels.dcgmPod, '=', '')])
      : device;
  const [allocatable, running, pending, deviceTimes, busyWithoutPod] = await Promise.all([
    run('allocatable', selector(catalog.name('kube_node_status_allocatable'), [resources])),
    run('runningRequests', podRequestsExpr(catalog, labels, 'Running', resources)),
    run('pendingRequests', podRequestsExpr(catalog, labels, 'Pending', resources)),
    run('gpuSampleTimes', `timestamp(${device})`),
    run('busyGpusWithoutPod', `${withoutPod} * ${activity.scale} > ${BUSY_WITHOUT_POD_RATIO}`),
  ]);
  const perInstant = mapAnswers({ allocatable, running, pending, deviceTimes, busyWithoutPod }, (series) =>
    byInstant(series, timesSeconds)
  );
  return timesSeconds.map((timeSeconds, i) => ({
    ...stateOf(
      mapAnswers(perInstant, (instants) => instants[i]),
      labels,
      gpuResource
    ),
    timeSeconds,
    queries,
  }));
}

type PerAnswer<T> = { [K in keyof InstantAnswers]: T };

function mapAnswers<T, U>(answers: PerAnswer<T>, f: (value: T) => U): PerAnswer<U> {
  return {
    allocatable: f(answers.allocatable),
    running: f(answers.running),
    pending: f(answers.pending),
    deviceTimes: f(answers.deviceTimes),
    busyWithoutPod: f(answers.busyWithoutPod),
  };
}

/**
 * For each of `timesSeconds`, the series that have a sample then, each reduced to that sample, as an instant query at
 * that time answers. One pass over the points: looking each instant up in every series cost instants × points (a
 * quarter of a second for the over-time view's 20 instants of 47,200 device series, docs/scale.md).
 */
function byInstant(series: PromSeries[], timesSeconds: readonly number[]): Sample[][] {
  const indexOf = new Map(timesSeconds.map((t, i) => [t, i]));
  const result = timesSeconds.map((): Sample[] => []);
  for (const s of series) {
    s.timestampsSeconds.forEach((t, j) => {
      const i = indexOf.get(t);
      if (i !== undefined) {
        result[i].push({ labels: s.labels, value: s.values[j] });
      }
    });
  }
  return result;
}

/** The warning when DCGM does not say which pod holds a GPU (worded by the pages from its code, `dcgm-no-pod-labels`). */
export const NO_POD_LABELS_WARNING =
  'DCGM series carry no pod labels, so which GPU is held is unknown: each node counts allocatable minus ' +
  "requested GPUs as fully free. Enable dcgm-exporter's Kubernetes pod mapping.";

/** The state at one instant from the answers at that instant. */
function stateOf(
  answers: InstantAnswers,
  labels: Labels,
  gpuResource: string
): Omit<FleetState, 'timeSeconds' | 'queries'> {
  const { allocatable, running, pending, deviceTimes, busyWithoutPod } = answers;
  const warnings: string[] = [];
  const dcgmMapsPods = labels.dcgmPod !== undefined && labels.dcgmNamespace !== undefined;
  if (!dcgmMapsPods) {
    warnings.push(NO_POD_LABELS_WARNING);
  }
  const devicesByNode = dcgmDevices(deviceTimes, busyWithoutPod, labels);
  const requestsByPod = groupPods(running, labels);
  const disagreements: Disagreement[] = [];
  const nodeNames = new Set([...allocatable.map((s) => s.labels[NODE_LABEL]), ...devicesByNode.keys()]);
  const nodes: FleetNode[] = [];
  const runningPods: PlacedPod[] = [];
  // Grouped by node once, in their order: filtering per node cost nodes × series (seconds at 10,000 GPUs).
  const allocatableByNode = groupBy(allocatable, (s) => s.labels[NODE_LABEL]);
  const podsByNode = groupBy([...requestsByPod.values()], (p) => p.node);
  for (const name of [...nodeNames].sort()) {
    const resourcesOfNode = Object.fromEntries(
      (allocatableByNode.get(name) ?? []).map((s) => [s.labels.resource, s.value])
    );
    const allocatableGpus = resourcesOfNode[gpuResource] ?? 0;
    const migInstancesAllocatable = Object.fromEntries(
      Object.entries(resourcesOfNode).filter(([resource]) => resource.startsWith(MIG_RESOURCE_PREFIX))
    );
    const onNode = devicesByNode.get(name) ?? [];
    const seen = onNode.filter((d) => !d.mig);
    const migGpus = migGpusOf(onNode.filter((d) => d.mig));
    if (allocatableGpus === 0 && onNode.length === 0 && Object.keys(migInstancesAllocatable).length === 0) {
      continue; // A node without GPUs takes no part in GPU fragmentation.
    }
    const pods = podsByNode.get(name) ?? [];
    const cpuRequestedMilli = pods.reduce((sum, p) => sum + p.cpuMilli, 0);
    const cpuFreeMilli = Math.max(0, Math.round((resourcesOfNode.cpu ?? 0) * MILLI - cpuRequestedMilli));
    const migInstancesFree = Object.fromEntries(
      Object.entries(migInstancesAllocatable).map(([resource, count]) => [
        resource,
        Math.max(0, count - pods.reduce((sum, p) => sum + (p.migByResource[resource] ?? 0), 0)),
      ])
    );
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
      migInstancesFree,
      migGpus,
      gpuHolders: dcgmKnowsHolders
        ? Object.fromEntries(seen.filter((g) => g.holders.size > 0).map((g) => [g.index, [...g.holders].sort()]))
        : {},
      gpusFromDcgm: dcgmKnowsHolders,
    });
  }
  const pendingPods = [...groupPods(pending, labels).values()]
    .filter((p) => p.gpuCount > 0)
    .map((p) => ({ ...toRequest(p), id: p.key }));
  return { nodes, runningPods, pendingPods, disagreements, warnings };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) {
      group.push(item);
    } else {
      groups.set(key, [item]);
    }
  }
  return groups;
}

/** MIG instances grouped by their physical GPU, GPUs by index and instances by id. */
function migGpusOf(instances: DcgmDevice[]): FleetMigGpu[] {
  const byIndex = new Map<number, FleetMigGpu>();
  for (const d of instances) {
    const gpu = byIndex.get(d.index) ?? { index: d.index, model: d.model, instances: [] };
    gpu.instances.push({ profile: d.mig!.profile, instanceId: d.mig!.instanceId, holders: [...d.holders].sort() });
    byIndex.set(d.index, gpu);
  }
  const gpus = [...byIndex.values()].sort((a, b) => a.index - b.index);
  gpus.forEach((g) => g.instances.sort((a, b) => a.instanceId - b.instanceId));
  return gpus;
}

/**
 * Whole-GPU requests (with their CPU) of the pods that existed in the `windowSeconds` before `timeSeconds`, running,
 * pending or finished: the sample `learnWorkload` turns into the target workload. One value per pod and resource,
 * aggregated in PromQL: each container's largest request over the window, summed over the pod's containers. A pod
 * appears as one series while pending (node "") and another once placed, hence the max before the sum. Pods asking
 * only for MIG instances are counted in `migOnlyPods` and left out (see the module comment); kube-state-metrics
 * does not expose node selectors, so every request accepts any GPU model. `namespaces` keeps the pods of those
 * namespaces only (empty: all).
 *
 * Two queries, so that Prometheus answers only what is used: the CPU and GPUs of the pods that asked for GPUs, and
 * the number of pods that asked for MIG instances and no GPU. One query of every pod's CPU, GPU and MIG requests gave
 * the same numbers but answered a series per pod and resource (122,000 series, 14 MB, at 10,000 GPUs: docs/scale.md).
 */
export async function fetchRecentGpuRequests(
  client: PrometheusClient,
  catalog: MetricCatalog,
  timeSeconds: number,
  windowSeconds: number,
  signal?: AbortSignal,
  namespaces: readonly string[] = []
): Promise<{ requests: PodRequest[]; migOnlyPods: number; queries: Array<{ name: string; expr: string }> }> {
  const labels = podLabelsOf(
    await detectGpuRequestLabels(
      client,
      { startSeconds: timeSeconds - windowSeconds, endSeconds: timeSeconds },
      catalog,
      signal
    )
  );
  const gpuResource = regexEscape(catalog.name(DEFAULT_GPU_RESOURCE));
  const pod = `${labels.ksmNamespace}, ${labels.ksmPod}`;
  const inNamespaces = anyOfMatcher(labels.ksmNamespace, namespaces);
  // Each container's largest request over the window; summed over the pod's containers, per pod and resource.
  const containerMax = (resources: string) =>
    `max by (${pod}, container, resource) ` +
    `(max_over_time(${selector(catalog.name('kube_pod_container_resource_requests'), [matcher('resource', '=~', resources), inNamespaces])}` +
    `[${windowSeconds}s]))`;
  const perPod = (resources: string) => `sum by (${pod}, resource) (${containerMax(resources)})`;
  const gpuPods = `(${perPod(gpuResource)} > 0)`;
  const requestsExpr = `${perPod(`cpu|${gpuResource}`)} and on (${pod}) ${gpuPods}`;
  // A pod's MIG instances of every profile together: more than none, and no whole GPU.
  const migOnlyExpr =
    `count(sum by (${pod}) (${containerMax(`${regexEscape(MIG_RESOURCE_PREFIX)}.+`)}) > 0 ` +
    `unless on (${pod}) ${gpuPods})`;
  const [requested, migOnly] = await Promise.all([
    client.queryInstant(requestsExpr, timeSeconds, signal),
    client.queryInstant(migOnlyExpr, timeSeconds, signal),
  ]);
  const pods = [...groupPods(requested.series.map(sampleOf), labels).values()];
  return {
    requests: pods.filter((p) => p.gpuCount > 0).map(toRequest),
    migOnlyPods: migOnly.series[0]?.values[0] ?? 0,
    queries: [
      { name: 'recentGpuRequests', expr: requestsExpr },
      { name: 'recentMigOnlyPods', expr: migOnlyExpr },
    ],
  };
}

/** The labels kube-state-metrics names pods by: the detected ones, else its own. */
function podLabelsOf(detected: WorkloadLabels): PodLabels {
  return { ksmNamespace: detected.namespace ?? 'namespace', ksmPod: detected.pod ?? 'pod' };
}

function labelsOf(detection: FamilyDetection, catalog: MetricCatalog): Labels {
  return {
    ...podLabelsOf(detection.kubeStateMetricsLabels),
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
  migByResource: Record<string, number>;
}

/** An instant query's series as the value it answers. */
function sampleOf(series: PromSeries): Sample {
  return { labels: series.labels, value: series.values[0] };
}

function groupPods(series: Sample[], labels: PodLabels): Map<string, PodRequests> {
  const pods = new Map<string, PodRequests>();
  for (const s of series) {
    const namespace = s.labels[labels.ksmNamespace] ?? '';
    const pod = s.labels[labels.ksmPod] ?? '';
    const key = `${namespace}/${pod}`;
    let entry = pods.get(key);
    if (!entry) {
      entry = {
        key,
        namespace,
        pod,
        node: s.labels[NODE_LABEL] ?? '',
        cpuMilli: 0,
        gpuCount: 0,
        migInstances: 0,
        migByResource: {},
      };
      pods.set(key, entry);
    }
    const { value } = s;
    const resource = s.labels.resource;
    if (resource === 'cpu') {
      entry.cpuMilli += Math.round(value * MILLI);
    } else if (resource.startsWith(MIG_RESOURCE_PREFIX)) {
      entry.migInstances += value;
      entry.migByResource[resource] = (entry.migByResource[resource] ?? 0) + value;
    } else {
      entry.gpuCount += value;
    }
  }
  // In the order of their keys: Prometheus promises no order for an instant vector, and the same fleet must read the
  // same whichever query (instant or range) it came from.
  // `sort()` without a comparator orders strings by UTF-16 code units, as `<` does, without a call per comparison.
  return new Map([...pods.keys()].sort().map((key) => [key, pods.get(key)!]));
}

function toRequest(pod: PodRequests): PodRequest {
  return { cpuMilli: pod.cpuMilli, gpuCount: pod.gpuCount, gpuMilli: MILLI, gpuSpec: '' };
}

/**
 * Whole GPUs and MIG instances per node from DCGM, each with the pods on its newest series. A backfilled history has
 * no staleness markers, so the series of a pod that just left a device stays visible for the lookback beside the
 * device's free series; the newest sample tells which one is the device's state now. Several series sharing the
 * newest time are time-sliced pods sharing the GPU. `times` are every series' sample time (`timestamp()`): they name
 * the devices and their pods as well, so the activity is read only where it is used, for the busy series no pod holds
 * (`busy`): one per-GPU answer instead of two, and Prometheus selects every GPU's series once instead of twice.
 */
function dcgmDevices(times: Sample[], busy: Sample[], labels: Labels): Map<string, DcgmDevice[]> {
  // MIG instances carry their parent GPU's UUID: the instance id tells them apart.
  const deviceOf = (l: Record<string, string>) =>
    `${l[labels.hostname] ?? ''}/${l[DCGM_UUID_LABEL] ?? l[DCGM_GPU_LABEL] ?? ''}/` +
    (l[MIG_PROFILE_LABEL] ? (l[MIG_INSTANCE_LABEL] ?? '') : '');
  const newest = new Map<string, { time: number; series: Sample[] }>();
  for (const s of times) {
    const device = deviceOf(s.labels);
    const time = s.value;
    const current = newest.get(device);
    if (!current || time > current.time) {
      newest.set(device, { time, series: [s] });
    } else if (time === current.time) {
      current.series.push(s);
    }
  }
  // Both queries drop the metric name (timestamp(), arithmetic), so their label sets match one to one.
  const key = (l: Record<string, string>) =>
    JSON.stringify(
      Object.keys(l)
        .sort()
        .map((name) => [name, l[name]])
    );
  const busyRatio = new Map(busy.map((s) => [key(s.labels), s.value]));
  const { dcgmNamespace, dcgmPod } = labels;
  const byNode = new Map<string, DcgmDevice[]>();
  for (const { series } of newest.values()) {
    const first = series[0].labels;
    const node = first[labels.hostname] ?? '';
    const holders = new Set(
      dcgmNamespace && dcgmPod
        ? series.filter((s) => s.labels[dcgmPod]).map((s) => `${s.labels[dcgmNamespace] ?? ''}/${s.labels[dcgmPod]}`)
        : []
    );
    const profile = first[MIG_PROFILE_LABEL];
    const device: DcgmDevice = {
      uuid: first[DCGM_UUID_LABEL] ?? '',
      index: Number(first[DCGM_GPU_LABEL]),
      model: first[labels.gpuModel] ?? '',
      ...(profile ? { mig: { profile, instanceId: Number(first[MIG_INSTANCE_LABEL]) } } : {}),
      activityRatio:
        holders.size > 0 || busyRatio.size === 0
          ? 0
          : Math.max(...series.map((s) => busyRatio.get(key(s.labels)) ?? 0)),
      holders,
    };
    const onNode = byNode.get(node);
    if (onNode) {
      onNode.push(device);
    } else {
      byNode.set(node, [device]);
    }
  }
  for (const list of byNode.values()) {
    list.sort((a, b) => a.index - b.index);
  }
  return byNode;
}
