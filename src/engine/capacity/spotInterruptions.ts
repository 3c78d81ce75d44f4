import { CapacityInputError } from './errors';

/** One spot GPU node as kube-state-metrics saw it: sampled every step from its first to its last sample. */
export interface SpotNodePresence {
  node: string;
  gpus: number;
  firstSeenSeconds: number;
  lastSeenSeconds: number;
}

export interface SpotChurnInput {
  nodes: readonly SpotNodePresence[];
  /** The window the samples were taken in: the grid's first and last time. */
  startSeconds: number;
  endSeconds: number;
  stepSeconds: number;
}

export interface SpotInterruptionRate {
  /** GPU-days the spot nodes were there in the window. */
  spotGpuDays: number;
  /** GPUs of the spot nodes that disappeared before the window's end. */
  interruptedGpus: number;
  interruptedNodes: string[];
  /** Interrupted GPUs per spot GPU-day: the share of spot GPUs interrupted per day; undefined without spot GPUs. */
  sharePerDay?: number;
}

const DAY_SECONDS = 86400;

/**
 * The share of spot GPUs interrupted per day, from node churn: a spot node whose series stops before the window's end
 * was taken away (its GPUs count as interrupted), and every node contributes the GPU-days it was there, each sample
 * standing for the step after it. An upper bound on interruptions by the provider: a node removed by scale-in or
 * consolidation disappears the same way.
 */
export function spotInterruptionRate(input: SpotChurnInput): SpotInterruptionRate {
  const { nodes, startSeconds, endSeconds, stepSeconds } = input;
  if (!(stepSeconds > 0) || !(endSeconds > startSeconds)) {
    throw new CapacityInputError('window', 'Give a window with its end after its start and a step > 0 s.');
  }
  let gpuSeconds = 0;
  let interruptedGpus = 0;
  const interruptedNodes: string[] = [];
  for (const n of nodes) {
    if (!(Number.isFinite(n.gpus) && n.gpus >= 0) || !(n.lastSeenSeconds >= n.firstSeenSeconds)) {
      throw new CapacityInputError('nodes', `Spot node ${n.node}: GPUs ≥ 0 and a last sample not before its first.`);
    }
    const from = Math.max(n.firstSeenSeconds, startSeconds);
    const to = Math.min(n.lastSeenSeconds + stepSeconds, endSeconds);
    gpuSeconds += n.gpus * Math.max(0, to - from);
    // Missing at the last grid time (half a step of slack for rounding): gone within the window.
    if (n.lastSeenSeconds < endSeconds - stepSeconds / 2) {
      interruptedGpus += n.gpus;
      interruptedNodes.push(n.node);
    }
  }
  const spotGpuDays = gpuSeconds / DAY_SECONDS;
  return {
    spotGpuDays,
    interruptedGpus,
    interruptedNodes: interruptedNodes.sort(),
    sharePerDay: spotGpuDays > 0 ? interruptedGpus / spotGpuDays : undefined,
  };
}
