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
import { fetchFleetState, type FleetState } from '../../src/prometheus/fleetState';
import { defaultFleetSpec, writeOpenMetricsHistory, type HistorySummary } from '../../src/simulator';
import { constantSamples, toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY_SECONDS = 86400;
// Midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY_SECONDS) * DAY_SECONDS;
// Just over Prometheus' 5-minute lookback, so that every sample is the state of its own time (see fleet-inventory).
const STEP_SECONDS = 360;

async function headroomFragmentation(url: string, timeSeconds: number) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'fragmentation',
      '--prometheus',
      url,
      '--time',
      String(timeSeconds),
      '--json',
    ],
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
      },
    ]);
    expect(state.runningPods).toEqual([
      { name: 'ml/train-a', node: 'n1', gpuIndexes: [0], cpuMilli: 4000, gpuCount: 1, gpuMilli: 1000, gpuSpec: '' },
    ]);
  });
});
