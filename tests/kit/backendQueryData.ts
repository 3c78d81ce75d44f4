/**
 * The data the backend's query tests read, shared by the TypeScript tests (tests/integration/backend-queries.test.ts,
 * serving-query.test.ts) and the Go conformance test (tests/backend/, through tests/backend/fleetData.ts), so both
 * check the same numbers worked out from this description.
 *
 * Beside the tiny fleet's hour (tinyFleet.ts), `labAndDemandSeries`:
 * - a `lab` namespace whose pods DCGM reports on node-e (three H100s): lab/notebook holds GPUs 0 and 1 at 1 % activity
 *   the whole hour (idle), lab/busy holds GPU 2 at 90 %;
 * - `test_gpu_demand`: hourly GPU demand of ten days ending at the end of the hour, 30 + 10·sin(2π · time of day / 1 d)
 *   (30 GPUs on average, 40 at the day's peak, 20 at its trough); `test_short_demand`: the same, ten hours only (too
 *   little to forecast).
 *
 * `servingSeries`, over one hour from its start (in a Prometheus of its own: its GPU request would join the fleet's
 * workload):
 * - inference/llama-70b: one vLLM pod of 2 GPUs generating 600 tokens/s the whole hour, owned by ReplicaSet
 *   llama-70b-7d9f8c, owned by Deployment llama-70b; kube-state-metrics shows 3 replicas and KEDA's HPA 1 to 4;
 * - lab/mistral-7b: a vLLM pod with no kube-state-metrics owner and no GPU request (a bare pod);
 * - Karpenter's NodePool gpu allows 24 GPUs.
 */
import { constantSamples, type PlainSeries } from './openMetrics';
import { FLEET_SPAN_SECONDS, H100 } from './tinyFleet';

const HOUR = 3600;
const DAY = 86_400;

const labGpu = (gpu: number, pod: string): Record<string, string> => ({
  gpu: String(gpu),
  UUID: `GPU-node-e-${gpu}`,
  Hostname: 'node-e',
  modelName: H100,
  namespace: 'lab',
  pod,
  container: 'main',
});

/** Hourly demand of `hours` hours, the last at `endSeconds`. */
export function hourlyDemand(hours: number, endSeconds: number): Array<[number, number]> {
  return Array.from({ length: hours }, (_, i) => {
    const t = endSeconds - (hours - 1 - i) * HOUR;
    return [t, 30 + 10 * Math.sin((2 * Math.PI * (t % DAY)) / DAY)];
  });
}

/** The lab namespace and the demand series for the tiny fleet's hour starting at `fleetStartSeconds`. */
export function labAndDemandSeries(fleetStartSeconds: number): PlainSeries[] {
  const endSeconds = fleetStartSeconds + FLEET_SPAN_SECONDS;
  const wholeHour = (value: number) => constantSamples(value, fleetStartSeconds, endSeconds, 60);
  return [
    { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: labGpu(0, 'notebook'), samples: wholeHour(0.01) },
    { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: labGpu(1, 'notebook'), samples: wholeHour(0.01) },
    { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: labGpu(2, 'busy'), samples: wholeHour(0.9) },
    { name: 'test_gpu_demand', samples: hourlyDemand(10 * 24, endSeconds) },
    { name: 'test_short_demand', samples: hourlyDemand(10, endSeconds) },
  ];
}

/** The inference services of one hour starting at `startSeconds`. */
export function servingSeries(startSeconds: number): PlainSeries[] {
  const everyMinute = (value: number) => constantSamples(value, startSeconds, startSeconds + HOUR, 60);
  const llamaPod = { namespace: 'inference', pod: 'llama-70b-7d9f8c-x2v4q' };
  const hpa = { namespace: 'inference', horizontalpodautoscaler: 'keda-hpa-llama-70b' };
  return [
    {
      name: 'vllm:generation_tokens_total',
      labels: { ...llamaPod, model_name: 'llama-70b' },
      samples: everyMinute(0).map(([t]) => [t, 1e6 + 600 * (t - startSeconds)]),
    },
    {
      name: 'vllm:generation_tokens_total',
      labels: { namespace: 'lab', pod: 'mistral', model_name: 'mistral-7b' },
      samples: everyMinute(0).map(([t]) => [t, 1e6 + 50 * (t - startSeconds)]),
    },
    {
      name: 'kube_pod_container_resource_requests',
      labels: { ...llamaPod, container: 'vllm', resource: 'nvidia_com_gpu', unit: 'integer' },
      samples: everyMinute(2),
    },
    {
      name: 'kube_pod_owner',
      labels: { ...llamaPod, owner_kind: 'ReplicaSet', owner_name: 'llama-70b-7d9f8c', owner_is_controller: 'true' },
      samples: everyMinute(1),
    },
    {
      name: 'kube_replicaset_owner',
      labels: {
        namespace: 'inference',
        replicaset: 'llama-70b-7d9f8c',
        owner_kind: 'Deployment',
        owner_name: 'llama-70b',
      },
      samples: everyMinute(1),
    },
    {
      name: 'kube_deployment_spec_replicas',
      labels: { namespace: 'inference', deployment: 'llama-70b' },
      samples: everyMinute(3),
    },
    {
      name: 'kube_horizontalpodautoscaler_info',
      labels: { ...hpa, scaletargetref_kind: 'Deployment', scaletargetref_name: 'llama-70b' },
      samples: everyMinute(1),
    },
    { name: 'kube_horizontalpodautoscaler_spec_min_replicas', labels: hpa, samples: everyMinute(1) },
    { name: 'kube_horizontalpodautoscaler_spec_max_replicas', labels: hpa, samples: everyMinute(4) },
    {
      name: 'karpenter_nodepools_limit',
      labels: { nodepool: 'gpu', resource_type: 'nvidia.com/gpu' },
      samples: everyMinute(24),
    },
  ];
}
