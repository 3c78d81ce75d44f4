/** @jest-environment node */
import { createCatalog, METRIC_FAMILIES } from '../../prometheus/catalog';
import type { FamilyDetection } from '../../prometheus/detect';
import { alertPreset, presetExpr } from './alertPresets';

const everything: FamilyDetection = {
  present: Object.values(METRIC_FAMILIES).flat(),
  dcgm: true,
  dcgmProfiling: true,
  kubeStateMetrics: true,
  vllm: true,
  dcgmLabels: { namespace: 'namespace', pod: 'pod', hostname: true, gpuModel: true },
  kubeStateMetricsLabels: { namespace: 'namespace', pod: 'pod' },
  messages: [],
};
const prices = [
  { gpuModel: 'H100', onDemandPerGpuHour: 6, reservedPerGpuHour: 3.5, source: 'test' },
  { gpuModel: 'L4 "x"', onDemandPerGpuHour: 0.8, reservedPerGpuHour: 0.5, source: 'test' },
];
const context = { catalog: createCatalog(), detection: everything, prices };

describe('presetExpr', () => {
  it('watches one node or namespace with the same mean activity as the fleet preset', () => {
    expect(presetExpr('gpu_utilisation', context)).toBe('avg(DCGM_FI_PROF_GR_ENGINE_ACTIVE{})');
    expect(presetExpr('gpu_utilisation_node', { ...context, scopeValue: 'node-1' })).toBe(
      'avg(DCGM_FI_PROF_GR_ENGINE_ACTIVE{Hostname="node-1"})'
    );
    expect(presetExpr('gpu_utilisation_namespace', { ...context, scopeValue: 'team-a' })).toBe(
      'avg(DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="team-a"})'
    );
    expect(() => presetExpr('gpu_utilisation_node', context)).toThrow('Choose the node');
  });

  it('computes TTFT p95 from the histogram buckets and power as a sum in watts', () => {
    expect(presetExpr('ttft_p95', context)).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{}[5m])))'
    );
    expect(presetExpr('power', context)).toBe('sum(DCGM_FI_DEV_POWER_USAGE{})');
    expect(alertPreset('power').unit).toBe('watt');
  });

  it('prices idle GPUs per model with one price literal per configured model', () => {
    const expr = presetExpr('waste_cost', context);
    expect(expr).toMatch(/^sum\(clamp_min\(sum by \(modelName\) .* - sum by \(modelName\) .*, 0\) \* \(/);
    expect(expr).toContain('label_replace(vector(6), "modelName", "H100", "", "")');
    expect(expr).toContain('label_replace(vector(0.8), "modelName", "L4 \\"x\\"", "", "")');
  });

  it('says what is missing rather than guessing', () => {
    expect(() => presetExpr('queue_depth', { ...context, detection: { ...everything, vllm: false } })).toThrow(
      'needs vLLM metrics'
    );
    expect(() => presetExpr('promql', { ...context, promql: '  ' })).toThrow('Enter a PromQL expression');
    expect(presetExpr('promql', { ...context, promql: ' sum(up) ' })).toBe('sum(up)');
  });
});
