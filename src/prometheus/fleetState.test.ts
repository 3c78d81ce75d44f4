/** @jest-environment node */
import { createCatalog } from './catalog';
import { fetchFleetState, fetchFleetStates } from './fleetState';
import { FLEET_METADATA } from './testing/fleetMetadata';
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

interface Answers {
  devices: PromSeries[];
  times: PromSeries[];
  running: PromSeries[];
  allocatable?: PromSeries[];
}

const N1_ALLOCATABLE = [
  sample({ node: 'n1', resource: 'cpu' }, 16),
  sample({ node: 'n1', resource: 'nvidia_com_gpu' }, 3),
];

/** The answer to one expression, picked by what it selects. */
function answerTo(expr: string, answers: Answers): PromSeries[] {
  if (expr.startsWith('timestamp(')) {
    return answers.times;
  }
  if (expr.startsWith('DCGM_FI_PROF_GR_ENGINE_ACTIVE')) {
    return answers.devices;
  }
  if (expr.startsWith('kube_node_status_allocatable')) {
    return answers.allocatable ?? N1_ALLOCATABLE;
  }
  return expr.includes('"Running"') ? answers.running : [];
}

/**
 * Answers the metadata lookups of detectFamilies and each query by what it selects: instant queries from `answers`,
 * range queries from `rangeAnswers`. The fleet state's reading of the answers is under test, the PromQL is checked
 * against a real Prometheus in the integration tests.
 */
function fakeClient(answers: Answers, rangeAnswers: Answers = answers): PrometheusClient {
  return {
    queryInstant: async (expr) => ({ series: answerTo(expr, answers), warnings: [] }),
    queryRange: async (expr) => ({ series: answerTo(expr, rangeAnswers), warnings: [] }),
    ...FLEET_METADATA,
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

  it('lists pods in the order of their names, whatever order Prometheus answers in', async () => {
    // Prometheus does not promise an order for an instant vector; the same fleet must read the same either way.
    const answers = (order: (xs: PromSeries[]) => PromSeries[]) =>
      fakeClient({
        devices: order([sample(gpu(0, held('b')), 0.4), sample(gpu(1, held('a')), 0.4), sample(gpu(2), 0)]),
        times: order([sample(gpu(0, held('b')), T), sample(gpu(1, held('a')), T), sample(gpu(2), T)]),
        running: order([request('b', 'nvidia_com_gpu', 1), request('a', 'nvidia_com_gpu', 1)]),
      });
    const forwards = await fetchFleetState(
      answers((xs) => xs),
      createCatalog(),
      T
    );
    const backwards = await fetchFleetState(
      answers((xs) => [...xs].reverse()),
      createCatalog(),
      T
    );
    expect(forwards.runningPods.map((p) => [p.name, p.gpuIndexes])).toEqual([
      ['ml/a', [1]],
      ['ml/b', [0]],
    ]);
    expect(backwards).toEqual(forwards);
  });

  it('lists a node whose GPUs are all in MIG mode, its instances with their pods and the free ones per profile', async () => {
    // m1: one A100 split 3g.40gb (id 1, pod x) + 1g.10gb (id 2, free) + 1g.10gb (id 3, pod y); kube offers 1 + 2.
    const mig = (id: number, profile: string, pod?: string) => ({
      ...gpu(0, pod ? held(pod) : {}),
      Hostname: 'm1',
      modelName: 'NVIDIA A100-SXM4-80GB',
      GPU_I_PROFILE: profile,
      GPU_I_ID: String(id),
    });
    const devices = [mig(1, '3g.40gb', 'x'), mig(2, '1g.10gb'), mig(3, '1g.10gb', 'y')];
    const onM1 = (pod: string, resource: string, value: number) =>
      sample({ namespace: 'ml', pod, node: 'm1', resource }, value);
    const state = await fetchFleetState(
      fakeClient({
        devices: devices.map((labels) => sample(labels, 0.5)),
        times: devices.map((labels) => sample(labels, T)),
        running: [onM1('x', 'nvidia_com_mig_3g_40gb', 1), onM1('y', 'nvidia_com_mig_1g_10gb', 1), onM1('y', 'cpu', 4)],
        allocatable: [
          sample({ node: 'm1', resource: 'cpu' }, 32),
          sample({ node: 'm1', resource: 'nvidia_com_mig_3g_40gb' }, 1),
          sample({ node: 'm1', resource: 'nvidia_com_mig_1g_10gb' }, 2),
        ],
      }),
      createCatalog(),
      T
    );
    expect(state.nodes).toEqual([
      {
        name: 'm1',
        gpuModel: '',
        gpuCount: 0,
        cpuFreeMilli: 28_000,
        gpus: [],
        migInstancesAllocatable: { nvidia_com_mig_3g_40gb: 1, nvidia_com_mig_1g_10gb: 2 },
        migInstancesFree: { nvidia_com_mig_3g_40gb: 0, nvidia_com_mig_1g_10gb: 1 },
        migGpus: [
          {
            index: 0,
            model: 'NVIDIA A100-SXM4-80GB',
            instances: [
              { profile: '3g.40gb', instanceId: 1, holders: ['ml/x'] },
              { profile: '1g.10gb', instanceId: 2, holders: [] },
              { profile: '1g.10gb', instanceId: 3, holders: ['ml/y'] },
            ],
          },
        ],
        gpuHolders: {},
        gpusFromDcgm: true,
      },
    ]);
    expect(state.runningPods).toEqual([]);
  });

  it('reads several instants from range queries, each as an instant query at that time would', async () => {
    // GPU 1 is held by a at T and free at T + 60; GPU 0 and 2 are free throughout.
    const at = (labels: Record<string, string>, points: Array<[number, number]>): PromSeries => ({
      labels,
      timestampsSeconds: points.map(([t]) => t),
      values: points.map(([, v]) => v),
    });
    const running = [at({ namespace: 'ml', pod: 'a', node: 'n1', resource: 'nvidia_com_gpu' }, [[T, 1]])];
    const states = await fetchFleetStates(
      fakeClient(
        { devices: [], times: [], running: [] },
        {
          devices: [
            at(gpu(0), [
              [T, 0],
              [T + 60, 0],
            ]),
            at(gpu(1, held('a')), [[T, 0.9]]),
            at(gpu(1), [[T + 60, 0]]),
            at(gpu(2), [
              [T, 0],
              [T + 60, 0],
            ]),
          ],
          times: [
            at(gpu(0), [
              [T, T],
              [T + 60, T + 60],
            ]),
            at(gpu(1, held('a')), [[T, T]]),
            at(gpu(1), [[T + 60, T + 60]]),
            at(gpu(2), [
              [T, T],
              [T + 60, T + 60],
            ]),
          ],
          running,
          allocatable: [
            at({ node: 'n1', resource: 'cpu' }, [
              [T, 16],
              [T + 60, 16],
            ]),
            at({ node: 'n1', resource: 'nvidia_com_gpu' }, [
              [T, 3],
              [T + 60, 3],
            ]),
          ],
        }
      ),
      createCatalog(),
      [T, T + 60]
    );
    expect(states.map((s) => [s.timeSeconds, s.nodes[0].gpus.map((g) => g.freeMilli)])).toEqual([
      [T, [1000, 0, 1000]],
      [T + 60, [1000, 1000, 1000]],
    ]);
    expect(states[0].nodes[0].gpuHolders).toEqual({ 1: ['ml/a'] });
    expect(states[1].nodes[0].gpuHolders).toEqual({});
  });

  it('refuses instants that are not evenly spaced, before asking Prometheus anything', async () => {
    await expect(
      fetchFleetStates(fakeClient({ devices: [], times: [], running: [] }), createCatalog(), [T, T + 60, T + 90])
    ).rejects.toThrow('evenly spaced');
  });
});
