import { GPU_MILLI, type CheckedNode, type CheckedRequest } from './validate';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Why not one more pod of `task` fits anywhere, in words: no node of the GPU model it asks for, no node with k GPUs
 * free enough on it at once (and the most any node has), or not enough free CPU where the GPUs are. Nodes are judged
 * on their own, as the placeable counts are: free GPUs on two nodes do not make one gang.
 */
export function whyNoneFits(task: CheckedRequest, nodes: readonly CheckedNode[]): string {
  if (task.gpuCount === 0) {
    return 'it asks for no GPU, and no node has its CPU free';
  }
  const allowed = task.models ? nodes.filter((n) => task.models!.has(n.gpuModel)) : nodes;
  if (allowed.length === 0) {
    return `no node has GPU model ${[...task.models!].join(' or ')}`;
  }
  const enough = (r: number) => r >= task.gpuMilli;
  const usable = allowed.map((n) => n.freeMilli.filter(enough).length);
  const best = Math.max(...usable);
  const spread = usable.reduce((a, b) => a + b, 0);
  const what = task.gpuMilli >= GPU_MILLI ? 'fully free GPU' : `GPU with ${task.gpuMilli / 10} % free`;
  if (best < task.gpuCount) {
    const where = best > 0 ? ` (on ${allowed[usable.indexOf(best)].name})` : '';
    return (
      `it needs ${plural(task.gpuCount, what, what.replace('GPU', 'GPUs'))} on one node; the most on any ` +
      `${task.models ? 'such ' : ''}node is ${best}${where}, ${spread} in all spread over ` +
      `${plural(usable.filter((u) => u > 0).length, 'node')}`
    );
  }
  const cpuWhereGpus = Math.max(...allowed.filter((_, i) => usable[i] >= task.gpuCount).map((n) => n.cpuFreeMilli));
  return (
    `the nodes with ${plural(task.gpuCount, 'such GPU')} free lack CPU: it asks ${task.cpuMilli / 1000} cores, the most free ` +
    `there is ${cpuWhereGpus / 1000}`
  );
}
