/**
 * fetchFleetState and `headroom fragmentation --prometheus` against a real Prometheus: a simulated fleet compared with
 * the simulator's ground truth (computed from its internal state, never from PromQL), and a hand-made fleet where
 * kube-state-metrics and DCGM disagree in each of the ways the command reports.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchFleetState, fetchFleetStates, type FleetState } from '../../src/prometheus/fleetState';
import { defaultFleetSpec, writeOpenMetricsHistory, type HistorySummary } from '../../src/simulator';
import { headroomCommand } from '../kit/cli';
import { constantSamples, toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { A100, FLEET_SPAN_SECONDS, tinyFleetSeries } from '../kit/tinyFleet';

const DAY_SECONDS = 86400;
// Half an hour before midnight UTC today: recent enough for Prometheus retention, stable while the suite runs. Not
// midnight itself: VictoriaMetrics 1.79 looks series up in a per-day index, and an instant query at exactly 00:00 UTC
// does not find a series whose first sample is at that instant (a pod that started then), although /api/v1/export
// shows the sample and a query one second later finds it (docs/scale.md).
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY_SECONDS) * DAY_SECONDS - 1800;
// Just over Prometheus' 5-minute lookback, so that every sample is the state of its own time (see fleet-inventory).
const STEP_SECONDS = 360;

async function headroomFragmentation(url: string, timeSeconds: number) {
  const { stdout } = await promisify(execFile)(
    ...headroomCommand(['fragmentation', '--prometheus', url, '--time', String(timeSeconds), '--json']),
    { cwd: join(__dirname, '../..') }
  );
  return JSON.parse(stdout);
}

describe('the simulated fleet at its last sample', () => {
  let dir: string;
  let summary: HistorySummary;
  let prometheus: RunningPrometheus;
  let state: FleetState;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-fleet-fragmentation-'));
    const file = join(dir, 'history.om');
    const spec = defaultFleetSpec({ gpuCount: 24, seed: 7 });
    summary = await writeOpenMetricsHistory(
      spec,
      { endSeconds: END_SECONDS, days: 1, stepSeconds: STEP_SECONDS },
      file
    );
    prometheus = await startPrometheus({ openMetricsFile: file });
    const client = createPrometheusClient(createFetchTransport(prometheus.url));
    state = await fetchFleetState(client, createCatalog(), summary.lastSampleSeconds);
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds each held whole GPU where DCGM shows its pod, and no disagreement', () => {
    // The state is only worth comparing when GPUs are both held and free.
    expect(summary.atEnd.allocatedGpus).toBeGreaterThan(0);
    expect(summary.atEnd.allocatedGpus).toBeLessThan(summary.allocatableWholeGpus);
    expect(state.disagreements).toEqual([]);
    expect(state.warnings).toEqual([]);
    // Every whole GPU the simulator says is held is found on the GPUs of a running pod.
    expect(state.runningPods.reduce((sum, p) => sum + p.gpuIndexes.length, 0)).toBe(summary.atEnd.allocatedGpus);
    // Nodes list their whole GPUs only; MIG nodes list their instances instead.
    expect(state.nodes.reduce((sum, n) => sum + n.gpuCount, 0)).toBe(summary.allocatableWholeGpus);
    const migInstances: Record<string, number> = {};
    for (const node of state.nodes) {
      for (const [resource, count] of Object.entries(node.migInstancesAllocatable)) {
        migInstances[resource] = (migInstances[resource] ?? 0) + count;
      }
    }
    expect(migInstances).toEqual(summary.migInstancesAllocatable);
  });

  it('reports free and fully free GPUs as the whole GPUs no pod holds', async () => {
    const json = await headroomFragmentation(prometheus.url, summary.lastSampleSeconds);
    // Whole GPUs are held entirely or not at all, so free = fully free = allocatable whole GPUs − those held by
    // running pods (the simulator's allocatedGpus counts nvidia_com_gpu slots with a holder at the last sample).
    const free = summary.allocatableWholeGpus - summary.atEnd.allocatedGpus;
    expect(json.total_free_gpu).toBeCloseTo(free, 9);
    expect(json.fully_free_gpus).toBe(free);
    expect(json.disagreements).toEqual([]);
    expect(json.placeable.length).toBeGreaterThan(0);
    expect(json.time).toBe(new Date(summary.lastSampleSeconds * 1000).toISOString().replace('.000Z', 'Z'));
  }, 60_000);

  it('lists every MIG node with its GPUs split into the instances the simulator laid out', () => {
    const migNodes = summary.nodes.filter((n) => n.mig);
    expect(migNodes.length).toBeGreaterThan(0);
    for (const truth of migNodes) {
      const node = state.nodes.find((n) => n.name === truth.name)!;
      expect(node.gpuCount).toBe(0);
      expect(node.migGpus.map((g) => g.index)).toEqual([...Array(truth.gpuCount).keys()]);
      expect(node.migGpus.every((g) => g.model === truth.modelName)).toBe(true);
      // Each GPU has the pool's layout (defaultFleet.ts: 3g.40gb, 2g.20gb, 1g.10gb, 1g.10gb).
      for (const gpu of node.migGpus) {
        expect(gpu.instances.map((i) => i.profile).sort()).toEqual(['1g.10gb', '1g.10gb', '2g.20gb', '3g.40gb']);
      }
    }
    // Free instances = allocatable − held by running pods, summed per resource over the fleet.
    const free: Record<string, number> = {};
    for (const node of state.nodes) {
      for (const [resource, count] of Object.entries(node.migInstancesFree)) {
        free[resource] = (free[resource] ?? 0) + count;
      }
    }
    const expected = Object.fromEntries(
      Object.entries(summary.migInstancesAllocatable).map(([resource, count]) => [
        resource,
        count - (summary.atEnd.allocatedMigInstances[resource] ?? 0),
      ])
    );
    expect(free).toEqual(expected);
    // DCGM agrees: instances without a pod are the free ones.
    const idle: Record<string, number> = {};
    for (const node of state.nodes) {
      for (const instance of node.migGpus.flatMap((g) => g.instances)) {
        if (instance.holders.length === 0) {
          const resource = `nvidia_com_mig_${instance.profile.replace(/\./g, '_')}`;
          idle[resource] = (idle[resource] ?? 0) + 1;
        }
      }
    }
    expect(idle).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
  });

  it('reads many instants with range queries exactly as one instant query each', async () => {
    const client = createPrometheusClient(createFetchTransport(prometheus.url));
    const times = [0, 1, 2, 3].map((k) => summary.lastSampleSeconds - (3 - k) * 3 * STEP_SECONDS);
    const many = await fetchFleetStates(client, createCatalog(), times);
    for (const [k, time] of times.entries()) {
      const one = await fetchFleetState(client, createCatalog(), time);
      expect({ ...many[k], queries: [] }).toEqual({ ...one, queries: [] });
    }
    // The last instant is the state the other tests read; earlier ones differ somewhere, or the test proves little.
    expect(many[3].nodes).toEqual(state.nodes);
    expect(new Set(many.map((s) => JSON.stringify(s.nodes))).size).toBeGreaterThan(1);
  }, 60_000);
});

describe('the tiny fleet with a MIG node and a time-sliced GPU (tests/kit/tinyFleet.ts)', () => {
  let prometheus: RunningPrometheus;
  let state: FleetState;

  beforeAll(async () => {
    const start = END_SECONDS - FLEET_SPAN_SECONDS;
    prometheus = await startPrometheus({
      openMetricsText: toOpenMetrics(tinyFleetSeries({ startSeconds: start, extraNodes: true })),
    });
    const client = createPrometheusClient(createFetchTransport(prometheus.url));
    state = await fetchFleetState(client, createCatalog(), END_SECONDS);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('shows node-d GPU 0 as three MIG instances with their pods, and the free instance per profile', () => {
    const nodeD = state.nodes.find((n) => n.name === 'node-d')!;
    expect(nodeD.migGpus).toEqual([
      {
        index: 0,
        model: A100,
        instances: [
          { profile: '3g.40gb', instanceId: 1, holders: ['team-b/mig-1'] },
          { profile: '1g.10gb', instanceId: 2, holders: ['team-a/mig-2'] },
          { profile: '1g.10gb', instanceId: 3, holders: [] },
        ],
      },
    ]);
    // Allocatable 3g: 1, 1g: 2; mig-1 holds the 3g, mig-2 one 1g.
    expect(nodeD.migInstancesFree).toEqual({ nvidia_com_mig_3g_40gb: 0, nvidia_com_mig_1g_10gb: 1 });
    // Kube offers GPU 1 as two time-slicing replicas, DCGM reports one GPU: the node falls back to kube's two
    // slots, both requested (share-1, share-2), and the mismatch is reported.
    expect(nodeD.gpusFromDcgm).toBe(false);
    expect(nodeD.gpus.map((g) => g.freeMilli)).toEqual([0, 0]);
    expect(state.disagreements).toContainEqual({
      kind: 'allocatable-mismatch',
      node: 'node-d',
      allocatableGpus: 2,
      dcgmGpus: 1,
    });
  });

  it('keeps whole-GPU nodes free of MIG entries', () => {
    const nodeA = state.nodes.find((n) => n.name === 'node-a')!;
    expect(nodeA.migGpus).toEqual([]);
    expect(nodeA.gpuHolders).toEqual({ 0: ['team-a/train-1'], 1: ['team-a/train-1'] });
    expect(nodeA.gpusFromDcgm).toBe(true);
  });
});

describe('a hand-made fleet where kube-state-metrics and DCGM disagree', () => {
  const end = END_SECONDS;
  const start = end - 3600;
  const at = (value: number) => constantSamples(value, start, end, 60);
  const gpu = (node: string, index: number, pod?: string) => ({
    gpu: String(index),
    UUID: `GPU-${node}-${index}`,
    Hostname: node,
    modelName: 'NVIDIA A100-SXM4-80GB',
    ...(pod ? { namespace: 'ml', pod, container: 'main' } : {}),
  });
  const requests = (pod: string, node: string, resource: string, value: number) => ({
    name: 'kube_pod_container_resource_requests',
    labels: { namespace: 'ml', pod, container: 'main', node, resource },
    samples: at(value),
  });
  let prometheus: RunningPrometheus;
  let state: FleetState;

  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetricsText: toOpenMetrics([
        { name: 'kube_node_status_allocatable', labels: { node: 'n1', resource: 'cpu' }, samples: at(32) },
        { name: 'kube_node_status_allocatable', labels: { node: 'n1', resource: 'nvidia_com_gpu' }, samples: at(2) },
        { name: 'kube_node_status_allocatable', labels: { node: 'n2', resource: 'cpu' }, samples: at(32) },
        // n2 offers two GPUs, but DCGM reports one.
        { name: 'kube_node_status_allocatable', labels: { node: 'n2', resource: 'nvidia_com_gpu' }, samples: at(2) },
        requests('train-a', 'n1', 'nvidia_com_gpu', 1),
        requests('train-a', 'n1', 'cpu', 4),
        // train-b holds a GPU per kube-state-metrics, but no DCGM series names it.
        requests('train-b', 'n1', 'nvidia_com_gpu', 1),
        requests('train-b', 'n1', 'cpu', 2.5),
        {
          name: 'kube_pod_status_phase',
          labels: { namespace: 'ml', pod: 'train-a', phase: 'Running' },
          samples: at(1),
        },
        {
          name: 'kube_pod_status_phase',
          labels: { namespace: 'ml', pod: 'train-b', phase: 'Running' },
          samples: at(1),
        },
        { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: gpu('n1', 0, 'train-a'), samples: at(0.8) },
        // Busy, yet no pod label: the GPU is free as far as DCGM's pod mapping knows.
        { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: gpu('n1', 1), samples: at(0.6) },
        { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: gpu('n2', 0), samples: at(0) },
      ]),
    });
    const client = createPrometheusClient(createFetchTransport(prometheus.url));
    state = await fetchFleetState(client, createCatalog(), end);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('reports the busy GPU without a pod, the pod DCGM never shows and the node whose GPU counts differ', () => {
    // Node by node, in name order.
    expect(state.disagreements).toEqual([
      { kind: 'busy-without-pod', node: 'n1', gpu: 1, uuid: 'GPU-n1-1', activityRatio: 0.6 },
      { kind: 'pod-not-in-dcgm', namespace: 'ml', pod: 'train-b', node: 'n1', requestedGpus: 1, dcgmGpus: 0 },
      { kind: 'allocatable-mismatch', node: 'n2', allocatableGpus: 2, dcgmGpus: 1 },
    ]);
  });

  it('takes GPU holders from DCGM and free CPU from allocatable minus running requests', () => {
    expect(state.nodes).toEqual([
      {
        name: 'n1',
        gpuModel: 'NVIDIA A100-SXM4-80GB',
        gpuCount: 2,
        cpuFreeMilli: 32000 - 4000 - 2500,
        gpus: [
          { index: 0, freeMilli: 0 },
          { index: 1, freeMilli: 1000 },
        ],
        migInstancesAllocatable: {},
        migInstancesFree: {},
        migGpus: [],
        gpuHolders: { 0: ['ml/train-a'] },
        gpusFromDcgm: true,
      },
      // DCGM misses a GPU here, so the node's free GPUs are allocatable − requested, both free.
      {
        name: 'n2',
        gpuModel: 'NVIDIA A100-SXM4-80GB',
        gpuCount: 2,
        cpuFreeMilli: 32000,
        gpus: [
          { index: 0, freeMilli: 1000 },
          { index: 1, freeMilli: 1000 },
        ],
        migInstancesAllocatable: {},
        migInstancesFree: {},
        migGpus: [],
        // Which GPU is held is unknown when DCGM misses one.
        gpuHolders: {},
        gpusFromDcgm: false,
      },
    ]);
    expect(state.runningPods).toEqual([
      { name: 'ml/train-a', node: 'n1', gpuIndexes: [0], cpuMilli: 4000, gpuCount: 1, gpuMilli: 1000, gpuSpec: '' },
    ]);
  });
});
