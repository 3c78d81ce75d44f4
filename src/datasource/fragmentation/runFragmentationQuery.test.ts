import { createCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { PrometheusUnreachableError } from '../../prometheus/errors';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { FleetDataError, type FleetState } from '../../prometheus/fleetState';
import type { PrometheusClient, PromSeries } from '../../prometheus/types';
import { runFragmentation } from './fragmentationRunner';
import { runFragmentationQuery } from './runFragmentationQuery';

const END = Date.UTC(2025, 5, 2, 12) / 1000;
const KSM = ['kube_node_status_allocatable', 'kube_pod_container_resource_requests', 'kube_pod_status_phase'];

/** A Prometheus holding the metric names `names`, whose instant queries answer with `instant(expr)`. */
function fakeClient(names: string[], instant: (expr: string) => PromSeries[] = () => []): PrometheusClient {
  return {
    queryRange: async () => ({ series: [], warnings: [] }),
    queryInstant: async (expr) => ({ series: instant(expr), warnings: [] }),
    series: async () => [],
    labelNames: async () => ['node', 'namespace', 'pod', 'resource'],
    labelValues: async (label) => (label === '__name__' ? names : []),
  };
}

const context = (client: PrometheusClient) => ({
  client,
  catalog: createCatalog(),
  filters: {},
  fromMs: (END - 12 * 3600) * 1000,
  toMs: END * 1000,
});

const summaryQuery = { refId: 'A', queryType: 'fragmentation' as const, fragmentationView: 'summary' as const };

describe('runFragmentationQuery when data is missing', () => {
  it('says kube-state-metrics has no GPU node, with the selector and what to check', async () => {
    const run = runFragmentationQuery(summaryQuery, context(fakeClient([])));
    await expect(run).rejects.toThrow(
      /^No GPU node in kube-state-metrics between 2025-06-01T12:00:00.000Z and 2025-06-02T12:00:00.000Z: kube_node_status_allocatable\{resource=~.*\} has no sample\. Check that kube-state-metrics is scraped/
    );
  });

  it('says the fleet state needs DCGM when only kube-state-metrics is scraped', async () => {
    // kube-state-metrics has a GPU node at the end of the range; no DCGM metric exists.
    const client = fakeClient(KSM, (expr) =>
      expr.startsWith('max(timestamp(') ? [{ labels: {}, timestampsSeconds: [END], values: [END] }] : []
    );
    const run = runFragmentationQuery(summaryQuery, context(client));
    await expect(run).rejects.toBeInstanceOf(FleetDataError);
    await expect(runFragmentationQuery(summaryQuery, context(client))).rejects.toThrow(
      /needs kube-state-metrics and a DCGM activity metric in the hour before it\. No DCGM exporter metrics/
    );
  });

  it('says Prometheus cannot be reached, and where', async () => {
    // Port 1 on loopback refuses connections.
    const client = createPrometheusClient(createFetchTransport('http://127.0.0.1:1'));
    const run = runFragmentationQuery(summaryQuery, context(client));
    await expect(run).rejects.toBeInstanceOf(PrometheusUnreachableError);
    await expect(runFragmentationQuery(summaryQuery, context(client))).rejects.toThrow(
      /Cannot reach Prometheus at http:\/\/127\.0\.0\.1:1 .*Check the data source URL/
    );
  });
});

describe('runFragmentation without a Worker (jsdom)', () => {
  // One node of 4 GPUs: two free, one half free, one held.
  const state: FleetState = {
    timeSeconds: END,
    nodes: [
      {
        name: 'n1',
        gpuModel: 'T4',
        gpuCount: 4,
        cpuFreeMilli: 8000,
        gpus: [1000, 1000, 500, 0].map((freeMilli, index) => ({ index, freeMilli })),
        migInstancesAllocatable: {},
        migInstancesFree: {},
        migGpus: [],
        gpuHolders: { 2: ['ml/a'], 3: ['ml/b'] },
        gpusFromDcgm: true,
      },
    ],
    runningPods: [],
    pendingPods: [],
    disagreements: [],
    warnings: [],
    queries: [],
  };

  it('analyses in place and answers the kind it was asked', async () => {
    const { summary } = await runFragmentation({ kind: 'summary', state });
    // 1 + 1 + 0.5 free GPUs, two of them whole: a 2-GPU gang fits on n1.
    expect(summary.freeGpus).toBe(2.5);
    expect(summary.fullyFreeGpus).toBe(2);
    expect(summary.largestWholeGpuGangOnOneNode).toBe(2);
    // No workload learnt: FGD is not measured.
    expect(summary.fragmentedGpus).toBeUndefined();
  });

  it('measures FGD at every instant in one task', async () => {
    // Workload: one whole GPU. The half-free GPU is all it cannot use: 0.5 of 2.5 free GPUs.
    const workload = [{ id: 'm1', cpuMilli: 1000, gpuCount: 1, gpuMilli: 1000, gpuSpec: '', popularity: 1 }];
    const { points } = await runFragmentation({ kind: 'overTime', states: [state, state], workload });
    expect(points.map((p) => [p.fragmentedGpus, p.fragmentedShareOfFree])).toEqual([
      [0.5, 0.2],
      [0.5, 0.2],
    ]);
  });
});
