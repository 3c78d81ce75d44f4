/**
 * The simulator's spot node pool through a real Prometheus: Headroom's spot query (fetchSpotChurn) finds exactly the
 * pool's nodes and, as the simulator keeps them all along, no interruption. Without `spot` it finds none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchSpotChurn } from '../../src/prometheus/spotChurn';
import { defaultFleetSpec, writeOpenMetricsHistory, type HistorySummary } from '../../src/simulator';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const H = 3600;
const fleet = defaultFleetSpec({ gpuCount: 16, seed: 1 });
const [spotPool, ...onDemand] = fleet.nodePools;
const dir = mkdtempSync(path.join(tmpdir(), 'headroom-sim-spot-'));
let prometheus: RunningPrometheus;
let summary: HistorySummary;

beforeAll(async () => {
  const file = path.join(dir, 'history.om');
  summary = await writeOpenMetricsHistory(
    { ...fleet, nodePools: [{ ...spotPool, spot: true }, ...onDemand] },
    {
      endSeconds: 1_748_736_000,
      days: 2,
      stepSeconds: H,
      families: ['kube_node_labels', 'kube_node_status_allocatable'],
    },
    file
  );
  prometheus = await startPrometheus({ openMetricsFile: file });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("finds the spot pool's nodes, each with its GPUs, and no interruption", async () => {
  const client = createPrometheusClient(createFetchTransport(prometheus.url));
  const window = { startSeconds: summary.firstSampleSeconds, endSeconds: summary.lastSampleSeconds, stepSeconds: H };
  const churn = await fetchSpotChurn(client, createCatalog(), window);
  // Nodes are named <prefix>-01, -02, … (fleetSpec.ts), each present over the whole window.
  const names = Array.from(
    { length: spotPool.nodeCount },
    (_, i) => `${spotPool.namePrefix}-${String(i + 1).padStart(2, '0')}`
  );
  expect(churn.nodes.map((n) => [n.node, n.gpus]).sort()).toEqual(names.map((name) => [name, spotPool.gpusPerNode]));
  expect(churn.interruptedNodes).toEqual([]);
  expect(churn.sharePerDay).toBe(0);
  const days = (window.endSeconds - window.startSeconds) / 86_400;
  expect(churn.spotGpuDays).toBeCloseTo(spotPool.nodeCount * spotPool.gpusPerNode * days, 9);
}, 60_000);
