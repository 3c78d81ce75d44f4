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
 * With `extraNodes`, two awkward nodes join, every pod Running the whole hour:
 *   node-c  two models, allocatable nvidia_com_gpu 2
 *           GPU0 NVIDIA L4:   team-a/mixed-1 (1 GPU), activity 0.4, util 50 %
 *           GPU1 NVIDIA A10G: idle, 0
 *   node-d  NVIDIA A100-SXM4-80GB, device plugin mixed MIG strategy and time-slicing with 2 replicas:
 *           allocatable nvidia_com_gpu 2 (the replicas of GPU1), nvidia_com_mig_3g_40gb 1, nvidia_com_mig_1g_10gb 2
 *           GPU0 in MIG mode: instance 1 (3g.40gb) team-b/mig-1, activity 0.7
 *                             instance 2 (1g.10gb) team-a/mig-2, activity 0.35
 *                             instance 3 (1g.10gb) idle, 0
 *           GPU1 time-sliced: team-a/share-1 and team-b/share-2 (1 nvidia_com_gpu each), one series per pod, both
 *                             showing the GPU's activity 0.6, util 70 %
 *   DCGM reports no DCGM_FI_DEV_GPU_UTIL for MIG instances.
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
  /** Add node-c (two GPU models) and node-d (MIG and a time-sliced GPU), see above (default false). */
  extraNodes?: boolean;
  /** Which vLLM KV-cache gauge to emit; null for no vLLM at all. */
  vllmKvCacheMetric?: 'vllm:kv_cache_usage_perc' | 'vllm:gpu_cache_usage_perc' | null;
}

interface Pod {
  namespace: string;
  pod: string;
  node: string;
  containerGpus: number[];
  /** Kubernetes resource the containers ask for (default nvidia_com_gpu). */
  resource?: string;
  /** Devices held: GPU indexes on the node, or `gpu/instance` for a MIG instance. */
  devices: string[];
  activity: number;
  utilPercent: number;
  runsSeconds: number;
  pending?: boolean;
}

interface Device {
  gpu: number;
  model: string;
  mig?: { profile: string; instanceId: number };
}

interface FleetNode {
  node: string;
  allocatable: Record<string, number>;
  devices: Device[];
}

const fourOf = (model: string): Device[] => [0, 1, 2, 3].map((gpu) => ({ gpu, model }));

const PODS: Pod[] = [
  {
    namespace: 'team-a',
    pod: 'train-1',
    node: 'node-a',
    containerGpus: [1, 1],
    devices: ['0', '1'],
    activity: 0.9,
    utilPercent: 95,
    runsSeconds: FLEET_SPAN_SECONDS,
  },
  {
    namespace: 'team-a',
    pod: 'infer-1',
    node: 'node-b',
    containerGpus: [1],
    devices: ['0'],
    activity: 0.5,
    utilPercent: 60,
    runsSeconds: FLEET_SPAN_SECONDS,
  },
  {
    namespace: 'team-b',
    pod: 'train-2',
    node: 'node-b',
    containerGpus: [2],
    devices: ['1', '2'],
    activity: 0.8,
    utilPercent: 100,
    runsSeconds: TRAIN_2_RUNS_SECONDS,
  },
  {
    namespace: 'team-b',
    pod: 'pending-1',
    node: '',
    containerGpus: [4],
    devices: [],
    activity: 0,
    utilPercent: 0,
    runsSeconds: 0,
    pending: true,
  },
];
const NODES: FleetNode[] = [
  { node: 'node-a', allocatable: { nvidia_com_gpu: 4 }, devices: fourOf(A100) },
  { node: 'node-b', allocatable: { nvidia_com_gpu: 4 }, devices: fourOf(H100) },
];

export const L4 = 'NVIDIA L4';
export const A10G = 'NVIDIA A10G';

const wholeHour = { runsSeconds: FLEET_SPAN_SECONDS, containerGpus: [1] };
const EXTRA_PODS: Pod[] = [
  { ...wholeHour, namespace: 'team-a', pod: 'mixed-1', node: 'node-c', devices: ['0'], activity: 0.4, utilPercent: 50 },
  {
    ...wholeHour,
    namespace: 'team-b',
    pod: 'mig-1',
    node: 'node-d',
    resource: 'nvidia_com_mig_3g_40gb',
    devices: ['0/1'],
    activity: 0.7,
    utilPercent: 0,
  },
  {
    ...wholeHour,
    namespace: 'team-a',
    pod: 'mig-2',
    node: 'node-d',
    resource: 'nvidia_com_mig_1g_10gb',
    devices: ['0/2'],
    activity: 0.35,
    utilPercent: 0,
  },
  { ...wholeHour, namespace: 'team-a', pod: 'share-1', node: 'node-d', devices: ['1'], activity: 0.6, utilPercent: 70 },
  { ...wholeHour, namespace: 'team-b', pod: 'share-2', node: 'node-d', devices: ['1'], activity: 0.6, utilPercent: 70 },
];
const EXTRA_NODES: FleetNode[] = [
  {
    node: 'node-c',
    allocatable: { nvidia_com_gpu: 2 },
    devices: [
      { gpu: 0, model: L4 },
      { gpu: 1, model: A10G },
    ],
  },
  {
    node: 'node-d',
    allocatable: { nvidia_com_gpu: 2, nvidia_com_mig_3g_40gb: 1, nvidia_com_mig_1g_10gb: 2 },
    devices: [
      { gpu: 0, model: A100, mig: { profile: '3g.40gb', instanceId: 1 } },
      { gpu: 0, model: A100, mig: { profile: '1g.10gb', instanceId: 2 } },
      { gpu: 0, model: A100, mig: { profile: '1g.10gb', instanceId: 3 } },
      { gpu: 1, model: A100 },
    ],
  },
];

const deviceKey = (device: Device) => (device.mig ? `${device.gpu}/${device.mig.instanceId}` : String(device.gpu));

export function tinyFleetSeries(options: TinyFleetOptions): PlainSeries[] {
  const { startSeconds, dcgm = true, profiling = true, relabelled = false, extraNodes = false } = options;
  const pods = extraNodes ? [...PODS, ...EXTRA_PODS] : PODS;
  const nodes = extraNodes ? [...NODES, ...EXTRA_NODES] : NODES;
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
  for (const { node, allocatable } of nodes) {
    const target = relabelled ? ksm : {};
    for (const [resource, amount] of Object.entries(allocatable)) {
      series.push({
        name: 'kube_node_status_allocatable',
        labels: { node, resource, unit: 'integer', ...target },
        samples: whole(() => amount),
      });
    }
    series.push({
      name: 'kube_node_status_allocatable',
      labels: { node, resource: 'cpu', unit: 'core', ...target },
      samples: whole(() => 64),
    });
  }
  for (const pod of pods) {
    const running = (t: number) => !pod.pending && t - startSeconds <= pod.runsSeconds;
    const labels = workload(pod.namespace, pod.pod, ksm);
    pod.containerGpus.forEach((gpus, c) => {
      series.push({
        name: 'kube_pod_container_resource_requests',
        labels: {
          ...labels,
          container: `c${c}`,
          node: pod.node,
          resource: pod.resource ?? 'nvidia_com_gpu',
          unit: 'integer',
        },
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
    for (const { node, devices } of nodes) {
      for (const device of devices) {
        const { gpu, model, mig } = device;
        const base: Record<string, string> = {
          gpu: String(gpu),
          // MIG instances carry their parent GPU's UUID, as dcgm-exporter reports them.
          UUID: `GPU-${node}-${gpu}`,
          Hostname: node,
          modelName: model,
          device: `nvidia${gpu}`,
          ...(mig && { GPU_I_PROFILE: mig.profile, GPU_I_ID: String(mig.instanceId) }),
        };
        const exporter = { namespace: 'gpu-operator', pod: `dcgm-exporter-${node}` };
        const holders = pods.filter((p) => p.node === node && p.devices.includes(deviceKey(device)));
        const idleLabels = relabelled ? { ...base, ...exporter } : base;
        const emit = (
          activity: number,
          utilPercent: number,
          labels: Record<string, string>,
          from: number,
          to: number
        ) => {
          if (!mig) {
            series.push({ name: 'DCGM_FI_DEV_GPU_UTIL', labels, samples: over(from, to, () => utilPercent) });
          }
          if (profiling) {
            series.push({ name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels, samples: over(from, to, () => activity) });
            series.push({
              name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
              labels,
              samples: over(from, to, () => activity / 2),
            });
          }
        };
        if (holders.length === 0) {
          emit(0, 0, idleLabels, startSeconds, endSeconds);
          continue;
        }
        for (const holder of holders) {
          const held = { ...base, ...workload(holder.namespace, holder.pod, exporter), container: 'c0' };
          emit(holder.activity, holder.utilPercent, held, startSeconds, startSeconds + holder.runsSeconds);
        }
        const heldUntil = startSeconds + Math.max(...holders.map((h) => h.runsSeconds));
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
