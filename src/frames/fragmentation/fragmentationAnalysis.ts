/**
 * What each fragmentation view shows, computed from a (filtered) fleet state and the learnt workload with the
 * engine; plain values, no Grafana types, so the frames and the tests read the same numbers.
 */
import {
  analyseFragmentation,
  FragmentationInputError,
  GANG_SIZES,
  planDefragmentation,
  type DefragPlan,
  type FragmentationReport,
  type NodeState,
  type BlockedReason,
  type TaskType,
} from '../../engine/fragmentation';
import { DEFRAG_NOTICES, learntJobText, type DefragNotice, type LearntJob } from '../frameTexts';
import type { FleetNode, FleetState } from '../../prometheus/fleetState';

const GPU_MILLI = 1000;
/** A100 and H100 have 7 compute slices; a profile `Ng.*` takes N of them. */
const MIG_COMPUTE_SLICES = 7;

/**
 * Whole-GPU jobs of the usual gang sizes, CPU ignored: "how many 1/2/4/8-GPU jobs fit now" whatever the workload.
 * Equal popularities; only their `placeable` counts are read.
 */
export const GANG_WORKLOAD: TaskType[] = GANG_SIZES.map((k) => ({
  id: `gang${k}`,
  cpuMilli: 0,
  gpuCount: k,
  gpuMilli: GPU_MILLI,
  gpuSpec: '',
  popularity: 1 / GANG_SIZES.length,
}));

export interface FragmentationSummary {
  freeGpus: number;
  /** Undefined when no workload could be learnt: FGD needs one. */
  fragmentedGpus?: number;
  fragmentedShareOfFree?: number;
  fullyFreeGpus: number;
  nodesWithFullyFreeAtLeast: Record<(typeof GANG_SIZES)[number], number>;
  largestWholeGpuGangOnOneNode: number;
  migInstancesFree: number;
  pendingGpuPods: number;
}

/** Nodes that take part in FGD: whole GPUs only (MIG GPUs are reported apart). */
function wholeGpuNodes(nodes: readonly FleetNode[]): NodeState[] {
  return nodes
    .filter((n) => n.gpuCount > 0)
    .map(({ name, gpuModel, gpuCount, cpuFreeMilli, gpus }) => ({ name, gpuModel, gpuCount, cpuFreeMilli, gpus }));
}

/** The engine's report against `workload`, or undefined when no node has a whole GPU. */
export function reportOf(nodes: readonly FleetNode[], workload: readonly TaskType[]): FragmentationReport | undefined {
  const whole = wholeGpuNodes(nodes);
  return whole.length > 0 ? analyseFragmentation(whole, workload) : undefined;
}

export function summaryOf(state: FleetState, workload: readonly TaskType[] | undefined): FragmentationSummary {
  const report = reportOf(state.nodes, workload ?? GANG_WORKLOAD);
  const migInstancesFree = state.nodes.reduce(
    (sum, n) => sum + Object.values(n.migInstancesFree).reduce((a, b) => a + b, 0),
    0
  );
  return {
    freeGpus: report?.totalFreeGpus ?? 0,
    fragmentedGpus: workload && report ? report.fragmentedGpus : workload ? 0 : undefined,
    fragmentedShareOfFree: workload && report ? report.fragmentedShareOfFree : workload ? 0 : undefined,
    fullyFreeGpus: report?.fullyFreeGpus ?? 0,
    nodesWithFullyFreeAtLeast: report?.nodesWithFullyFreeAtLeast ?? { 1: 0, 2: 0, 4: 0, 8: 0 },
    largestWholeGpuGangOnOneNode: report?.largestWholeGpuGangOnOneNode ?? 0,
    migInstancesFree,
    pendingGpuPods: state.pendingPods.length,
  };
}

export interface JobFitRow {
  job: string;
  kind: 'gang' | 'learnt';
  gpusPerPod: number;
  /** Share of each GPU, 1 for whole GPUs. */
  gpuShare: number;
  cpuCores: number;
  /** Share of recent pods of this type; undefined for the gang rows. */
  popularity?: number;
  fitNow: number;
  /** Free GPU this job type alone cannot use (F(m)); undefined for the gang rows. */
  unusableGpus?: number;
  /** The GPU models it accepts, `any` when it names none. */
  gpuModel: string;
  /** A learnt task type's name as a code and figures (the `job` text in the user's language). */
  learnt?: LearntJob;
  /** When none fits now: why (too few free GPUs together on one node, no node of its model, CPU), and in English. */
  blocked?: BlockedReason;
  blockedBy?: string;
}

/** A learnt task type's name, as a code and figures. */
export function learntJob(task: TaskType): LearntJob {
  return {
    code: 'learnt-job',
    id: task.id,
    gpuCount: task.gpuCount,
    gpuPercent: task.gpuMilli / 10,
    cpuCores: task.cpuMilli / 1000,
    gpuSpec: task.gpuSpec,
  };
}

/** A learnt task type's name in English (`m01: 2 GPUs, 16 cores`). */
export const describeTask = (task: TaskType): string => learntJobText(learntJob(task));

/** How many more jobs fit now: the gang sizes (CPU ignored), then each learnt task type with its CPU. */
export function jobsFitOf(state: FleetState, workload: readonly TaskType[] | undefined): JobFitRow[] {
  const gangs = reportOf(state.nodes, GANG_WORKLOAD);
  const rows: JobFitRow[] = GANG_WORKLOAD.map((task, t) => ({
    job: `${task.gpuCount}-GPU job`,
    kind: 'gang',
    gpusPerPod: task.gpuCount,
    gpuShare: 1,
    cpuCores: 0,
    fitNow: gangs?.tasks[t].placeable ?? 0,
    gpuModel: 'any',
    blocked: gangs?.tasks[t].blocked,
    blockedBy: gangs?.tasks[t].blockedBy,
  }));
  const report = workload ? reportOf(state.nodes, workload) : undefined;
  workload?.forEach((task, t) =>
    rows.push({
      job: describeTask(task),
      learnt: learntJob(task),
      kind: 'learnt',
      gpusPerPod: task.gpuCount,
      gpuShare: task.gpuMilli / GPU_MILLI,
      cpuCores: task.cpuMilli / 1000,
      popularity: task.popularity,
      fitNow: report?.tasks[t].placeable ?? 0,
      unusableGpus: report?.tasks[t].fragmentedGpus ?? 0,
      gpuModel: task.gpuSpec.trim() === '' ? 'any' : task.gpuSpec,
      blocked: report?.tasks[t].blocked,
      blockedBy: report?.tasks[t].blockedBy,
    })
  );
  return rows;
}

export type GpuCellState = 'free' | 'allocated' | 'shared' | 'mig';

export interface GridRow {
  node: string;
  gpuModel: string;
  gpu: number;
  state: GpuCellState;
  /** Unallocated share in thousandths; for a MIG GPU, the compute share of its free instances. */
  freeMilli: number;
  pods: string[];
  /** MIG GPUs only, in instance order. */
  migInstances?: Array<{ profile: string; holders: string[] }>;
  /** F_n(M) of the GPU's node, in GPUs; undefined without a workload or for a MIG-only node. */
  nodeFragmentedGpus?: number;
  /** False when kube-state-metrics and DCGM disagree on the node: which GPU is held is unknown. */
  placementKnown: boolean;
}

const computeSlices = (profile: string) => Number(/^(\d+)g\./.exec(profile)?.[1] ?? 0);

/** One row per GPU, whole GPUs then MIG GPUs of each node, nodes in name order. */
export function gridOf(state: FleetState, workload: readonly TaskType[] | undefined): GridRow[] {
  const report = workload ? reportOf(state.nodes, workload) : undefined;
  const fragmented = new Map(report?.nodes.map((n) => [n.name, n.fragmentedGpus]));
  const rows: GridRow[] = [];
  for (const node of state.nodes) {
    const nodeFragmentedGpus = fragmented.get(node.name);
    for (const gpu of node.gpus) {
      const pods = node.gpuHolders[gpu.index] ?? [];
      const cell: GpuCellState =
        gpu.freeMilli === GPU_MILLI ? 'free' : gpu.freeMilli > 0 || pods.length > 1 ? 'shared' : 'allocated';
      rows.push({
        node: node.name,
        gpuModel: node.gpuModel,
        gpu: gpu.index,
        state: cell,
        freeMilli: gpu.freeMilli,
        pods,
        nodeFragmentedGpus,
        placementKnown: node.gpusFromDcgm,
      });
    }
    for (const gpu of node.migGpus) {
      const free = gpu.instances.filter((i) => i.holders.length === 0);
      rows.push({
        node: node.name,
        gpuModel: gpu.model,
        gpu: gpu.index,
        state: 'mig',
        freeMilli: Math.round(
          (free.reduce((sum, i) => sum + computeSlices(i.profile), 0) / MIG_COMPUTE_SLICES) * GPU_MILLI
        ),
        pods: [...new Set(gpu.instances.flatMap((i) => i.holders))].sort(),
        migInstances: gpu.instances.map(({ profile, holders }) => ({ profile, holders })),
        nodeFragmentedGpus,
        placementKnown: true,
      });
    }
  }
  return rows;
}

export interface DefragAnswer {
  /** What the plan makes room for: a pending pod, or the largest learnt type when nothing is pending. */
  requestLabel: string;
  /** The learnt task type it makes room for, when no pod is pending (`requestLabel` in the user's language). */
  requestLearnt?: LearntJob;
  source: 'pending pod' | 'learnt job type' | '';
  requestGpus: number;
  plan?: DefragPlan;
  /** Why there is no plan (nothing to make room for, or no sequence of moves works); a code when it is not the planner's. */
  reason?: string;
  reasonCode?: DefragNotice;
}

/**
 * The planner's moves for the largest pending request; when no GPU pod is pending, for the largest learnt task type,
 * so the page still answers "what would it take to start our biggest job".
 */
export function defragOf(state: FleetState, workload: readonly TaskType[] | undefined): DefragAnswer {
  const nodes = wholeGpuNodes(state.nodes);
  const pending =
    state.pendingPods.length > 0
      ? state.pendingPods
      : workload
        ? [...workload]
            .filter((t) => t.gpuCount > 0)
            .sort((a, b) => b.gpuCount * b.gpuMilli - a.gpuCount * a.gpuMilli || b.cpuMilli - a.cpuMilli)
            .slice(0, 1)
            .map((t) => ({ ...t, id: describeTask(t) }))
        : [];
  if (pending.length === 0 || nodes.length === 0) {
    return {
      requestLabel: '',
      source: '',
      requestGpus: 0,
      ...(nodes.length === 0
        ? { reason: DEFRAG_NOTICES['defrag-no-whole-gpu-nodes'], reasonCode: { code: 'defrag-no-whole-gpu-nodes' } }
        : { reason: DEFRAG_NOTICES['defrag-nothing-pending'], reasonCode: { code: 'defrag-nothing-pending' } }),
    };
  }
  const source = state.pendingPods.length > 0 ? 'pending pod' : 'learnt job type';
  const gpusOf = (id: string) => {
    const request = pending.find((p) => p.id === id);
    return request ? (request.gpuCount * request.gpuMilli) / GPU_MILLI : 0;
  };
  try {
    const plan = planDefragmentation({ nodes, pods: state.runningPods, pending, workload });
    const learnt = state.pendingPods.length > 0 ? undefined : workload?.find((t) => describeTask(t) === plan.requestId);
    return {
      requestLabel: plan.requestId,
      requestLearnt: learnt && learntJob(learnt),
      source,
      requestGpus: gpusOf(plan.requestId),
      plan,
    };
  } catch (error) {
    if (error instanceof FragmentationInputError) {
      // The planner names the request it tried in its message.
      return { requestLabel: '', source, requestGpus: 0, reason: error.message };
    }
    throw error;
  }
}

export interface OverTimePoint {
  timeSeconds: number;
  freeGpus: number | null;
  fragmentedGpus: number | null;
  fragmentedShareOfFree: number | null;
  largestWholeGpuGangOnOneNode: number | null;
}

/** FGD at one instant; nulls (a gap) when no node in view has whole GPUs then. */
export function overTimePointOf(state: FleetState, workload: readonly TaskType[]): OverTimePoint {
  const report = reportOf(state.nodes, workload);
  return {
    timeSeconds: state.timeSeconds,
    freeGpus: report?.totalFreeGpus ?? null,
    fragmentedGpus: report?.fragmentedGpus ?? null,
    fragmentedShareOfFree: report?.fragmentedShareOfFree ?? null,
    largestWholeGpuGangOnOneNode: report?.largestWholeGpuGangOnOneNode ?? null,
  };
}
