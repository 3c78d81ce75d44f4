/** @jest-environment node */
import { createCatalog } from './catalog';
import type { FamilyDetection } from './detect';
import { buildInventoryQueries } from './inventoryQueries';
import { FORECAST_TARGETS, forecastTarget, targetExpr, TargetUnavailableError, UNIT_RANGES } from './targets';

const catalog = createCatalog();

/** A fleet with DCGM but no profiling fields, an old vLLM and no kube-state-metrics. */
const sparse: FamilyDetection = {
  present: ['DCGM_FI_DEV_GPU_UTIL', 'vllm:gpu_cache_usage_perc', 'vllm:generation_tokens_total'],
  dcgm: true,
  dcgmProfiling: false,
  kubeStateMetrics: false,
  vllm: true,
  vllmKvCacheMetric: 'vllm:gpu_cache_usage_perc',
  dcgmLabels: { hostname: true, gpuModel: true },
  kubeStateMetricsLabels: {},
  messages: [],
};

describe('forecast targets', () => {
  it('lists every target once with a unit and an aggregation', () => {
    expect(FORECAST_TARGETS.map((t) => t.id)).toEqual([
      'gpus_allocated',
      'gpus_busy',
      'gpu_utilisation',
      'tokens_per_second',
      'queue_depth',
      'kv_cache_usage',
      'gpu_capacity',
    ]);
    expect(forecastTarget('gpu_capacity')).toMatchObject({ unit: 'GPUs', aggregation: 'last' });
    expect(() => forecastTarget('gpus')).toThrow(/Unknown forecast target "gpus"; choose one of gpus_allocated,/);
  });

  it('gives every target the range of its quantity: counts and rates from 0, ratios within [0, 1]', () => {
    expect(Object.fromEntries(FORECAST_TARGETS.map((t) => [t.id, UNIT_RANGES[t.unit]]))).toEqual({
      gpus_allocated: { min: 0 },
      gpus_busy: { min: 0 },
      gpu_utilisation: { min: 0, max: 1 },
      tokens_per_second: { min: 0 },
      queue_depth: { min: 0 },
      kv_cache_usage: { min: 0, max: 1 },
      gpu_capacity: { min: 0 },
    });
  });

  it('writes the vLLM targets as docs/architecture.md names them', () => {
    expect(targetExpr('tokens_per_second', catalog)).toBe('sum(rate(vllm:generation_tokens_total{}[5m]))');
    // An hourly forecast averages the whole hour.
    expect(targetExpr('tokens_per_second', catalog, undefined, {}, { rateWindowSeconds: 3600 })).toBe(
      'sum(rate(vllm:generation_tokens_total{}[1h]))'
    );
    expect(targetExpr('tokens_per_second', catalog, undefined, {}, { rateWindowSeconds: 90 })).toMatch(/\[90s\]/);
    expect(targetExpr('queue_depth', catalog)).toBe('sum(vllm:num_requests_waiting{})');
    expect(targetExpr('kv_cache_usage', catalog)).toBe('avg(vllm:kv_cache_usage_perc{})');
    // The older gauge when that is what vLLM exposes.
    expect(targetExpr('kv_cache_usage', catalog, sparse)).toBe('avg(vllm:gpu_cache_usage_perc{})');
  });

  it('filters vLLM targets by namespace and served model, escaping the values', () => {
    expect(
      targetExpr('tokens_per_second', catalog, undefined, {
        namespaces: ['inference'],
        servedModels: ['meta-llama/Llama-3.1-70B-Instruct', 'mistral"7b'],
      })
    ).toBe(
      'sum(rate(vllm:generation_tokens_total{namespace="inference",' +
        'model_name=~"meta-llama/Llama-3\\\\.1-70B-Instruct|mistral\\"7b"}[5m]))'
    );
  });

  it('measures utilisation with the profiling ratio, else the utilisation percentage / 100', () => {
    expect(targetExpr('gpu_utilisation', catalog)).toBe('avg(DCGM_FI_PROF_GR_ENGINE_ACTIVE{})');
    expect(targetExpr('gpu_utilisation', catalog, sparse, { nodes: ['node-a'] })).toBe(
      'avg(DCGM_FI_DEV_GPU_UTIL{Hostname="node-a"}) * 0.01'
    );
    expect(
      targetExpr('gpu_utilisation', createCatalog({ DCGM_FI_PROF_GR_ENGINE_ACTIVE: 'gpu:active' }), undefined, {
        namespaces: ['team-a'],
      })
    ).toBe('avg(gpu:active{namespace="team-a"})');
  });

  it('counts allocated, busy and capacity GPUs exactly as the inventory does', () => {
    const detection = {
      ...sparse,
      kubeStateMetrics: true,
      kubeStateMetricsLabels: { namespace: 'namespace', pod: 'pod' },
    };
    const filters = { namespaces: ['team-a'] };
    const inventory = buildInventoryQueries(catalog, detection, filters);
    expect(targetExpr('gpus_allocated', catalog, detection, filters)).toBe(inventory.allocated!.fleet);
    expect(targetExpr('gpu_capacity', catalog, detection)).toBe(
      buildInventoryQueries(catalog, detection).capacity!.fleet
    );
    expect(targetExpr('gpus_busy', catalog, detection)).toBe(buildInventoryQueries(catalog, detection).busy!.fleet);
    // Allocation is GPU requests of running pods.
    expect(targetExpr('gpus_allocated', catalog, detection, filters)).toMatch(
      /kube_pod_container_resource_requests\{resource="nvidia_com_gpu",namespace="team-a"\}.*kube_pod_status_phase\{phase="Running",namespace="team-a"\}/
    );
  });

  it('says what is missing instead of returning a query that cannot answer', () => {
    expect(() => targetExpr('gpus_allocated', catalog, sparse)).toThrow(
      new TargetUnavailableError(
        'Allocated GPUs needs kube-state-metrics GPU series (allocatable, pod requests, pod phase), and this ' +
          'Prometheus has none in the range.'
      )
    );
    expect(() => targetExpr('gpu_utilisation', catalog, sparse, { namespaces: ['a'] })).toThrow(/DCGM activity/);
    expect(() => targetExpr('queue_depth', catalog, { ...sparse, vllm: false })).toThrow(/needs vLLM metrics/);
    expect(() => targetExpr('gpu_capacity', catalog, undefined, { namespaces: ['team-a'] })).toThrow(
      'GPU capacity cannot be filtered by namespaces; it takes nodes, gpuModels.'
    );
    expect(() => targetExpr('queue_depth', catalog, undefined, { gpuModels: ['L4'] })).toThrow(TargetUnavailableError);
  });
});
