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
import { A100, H100, tinyFleetSeries } from '../kit/tinyFleet';

const DAY = 86400;
const FULL = 1_700_006_400;
const DEGRADED = FULL + DAY;
const NO_DCGM = FULL + 2 * DAY;

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      ...tinyFleetSeries({ startSeconds: FULL }),
      ...tinyFleetSeries({ startSeconds: DEGRADED, profiling: false, relabelled: true }),
      ...tinyFleetSeries({ startSeconds: NO_DCGM, dcgm: false }),
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

const inventory = (startSeconds: number, filters?: FleetFilters) =>
  fetchInventory(client, createCatalog(), { startSeconds, endSeconds: startSeconds + 3600, stepSeconds: 60, filters });

/** [first, last] of a series, rounded to hide floating-point sums. */
const ends = (values: number[]) => [values[0], values[values.length - 1]].map((v) => Math.round(v * 1e9) / 1e9);

type Group = { capacityGpus?: number[]; allocatedGpus: number[]; busyGpus: number[] };
const summary = (group: Group) => ({
  capacity: group.capacityGpus && ends(group.capacityGpus),
  allocated: ends(group.allocatedGpus),
  busy: ends(group.busyGpus),
});
const rounded = (rows: InventoryResult['nodes']) =>
  rows.map((r) => ({ ...r, busyGpus: Math.round(r.busyGpus * 1e9) / 1e9 }));

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

  it('warns and leaves capacity unknown without kube-state-metrics', async () => {
    const result = await inventory(FULL - 3 * DAY);
    expect(summary(result.fleet)).toEqual({ capacity: [NaN, NaN], allocated: [NaN, NaN], busy: [NaN, NaN] });
    expect(result.warnings[0]).toMatch(
      /^kube-state-metrics GPU series .* are missing in this range: capacity, allocated and free GPUs are unknown/
    );
  });
});
