/**
 * The GPU requests the fragmentation workload is learnt from (`fetchRecentGpuRequests`) against a real Prometheus: a
 * hand-made week of pods, each chosen for one way a pod can count or not, with the requests and the MIG-only count
 * worked by hand, and the same numbers read from the single expression it replaced (every pod's CPU, GPU and MIG
 * requests), which answered a series per pod and resource.
 */
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchRecentGpuRequests } from '../../src/prometheus/fleetState';
import type { PrometheusClient } from '../../src/prometheus/types';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const HOUR = 3600;
const DAY = 86400;
const WINDOW_SECONDS = 7 * DAY;
// Half an hour before midnight UTC today (VictoriaMetrics' per-day index, see fleet-fragmentation).
const END = Math.floor(Date.now() / 1000 / DAY) * DAY - 1800;
const STEP_SECONDS = 600;

interface Request {
  namespace: string;
  pod: string;
  container: string;
  node: string;
  resource: string;
  value: number;
  fromSeconds: number;
  toSeconds: number;
}

const request = (
  pod: string,
  container: string,
  node: string,
  resource: string,
  value: number,
  fromSeconds: number,
  toSeconds: number
): Request => {
  const [namespace, name] = pod.split('/');
  return { namespace, pod: name, container, node, resource, value, fromSeconds, toSeconds };
};

// Times relative to END.
const ago = (seconds: number) => END - seconds;

const REQUESTS: Request[] = [
  // ml/train-a: pending an hour on no node, then placed on n1 for a day; container c1's CPU rose from 4 to 6 cores
  // in its last half hour. Largest per container: c1 1 GPU 6 cores, c2 1 GPU 2 cores → 2 GPUs, 8 cores.
  request('ml/train-a', 'c1', '', 'nvidia_com_gpu', 1, ago(3 * DAY), ago(3 * DAY - HOUR)),
  request('ml/train-a', 'c1', '', 'cpu', 4, ago(3 * DAY), ago(3 * DAY - HOUR)),
  request('ml/train-a', 'c2', '', 'nvidia_com_gpu', 1, ago(3 * DAY), ago(3 * DAY - HOUR)),
  request('ml/train-a', 'c2', '', 'cpu', 2, ago(3 * DAY), ago(3 * DAY - HOUR)),
  request('ml/train-a', 'c1', 'n1', 'nvidia_com_gpu', 1, ago(3 * DAY - HOUR), ago(2 * DAY)),
  request('ml/train-a', 'c1', 'n1', 'cpu', 4, ago(3 * DAY - HOUR), ago(2 * DAY + 1800)),
  request('ml/train-a', 'c1', 'n1', 'cpu', 6, ago(2 * DAY + 1800 - STEP_SECONDS), ago(2 * DAY)),
  request('ml/train-a', 'c2', 'n1', 'nvidia_com_gpu', 1, ago(3 * DAY - HOUR), ago(2 * DAY)),
  request('ml/train-a', 'c2', 'n1', 'cpu', 2, ago(3 * DAY - HOUR), ago(2 * DAY)),
  // A resource the workload does not read.
  request('ml/train-a', 'c1', 'n1', 'memory', 64e9, ago(3 * DAY - HOUR), ago(2 * DAY)),
  // ml/infer-b: running now, 1 GPU, half a core.
  request('ml/infer-b', 'main', 'n1', 'nvidia_com_gpu', 1, ago(HOUR), END),
  request('ml/infer-b', 'main', 'n1', 'cpu', 0.5, ago(HOUR), END),
  // ml/cpu-only: no GPU, no MIG: not in the workload, not MIG-only.
  request('ml/cpu-only', 'main', 'n2', 'cpu', 8, ago(2 * HOUR), END),
  // ml/mig-only: two 1g.10gb instances and a core: MIG-only.
  request('ml/mig-only', 'main', 'n3', 'nvidia_com_mig_1g_10gb', 2, ago(5 * DAY), ago(4 * DAY)),
  request('ml/mig-only', 'main', 'n3', 'cpu', 1, ago(5 * DAY), ago(4 * DAY)),
  // ml/mig-and-gpu: a GPU and a MIG instance: in the workload with its GPU and 2 cores, not MIG-only.
  request('ml/mig-and-gpu', 'main', 'n1', 'nvidia_com_gpu', 1, ago(DAY), ago(DAY - HOUR)),
  request('ml/mig-and-gpu', 'side', 'n1', 'nvidia_com_mig_3g_40gb', 1, ago(DAY), ago(DAY - HOUR)),
  request('ml/mig-and-gpu', 'main', 'n1', 'cpu', 2, ago(DAY), ago(DAY - HOUR)),
  // other/zero-gpu: a GPU request of 0 beside a MIG instance: MIG-only (no whole GPU).
  request('other/zero-gpu', 'main', 'n3', 'nvidia_com_gpu', 0, ago(2 * DAY), ago(DAY)),
  request('other/zero-gpu', 'main', 'n3', 'nvidia_com_mig_2g_20gb', 1, ago(2 * DAY), ago(DAY)),
  request('other/zero-gpu', 'main', 'n3', 'cpu', 3, ago(2 * DAY), ago(DAY)),
  // other/train-c: 8 GPUs, 64 cores, six to five days ago.
  request('other/train-c', 'main', 'n4', 'nvidia_com_gpu', 8, ago(6 * DAY), ago(5 * DAY)),
  request('other/train-c', 'main', 'n4', 'cpu', 64, ago(6 * DAY), ago(5 * DAY)),
  // other/too-old: ended an hour before the window: not counted.
  request('other/too-old', 'main', 'n4', 'nvidia_com_gpu', 4, ago(8 * DAY), ago(7 * DAY + HOUR)),
  request('other/too-old', 'main', 'n4', 'cpu', 16, ago(8 * DAY), ago(7 * DAY + HOUR)),
  request('other/old-mig', 'main', 'n3', 'nvidia_com_mig_1g_10gb', 1, ago(8 * DAY), ago(7 * DAY + HOUR)),
];

const series = (r: Request): PlainSeries => ({
  name: 'kube_pod_container_resource_requests',
  labels: { namespace: r.namespace, pod: r.pod, container: r.container, node: r.node, resource: r.resource },
  samples: constantSamples(r.value, r.fromSeconds, r.toSeconds, STEP_SECONDS),
});

const gpuPod = (cores: number, gpus: number) => ({
  cpuMilli: cores * 1000,
  gpuCount: gpus,
  gpuMilli: 1000,
  gpuSpec: '',
});

/** The single expression used before: every pod's CPU, GPU and MIG requests, one series per pod and resource. */
const FORMER_EXPR = (namespaceMatcher: string, windowSeconds: number) =>
  'sum by (namespace, pod, resource) (max by (namespace, pod, container, resource) ' +
  `(max_over_time(kube_pod_container_resource_requests{resource=~"cpu|nvidia_com_gpu|nvidia_com_mig_.+"${namespaceMatcher}}[${windowSeconds}s])))`;

/** Requests and MIG-only pods from the former expression's answer, by the rule it was read with. */
async function formerAnswer(client: PrometheusClient, namespaceMatcher: string, windowSeconds = WINDOW_SECONDS) {
  const { series: answer } = await client.queryInstant(FORMER_EXPR(namespaceMatcher, windowSeconds), END);
  const pods = new Map<string, { cpu: number; gpu: number; mig: number }>();
  for (const s of answer) {
    const key = `${s.labels.namespace}/${s.labels.pod}`;
    const pod = pods.get(key) ?? { cpu: 0, gpu: 0, mig: 0 };
    const resource = s.labels.resource;
    const kind = resource === 'cpu' ? 'cpu' : resource === 'nvidia_com_gpu' ? 'gpu' : 'mig';
    pod[kind] += s.values[0];
    pods.set(key, pod);
  }
  const sorted = [...pods.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, pod]) => pod);
  return {
    requests: sorted.filter((p) => p.gpu > 0).map((p) => gpuPod(p.cpu, p.gpu)),
    migOnlyPods: sorted.filter((p) => p.gpu === 0 && p.mig > 0).length,
  };
}

describe('the GPU requests of the workload days', () => {
  let prometheus: RunningPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetricsText: toOpenMetrics(REQUESTS.map(series)),
      lookbackDeltaSeconds: STEP_SECONDS - 1,
    });
    client = createPrometheusClient(createFetchTransport(prometheus.url));
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  const recent = (namespaces: string[] = []) =>
    fetchRecentGpuRequests(client, createCatalog(), END, WINDOW_SECONDS, undefined, namespaces);

  it('keeps the pods that asked for whole GPUs, each with its largest request per container, and counts MIG-only pods', async () => {
    const { requests, migOnlyPods, queries } = await recent();
    // In pod order: ml/infer-b, ml/mig-and-gpu, ml/train-a, other/train-c.
    expect(requests).toEqual([gpuPod(0.5, 1), gpuPod(2, 1), gpuPod(8, 2), gpuPod(64, 8)]);
    // ml/mig-only and other/zero-gpu; other/old-mig ended before the window.
    expect(migOnlyPods).toBe(2);
    expect(queries.map((q) => q.name)).toEqual(['recentGpuRequests', 'recentMigOnlyPods']);
    expect(await formerAnswer(client, '')).toEqual({ requests, migOnlyPods });
  });

  it('keeps the pods of the chosen namespaces only', async () => {
    const ml = await recent(['ml']);
    expect(ml.requests).toEqual([gpuPod(0.5, 1), gpuPod(2, 1), gpuPod(8, 2)]);
    expect(ml.migOnlyPods).toBe(1);
    expect(await formerAnswer(client, ',namespace="ml"')).toEqual({
      requests: ml.requests,
      migOnlyPods: ml.migOnlyPods,
    });
    const other = await recent(['other']);
    expect(other.requests).toEqual([gpuPod(64, 8)]);
    expect(other.migOnlyPods).toBe(1);
  });

  it('counts no MIG-only pod when none asked for MIG instances alone', async () => {
    // The last two hours: ml/infer-b and ml/cpu-only only. The count's answer is then empty.
    const { requests, migOnlyPods } = await fetchRecentGpuRequests(client, createCatalog(), END, 2 * HOUR);
    expect(requests).toEqual([gpuPod(0.5, 1)]);
    expect(migOnlyPods).toBe(0);
    expect(await formerAnswer(client, '', 2 * HOUR)).toEqual({ requests, migOnlyPods });
  });
});
