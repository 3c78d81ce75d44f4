/** @jest-environment node */
import fc from 'fast-check';

import { FragmentationInputError } from './errors';
import { analyseFragmentation } from './fgd';
import type { NodeState, TaskType } from './types';

const gpus = (...freeMilli: number[]) => freeMilli.map((f, index) => ({ index, freeMilli: f }));

/** Two nodes and three task types; every number below is worked out by hand from these. */
const NODES: NodeState[] = [
  { name: 'a', gpuModel: 'A100', gpuCount: 4, cpuFreeMilli: 8000, gpus: gpus(1000, 1000, 500, 0) },
  { name: 'b', gpuModel: 'T4', gpuCount: 2, cpuFreeMilli: 2000, gpus: gpus(300, 1000) },
];
const WORKLOAD: TaskType[] = [
  { id: 'whole1', cpuMilli: 1000, gpuCount: 1, gpuMilli: 1000, gpuSpec: '', popularity: 0.5 },
  { id: 'share400', cpuMilli: 1000, gpuCount: 1, gpuMilli: 400, gpuSpec: '', popularity: 0.25 },
  { id: 'a100x2', cpuMilli: 4000, gpuCount: 2, gpuMilli: 1000, gpuSpec: 'A100', popularity: 0.25 },
];

describe('analyseFragmentation', () => {
  it('matches the hand-computed FGD measure on a two-node cluster', () => {
    const report = analyseFragmentation(NODES, WORKLOAD);
    // Node a, ΣR = 2.5: whole1 runs (2 GPUs with R ≥ 1) → too small = 0.5 + 0 = 0.5; share400 runs (3 GPUs ≥ 0.4)
    // → 0 (only the R = 0 GPU is too small); a100x2 runs (2 fully free, CPU 8000 ≥ 4000) → 0.5.
    // F_a = 0.5·0.5 + 0.25·0 + 0.25·0.5 = 0.375.
    // Node b, ΣR = 1.3: whole1 runs → 0.3; share400 runs (the 1.0 GPU) → 0.3; a100x2 wrong model → all 1.3.
    // F_b = 0.5·0.3 + 0.25·0.3 + 0.25·1.3 = 0.15 + 0.075 + 0.325 = 0.55.
    expect(report.nodes.map((n) => n.fragmentedGpus)).toEqual([expect.closeTo(0.375, 12), expect.closeTo(0.55, 12)]);
    // F = 0.925 of 3.8 free = 24.342… %.
    expect(report.totalFreeGpus).toBeCloseTo(3.8, 12);
    expect(report.fragmentedGpus).toBeCloseTo(0.925, 12);
    expect(report.fragmentedShareOfFree).toBeCloseTo(0.925 / 3.8, 12);
    expect(report.fullyFreeGpus).toBe(3);
    expect(report.nodesWithFullyFreeAtLeast).toEqual({ 1: 2, 2: 1, 4: 0, 8: 0 });
    expect(report.largestWholeGpuGangOnOneNode).toBe(2);
    // whole1: a min(8000/1000, 2 fully free) = 2, b min(2, 1) = 1 → 3. share400: a min(8, 2+2+1+0) = 5,
    // b min(2, 0+2) = 2 → 7. a100x2: a min(2, ⌊2/2⌋) = 1, b model mismatch 0 → 1.
    // Unweighted F(m): whole1 0.5 + 0.3; share400 0 + 0.3; a100x2 0.5 + 1.3.
    // Each type carries its shape, so a row says what it asks for; none is blocked, so none says why.
    const shape = (gpuCount: number, gpuShare: number, cpuMilli: number, popularity: number, gpuModels?: string[]) => ({
      gpuCount,
      gpuShare,
      cpuMilli,
      popularity,
      gpuModels,
    });
    expect(report.tasks).toEqual([
      { id: 'whole1', ...shape(1, 1, 1000, 0.5), placeable: 3, fragmentedGpus: expect.closeTo(0.8, 12) },
      { id: 'share400', ...shape(1, 0.4, 1000, 0.25), placeable: 7, fragmentedGpus: expect.closeTo(0.3, 12) },
      { id: 'a100x2', ...shape(2, 1, 4000, 0.25, ['A100']), placeable: 1, fragmentedGpus: expect.closeTo(1.8, 12) },
    ]);
    expect(report.tasks.map((t) => t.blockedBy)).toEqual([undefined, undefined, undefined]);
    expect(report.warnings).toEqual([]);
  });

  it('counts every free GPU as fragmented for a CPU-only type, and for a type short of CPU', () => {
    const cpuOnly: TaskType = { id: 'cpu', cpuMilli: 1000, gpuCount: 0, gpuMilli: 0, gpuSpec: '', popularity: 1 };
    // F_a = ΣR = 2.5 and F_b = 1.3; CPU-only pods still fit: a ⌊8000/1000⌋ + b ⌊2000/1000⌋ = 10.
    const report = analyseFragmentation(NODES, [cpuOnly]);
    expect(report.fragmentedGpus).toBeCloseTo(3.8, 12);
    expect(report.tasks[0].placeable).toBe(10);
    const hungry: TaskType = { id: 'hungry', cpuMilli: 9000, gpuCount: 1, gpuMilli: 1000, gpuSpec: '', popularity: 1 };
    const starved = analyseFragmentation(NODES, [hungry]);
    expect(starved.fragmentedGpus).toBeCloseTo(3.8, 12);
    // Both nodes have a fully free GPU; the most CPU free on either is node a's 8 cores.
    expect(starved.tasks[0].blockedBy).toBe(
      'the nodes with 1 such GPU free lack CPU: it asks 9 cores, the most free there is 8'
    );
    // The same reason as a code and its figures, which the pages word in the user's language.
    expect(starved.tasks[0].blocked).toEqual({ code: 'cpu-short', gpuCount: 1, cpuCores: 9, mostFreeCores: 8 });
  });

  it('says why a gang fits nowhere: not enough free GPUs together on one node, or no node of its model', () => {
    const gang: TaskType = { id: 'g', cpuMilli: 0, gpuCount: 4, gpuMilli: 1000, gpuSpec: '', popularity: 0.5 };
    const b200: TaskType = {
      id: 'b',
      cpuMilli: 0,
      gpuCount: 1,
      gpuMilli: 1000,
      gpuSpec: 'B200|GB200',
      popularity: 0.5,
    };
    const [g, b] = analyseFragmentation(NODES, [gang, b200]).tasks;
    // Fully free: 2 on a, 1 on b; 3 in all, on 2 nodes.
    expect(g.blockedBy).toBe(
      'it needs 4 fully free GPUs on one node; the most on any node is 2 (on a), 3 in all spread over 2 nodes'
    );
    expect(b.blockedBy).toBe('no node has GPU model B200 or GB200');
    expect(g.blocked).toEqual({
      code: 'gpus-not-together',
      gpuCount: 4,
      gpuPercent: 100,
      modelsNamed: false,
      mostOnOneNode: 2,
      mostOnNode: 'a',
      totalGpus: 3,
      nodesWithAny: 2,
    });
    expect(b.blocked).toEqual({ code: 'no-gpu-model', gpuModels: ['B200', 'GB200'] });
  });

  it('accepts "A|B" model lists and CPU-only nodes, and rescales popularities with a warning', () => {
    const nodes: NodeState[] = [
      ...NODES,
      { name: 'cpu-only', gpuModel: '', gpuCount: 0, cpuFreeMilli: 64000, gpus: [] },
    ];
    const either: TaskType = {
      id: 'either',
      cpuMilli: 0,
      gpuCount: 2,
      gpuMilli: 1000,
      gpuSpec: 'T4|A100',
      popularity: 2,
    };
    const report = analyseFragmentation(nodes, [either]);
    // a: 2 fully free → runs, too small 0.5; b: only 1 fully free of 2 asked → all 1.3. F = 1.8.
    expect(report.fragmentedGpus).toBeCloseTo(1.8, 12);
    expect(report.nodes[2]).toEqual({
      name: 'cpu-only',
      gpuModel: '',
      freeGpus: 0,
      fragmentedGpus: 0,
      fullyFreeGpus: 0,
    });
    expect(report.warnings).toEqual(['popularities sum to 2.00000, not 1; they were rescaled to sum to 1']);
  });

  it('warns about requests no node can host', () => {
    const big: TaskType = { id: 'big', cpuMilli: 0, gpuCount: 16, gpuMilli: 1000, gpuSpec: '', popularity: 0.5 };
    const h100: TaskType = { id: 'h100', cpuMilli: 0, gpuCount: 1, gpuMilli: 1000, gpuSpec: 'H100', popularity: 0.5 };
    const report = analyseFragmentation(NODES, [big, h100]);
    expect(report.fragmentedGpus).toBeCloseTo(3.8, 12);
    expect(report.warnings).toEqual([
      'task type "big" asks for 16 GPUs but the largest node it may use has 4; it fits nowhere and counts every free GPU as fragmented',
      'task type "h100" asks for GPU model H100, which no node has (models: A100, T4); it fits nowhere and counts every free GPU as fragmented',
    ]);
  });

  it.each<[string, NodeState[], TaskType[], string]>([
    ['an empty workload', NODES, [], 'learn the workload from recent pod requests'],
    ['duplicate node names', [NODES[0], { ...NODES[1], name: 'a' }], WORKLOAD, 'Node name "a" appears twice'],
    ['a free share above 1000', [{ ...NODES[0], gpus: gpus(1001, 0, 0, 0) }], WORKLOAD, 'free_milli 1001'],
    ['a negative free share', [{ ...NODES[0], gpus: gpus(-1, 0, 0, 0) }], WORKLOAD, 'free_milli -1'],
    ['GPUs of unknown model', [{ ...NODES[0], gpuModel: '' }], WORKLOAD, 'unknown model'],
    ['no GPU anywhere', [{ name: 'c', gpuModel: '', gpuCount: 0, cpuFreeMilli: 1, gpus: [] }], WORKLOAD, 'No node'],
    ['a GPU count that disagrees', [{ ...NODES[0], gpuCount: 8 }], WORKLOAD, 'lists 4 GPUs'],
    [
      'a shared multi-GPU request',
      NODES,
      [{ ...WORKLOAD[0], gpuCount: 2, gpuMilli: 500 }],
      'a shared request asks for one GPU',
    ],
    [
      'a request for nothing',
      NODES,
      [{ ...WORKLOAD[0], cpuMilli: 0, gpuCount: 0, gpuMilli: 0 }],
      'neither CPU nor GPU',
    ],
    ['all popularities zero', NODES, [{ ...WORKLOAD[0], popularity: 0 }], 'All popularities are 0'],
  ])('rejects %s with a clear error', (_, nodes, workload, message) => {
    expect(() => analyseFragmentation(nodes, workload)).toThrow(FragmentationInputError);
    expect(() => analyseFragmentation(nodes, workload)).toThrow(message);
  });
});

const share = fc.integer({ min: 0, max: 1000 });
const nodeArb = (name: string) =>
  fc
    .record({
      name: fc.constant(name),
      gpuModel: fc.constantFrom('A100', 'T4'),
      cpuFreeMilli: fc.integer({ min: 0, max: 64000 }),
      gpus: fc.array(share, { minLength: 1, maxLength: 8 }),
    })
    .map((n): NodeState => ({ ...n, gpuCount: n.gpus.length, gpus: gpus(...n.gpus) }));
const taskArb = fc
  .record({
    cpuMilli: fc.integer({ min: 1, max: 16000 }),
    gpuCount: fc.integer({ min: 0, max: 8 }),
    share: fc.integer({ min: 1, max: 1000 }),
    gpuSpec: fc.constantFrom('', 'A100', 'T4', 'T4|A100'),
    popularity: fc.double({ min: 0.01, max: 1, noNaN: true }),
  })
  .map((t, i = 0): TaskType => ({
    id: `t${i}`,
    cpuMilli: t.cpuMilli,
    gpuCount: t.gpuCount,
    gpuMilli: t.gpuCount === 0 ? 0 : t.gpuCount > 1 ? 1000 : t.share,
    gpuSpec: t.gpuSpec,
    popularity: t.popularity,
  }));
const workloadArb = fc
  .array(taskArb, { minLength: 1, maxLength: 6 })
  .map((ts) => ts.map((t, i) => ({ ...t, id: `t${i}` })));
const clusterArb = fc
  .array(fc.nat(), { minLength: 1, maxLength: 5 })
  .chain((xs) => fc.tuple(...xs.map((_, i) => nodeArb(`n${i}`))));

describe('analyseFragmentation invariants', () => {
  it('keeps 0 ≤ fragmented ≤ free on every node and the cluster', () => {
    fc.assert(
      fc.property(clusterArb, workloadArb, (nodes, workload) => {
        const report = analyseFragmentation(nodes, workload);
        for (const n of report.nodes) {
          expect(n.fragmentedGpus).toBeGreaterThanOrEqual(0);
          expect(n.fragmentedGpus).toBeLessThanOrEqual(n.freeGpus + 1e-9);
        }
        expect(report.fragmentedShareOfFree).toBeGreaterThanOrEqual(0);
        expect(report.fragmentedShareOfFree).toBeLessThanOrEqual(1 + 1e-12);
      })
    );
  });

  it('gives F_n(m) = 0 on a node whose GPUs are all fully free, for any whole-GPU task that can run there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), (gpuCount, k) => {
        fc.pre(k <= gpuCount);
        const node: NodeState = {
          name: 'n',
          gpuModel: 'A100',
          gpuCount,
          cpuFreeMilli: 1000,
          gpus: gpus(...Array(gpuCount).fill(1000)),
        };
        const task: TaskType = { id: 'm', cpuMilli: 1000, gpuCount: k, gpuMilli: 1000, gpuSpec: '', popularity: 1 };
        expect(analyseFragmentation([node], [task]).fragmentedGpus).toBe(0);
      })
    );
  });

  it('never lowers "placeable" when a node gains free GPU share or CPU', () => {
    fc.assert(
      fc.property(
        clusterArb,
        workloadArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 1000 }),
        fc.nat(8000),
        (nodes, workload, n, g, extra, cpu) => {
          const before = analyseFragmentation(nodes, workload).tasks.map((t) => t.placeable);
          const grown = nodes.map((node, i) =>
            i !== n % nodes.length
              ? node
              : {
                  ...node,
                  cpuFreeMilli: node.cpuFreeMilli + cpu,
                  gpus: node.gpus.map((gpu, j) =>
                    j === g % node.gpus.length ? { ...gpu, freeMilli: Math.min(1000, gpu.freeMilli + extra) } : gpu
                  ),
                }
          );
          const after = analyseFragmentation(grown, workload).tasks.map((t) => t.placeable);
          after.forEach((x, t) => expect(x).toBeGreaterThanOrEqual(before[t]));
        }
      )
    );
  });
});
