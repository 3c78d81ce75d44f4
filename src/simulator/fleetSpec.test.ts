import fc from 'fast-check';
import { defaultFleetSpec } from './defaultFleet';
import { FleetSpec, FleetSpecError, migLayoutProblem, validateFleetSpec } from './fleetSpec';
import { GPU_MODELS } from './gpuCatalog';
import { FleetSimulation, TICK_SECONDS } from './simulation';

describe('defaultFleetSpec', () => {
  it('gives about the requested GPU count with H100, A100 (one pool in MIG mode) and L4', () => {
    for (const gpuCount of [16, 64, 256]) {
      const spec = defaultFleetSpec({ gpuCount });
      const total = spec.nodePools.reduce((s, p) => s + p.nodeCount * p.gpusPerNode, 0);
      // Nodes hold 4 or 8 GPUs, so the nearest total is within half a node.
      expect(Math.abs(total - gpuCount)).toBeLessThanOrEqual(4);
      const models = new Set(spec.nodePools.map((p) => p.model));
      expect([...models]).toEqual(expect.arrayContaining(['H100-80GB', 'A100-80GB', 'L4']));
      expect(spec.nodePools.some((p) => p.migLayout)).toBe(true);
      expect(() => validateFleetSpec(spec)).not.toThrow();
    }
  });

  it('gives small fleets exactly the GPUs asked, down to one, each a valid fleet that the simulation runs', () => {
    // By design (docs/simulator.md): 1–4 GPUs one L4 node; 5–8 an H100 node of 4 plus an L4 node with the rest;
    // 9 an H100 node of 8 plus one L4. 10 and 11 fall to the node cycle, whose nearest total is H100 8 + L4 4 = 12.
    const expected: Record<number, Array<[string, number]>> = {
      1: [['L4', 1]],
      2: [['L4', 2]],
      3: [['L4', 3]],
      4: [['L4', 4]],
      5: [
        ['H100-80GB', 4],
        ['L4', 1],
      ],
      6: [
        ['H100-80GB', 4],
        ['L4', 2],
      ],
      7: [
        ['H100-80GB', 4],
        ['L4', 3],
      ],
      8: [
        ['H100-80GB', 4],
        ['L4', 4],
      ],
      9: [
        ['H100-80GB', 8],
        ['L4', 1],
      ],
      10: [
        ['H100-80GB', 8],
        ['L4', 4],
      ],
      11: [
        ['H100-80GB', 8],
        ['L4', 4],
      ],
    };
    for (const [gpuCount, pools] of Object.entries(expected)) {
      const spec = defaultFleetSpec({ gpuCount: Number(gpuCount) });
      expect([gpuCount, spec.nodePools.map((p) => [p.model, p.nodeCount * p.gpusPerNode])]).toEqual([gpuCount, pools]);
      expect(() => validateFleetSpec(spec)).not.toThrow();
      const sim = new FleetSimulation(spec, 0);
      sim.advanceTo((2 * 86400) / TICK_SECONDS);
      // Every fleet has work: some pod ran on it within two days.
      expect([gpuCount, sim.pods.some((pod) => pod.startTick >= 0)]).toEqual([gpuCount, true]);
    }
  });

  it('rejects a fleet of zero GPUs', () => {
    expect(() => defaultFleetSpec({ gpuCount: 0 })).toThrow(FleetSpecError);
    const empty: FleetSpec = {
      ...defaultFleetSpec({ gpuCount: 16 }),
      nodePools: [],
      training: [],
      inference: [],
      ephemeral: [],
    };
    expect(() => validateFleetSpec(empty)).toThrow(/no GPU nodes/);
  });
});

describe('validateFleetSpec', () => {
  it('rejects a gang pod larger than any eligible node and says how to fix it', () => {
    const spec = defaultFleetSpec({ gpuCount: 16 });
    spec.training[0].shapes.push({ pods: 1, gpusPerPod: 16, weight: 1 });
    expect(() => validateFleetSpec(spec)).toThrow(/asks for 16 GPUs but the largest .* has 8; split the gang/);
  });

  it('accepts a MIG layout exactly when it fits 7 compute and 8 memory slices', () => {
    const profiles = GPU_MODELS['A100-80GB'].migProfiles;
    const names = Object.keys(profiles);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 8 }), (layout) => {
        const compute = layout.reduce((s, p) => s + profiles[p].computeSlices, 0);
        const memory = layout.reduce((s, p) => s + profiles[p].memorySlices, 0);
        const fits = compute <= 7 && memory <= 8;
        expect(migLayoutProblem('A100-80GB', layout) === undefined).toBe(fits);
      })
    );
    // Hand-checked: 3g(3,4) + 2g(2,2) + 1g(1,1) + 1g(1,1) = 7 compute, 8 memory slices.
    expect(migLayoutProblem('A100-80GB', ['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb'])).toBeUndefined();
    expect(migLayoutProblem('A100-80GB', ['3g.40gb', '3g.40gb', '1g.10gb'])).toMatch(
      /needs 7\/7 compute and 9\/8 memory/
    );
    expect(migLayoutProblem('L4', ['1g.10gb'])).toMatch(/does not support MIG/);
  });
});
