/** @jest-environment node */
import { createCatalog } from './catalog';
import { fetchFleetState } from './fleetState';
import type { PrometheusClient, PromSeries } from './types';

const T = 1_700_000_000;
const gpu = (index: number, extra: Record<string, string> = {}) => ({
  gpu: String(index),
  UUID: `GPU-${index}`,
  Hostname: 'n1',
  modelName: 'NVIDIA H100',
  ...extra,
});
const held = (pod: string) => ({ namespace: 'ml', pod, container: 'main' });
const sample = (labels: Record<string, string>, value: number): PromSeries => ({
  labels,
  timestampsSeconds: [T],
  values: [value],
});

/**
 * Answers the metadata lookups of detectFamilies and each instant query by what it selects: the fleet state's
 * reading of the answers is under test, the PromQL is checked against a real Prometheus in the integration tests.
 */
function fakeClient(answers: { devices: PromSeries[]; times: PromSeries[]; running: PromSeries[] }): PrometheusClient {
  const instant = (expr: string): PromSeries[] => {
    if (expr.startsWith('timestamp(')) {
      return answers.times;
    }
    if (expr.startsWith('DCGM_FI_PROF_GR_ENGINE_ACTIVE')) {
      return answers.devices;
    }
    if (expr.startsWith('kube_node_status_allocatable')) {
      return [sample({ node: 'n1', resource: 'cpu' }, 16), sample({ node: 'n1', resource: 'nvidia_com_gpu' }, 3)];
    }
    return expr.includes('"Running"') ? answers.running : [];
  };
  return {
    queryInstant: async (expr) => ({ series: instant(expr), warnings: [] }),
    queryRange: async () => ({ series: [], warnings: [] }),
    series: async () => [],
    labelNames: async () => ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'node', 'pod', 'resource'],
    labelValues: async () => [
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      'kube_node_status_allocatable',
      'kube_pod_container_resource_requests',
      'kube_pod_status_phase',
    ],
  };
}

const request = (pod: string, resource: string, value: number) =>
  sample({ namespace: 'ml', pod, node: 'n1', resource }, value);

describe('fetchFleetState', () => {
  it("takes a GPU's state from its newest series: a pod that just left no longer holds it", async () => {
    // Without staleness markers GPU 0 shows both the pod that left at T − 60 and its free series since.
    const state = await fetchFleetState(
      fakeClient({
        devices: [
          sample(gpu(0, held('gone')), 0.9),
          sample(gpu(0), 0),
          sample(gpu(1, held('a')), 0.7),
          sample(gpu(2), 0),
        ],
        times: [
          sample(gpu(0, held('gone')), T - 60),
          sample(gpu(0), T),
          sample(gpu(1, held('a')), T),
          sample(gpu(2), T),
        ],
        running: [request('a', 'nvidia_com_gpu', 1), request('a', 'cpu', 2)],
      }),
      createCatalog(),
      T
    );
    expect(state.nodes[0].gpus).toEqual([
      { index: 0, freeMilli: 1000 },
      { index: 1, freeMilli: 0 },
      { index: 2, freeMilli: 1000 },
    ]);
    expect(state.nodes[0].cpuFreeMilli).toBe(14_000);
    expect(state.disagreements).toEqual([]);
  });

  it('lets time-sliced pods share a GPU, each placed on it', async () => {
    const state = await fetchFleetState(
      fakeClient({
        devices: [sample(gpu(0, held('a')), 0.4), sample(gpu(0, held('b')), 0.4), sample(gpu(1), 0), sample(gpu(2), 0)],
        times: [sample(gpu(0, held('a')), T), sample(gpu(0, held('b')), T), sample(gpu(1), T), sample(gpu(2), T)],
        running: [request('a', 'nvidia_com_gpu', 1), request('b', 'nvidia_com_gpu', 1)],
      }),
      createCatalog(),
      T
    );
    expect(state.nodes[0].gpus.map((g) => g.freeMilli)).toEqual([0, 1000, 1000]);
    expect(state.runningPods.map((p) => [p.name, p.gpuIndexes])).toEqual([
      ['ml/a', [0]],
      ['ml/b', [0]],
    ]);
  });
});
