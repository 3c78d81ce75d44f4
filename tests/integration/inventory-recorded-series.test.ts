/**
 * fetchInventory reads the recording rules' series (rules/headroom-recording.yml) when the Prometheus holds them, and
 * the raw series otherwise. The recorded series here carry values the tiny fleet cannot produce (1000 GPUs), so the
 * answer shows which series were read; the raw numbers (8 GPUs of capacity) are the tiny fleet's, by hand in
 * prometheus-inventory.test.ts.
 */
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchInventory } from '../../src/prometheus/inventory';
import { INVENTORY_RECORDS } from '../../src/prometheus/inventoryRecords';
import type { FleetFilters, PrometheusClient } from '../../src/prometheus/types';
import { constantSamples, toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { A100, tinyFleetSeries } from '../kit/tinyFleet';

// Half an hour past midnight UTC: VictoriaMetrics does not find a series whose first sample is at midnight itself
// (docs/scale.md, per-day index), and this file runs on both stores.
const RAW_ONLY = 1_700_006_400 + 1800;
const RECORDED = RAW_ONLY + 86_400;
const NO_FRAMEBUFFER = RAW_ONLY + 2 * 86_400;
/** A window whose rule file also records the fleet's allocated GPUs. */
const ALLOCATED_RECORDED = RAW_ONLY + 3 * 86_400;
/** Two clusters' fleet records read together (a global view), each cluster's rules labelled apart. */
const TWO_CLUSTERS_RECORDED = RAW_ONLY + 4 * 86_400;

let prometheus: RunningPrometheus;
let client: PrometheusClient;

const recorded = (name: string, value: number, labels?: Record<string, string>, startSeconds = RECORDED) => ({
  name,
  labels,
  samples: constantSamples(value, startSeconds, startSeconds + 3600, 60),
});

/**
 * The rules record the expressions of a Prometheus with every exporter (rules/headroom-recording.yml); the tiny fleet
 * has no framebuffer field, so it gets one beside each activity series, as dcgm-exporter's default fields would.
 */
function fleetWithFramebuffer(startSeconds: number) {
  const series = tinyFleetSeries({ startSeconds });
  const activity = series.filter((s) => s.name === 'DCGM_FI_PROF_GR_ENGINE_ACTIVE');
  return [...series, ...activity.map((s) => ({ ...s, name: 'DCGM_FI_DEV_FB_USED' }))];
}

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      ...fleetWithFramebuffer(RAW_ONLY),
      ...fleetWithFramebuffer(RECORDED),
      // Another exporter set builds other expressions: this window's queries must not read the records below.
      ...tinyFleetSeries({ startSeconds: NO_FRAMEBUFFER }),
      recorded(INVENTORY_RECORDS.fleetCapacity, 1000, undefined, NO_FRAMEBUFFER),
      recorded(INVENTORY_RECORDS.fleetCapacity, 1000),
      recorded(INVENTORY_RECORDS.modelCapacity, 600, { modelName: A100 }),
      recorded(INVENTORY_RECORDS.fleetBusy, 700),
      ...fleetWithFramebuffer(ALLOCATED_RECORDED),
      recorded(INVENTORY_RECORDS.fleetCapacity, 1000, undefined, ALLOCATED_RECORDED),
      recorded(INVENTORY_RECORDS.fleetAllocated, 900, undefined, ALLOCATED_RECORDED),
      recorded(INVENTORY_RECORDS.nodeCapacity, 500, { node: 'node-a' }, ALLOCATED_RECORDED),
      recorded(INVENTORY_RECORDS.nodeCapacity, 300, { node: 'node-b' }, ALLOCATED_RECORDED),
      ...fleetWithFramebuffer(TWO_CLUSTERS_RECORDED),
      recorded(INVENTORY_RECORDS.fleetCapacity, 1000, { cluster: 'a' }, TWO_CLUSTERS_RECORDED),
      recorded(INVENTORY_RECORDS.fleetCapacity, 500, { cluster: 'b' }, TWO_CLUSTERS_RECORDED),
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

const inventory = (startSeconds: number, filters?: FleetFilters) =>
  fetchInventory(client, createCatalog(), { startSeconds, endSeconds: startSeconds + 3600, stepSeconds: 60, filters });
const last = (values: number[] | undefined) => values?.[values.length - 1];

describe('fetchInventory and the recorded series', () => {
  it('reads the recorded fleet and per-model sums when they are in the range, and says so in the executed PromQL', async () => {
    const result = await inventory(RECORDED);
    expect(last(result.fleet.capacityGpus)).toBe(1000);
    expect(last(result.fleet.busyGpus)).toBe(700);
    expect(last(result.byModel.find((m) => m.gpuModel === A100)?.capacityGpus)).toBe(600);
    expect(result.queries.find((q) => q.name === 'capacity.fleet')?.expr).toBe(INVENTORY_RECORDS.fleetCapacity);
    // Per-node rows are instant queries of the raw series: node-a and node-b have 4 GPUs each.
    expect(result.nodes.map((n) => n.capacityGpus)).toEqual([4, 4]);
    // No allocated record here: the raw series, train-1 (2 GPUs) and infer-1 (1) at the end; train-2 has Succeeded.
    expect(last(result.fleet.allocatedGpus)).toBe(3);
    expect(result.queries.find((q) => q.name === 'allocated.fleet')?.expr).not.toBe(INVENTORY_RECORDS.fleetAllocated);
  });

  it('reads each record the Prometheus holds and the raw series for the others', async () => {
    const result = await inventory(ALLOCATED_RECORDED);
    expect(last(result.fleet.capacityGpus)).toBe(1000);
    expect(last(result.fleet.allocatedGpus)).toBe(900);
    expect(result.queries.find((q) => q.name === 'allocated.fleet')?.expr).toBe(INVENTORY_RECORDS.fleetAllocated);
    // No busy record in this window: the raw activity at the end, train-1 2 × 0.9 + infer-1 0.5 (train-2 is idle).
    expect(result.queries.find((q) => q.name === 'busy.fleet')?.expr).not.toBe(INVENTORY_RECORDS.fleetBusy);
    expect(last(result.fleet.busyGpus)).toBeCloseTo(2.3, 9);
    // The rows per node: capacity recorded, busy GPUs raw (node-a's train-1 2 × 0.9).
    expect(result.queries.find((q) => q.name === 'capacity.byNode')?.expr).toBe(INVENTORY_RECORDS.nodeCapacity);
    expect(result.nodes.map((n) => [n.node, n.capacityGpus])).toEqual([
      ['node-a', 500],
      ['node-b', 300],
    ]);
    expect(result.queries.find((q) => q.name === 'busy.byNode')?.expr).not.toBe(INVENTORY_RECORDS.nodeBusy);
    expect(result.nodes.find((n) => n.node === 'node-a')?.busyGpus).toBeCloseTo(1.8, 9);
  });

  it('falls back to the raw series where no recorded series is in the range', async () => {
    const result = await inventory(RAW_ONLY);
    expect(last(result.fleet.capacityGpus)).toBe(8);
    expect(result.queries.find((q) => q.name === 'capacity.fleet')?.expr).not.toBe(INVENTORY_RECORDS.fleetCapacity);
  });

  it('reads the raw series when the recorded series begin after the range does (rules installed recently)', async () => {
    const result = await inventory(RECORDED - 1800);
    expect(last(result.fleet.capacityGpus)).toBe(8);
  });

  it('reads the raw series when the exporters differ from the ones the rules were written for', async () => {
    const result = await inventory(NO_FRAMEBUFFER);
    expect(last(result.fleet.capacityGpus)).toBe(8);
  });

  it('reads the raw series for a filtered view, which no record holds', async () => {
    const result = await inventory(RECORDED, { nodes: ['node-a'] });
    expect(last(result.fleet.capacityGpus)).toBe(4);
  });

  it('reads the raw series when a fleet-wide record is several series (two clusters read together)', async () => {
    const result = await inventory(TWO_CLUSTERS_RECORDED);
    // The tiny fleet's own 8 GPUs, not 1000 or 500 or their sum.
    expect(last(result.fleet.capacityGpus)).toBe(8);
    expect(result.queries.find((q) => q.name === 'capacity.fleet')?.expr).not.toBe(INVENTORY_RECORDS.fleetCapacity);
  });
});
