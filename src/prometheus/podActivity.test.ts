/** @jest-environment node */
import { createCatalog } from './catalog';
import { createPrometheusClient } from './client';
import { fetchPodActivity } from './podActivity';
import type { PrometheusClient, PrometheusTransport, PromSeries } from './types';

const series = (labels: Record<string, string>, values: number[]): PromSeries => ({
  labels,
  timestampsSeconds: values.map((_, i) => 1000 + 60 * i),
  values,
});
const pod = (namespace: string, name: string) => ({ namespace, pod: name, modelName: 'NVIDIA L4' });
const mig = (name: string, profile: string) => ({
  namespace: 'mig',
  pod: name,
  modelName: 'NVIDIA A100-SXM4-80GB',
  GPU_I_PROFILE: profile,
});

/**
 * Answers by what each range query computes: the shaping of the answers is under test here, the PromQL against a
 * real Prometheus in tests/integration/fleet-efficiency.test.ts.
 */
const client: PrometheusClient = {
  queryRange: async (expr) => ({
    series: expr.startsWith('count by')
      ? [
          series(pod('ml', 'job'), [1, 2, 2]),
          series(pod('web', 'job'), [1, 1, 1]),
          series(mig('a', '3g.40gb'), [2, 2, 1]),
          series(mig('b', '1c.3g.40gb'), [1, 1, 1]),
        ]
      : expr.startsWith('avg by')
        ? [
            series(pod('ml', 'job'), [50, 60, 70]),
            series(pod('web', 'job'), [5, 5, 5]),
            series(mig('a', '3g.40gb'), [5, 5, 5]),
            series(mig('b', '1c.3g.40gb'), [5, 5, 5]),
          ]
        : [],
    warnings: [],
  }),
  queryInstant: async () => ({ series: [], warnings: [] }),
  series: async () => [],
  labelNames: async () => ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'pod'],
  labelValues: async () => ['DCGM_FI_PROF_GR_ENGINE_ACTIVE'],
};

it('names pods that share a name by namespace and counts the most GPUs each held at once, MIG instances N/7', async () => {
  const result = await fetchPodActivity(client, createCatalog(), { startSeconds: 1000, endSeconds: 1120 });
  expect(result.stepSeconds).toBe(15);
  expect(result.pods.map((p) => [p.pod, p.namespace, p.gpuCount, p.gpuModel])).toEqual([
    ['ml/job', 'ml', 2, 'NVIDIA L4'],
    ['web/job', 'web', 1, 'NVIDIA L4'],
    // Two 3g instances at most: 6/7 of a GPU. A profile not named Ng.* counts as a whole GPU, with a warning.
    ['a', 'mig', 6 / 7, 'NVIDIA A100-SXM4-80GB'],
    ['b', 'mig', 1, 'NVIDIA A100-SXM4-80GB'],
  ]);
  expect(result.warnings.join(' ')).toContain('1 pod(s) hold MIG instances of a profile not named Ng.*');
});

it('reads 3,000 pods over a day in 10-minute windows: every per-pod query a window function, points at window starts', async () => {
  const day = { startSeconds: 1_748_649_600, endSeconds: 1_748_736_000 };
  const asked: Array<{ expr: string; startSeconds: number; stepSeconds?: number }> = [];
  const windowed: PrometheusClient = {
    ...client,
    queryInstant: async (expr) => ({
      // Every pod held its GPUs all day, scraped every minute: 1,441 scrapes each.
      series: expr.startsWith('count_values("headroom_samples"')
        ? [{ labels: { headroom_samples: '1441' }, timestampsSeconds: [day.endSeconds], values: [3000] }]
        : [],
      warnings: [],
    }),
    queryRange: async (expr, options) => {
      if (expr.startsWith('count(count by')) {
        // Pods with a scrape in each window, summed: every pod in every window (864,000 at 5 minutes, 432,000 at 10).
        const windows = 86_400 / options.stepSeconds!;
        return {
          series: [{ labels: {}, timestampsSeconds: [day.endSeconds], values: [3000 * windows] }],
          warnings: [],
        };
      }
      asked.push({ expr, startSeconds: options.startSeconds, stepSeconds: options.stepSeconds });
      const at = [day.endSeconds - 600, day.endSeconds];
      const answer = (values: number[]) =>
        ['job', 'ref-a', 'ref-b'].map((name) => ({ labels: pod('ml', name), timestampsSeconds: at, values }));
      // Devices by their scrapes in each window: job's two with 10 scrapes and one with 4 in the first window, one
      // with 10 in the second; two reference pods with one device of 10 scrapes in both.
      const bySamples = (name: string, samples: string, timestampsSeconds: number[], values: number[]) => ({
        labels: { ...pod('ml', name), headroom_samples: samples },
        timestampsSeconds,
        values,
      });
      return {
        series: expr.startsWith('avg by')
          ? answer([40, 60])
          : expr.startsWith('count_values by')
            ? [
                bySamples('job', '10', at, [2, 1]),
                bySamples('job', '4', [at[0]], [1]),
                bySamples('ref-a', '10', at, [1, 1]),
                bySamples('ref-b', '10', at, [1, 1]),
              ]
            : [],
        warnings: [],
      };
    },
  };
  const result = await fetchPodActivity(windowed, createCatalog(), { ...day, stepSeconds: 60 });
  expect(result.windows).toEqual({ pods: 3000, windowSeconds: 600, fineStepSeconds: 60, maxPoints: 500_000 });
  // 144 whole windows ending at the end: the first point is one window after the start.
  expect(asked.every((q) => q.stepSeconds === 600 && q.startSeconds === day.startSeconds + 600)).toBe(true);
  expect(asked.map((q) => q.expr.match(/(\w+_over_time)\(/)?.[1])).toEqual(['avg_over_time', 'count_over_time']);
  expect(asked.every((q) => q.expr.includes('[599999ms]'))).toBe(true);
  // A point covers the window before it and moves to its start. The share is the pod's best-covered device's scrapes
  // over the pods' median: job's best device has 10 scrapes (not its 4-scrape one), the median 10, so share 1 (its
  // worst device would give 4 / 10).
  const job = result.pods.find((p) => p.pod === 'job')!;
  expect(Array.from(job.timestampsSeconds)).toEqual([day.endSeconds - 1200, day.endSeconds - 600]);
  expect(Array.from(job.heldShare!)).toEqual([1, 1]);
  // The most devices in a window: 3 in the first.
  expect(job.gpuCount).toBe(3);
});

/**
 * A Prometheus whose per-pod answers the test releases in two steps, as fetchTransport reads them: the body arrives
 * (`onBodyReceived`; the store is done), then Headroom has parsed it (the answer resolves). Every other request is
 * answered at once: 3,000 pods all day, so the per-pod queries are read in windows.
 */
function pipelineStore(day: { startSeconds: number; endSeconds: number }) {
  const perPod: Array<{ query: string; receive: () => void; parse: () => void }> = [];
  const log: string[] = [];
  const inStore = { now: 0, most: 0 };
  const answer = (resultType: string, result: unknown[]) => ({
    status: 200,
    body: { status: 'success', data: { resultType, result } },
  });
  const transport: PrometheusTransport = async ({ path, params, onBodyReceived }) => {
    if (path === '/api/v1/labels') {
      return {
        status: 200,
        body: { status: 'success', data: ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'pod'] },
      };
    }
    if (path.startsWith('/api/v1/label/')) {
      const names = ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE'];
      return { status: 200, body: { status: 'success', data: names } };
    }
    const query = params.query ?? '';
    if (path === '/api/v1/query') {
      const pods = query.startsWith('count_values("headroom_samples"')
        ? [{ metric: { headroom_samples: '1441' }, value: [day.endSeconds, '3000'] }]
        : [];
      return answer('vector', pods);
    }
    if (query.startsWith('count(count by')) {
      const windows = 86_400 / Number(params.step);
      return answer('matrix', [{ metric: {}, values: [[day.endSeconds, String(3000 * windows)]] }]);
    }
    if (!/^(avg|count_values|max) by \(namespace, pod/.test(query)) {
      return answer('matrix', []);
    }
    const name = query.split(' ')[0];
    log.push(`${name} sent`);
    inStore.now++;
    inStore.most = Math.max(inStore.most, inStore.now);
    return new Promise((resolve) => {
      perPod.push({
        query: name,
        receive: () => {
          log.push(`${name} received`);
          inStore.now--;
          onBodyReceived?.();
        },
        parse: () => {
          log.push(`${name} parsed`);
          resolve(answer('matrix', []));
        },
      });
    });
  };
  return { transport, perPod, log, inStore };
}

it('sends the next per-pod query when the previous answer has arrived, while it is parsed, one at the store at a time', async () => {
  const day = { startSeconds: 1_748_649_600, endSeconds: 1_748_736_000 };
  const store = pipelineStore(day);
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const result = fetchPodActivity(createPrometheusClient(store.transport), createCatalog(), {
    ...day,
    stepSeconds: 60,
  });
  await flush();
  expect(store.log).toEqual(['avg sent']);

  store.perPod[0].receive();
  await flush();
  // The store has answered the first: the second leaves while the first is parsed.
  expect(store.log).toEqual(['avg sent', 'avg received', 'count_values sent']);

  store.perPod[1].receive();
  await flush();
  // Two answers held (one parsing, one arrived): the third waits, so at most one answer waits beyond the one parsed.
  expect(store.log).toEqual(['avg sent', 'avg received', 'count_values sent', 'count_values received']);

  store.perPod[0].parse();
  await flush();
  expect(store.log.slice(4)).toEqual(['avg parsed', 'max sent']);

  store.perPod[2].receive();
  store.perPod[1].parse();
  store.perPod[2].parse();
  await expect(result).resolves.toMatchObject({ windows: { windowSeconds: 600 } });
  expect(store.inStore.most).toBe(1);
});

it('keeps a per-pod query at the store until its answer settles when the transport cannot tell its body arrived', async () => {
  const day = { startSeconds: 1_748_649_600, endSeconds: 1_748_736_000 };
  const store = pipelineStore(day);
  const silent: PrometheusTransport = (request) => store.transport({ ...request, onBodyReceived: undefined });
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const result = fetchPodActivity(createPrometheusClient(silent), createCatalog(), { ...day, stepSeconds: 60 });
  await flush();
  store.perPod[0].receive();
  await flush();
  expect(store.log).toEqual(['avg sent', 'avg received']);
  store.perPod[0].parse();
  await flush();
  expect(store.log.slice(2)).toEqual(['avg parsed', 'count_values sent']);
  store.perPod[1].receive();
  store.perPod[1].parse();
  await flush();
  store.perPod[2].receive();
  store.perPod[2].parse();
  await expect(result).resolves.toMatchObject({ windows: { windowSeconds: 600 } });
});
