/** @jest-environment node */
import { createCatalog } from './catalog';
import { fetchPodActivity } from './podActivity';
import type { PrometheusClient, PromSeries } from './types';

const series = (labels: Record<string, string>, values: number[]): PromSeries => ({
  labels,
  timestampsSeconds: values.map((_, i) => 1000 + 60 * i),
  values,
});
const pod = (namespace: string, name: string) => ({ namespace, pod: name, modelName: 'NVIDIA L4' });

/**
 * Answers by what each range query computes: the shaping of the answers is under test here, the PromQL against a
 * real Prometheus in tests/integration/fleet-efficiency.test.ts.
 */
const client: PrometheusClient = {
  queryRange: async (expr) => ({
    series: expr.startsWith('sum by')
      ? [series(pod('ml', 'job'), [1, 2, 2]), series(pod('web', 'job'), [1, 1, 1])]
      : expr.startsWith('avg by')
        ? [series(pod('ml', 'job'), [50, 60, 70]), series(pod('web', 'job'), [5, 5, 5])]
        : [],
    warnings: [],
  }),
  queryInstant: async () => ({ series: [], warnings: [] }),
  series: async () => [],
  labelNames: async () => ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'pod'],
  labelValues: async () => ['DCGM_FI_PROF_GR_ENGINE_ACTIVE'],
};

it('names pods that share a name by namespace and counts the most GPUs each held at once', async () => {
  const result = await fetchPodActivity(client, createCatalog(), { startSeconds: 1000, endSeconds: 1120 });
  expect(result.stepSeconds).toBe(15);
  expect(result.pods.map((p) => [p.pod, p.namespace, p.gpuCount, p.gpuModel])).toEqual([
    ['ml/job', 'ml', 2, 'NVIDIA L4'],
    ['web/job', 'web', 1, 'NVIDIA L4'],
  ]);
});
