/**
 * Every metric family the simulated fleet exposes, as series over tick ranges. The history writer walks
 * each family over the whole window; the live endpoint walks the same families over the current tick.
 */
import { GPU_MODELS } from './gpuCatalog';
import { SlotInfo } from './layout';
import { formatLabels, withLabel } from './openMetricsFormat';
import { hashUniform } from './prng';
import {
  ITL_BUCKETS_SECONDS,
  TTFT_BUCKETS_SECONDS,
  activityAt,
  dramActive,
  framebufferUsedMiB,
  gpuUtilPercent,
  itlObservations,
  itlSumSeconds,
  physicalGpuReadings,
  replicaGauges,
  replicaTick,
  smActive,
  smOccupancy,
  tensorActive,
  ttftObservations,
  ttftSumSeconds,
  ReplicaTick,
} from './signals';
import type { FleetSpec } from './fleetSpec';
import { FleetSimulation, PodRecord, TICK_SECONDS } from './simulation';

export interface ExpositionOptions {
  /** Emit DCGM_FI_PROF_* fields (off on fleets where profiling metrics are disabled). */
  profiling: boolean;
  /** Name pod labels exported_namespace/exported_pod/exported_container, as when honor_labels is off. */
  exportedLabels: boolean;
}

export interface SeriesSource {
  /** Family name plus suffix (`_total`, `_bucket`, `_sum`, `_count`). */
  sampleName: string;
  labels: string;
  /** Tick ranges [from, to) in which the series exists, ascending and disjoint. */
  ranges: Array<[number, number]>;
  /**
   * Writes the values at `firstSeconds + i × stepSeconds` into `out[i]`, a whole stretch per call so the work
   * per sample is a tight loop. Successive calls ask for later times, so counters can keep a running sum.
   */
  fill(firstSeconds: number, stepSeconds: number, out: Float64Array): void;
}

type Fill = SeriesSource['fill'];

const constant =
  (value: number): Fill =>
  (_first, _step, out) =>
    out.fill(value);

/** Fills the activity (GR_ENGINE_ACTIVE) of a slot held by `pod` (zeros when free). */
function fillActivity(
  sim: FleetSimulation,
  pod: PodRecord | undefined,
  firstSeconds: number,
  stepSeconds: number,
  out: Float64Array
): void {
  for (let i = 0; i < out.length; i++) {
    out[i] = activityAt(sim, pod, firstSeconds + i * stepSeconds);
  }
}

export interface FamilyContext {
  sim: FleetSimulation;
  fromTick: number;
  toTick: number;
  options: ExpositionOptions;
  /** Pods that held each slot, by start tick. */
  slotPods: PodRecord[][];
}

export interface MetricFamily {
  name: string;
  type: 'gauge' | 'counter' | 'histogram';
  help: string;
  series(ctx: FamilyContext): Iterable<SeriesSource>;
}

const tickOf = (seconds: number) => Math.floor(seconds / TICK_SECONDS);

export function buildSlotPods(sim: FleetSimulation): PodRecord[][] {
  const slotPods: PodRecord[][] = sim.layout.slots.map(() => []);
  for (const pod of sim.pods) {
    if (pod.startTick >= 0) {
      pod.slots.forEach((s) => slotPods[s].push(pod));
    }
  }
  slotPods.forEach((list) => list.sort((a, b) => a.startTick - b.startTick));
  return slotPods;
}

/** The pod holding a slot during `tick`, by binary search over the slot's non-overlapping holders. */
export function podAt(holders: PodRecord[], tick: number): PodRecord | undefined {
  let lo = 0;
  let hi = holders.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (holders[mid].startTick > tick) {
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  const candidate = holders[hi];
  return candidate && candidate.endTick > tick ? candidate : undefined;
}

function clip(ctx: FamilyContext, from: number, to: number): Array<[number, number]> {
  const a = Math.max(from, ctx.fromTick);
  const b = Math.min(to, ctx.toTick);
  return a < b ? [[a, b]] : [];
}

function podLabelPairs(ctx: FamilyContext, pod: PodRecord): Array<[string, string]> {
  const p = ctx.options.exportedLabels ? 'exported_' : '';
  return [
    [`${p}container`, pod.container],
    [`${p}namespace`, pod.namespace],
    [`${p}pod`, pod.name],
  ];
}

function slotLabelPairs(ctx: FamilyContext, slot: SlotInfo): Array<[string, string]> {
  const { layout } = ctx.sim;
  const gpu = layout.gpus[slot.physicalGpu];
  const node = layout.nodes[slot.node];
  const pairs: Array<[string, string]> = [
    ['gpu', String(gpu.gpu)],
    ['UUID', gpu.uuid],
    ['pci_bus_id', gpu.pciBusId],
    ['device', `nvidia${gpu.gpu}`],
    ['modelName', GPU_MODELS[node.model].modelName],
    ['Hostname', node.name],
  ];
  if (slot.migProfile) {
    pairs.push(['GPU_I_PROFILE', slot.migProfile], ['GPU_I_ID', String(slot.gpuInstanceId)]);
  }
  return pairs;
}

/**
 * One series per (slot, holder): a series per pod that held the slot, with pod labels, and one
 * series without pod labels for the times the slot was free.
 */
function* slotSeries(
  ctx: FamilyContext,
  sampleName: string,
  include: (slot: SlotInfo) => boolean,
  fill: (slot: SlotInfo, pod: PodRecord | undefined) => Fill
): Iterable<SeriesSource> {
  for (const slot of ctx.sim.layout.slots) {
    if (!include(slot)) {
      continue;
    }
    const base = slotLabelPairs(ctx, slot);
    const idle: Array<[number, number]> = [];
    let cursor = ctx.fromTick;
    const held: SeriesSource[] = [];
    for (const pod of ctx.slotPods[slot.index]) {
      const ranges = clip(ctx, pod.startTick, pod.endTick);
      if (ranges.length === 0) {
        continue;
      }
      if (ranges[0][0] > cursor) {
        idle.push([cursor, ranges[0][0]]);
      }
      cursor = ranges[0][1];
      held.push({
        sampleName,
        labels: formatLabels([...base, ...podLabelPairs(ctx, pod)]),
        ranges,
        fill: fill(slot, pod),
      });
    }
    if (cursor < ctx.toTick) {
      idle.push([cursor, ctx.toTick]);
    }
    if (idle.length > 0) {
      yield { sampleName, labels: formatLabels(base), ranges: idle, fill: fill(slot, undefined) };
    }
    yield* held;
  }
}

/** A per-slot gauge derived from the holder's activity at each sample. */
function activityGauge(
  name: string,
  help: string,
  fromActivity: (pod: PodRecord | undefined, activity: number) => number,
  options: { profiling?: boolean; wholeGpusOnly?: boolean } = {}
): MetricFamily {
  return {
    name,
    type: 'gauge',
    help,
    series: (ctx) =>
      options.profiling && !ctx.options.profiling
        ? []
        : slotSeries(
            ctx,
            name,
            (slot) => !(options.wholeGpusOnly && slot.migProfile),
            (_slot, pod) => (first, step, out) => {
              fillActivity(ctx.sim, pod, first, step, out);
              for (let i = 0; i < out.length; i++) {
                out[i] = fromActivity(pod, out[i]);
              }
            }
          ),
  };
}

/** A per-slot gauge that only changes when the holder does. */
function holderGauge(
  name: string,
  help: string,
  value: (slot: SlotInfo, pod: PodRecord | undefined) => number
): MetricFamily {
  return {
    name,
    type: 'gauge',
    help,
    series: (ctx) =>
      slotSeries(
        ctx,
        name,
        () => true,
        (slot, pod) => constant(value(slot, pod))
      ),
  };
}

/** Power and clock belong to the physical GPU: per slot on whole GPUs, once per MIG-mode GPU without instance labels. */
function physicalGauge(
  name: string,
  help: string,
  pick: (r: { powerWatts: number; smClockMHz: number }) => number
): MetricFamily {
  const fillReadings =
    (ctx: FamilyContext, physicalGpu: number): Fill =>
    (first, step, out) => {
      const gpu = ctx.sim.layout.gpus[physicalGpu];
      for (let i = 0; i < out.length; i++) {
        const seconds = first + i * step;
        const tick = tickOf(seconds);
        out[i] = pick(
          physicalGpuReadings(
            ctx.sim,
            gpu,
            (s) => {
              const pod = podAt(ctx.slotPods[s], tick);
              return { held: pod !== undefined, activity: activityAt(ctx.sim, pod, seconds) };
            },
            seconds
          )
        );
      }
    };
  return {
    name,
    type: 'gauge',
    help,
    *series(ctx) {
      yield* slotSeries(
        ctx,
        name,
        (slot) => !slot.migProfile,
        (slot) => fillReadings(ctx, slot.physicalGpu)
      );
      for (const [index, gpu] of ctx.sim.layout.gpus.entries()) {
        if (ctx.sim.layout.slots[gpu.slots[0]].migProfile) {
          const node = ctx.sim.layout.nodes[gpu.node];
          yield {
            sampleName: name,
            labels: formatLabels([
              ['gpu', String(gpu.gpu)],
              ['UUID', gpu.uuid],
              ['pci_bus_id', gpu.pciBusId],
              ['device', `nvidia${gpu.gpu}`],
              ['modelName', GPU_MODELS[node.model].modelName],
              ['Hostname', node.name],
            ]),
            ranges: [[ctx.fromTick, ctx.toTick]],
            fill: fillReadings(ctx, index),
          };
        }
      }
    },
  };
}

const DCGM_FAMILIES: MetricFamily[] = [
  activityGauge('DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', (_pod, a) => gpuUtilPercent(a), {
    wholeGpusOnly: true,
  }),
  holderGauge('DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', (slot, pod) => framebufferUsedMiB(slot, pod)),
  holderGauge(
    'DCGM_FI_DEV_FB_FREE',
    'Framebuffer memory free (in MiB).',
    (slot, pod) => slot.memoryMiB - framebufferUsedMiB(slot, pod)
  ),
  physicalGauge('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', (r) => r.powerWatts),
  physicalGauge('DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', (r) => r.smClockMHz),
  activityGauge('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'Ratio of time the graphics engine is active.', (_pod, a) => a, {
    profiling: true,
  }),
  activityGauge(
    'DCGM_FI_PROF_SM_ACTIVE',
    'The ratio of cycles an SM has at least 1 warp assigned.',
    (_pod, a) => smActive(a),
    { profiling: true }
  ),
  activityGauge('DCGM_FI_PROF_SM_OCCUPANCY', 'The ratio of number of warps resident on an SM.', smOccupancy, {
    profiling: true,
  }),
  activityGauge('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'Ratio of cycles the tensor (HMMA) pipe is active.', tensorActive, {
    profiling: true,
  }),
  activityGauge('DCGM_FI_PROF_DRAM_ACTIVE', 'Ratio of cycles the device memory interface is active.', dramActive, {
    profiling: true,
  }),
];

/** Pods leave the API when they finish here, so only these two phases ever hold a 1. */
const PHASES = ['Pending', 'Running'];

function nodeResources(ctx: FamilyContext): Array<{ node: string; resource: string; unit: string; amount: number }> {
  const rows: Array<{ node: string; resource: string; unit: string; amount: number }> = [];
  for (const node of ctx.sim.layout.nodes) {
    rows.push({ node: node.name, resource: 'cpu', unit: 'core', amount: node.cpuCores });
    const perResource = new Map<string, number>();
    for (let s = node.firstSlot; s < node.firstSlot + node.slotCount; s++) {
      const r = ctx.sim.layout.slots[s].resource;
      perResource.set(r, (perResource.get(r) ?? 0) + 1);
    }
    for (const [resource, amount] of perResource) {
      rows.push({ node: node.name, resource, unit: 'integer', amount });
    }
  }
  return rows;
}

function nodeStatusFamily(name: string, help: string): MetricFamily {
  return {
    name,
    type: 'gauge',
    help,
    series: (ctx) =>
      nodeResources(ctx).map((r) => ({
        sampleName: name,
        labels: formatLabels([
          ['node', r.node],
          ['resource', r.resource],
          ['unit', r.unit],
        ]),
        ranges: [[ctx.fromTick, ctx.toTick]],
        fill: constant(r.amount),
      })),
  };
}

function* livePods(ctx: FamilyContext): Iterable<PodRecord> {
  for (const pod of ctx.sim.pods) {
    if (pod.createdTick < ctx.toTick && pod.endTick > ctx.fromTick) {
      yield pod;
    }
  }
}

function gpuResourceOf(pod: PodRecord): string {
  return pod.request.kind === 'gpu' ? 'nvidia_com_gpu' : `nvidia_com_mig_${pod.request.profile.replace(/\./g, '_')}`;
}

const KUBE_FAMILIES: MetricFamily[] = [
  nodeStatusFamily('kube_node_status_capacity', 'The capacity for different resources of a node.'),
  nodeStatusFamily('kube_node_status_allocatable', 'The allocatable for different resources of a node.'),
  {
    name: 'kube_node_labels',
    type: 'gauge',
    help: 'Kubernetes labels converted to Prometheus labels.',
    series: (ctx) =>
      ctx.sim.layout.nodes.map((node) => ({
        sampleName: 'kube_node_labels',
        labels: formatLabels([
          ['node', node.name],
          ['label_nvidia_com_gpu_product', GPU_MODELS[node.model].productLabel],
          ['label_nvidia_com_gpu_count', String(node.gpuCount)],
          ['label_nvidia_com_mig_strategy', node.mig ? 'mixed' : ''],
          // kube-state-metrics exports it only when its --metric-labels-allowlist names it; an empty value is no label.
          ['label_karpenter_sh_capacity_type', node.spot ? 'spot' : ''],
        ]),
        ranges: [[ctx.fromTick, ctx.toTick]],
        fill: constant(1),
      })),
  },
  {
    name: 'kube_pod_container_resource_requests',
    type: 'gauge',
    help: 'The number of requested request resource by a container.',
    *series(ctx) {
      for (const pod of livePods(ctx)) {
        const pendingUntil = pod.startTick >= 0 ? pod.startTick : pod.endTick;
        const phases: Array<[number, number, string]> = [[pod.createdTick, pendingUntil, '']];
        if (pod.startTick >= 0) {
          phases.push([pod.startTick, pod.endTick, ctx.sim.layout.nodes[pod.node].name]);
        }
        for (const [from, to, node] of phases) {
          const ranges = clip(ctx, from, to);
          if (ranges.length === 0) {
            continue;
          }
          const base: Array<[string, string]> = [
            ['namespace', pod.namespace],
            ['pod', pod.name],
            ['container', pod.container],
            ['node', node],
          ];
          const resources: Array<[string, string, number]> = [
            [gpuResourceOf(pod), 'integer', pod.request.count],
            ['cpu', 'core', pod.cpuCores],
          ];
          for (const [resource, unit, amount] of resources) {
            yield {
              sampleName: 'kube_pod_container_resource_requests',
              labels: formatLabels([...base, ['resource', resource], ['unit', unit]]),
              ranges,
              fill: constant(amount),
            };
          }
        }
      }
    },
  },
  {
    name: 'kube_pod_status_phase',
    type: 'gauge',
    help: 'The pods current phase.',
    *series(ctx) {
      for (const pod of livePods(ctx)) {
        const ranges = clip(ctx, pod.createdTick, pod.endTick);
        if (ranges.length === 0) {
          continue;
        }
        const base = formatLabels([
          ['namespace', pod.namespace],
          ['pod', pod.name],
        ]);
        for (const phase of PHASES) {
          yield {
            sampleName: 'kube_pod_status_phase',
            labels: withLabel(base, 'phase', phase),
            ranges,
            fill: (first, step, out) => {
              for (let i = 0; i < out.length; i++) {
                const running = pod.startTick >= 0 && tickOf(first + i * step) >= pod.startTick;
                out[i] = phase === (running ? 'Running' : 'Pending') ? 1 : 0;
              }
            },
          };
        }
      }
    },
  },
];

/** The Deployment of an inference service, as `kubectl get deploy` names it; its pods are `<name>-<suffix>`. */
export const deploymentName = (d: { name: string }) => `vllm-${d.name}`;
/** The one ReplicaSet each Deployment keeps (the simulator never rolls out a new pod template). */
const replicaSetName = (d: { name: string }) => `${deploymentName(d)}-5d8f7c9b4`;

/** Pods of deployment `index` that exist (pending or running) in each tick of [fromTick, toTick): its spec.replicas. */
function desiredReplicas(ctx: FamilyContext, index: number): Fill {
  const counts = new Float64Array(Math.max(0, ctx.toTick - ctx.fromTick));
  for (const pod of ctx.sim.pods) {
    if (pod.deployment === index) {
      for (let t = Math.max(pod.createdTick, ctx.fromTick); t < Math.min(pod.endTick, ctx.toTick); t++) {
        counts[t - ctx.fromTick] += 1;
      }
    }
  }
  return (first, step, out) => {
    for (let i = 0; i < out.length; i++) {
      out[i] = counts[Math.min(counts.length - 1, Math.max(0, tickOf(first + i * step) - ctx.fromTick))] ?? 0;
    }
  };
}

/** One series per inference Deployment over the whole window. */
function perDeployment(
  name: string,
  help: string,
  labels: (d: FleetSpec['inference'][number]) => Array<[string, string]>,
  fill: (ctx: FamilyContext, index: number, d: FleetSpec['inference'][number]) => Fill
): MetricFamily {
  return {
    name,
    type: 'gauge',
    help,
    series: (ctx) =>
      ctx.sim.spec.inference.map((d, index) => ({
        sampleName: name,
        labels: formatLabels([['namespace', d.namespace], ...labels(d)]),
        ranges: [[ctx.fromTick, ctx.toTick]] as Array<[number, number]>,
        fill: fill(ctx, index, d),
      })),
  };
}

const hpaLabels = (d: { name: string }): Array<[string, string]> => [['horizontalpodautoscaler', deploymentName(d)]];

/**
 * The inference services as kube-state-metrics v2 shows their workloads: each Deployment's spec.replicas (the pods
 * the simulated autoscaler wants), the HPA that scales it between its minimum and maximum, and the owners leading
 * from a vLLM pod to its Deployment (docs/metrics/workload/ deployment-, horizontalpodautoscaler-, pod- and
 * replicaset-metrics.md in kubernetes/kube-state-metrics).
 */
const WORKLOAD_FAMILIES: MetricFamily[] = [
  perDeployment(
    'kube_deployment_spec_replicas',
    'Number of desired pods for a deployment.',
    (d) => [['deployment', deploymentName(d)]],
    (ctx, index) => desiredReplicas(ctx, index)
  ),
  perDeployment(
    'kube_horizontalpodautoscaler_info',
    'Information about this autoscaler.',
    (d) => [
      ...hpaLabels(d),
      ['scaletargetref_api_version', 'apps/v1'],
      ['scaletargetref_kind', 'Deployment'],
      ['scaletargetref_name', deploymentName(d)],
    ],
    () => constant(1)
  ),
  perDeployment(
    'kube_horizontalpodautoscaler_spec_min_replicas',
    'Lower limit for the number of pods that can be set by the autoscaler, default 1.',
    hpaLabels,
    (_ctx, _i, d) => constant(d.minReplicas)
  ),
  perDeployment(
    'kube_horizontalpodautoscaler_spec_max_replicas',
    'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.',
    hpaLabels,
    (_ctx, _i, d) => constant(d.maxReplicas)
  ),
  perDeployment(
    'kube_replicaset_owner',
    "Information about the ReplicaSet's owner.",
    (d) => [
      ['replicaset', replicaSetName(d)],
      ['owner_kind', 'Deployment'],
      ['owner_name', deploymentName(d)],
      ['owner_is_controller', 'true'],
    ],
    () => constant(1)
  ),
  {
    name: 'kube_pod_owner',
    type: 'gauge',
    help: "Information about the Pod's owner.",
    *series(ctx) {
      for (const pod of livePods(ctx)) {
        const ranges = clip(ctx, pod.createdTick, pod.endTick);
        if (pod.deployment < 0 || ranges.length === 0) {
          continue;
        }
        yield {
          sampleName: 'kube_pod_owner',
          labels: formatLabels([
            ['namespace', pod.namespace],
            ['pod', pod.name],
            ['owner_kind', 'ReplicaSet'],
            ['owner_name', replicaSetName(ctx.sim.spec.inference[pod.deployment])],
            ['owner_is_controller', 'true'],
          ]),
          ranges,
          fill: constant(1),
        };
      }
    },
  },
];

function* runningReplicas(
  ctx: FamilyContext
): Iterable<{ pod: PodRecord; labels: string; ranges: Array<[number, number]> }> {
  for (const pod of ctx.sim.pods) {
    if (pod.deployment < 0 || pod.startTick < 0) {
      continue;
    }
    const ranges = clip(ctx, pod.startTick, pod.endTick);
    if (ranges.length > 0) {
      const labels = formatLabels([
        ['model_name', ctx.sim.spec.inference[pod.deployment].servedModel],
        ['namespace', pod.namespace],
        ['pod', pod.name],
      ]);
      yield { pod, labels, ranges };
    }
  }
}

/** The vLLM process restarts (crash, OOM) in about one hour in fifty; its counters start again from zero. */
export function restartsAt(seed: number, pod: PodRecord, tick: number): boolean {
  return (
    tick > pod.startTick &&
    (tick + pod.noiseKey) % 60 === 0 &&
    hashUniform(seed, pod.noiseKey + 7, Math.floor(tick / 60)) < 0.02
  );
}

/**
 * What a replica served in each tick from its start to the end of the window (restarts flagged), computed once
 * and shared by every series of one family for that replica: a histogram has a dozen series over the same ticks.
 */
interface ReplicaHistory {
  firstTick: number;
  ticks: ReplicaTick[];
  restarts: Uint8Array;
}

function replicaHistory(ctx: FamilyContext, pod: PodRecord): ReplicaHistory {
  const ticks: ReplicaTick[] = [];
  const restarts = new Uint8Array(Math.max(0, Math.min(pod.endTick, ctx.toTick) - pod.startTick));
  for (let i = 0; i < restarts.length; i++) {
    ticks.push(replicaTick(ctx.sim, pod, pod.startTick + i));
    restarts[i] = restartsAt(ctx.sim.spec.seed, pod, pod.startTick + i) ? 1 : 0;
  }
  return { firstTick: pod.startTick, ticks, restarts };
}

/** Running total from the pod's start to each asked tick, zeroed at restarts. Asked with non-decreasing times. */
function cumulative(history: ReplicaHistory, increment: (tick: ReplicaTick) => number): Fill {
  let next = 0;
  let sum = 0;
  return (first, step, out) => {
    for (let i = 0; i < out.length; i++) {
      const last = tickOf(first + i * step) - history.firstTick;
      for (; next <= last; next++) {
        if (history.restarts[next] === 1) {
          sum = 0;
        }
        sum += increment(history.ticks[next]);
      }
      out[i] = sum;
    }
  };
}

function vllmGauge(name: string, help: string, pick: (g: ReturnType<typeof replicaGauges>) => number): MetricFamily {
  return {
    name,
    type: 'gauge',
    help,
    *series(ctx) {
      for (const r of runningReplicas(ctx)) {
        yield {
          sampleName: name,
          labels: r.labels,
          ranges: r.ranges,
          fill: (first, step, out) => {
            for (let i = 0; i < out.length; i++) {
              out[i] = pick(replicaGauges(ctx.sim, r.pod, first + i * step));
            }
          },
        };
      }
    },
  };
}

function vllmCounter(name: string, help: string, increment: (t: ReplicaTick) => number): MetricFamily {
  return {
    name,
    type: 'counter',
    help,
    *series(ctx) {
      for (const r of runningReplicas(ctx)) {
        yield {
          sampleName: `${name}_total`,
          labels: r.labels,
          ranges: r.ranges,
          fill: cumulative(replicaHistory(ctx, r.pod), increment),
        };
      }
    },
  };
}

function vllmHistogram(
  name: string,
  help: string,
  buckets: number[],
  atOrBelow: (t: ReplicaTick, le: number) => number,
  count: (t: ReplicaTick) => number,
  sum: (t: ReplicaTick) => number
): MetricFamily {
  return {
    name,
    type: 'histogram',
    help,
    *series(ctx) {
      for (const r of runningReplicas(ctx)) {
        const history = replicaHistory(ctx, r.pod);
        for (const le of buckets) {
          yield {
            sampleName: `${name}_bucket`,
            labels: withLabel(r.labels, 'le', String(le)),
            ranges: r.ranges,
            fill: cumulative(history, (t) => atOrBelow(t, le)),
          };
        }
        yield {
          sampleName: `${name}_bucket`,
          labels: withLabel(r.labels, 'le', '+Inf'),
          ranges: r.ranges,
          fill: cumulative(history, count),
        };
        yield { sampleName: `${name}_sum`, labels: r.labels, ranges: r.ranges, fill: cumulative(history, sum) };
        yield { sampleName: `${name}_count`, labels: r.labels, ranges: r.ranges, fill: cumulative(history, count) };
      }
    },
  };
}

const VLLM_FAMILIES: MetricFamily[] = [
  vllmGauge('vllm:num_requests_running', 'Number of requests currently running on GPU.', (g) => g.running),
  vllmGauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', (g) => g.waiting),
  vllmGauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', (g) => g.kvCacheUsage),
  vllmCounter('vllm:prompt_tokens', 'Number of prefill tokens processed.', (t) => t.promptTokens),
  vllmCounter('vllm:generation_tokens', 'Number of generation tokens processed.', (t) => t.generationTokens),
  vllmHistogram(
    'vllm:time_to_first_token_seconds',
    'Histogram of time to first token in seconds.',
    TTFT_BUCKETS_SECONDS,
    ttftObservations,
    (t) => t.requests,
    ttftSumSeconds
  ),
  vllmHistogram(
    'vllm:inter_token_latency_seconds',
    'Histogram of inter-token latency in seconds.',
    ITL_BUCKETS_SECONDS,
    itlObservations,
    (t) => t.generationTokens,
    itlSumSeconds
  ),
];

export const METRIC_FAMILIES: MetricFamily[] = [
  ...DCGM_FAMILIES,
  ...KUBE_FAMILIES,
  ...WORKLOAD_FAMILIES,
  ...VLLM_FAMILIES,
];
