import type { TaskType } from '../../engine/fragmentation';
import type { FleetNode, FleetState } from '../../prometheus/fleetState';
import { filterFleet } from './fleetFilter';
import { defragOf, gridOf, jobsFitOf, summaryOf } from './fragmentationAnalysis';

const T = 1_700_000_000;

function node(name: string, gpuModel: string, cpuFreeMilli: number, free: number[], extra: Partial<FleetNode> = {}) {
  return {
    name,
    gpuModel,
    gpuCount: free.length,
    cpuFreeMilli,
    gpus: free.map((freeMilli, index) => ({ index, freeMilli })),
    migInstancesAllocatable: {},
    migInstancesFree: {},
    migGpus: [],
    gpuHolders: {},
    gpusFromDcgm: true,
    ...extra,
  } satisfies FleetNode;
}

function state(nodes: FleetNode[], extra: Partial<FleetState> = {}): FleetState {
  return {
    timeSeconds: T,
    nodes,
    runningPods: [],
    pendingPods: [],
    disagreements: [],
    warnings: [],
    queries: [],
    ...extra,
  };
}

// The hand-worked example of issue 4: node A (T4, 8,000 mCPU, GPUs free 1000/1000/500/200), node B (V100,
// 2,000 mCPU, GPUs free 1000/300), and its workload.
const EXAMPLE = state([node('A', 'T4', 8000, [1000, 1000, 500, 200]), node('B', 'V100', 2000, [1000, 300])]);
const WORKLOAD: TaskType[] = [
  { id: 'm1', cpuMilli: 4000, gpuCount: 1, gpuMilli: 500, gpuSpec: '', popularity: 0.4 },
  { id: 'm2', cpuMilli: 8000, gpuCount: 2, gpuMilli: 1000, gpuSpec: '', popularity: 0.3 },
  { id: 'm3', cpuMilli: 1000, gpuCount: 0, gpuMilli: 0, gpuSpec: '', popularity: 0.2 },
  { id: 'm4', cpuMilli: 1000, gpuCount: 1, gpuMilli: 1000, gpuSpec: 'V100', popularity: 0.1 },
];

describe('summaryOf', () => {
  it('gives the hand-worked numbers: 2.3 of 4.0 free GPUs fragmented, gangs and fully free GPUs', () => {
    const summary = summaryOf(EXAMPLE, WORKLOAD);
    expect(summary.freeGpus).toBeCloseTo(4.0, 9);
    expect(summary.fragmentedGpus).toBeCloseTo(2.3, 9);
    expect(summary.fragmentedShareOfFree).toBeCloseTo(0.575, 9);
    // A has two fully free GPUs, B one.
    expect(summary.fullyFreeGpus).toBe(3);
    expect(summary.nodesWithFullyFreeAtLeast).toEqual({ 1: 2, 2: 1, 4: 0, 8: 0 });
    expect(summary.largestWholeGpuGangOnOneNode).toBe(2);
  });

  it('leaves fragmentation out, not zero, when no workload was learnt, and still counts free GPUs', () => {
    const summary = summaryOf(EXAMPLE, undefined);
    expect(summary.fragmentedGpus).toBeUndefined();
    expect(summary.fragmentedShareOfFree).toBeUndefined();
    expect(summary.freeGpus).toBeCloseTo(4.0, 9);
  });

  it('counts free MIG instances on a fleet without whole GPUs', () => {
    const mig = node('m', '', 0, [], {
      migInstancesFree: { nvidia_com_mig_1g_10gb: 2, nvidia_com_mig_3g_40gb: 1 },
    });
    const summary = summaryOf(state([mig]), WORKLOAD);
    expect(summary).toMatchObject({
      freeGpus: 0,
      fragmentedGpus: 0,
      migInstancesFree: 3,
      largestWholeGpuGangOnOneNode: 0,
    });
  });
});

describe('jobsFitOf', () => {
  it('counts gangs per node without CPU, and each learnt type with its CPU and model', () => {
    const rows = jobsFitOf(EXAMPLE, WORKLOAD);
    // Gangs: 1 GPU: A ⌊2/1⌋ + B 1 = 3; 2 GPUs: A 1; 4 and 8: none.
    expect(rows.filter((r) => r.kind === 'gang').map((r) => [r.job, r.fitNow])).toEqual([
      ['1-GPU job', 3],
      ['2-GPU job', 1],
      ['4-GPU job', 0],
      ['8-GPU job', 0],
    ]);
    // m1: A min(⌊8000/4000⌋, 2+2+1+0) = 2, B no CPU; m2: A min(1, ⌊2/2⌋) = 1; m3: 8 + 2; m4: only B, 1.
    expect(rows.filter((r) => r.kind === 'learnt').map((r) => r.fitNow)).toEqual([2, 1, 10, 1]);
    expect(rows[4].job).toBe('m1: 50 % GPU, 4 cores');
    expect(rows[7].job).toBe('m4: 1 GPU, 1 cores, V100');
    // Each row names its model and, when nothing fits, why: A has 2 fully free GPUs, B 1.
    expect(rows[7].gpuModel).toBe('V100');
    expect(rows[4].gpuModel).toBe('any');
    expect(rows.map((r) => r.blockedBy)).toEqual([
      undefined,
      undefined,
      'it needs 4 fully free GPUs on one node; the most on any node is 2 (on A), 3 in all spread over 2 nodes',
      'it needs 8 fully free GPUs on one node; the most on any node is 2 (on A), 3 in all spread over 2 nodes',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // The same as codes and figures, for the pages to word in the user's language.
    expect(rows[2].blocked).toEqual({
      code: 'gpus-not-together',
      gpuCount: 4,
      gpuPercent: 100,
      modelsNamed: false,
      mostOnOneNode: 2,
      mostOnNode: 'A',
      totalGpus: 3,
      nodesWithAny: 2,
    });
    expect(rows[7].learnt).toEqual({
      code: 'learnt-job',
      id: 'm4',
      gpuCount: 1,
      gpuPercent: 100,
      cpuCores: 1,
      gpuSpec: 'V100',
    });
    expect(rows[0].learnt).toBeUndefined();
  });
});

describe('gridOf', () => {
  it('gives one row per GPU with its state, and the node fragmentation F_n worked by hand', () => {
    const rows = gridOf(EXAMPLE, WORKLOAD);
    expect(rows.map((r) => [r.node, r.gpu, r.state, r.freeMilli])).toEqual([
      ['A', 0, 'free', 1000],
      ['A', 1, 'free', 1000],
      ['A', 2, 'shared', 500],
      ['A', 3, 'shared', 200],
      ['B', 0, 'free', 1000],
      ['B', 1, 'shared', 300],
    ]);
    // F_A = 0.4·0.2 + 0.3·0.7 + 0.2·2.7 + 0.1·2.7 = 1.1; F_B = 0.4·1.3 + 0.3·1.3 + 0.2·1.3 + 0.1·0.3 = 1.2.
    expect(rows[0].nodeFragmentedGpus).toBeCloseTo(1.1, 9);
    expect(rows[5].nodeFragmentedGpus).toBeCloseTo(1.2, 9);
  });

  it('marks a held GPU allocated, a time-sliced one shared, and a MIG GPU with the compute share of its free instances', () => {
    const rows = gridOf(
      state([
        node('n', 'A100', 0, [0, 0], {
          gpuHolders: { 0: ['ml/a'], 1: ['ml/b', 'ml/c'] },
          migGpus: [
            {
              index: 2,
              model: 'A100',
              instances: [
                { profile: '3g.40gb', instanceId: 1, holders: ['ml/x'] },
                { profile: '2g.20gb', instanceId: 2, holders: [] },
                { profile: '1g.10gb', instanceId: 3, holders: [] },
              ],
            },
          ],
        }),
      ]),
      undefined
    );
    expect(rows.map((r) => [r.gpu, r.state, r.pods])).toEqual([
      [0, 'allocated', ['ml/a']],
      [1, 'shared', ['ml/b', 'ml/c']],
      [2, 'mig', ['ml/x']],
    ]);
    // Free: 2g + 1g = 3 of 7 compute slices.
    expect(rows[2].freeMilli).toBe(Math.round((3 / 7) * 1000));
  });
});

describe('defragOf', () => {
  // n1: GPUs 0 and 2 held by a and b; n2: GPU 0 held by c. A 4-GPU pod waits.
  const held = (name: string, nodeName: string, gpu: number) => ({
    name,
    node: nodeName,
    gpuIndexes: [gpu],
    cpuMilli: 0,
    gpuCount: 1,
    gpuMilli: 1000,
    gpuSpec: '',
  });
  const busy = state(
    [node('n1', 'A100', 32000, [0, 1000, 0, 1000]), node('n2', 'A100', 32000, [0, 1000, 1000, 1000])],
    {
      runningPods: [held('ml/a', 'n1', 0), held('ml/b', 'n1', 2), held('ml/c', 'n2', 0)],
      pendingPods: [{ id: 'ml/big', cpuMilli: 0, gpuCount: 4, gpuMilli: 1000, gpuSpec: '' }],
    }
  );

  it('moves the one pod that blocks a node, to the first GPU free elsewhere', () => {
    const answer = defragOf(busy, undefined);
    expect([answer.requestLabel, answer.source]).toEqual(['ml/big', 'pending pod']);
    expect(answer.requestGpus).toBe(4);
    expect(answer.plan?.targetNode).toBe('n2');
    expect(answer.plan?.moves).toEqual([{ pod: 'ml/c', fromNode: 'n2', toNode: 'n1', toGpuIndexes: [1] }]);
    expect(answer.plan?.freedGpus).toBe(1);
  });

  it('without a pending pod, plans for the largest learnt type, and says so', () => {
    const answer = defragOf({ ...busy, pendingPods: [] }, WORKLOAD.slice(0, 2));
    expect([answer.requestLabel, answer.source]).toEqual(['m2: 2 GPUs, 8 cores', 'learnt job type']);
    expect(answer.plan?.moves).toEqual([]);
  });

  it('explains instead of throwing when no node can ever host the request', () => {
    const answer = defragOf(
      { ...busy, pendingPods: [{ id: 'ml/huge', cpuMilli: 0, gpuCount: 16, gpuMilli: 1000, gpuSpec: '' }] },
      undefined
    );
    expect(answer.plan).toBeUndefined();
    expect(answer.reason).toMatch(/ml\/huge.*16 GPUs/);
  });
});

describe('filterFleet', () => {
  it('keeps the nodes of the chosen models, their pods, and the pending pods of the chosen namespaces', () => {
    const fleet = state([node('A', 'T4', 0, [1000]), node('B', 'V100', 0, [0])], {
      runningPods: [
        { name: 'ml/x', node: 'B', gpuIndexes: [0], cpuMilli: 0, gpuCount: 1, gpuMilli: 1000, gpuSpec: '' },
      ],
      pendingPods: [
        { id: 'ml/p', cpuMilli: 0, gpuCount: 1, gpuMilli: 1000, gpuSpec: '' },
        { id: 'web/q', cpuMilli: 0, gpuCount: 1, gpuMilli: 1000, gpuSpec: '' },
      ],
    });
    const filtered = filterFleet(fleet, { gpuModels: ['T4'], namespaces: ['web'] });
    expect(filtered.nodes.map((n) => n.name)).toEqual(['A']);
    expect(filtered.runningPods).toEqual([]);
    expect(filtered.pendingPods.map((p) => p.id)).toEqual(['web/q']);
  });
});
