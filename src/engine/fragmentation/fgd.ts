import { blockedReasonText, whyNoneFits, type BlockedReason } from './blocked';
import type { NodeState, TaskType } from './types';
import {
  checkNodes,
  checkWorkload,
  GPU_MILLI,
  type CheckedNode,
  type CheckedRequest,
  type CheckedTask,
} from './validate';

/** A local copy: a module binding read in the hot loop costs a getter call when the code runs as CommonJS. */
const WHOLE_GPU_MILLI = GPU_MILLI;

/** The thresholds of "nodes with at least k fully free GPUs": the gang sizes people ask for. */
export const GANG_SIZES = [1, 2, 4, 8] as const;

export interface NodeFragmentation {
  name: string;
  gpuModel: string;
  freeGpus: number;
  /** F_n(M): free GPU share the target workload cannot use on this node, expected over its task mix. */
  fragmentedGpus: number;
  fullyFreeGpus: number;
}

export interface TaskPlaceable {
  id: string;
  /** The type's shape: GPUs per pod, the share of each GPU (1 = whole), CPU, and the GPU models it accepts. */
  gpuCount: number;
  gpuShare: number;
  cpuMilli: number;
  /** Undefined: any model. */
  gpuModels?: string[];
  /** Share of recent pods of this type, normalised over the workload. */
  popularity: number;
  /** How many more pods of this type fit, each node counted on its own and summed over nodes. */
  placeable: number;
  /** F(m) = Σ_n F_n(m) for this type alone, unweighted: which requests the free capacity is wrong for. */
  fragmentedGpus: number;
  /** When not one more pod fits: why (whyNoneFits), and the same in English words. */
  blocked?: BlockedReason;
  blockedBy?: string;
}

export interface FragmentationReport {
  totalFreeGpus: number;
  /** F = Σ_n F_n(M) in GPUs. */
  fragmentedGpus: number;
  /** F as a share of free GPUs in [0, 1]; 0 when nothing is free. */
  fragmentedShareOfFree: number;
  fullyFreeGpus: number;
  /** Key k: nodes with at least k fully free GPUs. */
  nodesWithFullyFreeAtLeast: Record<(typeof GANG_SIZES)[number], number>;
  /** The most whole GPUs free together on one node: the largest gang that fits without moving anything. */
  largestWholeGpuGangOnOneNode: number;
  nodes: NodeFragmentation[];
  tasks: TaskPlaceable[];
  /** Inputs that were accepted but deserve a look (rescaled popularities, requests no node can host). */
  warnings: string[];
}

/** Σ_g R(n,g) in milli: what "all of the node's free GPU" means in F_n(m). */
function freeOf(node: CheckedNode): number {
  let sum = 0;
  for (const r of node.freeMilli) {
    sum += r;
  }
  return sum;
}

/**
 * F_n(m) in milli (Weng et al., ATC'23, as docs/formulas.md states it): all of the node's free GPU share when m cannot run
 * there at all (too little CPU, wrong model, fewer than k_m GPUs with R ≥ d_m, or m asks for no GPU), otherwise
 * the free share of the GPUs too small for one of m's GPUs, Σ_g R(n,g)·[R(n,g) < d_m].
 * And the more pods of m that fit on the node on their own: min(⌊free CPU / CPU request⌋, GPU bound) with GPU bound
 * Σ_g ⌊R_g / d⌋ for a shared request and ⌊fully free / k⌋ for whole GPUs; 0 on a model mismatch.
 * `freeMilli` and `fullyFreeGpus` are the node's Σ_g R and count of R = 1, passed in because every type needs them.
 */
export function fragmentAndFit(
  node: CheckedNode,
  task: CheckedRequest,
  freeMilli: number,
  fullyFreeGpus: number
): { fragmentMilli: number; pods: number } {
  const cpuBound = task.cpuMilli > 0 ? Math.floor(node.cpuFreeMilli / task.cpuMilli) : Infinity;
  if (task.gpuCount === 0) {
    return { fragmentMilli: freeMilli, pods: cpuBound };
  }
  if (task.models && !task.models.has(node.gpuModel)) {
    return { fragmentMilli: freeMilli, pods: 0 };
  }
  const share = task.gpuMilli;
  const gpus = node.freeMilli;
  let usable = 0;
  let tooSmall = 0;
  let shareSlots = 0;
  for (let g = 0; g < gpus.length; g++) {
    const r = gpus[g];
    if (r >= share) {
      usable++;
      shareSlots += Math.floor(r / share);
    } else {
      tooSmall += r;
    }
  }
  const gpuBound = share < WHOLE_GPU_MILLI ? shareSlots : Math.floor(fullyFreeGpus / task.gpuCount);
  const runs = usable >= task.gpuCount && node.cpuFreeMilli >= task.cpuMilli;
  return { fragmentMilli: runs ? tooSmall : freeMilli, pods: Math.min(cpuBound, gpuBound) };
}

export function fullyFree(node: CheckedNode): number {
  let count = 0;
  for (const r of node.freeMilli) {
    if (r === WHOLE_GPU_MILLI) {
      count++;
    }
  }
  return count;
}

/**
 * Fragmentation of a validated cluster against a validated workload; shared with the defragmentation planner.
 * One pass per (node, task type) computes F_n(m) and the pods that fit together, since both need the same counts;
 * this loop is the whole cost of the analysis (1,250 nodes × 100 types × 8 GPUs in the benchmark).
 */
export function analyseChecked(
  nodes: readonly CheckedNode[],
  tasks: readonly CheckedTask[],
  warnings: string[]
): FragmentationReport {
  const taskCount = tasks.length;
  const perTaskMilli = new Float64Array(taskCount);
  const perTaskPods = new Float64Array(taskCount);
  const nodesWithFullyFreeAtLeast = { 1: 0, 2: 0, 4: 0, 8: 0 };
  let totalFreeMilli = 0;
  let fragmentedMilli = 0;
  let fullyFreeGpus = 0;
  let largestGang = 0;
  const nodeReports: NodeFragmentation[] = [];
  for (const node of nodes) {
    const free = freeOf(node);
    const whole = fullyFree(node);
    let nodeFragmentMilli = 0;
    for (let t = 0; t < taskCount; t++) {
      const task = tasks[t];
      const { fragmentMilli, pods } = fragmentAndFit(node, task, free, whole);
      perTaskMilli[t] += fragmentMilli;
      perTaskPods[t] += pods;
      nodeFragmentMilli += task.popularity * fragmentMilli;
    }
    totalFreeMilli += free;
    fragmentedMilli += nodeFragmentMilli;
    fullyFreeGpus += whole;
    largestGang = Math.max(largestGang, whole);
    for (const k of GANG_SIZES) {
      if (whole >= k) {
        nodesWithFullyFreeAtLeast[k]++;
      }
    }
    nodeReports.push({
      name: node.name,
      gpuModel: node.gpuModel,
      freeGpus: free / WHOLE_GPU_MILLI,
      fragmentedGpus: nodeFragmentMilli / WHOLE_GPU_MILLI,
      fullyFreeGpus: whole,
    });
  }
  return {
    totalFreeGpus: totalFreeMilli / WHOLE_GPU_MILLI,
    fragmentedGpus: fragmentedMilli / WHOLE_GPU_MILLI,
    fragmentedShareOfFree: totalFreeMilli > 0 ? fragmentedMilli / totalFreeMilli : 0,
    fullyFreeGpus,
    nodesWithFullyFreeAtLeast,
    largestWholeGpuGangOnOneNode: largestGang,
    nodes: nodeReports,
    tasks: tasks.map((task, t) => {
      const blocked = perTaskPods[t] === 0 ? whyNoneFits(task, nodes) : undefined;
      return {
        id: task.id,
        gpuCount: task.gpuCount,
        gpuShare: task.gpuMilli / WHOLE_GPU_MILLI,
        cpuMilli: task.cpuMilli,
        gpuModels: task.models ? [...task.models] : undefined,
        popularity: task.popularity,
        placeable: perTaskPods[t],
        fragmentedGpus: perTaskMilli[t] / WHOLE_GPU_MILLI,
        blocked,
        blockedBy: blocked && blockedReasonText(blocked),
      };
    }),
    warnings,
  };
}

/**
 * GPU fragmentation of a cluster against a target workload (docs/formulas.md, "Fragmentation"): F in GPUs and as a share of
 * free GPUs, per node, fully free GPUs and gangs, and how many more pods of each type fit. Throws
 * FragmentationInputError on input it cannot use (see validate.ts).
 */
export function analyseFragmentation(nodes: readonly NodeState[], workload: readonly TaskType[]): FragmentationReport {
  const warnings: string[] = [];
  const checkedNodes = checkNodes(nodes);
  const tasks = checkWorkload(workload, checkedNodes, warnings);
  return analyseChecked(checkedNodes, tasks, warnings);
}
