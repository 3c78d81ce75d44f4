import type { FamilyDetection } from '../prometheus/detect';
import { healthCheckResult } from './healthCheck';

/** A fleet with everything Headroom wants: DCGM with profiling and pod mapping, kube-state-metrics, vLLM. */
function fullDetection(): FamilyDetection {
  return {
    present: [
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      'kube_node_status_allocatable',
      'kube_pod_container_resource_requests',
      'kube_pod_status_phase',
      'vllm:num_requests_running',
    ],
    dcgm: true,
    dcgmProfiling: true,
    kubeStateMetrics: true,
    vllm: true,
    vllmKvCacheMetric: 'vllm:kv_cache_usage_perc',
    dcgmLabels: { namespace: 'exported_namespace', pod: 'exported_pod', hostname: true, gpuModel: true },
    kubeStateMetricsLabels: { namespace: 'namespace', pod: 'pod' },
    messages: [],
  };
}

describe('healthCheckResult', () => {
  it('succeeds when DCGM with profiling and kube-state-metrics are present, naming the pod labels', () => {
    const result = healthCheckResult(fullDetection());

    expect(result.status).toBe('success');
    expect(result.message).toBe(
      'Connected to Prometheus. Found: DCGM exporter (profiling fields on), kube-state-metrics GPU allocatable and ' +
        'requests, vLLM (optional). Pod label: kube-state-metrics uses "pod", DCGM uses "exported_pod".'
    );
    expect(result.details?.message).toBeUndefined();
    expect(result.details?.verboseMessage).toContain(
      'Metrics found: DCGM_FI_DEV_GPU_UTIL, DCGM_FI_PROF_GR_ENGINE_ACTIVE'
    );
    expect(result.details?.verboseMessage).toContain('DCGM labels: namespace "exported_namespace", pod "exported_pod"');
  });

  it('still succeeds without vLLM, which only inference fleets have', () => {
    const result = healthCheckResult({ ...fullDetection(), vllm: false, messages: ['No vLLM metrics: ...'] });

    expect(result.status).toBe('success');
    expect(result.message).toContain('Missing: vLLM (optional).');
  });

  it('warns when kube-state-metrics GPU requests are missing, and passes on why that matters', () => {
    const why =
      'kube-state-metrics series missing (kube_pod_container_resource_requests): GPU capacity, allocation ...';
    const result = healthCheckResult({
      ...fullDetection(),
      present: ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'kube_node_status_allocatable'],
      kubeStateMetrics: false,
      kubeStateMetricsLabels: {},
      messages: [why],
    });

    expect(result.status).toBe('warning');
    expect(result.message).toContain('Missing: kube-state-metrics GPU allocatable and requests.');
    expect(result.message).toContain('Pod label: DCGM uses "exported_pod".');
    expect(result.details?.message).toBe(why);
  });

  it('warns when profiling fields are off', () => {
    const result = healthCheckResult({ ...fullDetection(), dcgmProfiling: false, messages: ['a', 'b'] });

    expect(result.status).toBe('warning');
    expect(result.message).toContain('DCGM exporter (profiling fields off)');
    expect(result.details?.message).toBe('a\nb');
  });

  it('warns when DCGM series lack the model label', () => {
    const detection = fullDetection();
    const result = healthCheckResult({ ...detection, dcgmLabels: { ...detection.dcgmLabels, gpuModel: false } });

    expect(result.status).toBe('warning');
  });

  it('fails when neither DCGM nor kube-state-metrics is there, and says how to map renamed metrics', () => {
    const result = healthCheckResult({
      present: [],
      dcgm: false,
      dcgmProfiling: false,
      kubeStateMetrics: false,
      vllm: false,
      dcgmLabels: { hostname: false, gpuModel: false },
      kubeStateMetricsLabels: {},
      messages: ['No DCGM exporter metrics ...', 'kube-state-metrics series missing ...'],
    });

    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'No GPU metrics Headroom can use in the last 6 hours. Missing: DCGM exporter, kube-state-metrics GPU ' +
        'allocatable and requests, vLLM (optional).'
    );
    expect(result.details?.verboseMessage).toContain('map them under "Metric names"');
  });
});
