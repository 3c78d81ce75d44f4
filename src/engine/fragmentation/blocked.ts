import { GPU_MILLI, type CheckedNode, type CheckedRequest } from './validate';

/**
 * Why not one more pod of a task type fits anywhere, as a stable code and its figures: `blockedReasonText` words it
 * in English for the frames and the command line; the Grafana-facing layers word the same reason in the user's
 * language (docs/i18n.md).
 */
export type BlockedReason =
  /** A CPU-only type, and no node has its CPU free. */
  | { code: 'cpu-only-no-cpu' }
  /** No node has a GPU model the type accepts. */
  | { code: 'no-gpu-model'; gpuModels: string[] }
  /** No node has `gpuCount` GPUs free enough at once. */
  | {
      code: 'gpus-not-together';
      gpuCount: number;
      /** Share of a GPU each pod takes, in percent; 100 asks for fully free GPUs. */
      gpuPercent: number;
      /** Whether the type names GPU models, so only nodes of those count. */
      modelsNamed: boolean;
      /** The most such GPUs on any one node, and that node (none when no node has one). */
      mostOnOneNode: number;
      mostOnNode?: string;
      /** Such GPUs in all, and the nodes they are on. */
      totalGpus: number;
      nodesWithAny: number;
    }
  /** The nodes with the GPUs free lack CPU. */
  | { code: 'cpu-short'; gpuCount: number; cpuCores: number; mostFreeCores: number };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Why not one more pod of `task` fits anywhere: no node of the GPU model it asks for, no node with k GPUs free enough
 * on it at once (and the most any node has), or not enough free CPU where the GPUs are. Nodes are judged on their
 * own, as the placeable counts are: free GPUs on two nodes do not make one gang.
 */
export function whyNoneFits(task: CheckedRequest, nodes: readonly CheckedNode[]): BlockedReason {
  if (task.gpuCount === 0) {
    return { code: 'cpu-only-no-cpu' };
  }
  const allowed = task.models ? nodes.filter((n) => task.models!.has(n.gpuModel)) : nodes;
  if (allowed.length === 0) {
    return { code: 'no-gpu-model', gpuModels: [...task.models!] };
  }
  const enough = (r: number) => r >= task.gpuMilli;
  const usable = allowed.map((n) => n.freeMilli.filter(enough).length);
  const best = Math.max(...usable);
  if (best < task.gpuCount) {
    return {
      code: 'gpus-not-together',
      gpuCount: task.gpuCount,
      gpuPercent: task.gpuMilli / 10,
      modelsNamed: task.models !== undefined,
      mostOnOneNode: best,
      mostOnNode: best > 0 ? allowed[usable.indexOf(best)].name : undefined,
      totalGpus: usable.reduce((a, b) => a + b, 0),
      nodesWithAny: usable.filter((u) => u > 0).length,
    };
  }
  const cpuWhereGpus = Math.max(...allowed.filter((_, i) => usable[i] >= task.gpuCount).map((n) => n.cpuFreeMilli));
  return {
    code: 'cpu-short',
    gpuCount: task.gpuCount,
    cpuCores: task.cpuMilli / 1000,
    mostFreeCores: cpuWhereGpus / 1000,
  };
}

/** The reason in English, as the frames and the command line write it. */
export function blockedReasonText(reason: BlockedReason): string {
  switch (reason.code) {
    case 'cpu-only-no-cpu':
      return 'it asks for no GPU, and no node has its CPU free';
    case 'no-gpu-model':
      return `no node has GPU model ${reason.gpuModels.join(' or ')}`;
    case 'gpus-not-together': {
      const what = reason.gpuPercent * 10 >= GPU_MILLI ? 'fully free GPU' : `GPU with ${reason.gpuPercent} % free`;
      const where = reason.mostOnNode !== undefined ? ` (on ${reason.mostOnNode})` : '';
      return (
        `it needs ${plural(reason.gpuCount, what, what.replace('GPU', 'GPUs'))} on one node; the most on any ` +
        `${reason.modelsNamed ? 'such ' : ''}node is ${reason.mostOnOneNode}${where}, ${reason.totalGpus} in all ` +
        `spread over ${plural(reason.nodesWithAny, 'node')}`
      );
    }
    case 'cpu-short':
      return (
        `the nodes with ${plural(reason.gpuCount, 'such GPU')} free lack CPU: it asks ${reason.cpuCores} cores, ` +
        `the most free there is ${reason.mostFreeCores}`
      );
  }
}
