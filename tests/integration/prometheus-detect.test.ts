/**
 * Family detection against a real Prometheus holding three variants of the tiny fleet, one per day.
 */
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { detectFamilies, detectGpuRequestLabels } from '../../src/prometheus/detect';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import type { PrometheusClient } from '../../src/prometheus/types';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { tinyFleetSeries } from '../kit/tinyFleet';

const DAY = 86400;
const FULL = 1_700_006_400;
const DEGRADED = FULL + DAY;
const NO_DCGM = FULL + 2 * DAY;
const hour = (startSeconds: number) => ({ startSeconds, endSeconds: startSeconds + 3600 });

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      ...tinyFleetSeries({ startSeconds: FULL }),
      ...tinyFleetSeries({
        startSeconds: DEGRADED,
        profiling: false,
        relabelled: true,
        vllmKvCacheMetric: 'vllm:gpu_cache_usage_perc',
      }),
      ...tinyFleetSeries({ startSeconds: NO_DCGM, dcgm: false, vllmKvCacheMetric: null }),
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

describe('detectFamilies', () => {
  it('finds every family and the plain workload labels in a complete fleet', async () => {
    const detection = await detectFamilies(client, hour(FULL), createCatalog());
    expect(detection).toMatchObject({
      dcgm: true,
      dcgmProfiling: true,
      kubeStateMetrics: true,
      vllm: true,
      vllmKvCacheMetric: 'vllm:kv_cache_usage_perc',
      dcgmLabels: { namespace: 'namespace', pod: 'pod', hostname: true, gpuModel: true },
      kubeStateMetricsLabels: { namespace: 'namespace', pod: 'pod' },
      messages: [],
    });
    expect(detection.present.sort()).toEqual(
      [
        'DCGM_FI_DEV_GPU_UTIL',
        'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
        'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
        'kube_node_status_allocatable',
        'kube_pod_container_resource_requests',
        'kube_pod_status_phase',
        'vllm:kv_cache_usage_perc',
        'vllm:num_requests_running',
      ].sort()
    );
  });

  it('notices profiling fields off, exported_* workload labels and the older vLLM gauge', async () => {
    const detection = await detectFamilies(client, hour(DEGRADED), createCatalog());
    expect(detection).toMatchObject({
      dcgm: true,
      dcgmProfiling: false,
      vllmKvCacheMetric: 'vllm:gpu_cache_usage_perc',
      dcgmLabels: { namespace: 'exported_namespace', pod: 'exported_pod' },
      kubeStateMetricsLabels: { namespace: 'exported_namespace', pod: 'exported_pod' },
    });
    expect(detection.messages).toEqual([
      'DCGM profiling fields are off: utilisation falls back to DCGM_FI_DEV_GPU_UTIL, which counts any kernel as ' +
        "busy; MFU estimates unavailable. Enable them in dcgm-exporter's counters CSV.",
      'vLLM exposes the older vllm:gpu_cache_usage_perc instead of vllm:kv_cache_usage_perc; it is used for KV-cache usage.',
    ]);
  });

  it('says what is lost without DCGM and vLLM', async () => {
    const detection = await detectFamilies(client, hour(NO_DCGM), createCatalog());
    expect(detection).toMatchObject({ dcgm: false, dcgmProfiling: false, kubeStateMetrics: true, vllm: false });
    expect(detection.messages).toHaveLength(2);
    expect(detection.messages[0]).toMatch(
      /^No DCGM exporter metrics .* busy GPUs, utilisation, idle-GPU waste and MFU are unavailable/
    );
    expect(detection.messages[1]).toMatch(
      /^No vLLM metrics: tokens\/s, queue depth and KV-cache forecasts are unavailable/
    );
  });

  it('says what is lost without kube-state-metrics', async () => {
    const before = { startSeconds: FULL - 3 * DAY, endSeconds: FULL - 2 * DAY };
    const detection = await detectFamilies(client, before, createCatalog());
    expect(detection.kubeStateMetrics).toBe(false);
    expect(
      detection.messages.some((m) =>
        /^kube-state-metrics series missing \(kube_node_status_allocatable, .*GPU capacity, allocation/.test(m)
      )
    ).toBe(true);
  });

  it('looks for overridden names', async () => {
    const detection = await detectFamilies(
      client,
      hour(FULL),
      createCatalog({ DCGM_FI_PROF_GR_ENGINE_ACTIVE: 'recorded:gr_engine_active' })
    );
    expect(detection.dcgmProfiling).toBe(false);
    expect(detection.messages[0]).toMatch(/^DCGM profiling fields are off/);
    const renamedPhase = await detectFamilies(
      client,
      hour(FULL),
      createCatalog({ kube_pod_status_phase: 'no_such_phase' })
    );
    expect(renamedPhase.kubeStateMetrics).toBe(false);
    expect(renamedPhase.messages[0]).toMatch(/^kube-state-metrics series missing \(no_such_phase\)/);
  });
});

describe('detectGpuRequestLabels', () => {
  it('finds the labels kube-state-metrics names pods by, plain or exported_*, and none before its series', async () => {
    const catalog = createCatalog();
    expect(await detectGpuRequestLabels(client, hour(FULL), catalog)).toEqual({ namespace: 'namespace', pod: 'pod' });
    expect(await detectGpuRequestLabels(client, hour(DEGRADED), catalog)).toEqual({
      namespace: 'exported_namespace',
      pod: 'exported_pod',
    });
    const before = { startSeconds: FULL - 3 * DAY, endSeconds: FULL - 2 * DAY };
    expect(await detectGpuRequestLabels(client, before, catalog)).toEqual({ namespace: undefined, pod: undefined });
  });
});
