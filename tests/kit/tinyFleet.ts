/**
 * A tiny hand-made GPU fleet for Prometheus tests: one hour, a sample a minute, two nodes of four GPUs.
 *
 *   node-a  NVIDIA A100-SXM4-80GB  GPU0–1: team-a/train-1 (2 containers × 1 GPU), activity 0.9, util 95 %
 *                                   GPU2–3: idle, 0
 *   node-b  NVIDIA H100 80GB HBM3  GPU0:   team-a/infer-1 (1 GPU), activity 0.5, util 60 %
 *                                   GPU1–2: team-b/train-2 (1 container × 2 GPUs), activity 0.8, util 100 %,
 *                                           Running for the first 30 minutes, then Succeeded and idle
 *                                   GPU3:   idle, 0
 *   team-b/pending-1 asks for 4 GPUs and stays Pending on no node.
 *   Decoys that must not count: CPU allocatable and CPU requests.
 *
 * Tests state expected totals from this description, not from this code.
 */
import type { PlainSeries } from './openMetrics';

export const FLEET_SPAN_SECONDS = 3600;
export const FLEET_SAMPLE_SECONDS = 60;
const TRAIN_2_RUNS_SECONDS = 1800;

export const A100 = 'NVIDIA A100-SXM4-80GB';
export const H100 = 'NVIDIA H100 80GB HBM3';

export interface TinyFleetOptions {
  startSeconds: number;
  /** Emit DCGM series at all (default true). */
  dcgm?: boolean;
  /** Emit DCGM profiling fields (default true). */
  profiling?: boolean;
  /** Scraped without honor_labels: workload labels become exported_namespace / exported_pod (default false). */
  relabelled?: boolean;
  /** Which vLLM KV-cache gauge to emit; null for no vLLM at all. */
  vllmKvCacheMetric?: 'vllm:kv_cache_usage_perc' | 'vllm:gpu_cache_usage_perc' | null;
}

interface Pod {
  namespace: string;
  pod: string;
  node: string;
  containerGpus: number[];
  /** GPU indexes on the node. */
  gpus: number[];
  activity: number;
  utilPercent: number;
  runsSeconds: number;
  pending?: boolean;
}

const PODS: Pod[] = [
  {
    namespace: 'team-a',
    pod: 'train-1',
    node: 'node-a',
    containerGpus: [1, 1],
    gpus: [0, 1],
    activity: 0.9,
    utilPercent: 95,
    runsSeconds: FLEET_SPAN_SECONDS,
  },
  {
    namespace: 'team-a',
    pod: 'infer-1',
    node: 'node-b',
    containerGpus: [1],
    gpus: [0],
    activity: 0.5,
    utilPercent: 60,
    runsSeconds: FLEET_SPAN_SECONDS,
  },
  {
    namespace: 'team-b',
    pod: 'train-2',
    node: 'node-b',
    containerGpus: [2],
    gpus: [1, 2],
    activity: 0.8,
    utilPercent: 100,
    runsSeconds: TRAIN_2_RUNS_SECONDS,
  },
  {
    namespace: 'team-b',
    pod: 'pending-1',
    node: '',
    containerGpus: [4],
    gpus: [],
    activity: 0,
    utilPercent: 0,
    runsSeconds: 0,
    pending: true,
  },
];
const NODES = [
  { node: 'node-a', model: A100 },
  { node: 'node-b', model: H100 },
];

export function tinyFleetSeries(options: TinyFleetOptions): PlainSeries[] {
  const { startSeconds, dcgm = true, profiling = true, relabelled = false } = options;
  const vllmKvCacheMetric =
    options.vllmKvCacheMetric === undefined ? 'vllm:kv_cache_usage_perc' : options.vllmKvCacheMetric;
  const endSeconds = startSeconds + FLEET_SPAN_SECONDS;
  const over = (from: number, to: number, value: (t: number) => number): Array<[number, number]> => {
    const samples: Array<[number, number]> = [];
    for (let t = from; t <= to; t += FLEET_SAMPLE_SECONDS) {
      samples.push([t, value(t)]);
    }
    return samples;
  };
  const whole = (value: (t: number) => number) => over(startSeconds, endSeconds, value);
  /** Workload labels as the scrape leaves them, with the scraped exporter's own pod when relabelled. */
  const workload = (namespace: string, pod: string, exporter: { namespace: string; pod: string }) =>
    relabelled ? { exported_namespace: namespace, exported_pod: pod, ...exporter } : { namespace, pod };
  const ksm = { namespace: 'monitoring', pod: 'kube-state-metrics-0' };

  const series: PlainSeries[] = [];
  for (const { node } of NODES) {
    const target = relabelled ? ksm : {};
    series.push(
      {
        name: 'kube_node_status_allocatable',
        labels: { node, resource: 'nvidia_com_gpu', unit: 'integer', ...target },
        samples: whole(() => 4),
      },
      {
        name: 'kube_node_status_allocatable',
        labels: { node, resource: 'cpu', unit: 'core', ...target },
        samples: whole(() => 64),
      }
    );
  }
  for (const pod of PODS) {
    const running = (t: number) => !pod.pending && t - startSeconds <= pod.runsSeconds;
    const labels = workload(pod.namespace, pod.pod, ksm);
    pod.containerGpus.forEach((gpus, c) => {
      series.push({
        name: 'kube_pod_container_resource_requests',
        labels: { ...labels, container: `c${c}`, node: pod.node, resource: 'nvidia_com_gpu', unit: 'integer' },
        samples: whole(() => gpus),
      });
    });
    series.push({
      name: 'kube_pod_container_resource_requests',
      labels: { ...labels, container: 'c0', node: pod.node, resource: 'cpu', unit: 'core' },
      samples: whole(() => 8),
    });
    const phases: Record<string, (t: number) => boolean> = {
      Pending: () => Boolean(pod.pending),
      Running: running,
      Succeeded: (t) => !pod.pending && !running(t),
    };
    for (const [phase, active] of Object.entries(phases)) {
      series.push({
        name: 'kube_pod_status_phase',
        labels: { ...labels, phase, uid: `uid-${pod.pod}` },
        samples: whole((t) => (active(t) ? 1 : 0)),
      });
    }
  }

  if (dcgm) {
    for (const { node, model } of NODES) {
      for (let gpu = 0; gpu < 4; gpu++) {
        const base = {
          gpu: String(gpu),
          UUID: `GPU-${node}-${gpu}`,
          Hostname: node,
          modelName: model,
          device: `nvidia${gpu}`,
        };
        const exporter = { namespace: 'gpu-operator', pod: `dcgm-exporter-${node}` };
        const holder = PODS.find((p) => p.node === node && p.gpus.includes(gpu));
        const idleLabels = relabelled ? { ...base, ...exporter } : base;
        const emit = (
          activity: number,
          utilPercent: number,
          labels: Record<string, string>,
          from: number,
          to: number
        ) => {
          series.push({ name: 'DCGM_FI_DEV_GPU_UTIL', labels, samples: over(from, to, () => utilPercent) });
          if (profiling) {
            series.push({ name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels, samples: over(from, to, () => activity) });
            series.push({
              name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
              labels,
              samples: over(from, to, () => activity / 2),
            });
          }
        };
        if (!holder) {
          emit(0, 0, idleLabels, startSeconds, endSeconds);
          continue;
        }
        const heldUntil = startSeconds + holder.runsSeconds;
        const held = { ...base, ...workload(holder.namespace, holder.pod, exporter), container: 'c0' };
        emit(holder.activity, holder.utilPercent, held, startSeconds, heldUntil);
        if (heldUntil < endSeconds) {
          emit(0, 0, idleLabels, heldUntil + FLEET_SAMPLE_SECONDS, endSeconds);
        }
      }
    }
  }

  if (vllmKvCacheMetric) {
    const labels = {
      model_name: 'llama-3-8b',
      ...workload('team-a', 'infer-1', { namespace: 'team-a', pod: 'infer-1' }),
    };
    series.push(
      { name: 'vllm:num_requests_running', labels, samples: whole(() => 3) },
      { name: vllmKvCacheMetric, labels, samples: whole(() => 0.4) }
    );
  }
  return series;
}
