/**
 * fetchInventory against a real Prometheus holding the tiny fleet (tests/kit/tinyFleet.ts); every expected number
 * is worked out by hand from the fleet's description.
 */
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchInventory } from '../../src/prometheus/inventory';
import type { FleetFilters, InventoryResult, PrometheusClient } from '../../src/prometheus/types';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { A100, A10G, H100, L4, tinyFleetSeries } from '../kit/tinyFleet';

const DAY = 86400;
const FULL = 1_700_006_400;
const DEGRADED = FULL + DAY;
const NO_DCGM = FULL + 2 * DAY;
const AWKWARD = FULL + 3 * DAY;
const AWKWARD_NO_PROFILING = FULL + 4 * DAY;

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      ...tinyFleetSeries({ startSeconds: FULL }),
      ...tinyFleetSeries({ startSeconds: DEGRADED, profiling: false, relabelled: true }),
      ...tinyFleetSeries({ startSeconds: NO_DCGM, dcgm: false }),
      ...tinyFleetSeries({ startSeconds: AWKWARD, extraNodes: true }),
      ...tinyFleetSeries({ startSeconds: AWKWARD_NO_PROFILING, extraNodes: true, profiling: false }),
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

const inventory = (startSeconds: number, filters?: FleetFilters) =>
  fetchInventory(client, createCatalog(), { startSeconds, endSeconds: startSeconds + 3600, stepSeconds: 60, filters });

/** Rounded to hide floating-point sums. */
const r = (value: number) => Math.round(value * 1e9) / 1e9;
/** [first, last] of a series, rounded. */
const ends = (values: number[]) => [values[0], values[values.length - 1]].map(r);

type Group = { capacityGpus?: number[]; allocatedGpus: number[]; busyGpus: number[] };
const summary = (group: Group) => ({
  capacity: group.capacityGpus && ends(group.capacityGpus),
  allocated: ends(group.allocatedGpus),
  busy: ends(group.busyGpus),
});
const rounded = (rows: InventoryResult['nodes']) =>
  rows.map((row) => ({ ...row, allocatedGpus: r(row.allocatedGpus), busyGpus: r(row.busyGpus) }));

describe('fetchInventory', () => {
  it('totals a complete fleet at the start and the end of the hour', async () => {
    const result = await inventory(FULL);
    expect(result.timestampsSeconds).toHaveLength(61);
    expect(result.timestampsSeconds[60]).toBe(FULL + 3600);
    expect(result.stepSeconds).toBe(60);
    expect(result.busySource).toBe('DCGM_FI_PROF_GR_ENGINE_ACTIVE');
    expect(result.warnings).toEqual([]);
    // 2 nodes × 4 GPUs; train-1 (2) + infer-1 (1) + train-2 (2, first half); pending-1 never counts.
    expect(summary(result.fleet)).toEqual({ capacity: [8, 8], allocated: [5, 3], busy: [3.9, 2.3] });
    expect(ends(result.fleet.freeGpus)).toEqual([3, 5]);
    expect(result.byModel.map((m) => ({ model: m.gpuModel, ...summary(m) }))).toEqual([
      { model: A100, capacity: [4, 4], allocated: [2, 2], busy: [1.8, 1.8] },
      { model: H100, capacity: [4, 4], allocated: [3, 1], busy: [2.1, 0.5] },
    ]);
    expect(result.byNamespace.map((n) => ({ namespace: n.namespace, ...summary(n) }))).toEqual([
      { namespace: 'team-a', capacity: undefined, allocated: [3, 3], busy: [2.3, 2.3] },
      { namespace: 'team-b', capacity: undefined, allocated: [2, 0], busy: [1.6, 0] },
    ]);
    expect(rounded(result.nodes)).toEqual([
      { node: 'node-a', gpuModel: A100, capacityGpus: 4, allocatedGpus: 2, busyGpus: 1.8 },
      { node: 'node-b', gpuModel: H100, capacityGpus: 4, allocatedGpus: 1, busyGpus: 0.5 },
    ]);
  });

  it('chooses the step from the range when none is given', async () => {
    const result = await fetchInventory(client, createCatalog(), { startSeconds: FULL, endSeconds: FULL + 3600 });
    expect(result.stepSeconds).toBe(15);
    expect(result.timestampsSeconds).toHaveLength(241);
    expect(result.fleet.capacityGpus[120]).toBe(8);
  });

  it('filters by node', async () => {
    const result = await inventory(FULL, { nodes: ['node-b'] });
    expect(summary(result.fleet)).toEqual({ capacity: [4, 4], allocated: [3, 1], busy: [2.1, 0.5] });
    expect(result.nodes.map((n) => n.node)).toEqual(['node-b']);
    expect(result.byNamespace.map((n) => ({ namespace: n.namespace, ...summary(n) }))).toEqual([
      { namespace: 'team-a', capacity: undefined, allocated: [1, 1], busy: [0.5, 0.5] },
      { namespace: 'team-b', capacity: undefined, allocated: [2, 0], busy: [1.6, 0] },
    ]);
  });

  it('filters by namespace, leaving capacity to the whole fleet', async () => {
    const result = await inventory(FULL, { namespaces: ['team-b'] });
    expect(summary(result.fleet)).toEqual({ capacity: [8, 8], allocated: [2, 0], busy: [1.6, 0] });
    expect(result.byNamespace.map((n) => n.namespace)).toEqual(['team-b']);
  });

  it('filters by GPU model through the node-to-model join', async () => {
    const result = await inventory(FULL, { gpuModels: [A100] });
    expect(summary(result.fleet)).toEqual({ capacity: [4, 4], allocated: [2, 2], busy: [1.8, 1.8] });
    expect(result.byModel.map((m) => m.gpuModel)).toEqual([A100]);
    expect(result.nodes.map((n) => n.node)).toEqual(['node-a']);
  });

  it('matches nothing for a filter value that tries to inject PromQL', async () => {
    const result = await inventory(FULL, { nodes: ['node-a"} or vector(1) or up{x="'] });
    expect(result.fleet.capacityGpus.every(Number.isNaN)).toBe(true);
    expect(result.nodes).toEqual([]);
  });

  it('falls back to GPU_UTIL / 100 and follows exported_* labels', async () => {
    const result = await inventory(DEGRADED);
    expect(result.busySource).toBe('DCGM_FI_DEV_GPU_UTIL');
    // 0.95 × 2 + 0.60 + 1.00 × 2 while train-2 runs; 0.95 × 2 + 0.60 after.
    expect(summary(result.fleet)).toEqual({ capacity: [8, 8], allocated: [5, 3], busy: [4.5, 2.5] });
    expect(result.byNamespace.map((n) => ({ namespace: n.namespace, ...summary(n) }))).toEqual([
      { namespace: 'team-a', capacity: undefined, allocated: [3, 3], busy: [2.5, 2.5] },
      { namespace: 'team-b', capacity: undefined, allocated: [2, 0], busy: [2, 0] },
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Busy GPUs come from DCGM_FI_DEV_GPU_UTIL \/ 100 because DCGM profiling fields are off/),
    ]);
  });

  it('warns and leaves busy unknown without DCGM', async () => {
    const result = await inventory(NO_DCGM);
    expect(result.busySource).toBe('none');
    expect(summary(result.fleet)).toEqual({ capacity: [8, 8], allocated: [5, 3], busy: [NaN, NaN] });
    expect(result.byModel).toEqual([]);
    expect(result.nodes.map((n) => [n.node, n.gpuModel, n.allocatedGpus, n.busyGpus])).toEqual([
      ['node-a', '', 2, NaN],
      ['node-b', '', 1, NaN],
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^No DCGM activity metric .*busy GPUs are unknown \(NaN\)/),
    ]);
    await expect(inventory(NO_DCGM, { gpuModels: [A100] })).rejects.toThrow(/Filtering by GPU model needs DCGM series/);
  });

  it('exposes every expression it ran', async () => {
    const result = await inventory(FULL);
    expect(result.queries.map((q) => `${q.name} ${q.kind}`)).toEqual([
      'capacity.fleet range',
      'capacity.byModel range',
      'allocated.fleet range',
      'allocated.byModel range',
      'allocated.byNamespace range',
      'busy.fleet range',
      'busy.byModel range',
      'busy.byNamespace range',
      'capacity.byNode instant',
      'allocated.byNode instant',
      'busy.byNode instant',
      'nodeModels instant',
    ]);
    // Each expression gives, run again by hand, the number the inventory reports.
    const capacity = result.queries.find((q) => q.name === 'capacity.fleet')!;
    const again = await client.queryInstant(capacity.expr, FULL + 3600);
    expect(again.series[0].values).toEqual([8]);
  });

  it('warns and leaves capacity unknown without kube-state-metrics', async () => {
    const result = await inventory(FULL - 3 * DAY);
    expect(summary(result.fleet)).toEqual({ capacity: [NaN, NaN], allocated: [NaN, NaN], busy: [NaN, NaN] });
    expect(result.warnings[0]).toMatch(
      /^kube-state-metrics GPU series .* are missing in this range: capacity, allocated and free GPUs are unknown/
    );
  });
});

describe('fetchInventory on MIG, time-sliced and mixed-model nodes', () => {
  // At the end of the hour; tinyFleet.ts describes node-c and node-d. Fractions are MIG slices of 7.
  it('counts every group in GPU-equivalents, each shared GPU once', async () => {
    const result = await inventory(AWKWARD);
    expect(result.warnings).toEqual([]);
    // Capacity: 8 + node-c 2 + node-d (2 time-slicing replicas + 1 MIG GPU). Allocated: 3 (5 while train-2 runs) +
    // mixed-1 1 + share-1 1 + share-2 1 + mig-1 3/7 + mig-2 1/7. Busy: 2.3 (3.9) + 0.4 + GPU1 0.6 once +
    // 0.7 × 3/7 + 0.35 × 1/7.
    expect(summary(result.fleet)).toEqual({
      capacity: [13, 13],
      allocated: [r(8 + 4 / 7), r(6 + 4 / 7)],
      busy: [r(3.9 + 0.4 + 0.6 + 0.3 + 0.05), r(2.3 + 0.4 + 0.6 + 0.3 + 0.05)],
    });
    // Kubernetes numbers of node-c go to `mixed`; DCGM knows each GPU's model, so busy stays per model.
    expect(result.byModel.map((m) => ({ model: m.gpuModel, ...summary(m) }))).toEqual([
      { model: A100, capacity: [7, 7], allocated: [r(4 + 4 / 7), r(4 + 4 / 7)], busy: [2.75, 2.75] },
      { model: A10G, capacity: [NaN, NaN], allocated: [NaN, NaN], busy: [0, 0] },
      { model: H100, capacity: [4, 4], allocated: [3, 1], busy: [2.1, 0.5] },
      { model: L4, capacity: [NaN, NaN], allocated: [NaN, NaN], busy: [0.4, 0.4] },
      { model: 'mixed', capacity: [2, 2], allocated: [1, 1], busy: [NaN, NaN] },
    ]);
    // The time-sliced GPU's 0.6 is split between share-1 (team-a) and share-2 (team-b).
    expect(result.byNamespace.map((n) => ({ namespace: n.namespace, ...summary(n) }))).toEqual([
      {
        namespace: 'team-a',
        capacity: undefined,
        allocated: [r(5 + 1 / 7), r(5 + 1 / 7)],
        busy: [r(2.3 + 0.4 + 0.3 + 0.05), r(2.3 + 0.4 + 0.3 + 0.05)],
      },
      { namespace: 'team-b', capacity: undefined, allocated: [r(3 + 3 / 7), r(1 + 3 / 7)], busy: [2.2, 0.6] },
    ]);
    expect(rounded(result.nodes)).toEqual([
      { node: 'node-a', gpuModel: A100, capacityGpus: 4, allocatedGpus: 2, busyGpus: 1.8 },
      { node: 'node-b', gpuModel: H100, capacityGpus: 4, allocatedGpus: 1, busyGpus: 0.5 },
      { node: 'node-c', gpuModel: `${A10G}, ${L4}`, capacityGpus: 2, allocatedGpus: 1, busyGpus: 0.4 },
      { node: 'node-d', gpuModel: A100, capacityGpus: 3, allocatedGpus: r(2 + 4 / 7), busyGpus: 0.95 },
    ]);
  });

  it('filters by a model of a mixed node without a many-to-many join', async () => {
    const a100 = await inventory(AWKWARD, { gpuModels: [A100] });
    expect(summary(a100.fleet)).toEqual({
      capacity: [7, 7],
      allocated: [r(4 + 4 / 7), r(4 + 4 / 7)],
      busy: [2.75, 2.75],
    });
    // Kubernetes does not say which GPU of node-c a pod holds, so the L4 filter keeps the whole node.
    const l4 = await inventory(AWKWARD, { gpuModels: [L4] });
    expect(summary(l4.fleet)).toEqual({ capacity: [2, 2], allocated: [1, 1], busy: [0.4, 0.4] });
    expect(l4.nodes.map((n) => n.node)).toEqual(['node-c']);
  });

  it('gives a namespace its share of a time-sliced GPU shared with another namespace', async () => {
    const result = await inventory(AWKWARD, { namespaces: ['team-b'] });
    // share-2's half of 0.6, plus mig-1's 0.7 × 3/7.
    expect(summary(result.fleet)).toEqual({
      capacity: [13, 13],
      allocated: [r(3 + 3 / 7), r(1 + 3 / 7)],
      busy: [2.2, 0.6],
    });
  });

  it('estimates MIG GPUs from the MIG allocatable, and says so, without DCGM series per MIG instance', async () => {
    const result = await inventory(AWKWARD_NO_PROFILING);
    // node-d: 2 replicas + 3g (3/7) + 2 × 1g (2/7); the two unused slices of GPU0 are missed.
    expect(ends(result.fleet.capacityGpus)).toEqual([r(12 + 5 / 7), r(12 + 5 / 7)]);
    // GPU_UTIL / 100 without MIG instances: 0.95 × 2 + 0.6 (+ 1.00 × 2 while train-2 runs) + 0.5 + GPU1 0.7 once.
    expect(ends(result.fleet.busyGpus)).toEqual([r(4.5 + 0.5 + 0.7), r(2.5 + 0.5 + 0.7)]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Busy GPUs come from DCGM_FI_DEV_GPU_UTIL .* busy MIG GPUs are missing/),
      expect.stringMatching(/^MIG GPUs in capacity are estimated as Σ MIG instances × compute slices \/ 7/),
    ]);
    expect(result.queries.map((q) => q.name)).toContain('migSliceEstimate');
  });
});
