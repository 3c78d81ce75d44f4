/** @jest-environment node */
import { planDefragmentation } from './defrag';
import { FragmentationInputError } from './errors';
import type { PlacedPod } from './placement';
import type { NodeState } from './types';

const gpus = (...freeMilli: number[]) => freeMilli.map((f, index) => ({ index, freeMilli: f }));

// n1 holds p1 (GPU 0), p2 (GPU 1) whole and p3 (half of GPU 3); n2 holds p4 on GPUs 2–3; n3 (T4) is empty.
const NODES: NodeState[] = [
  { name: 'n1', gpuModel: 'A100', gpuCount: 4, cpuFreeMilli: 10000, gpus: gpus(0, 0, 1000, 500) },
  { name: 'n2', gpuModel: 'A100', gpuCount: 4, cpuFreeMilli: 10000, gpus: gpus(1000, 1000, 0, 0) },
  { name: 'n3', gpuModel: 'T4', gpuCount: 2, cpuFreeMilli: 4000, gpus: gpus(1000, 1000) },
];
const pod = (name: string, node: string, gpuIndexes: number[], gpuMilli: number, cpuMilli: number): PlacedPod => ({
  name,
  node,
  gpuIndexes,
  gpuMilli,
  cpuMilli,
  gpuCount: gpuIndexes.length,
  gpuSpec: '',
});
const PODS = [
  pod('p1', 'n1', [0], 1000, 1000),
  pod('p2', 'n1', [1], 1000, 1000),
  pod('p3', 'n1', [3], 500, 500),
  pod('p4', 'n2', [2, 3], 1000, 2000),
];
const BIG = { id: 'big', cpuMilli: 1000, gpuCount: 4, gpuMilli: 1000, gpuSpec: 'A100' };
const SMALL = { id: 'small', cpuMilli: 500, gpuCount: 1, gpuMilli: 500, gpuSpec: '' };

describe('planDefragmentation', () => {
  it('moves the one pod that blocks a 4-GPU gang and reports the GPUs it frees', () => {
    const plan = planDefragmentation({
      nodes: NODES,
      pods: PODS,
      pending: [SMALL, BIG],
      workload: [{ ...BIG, popularity: 1 }],
    });
    // Evictions per node: n1 needs p3, p1, p2 (3 moves); n2 needs only p4 (1 move), which fits on n3's two free
    // T4s (p4 has no model constraint). n3 has too few GPUs for 4.
    expect(plan).toEqual({
      requestId: 'big',
      targetNode: 'n2',
      targetGpuIndexes: [0, 1, 2, 3],
      moves: [{ pod: 'p4', fromNode: 'n2', toNode: 'n3', toGpuIndexes: [0, 1] }],
      freedGpus: 2,
      // Before, with big as the whole workload: n1 ΣR 1.5 (1 fully free < 4), n2 2.0, n3 wrong model 2.0 → 5.5.
      // After: n1 1.5; n2 4 fully free, nothing too small → 0; n3 nothing free → 0. F = 1.5.
      fragmentedGpusBefore: 5.5,
      fragmentedGpusAfter: 1.5,
    });
  });

  it('falls back to a node with more moves when the cheapest node’s pods fit nowhere else', () => {
    // Without n3, p4 (2 whole GPUs) fits nowhere (n1 has one fully free GPU); emptying n1 needs p1 and p2 on n2's
    // two free GPUs and p3 (0.5) somewhere: n2 has none left, so no plan exists.
    expect(() => planDefragmentation({ nodes: NODES.slice(0, 2), pods: PODS, pending: [BIG] })).toThrow(
      'the pods that block it fit nowhere else'
    );
    const roomy = [...NODES.slice(0, 2), { ...NODES[2], name: 'n3', gpuModel: 'A100', gpus: gpus(1000, 500) }];
    // Now n2's p4 still fits nowhere (n3 has one fully free GPU), but n1 empties: p1 → n2 GPU 0, p2 → n2 GPU 1,
    // p3 → n3 GPU 0 (first GPU with ≥ 0.5 free), in first-fit-decreasing order.
    const plan = planDefragmentation({ nodes: roomy, pods: PODS, pending: [BIG] });
    expect(plan.targetNode).toBe('n1');
    expect(plan.moves).toEqual([
      { pod: 'p1', fromNode: 'n1', toNode: 'n2', toGpuIndexes: [0] },
      { pod: 'p2', fromNode: 'n1', toNode: 'n2', toGpuIndexes: [1] },
      { pod: 'p3', fromNode: 'n1', toNode: 'n3', toGpuIndexes: [0] },
    ]);
    expect(plan.freedGpus).toBe(2.5);
  });

  it('needs no move when the request already fits', () => {
    const plan = planDefragmentation({ nodes: NODES, pods: PODS, pending: [SMALL] });
    expect(plan).toMatchObject({
      requestId: 'small',
      targetNode: 'n1',
      targetGpuIndexes: [2],
      moves: [],
      freedGpus: 0,
    });
  });

  it('rejects a request larger than any node and pods on unknown nodes', () => {
    const huge = { ...BIG, id: 'huge', gpuCount: 16 };
    expect(() => planDefragmentation({ nodes: NODES, pods: PODS, pending: [huge] })).toThrow(FragmentationInputError);
    expect(() => planDefragmentation({ nodes: NODES, pods: PODS, pending: [huge] })).toThrow('the largest has 4 GPUs');
    expect(() =>
      planDefragmentation({ nodes: NODES, pods: [pod('x', 'nowhere', [0], 1000, 0)], pending: [BIG] })
    ).toThrow('not in the state');
    expect(() => planDefragmentation({ nodes: NODES, pods: PODS, pending: [] })).toThrow('No pending request');
  });
});
