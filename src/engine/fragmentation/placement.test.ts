/** @jest-environment node */
import { firstFit } from './placement';

describe('firstFit', () => {
  it('places each pod on the first node and lowest GPUs that fit, in order', () => {
    const nodes = [
      {
        name: 'a',
        gpuModel: 'T4',
        gpuCount: 2,
        cpuFreeMilli: 4000,
        gpus: [0, 1].map((index) => ({ index, freeMilli: 1000 })),
      },
      {
        name: 'b',
        gpuModel: 'A100',
        gpuCount: 2,
        cpuFreeMilli: 4000,
        gpus: [0, 1].map((index) => ({ index, freeMilli: 1000 })),
      },
    ];
    const result = firstFit(nodes, [
      { name: 's1', cpuMilli: 1000, gpuCount: 1, gpuMilli: 600, gpuSpec: '' }, // a GPU 0 → 400 left
      { name: 's2', cpuMilli: 1000, gpuCount: 1, gpuMilli: 400, gpuSpec: '' }, // a GPU 0 exactly → 0 left
      { name: 'w2', cpuMilli: 1000, gpuCount: 2, gpuMilli: 1000, gpuSpec: '' }, // a has one fully free GPU → b 0,1
      { name: 'x', cpuMilli: 1000, gpuCount: 1, gpuMilli: 1000, gpuSpec: 'A100' }, // b is full → nowhere
      { name: 'c', cpuMilli: 1000, gpuCount: 0, gpuMilli: 0, gpuSpec: '' }, // a: CPU 2000 → 1000 left
    ]);
    expect(result.placed.map((p) => [p.name, p.node, p.gpuIndexes])).toEqual([
      ['s1', 'a', [0]],
      ['s2', 'a', [0]],
      ['w2', 'b', [0, 1]],
      ['c', 'a', []],
    ]);
    expect(result.unplaced).toEqual(['x']);
    expect(result.nodes.map((n) => [n.cpuFreeMilli, n.gpus.map((g) => g.freeMilli)])).toEqual([
      [1000, [0, 1000]],
      [3000, [0, 0]],
    ]);
  });
});
