import fc from 'fast-check';
import { defaultFleetSpec } from './defaultFleet';
import { GpuRequest } from './fleetSpec';
import { buildLayout } from './layout';
import { FREE, placeGang } from './scheduler';
import { FleetSimulation } from './simulation';
import { activityAt } from './signals';

const layout = buildLayout(defaultFleetSpec({ gpuCount: 40, seed: 1 }));

const requestArb: fc.Arbitrary<GpuRequest> = fc.oneof(
  fc.record({
    kind: fc.constant('gpu' as const),
    count: fc.integer({ min: 1, max: 8 }),
    gpuModels: fc.subarray(['H100-80GB', 'A100-80GB', 'A100-40GB', 'L4'] as const, { minLength: 1 }).map((m) => [...m]),
  }),
  fc.record({
    kind: fc.constant('mig' as const),
    count: fc.integer({ min: 1, max: 2 }),
    profile: fc.constantFrom('1g.10gb', '3g.40gb'),
  })
);

describe('placeGang', () => {
  it('places all pods of a gang or none, each pod on one node, on free slots that match its request', () => {
    fc.assert(
      fc.property(fc.array(fc.array(requestArb, { minLength: 1, maxLength: 3 }), { maxLength: 25 }), (gangs) => {
        const holder = new Int32Array(layout.slots.length).fill(FREE);
        gangs.forEach((gang, g) => {
          const before = Int32Array.from(holder);
          const plan = placeGang(layout, holder, gang);
          expect(holder).toEqual(before);
          if (!plan) {
            return;
          }
          expect(plan).toHaveLength(gang.length);
          plan.forEach((slots, p) => {
            const request = gang[p];
            expect(slots).toHaveLength(request.count);
            expect(new Set(slots.map((s) => layout.slots[s].node)).size).toBe(1);
            for (const s of slots) {
              const slot = layout.slots[s];
              const node = layout.nodes[slot.node];
              expect(holder[s]).toBe(FREE);
              if (request.kind === 'gpu') {
                expect(slot.migProfile).toBeUndefined();
                expect(request.gpuModels).toContain(node.model);
              } else {
                expect(slot.migProfile).toBe(request.profile);
              }
              holder[s] = g;
            }
          });
        });
      }),
      { numRuns: 60 }
    );
  });

  it('refuses a gang when one pod cannot fit, even if the others could', () => {
    const holder = new Int32Array(layout.slots.length).fill(FREE);
    const fits: GpuRequest = { kind: 'gpu', count: 1, gpuModels: ['L4'] };
    const tooBig: GpuRequest = { kind: 'gpu', count: 9, gpuModels: ['H100-80GB'] };
    expect(placeGang(layout, holder, [fits, tooBig])).toBeNull();
  });
});

describe('FleetSimulation invariants', () => {
  it('never allocates more than a node has, and a GPU is busy only while a running pod holds it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 6 }), (seed, weekday) => {
        const sim = new FleetSimulation(defaultFleetSpec({ gpuCount: 24, seed }), 1_767_225_600 + weekday * 86400);
        const problems: string[] = [];
        for (let tick = sim.startTick; tick < sim.startTick + 1440; tick += 31) {
          sim.advanceTo(tick);
          const held = new Map<number, number>();
          sim.holder.forEach((podId, s) => {
            if (podId === FREE) {
              if (activityAt(sim, undefined, tick * 60) !== 0) {
                problems.push(`free slot ${s} busy at ${tick}`);
              }
              return;
            }
            const pod = sim.pods[podId];
            if (pod.startTick < 0 || pod.startTick > tick || pod.endTick <= tick || !pod.slots.includes(s)) {
              problems.push(`slot ${s} held by ${pod.name}, which is not running on it at ${tick}`);
            }
            held.set(podId, (held.get(podId) ?? 0) + 1);
          });
          // A running pod holds exactly what it asked for, so per-node allocation never exceeds allocatable.
          for (const pod of sim.pods) {
            const running = pod.startTick >= 0 && pod.startTick <= tick && pod.endTick > tick;
            if (running && (held.get(pod.id) ?? 0) !== pod.request.count) {
              problems.push(`${pod.name} holds ${held.get(pod.id) ?? 0} slots, asked for ${pod.request.count}`);
            }
          }
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 5 }
    );
  });

  it('starts the pods of a multi-node gang in the same minute', () => {
    const sim = new FleetSimulation(defaultFleetSpec({ gpuCount: 64, seed: 5 }), 1_767_225_600);
    sim.advanceTo(sim.startTick + 3 * 1440);
    const gangs = new Map<string, number[]>();
    for (const pod of sim.pods.filter((p) => p.kind === 'training')) {
      const job = pod.name.replace(/-worker-\d+$/, '');
      gangs.set(job, [...(gangs.get(job) ?? []), pod.startTick]);
    }
    const multi = [...gangs.values()].filter((starts) => starts.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const starts of multi) {
      expect(new Set(starts).size).toBe(1);
    }
  });
});
