/**
 * `headroom plan export --diff` and the deployment found from the metrics, against a real Prometheus (promtool
 * backfill) holding a demand series, two vLLM services with their kube-state-metrics owners, one Deployment's
 * replicas and HPA, and a Karpenter NodePool limit, all set by hand here. The current side of each row is the value
 * written below; the proposed side must be the value the emitted object sets (the same command without --diff), so
 * the diff says exactly what applying the YAML would change.
 */
import { parseAllDocuments } from 'yaml';

import { runHeadroom } from '../kit/cli';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const HOUR = 3600;
const DAY = 24 * HOUR;
const END = Math.floor(Date.now() / 1000 / DAY) * DAY;
const START = END - 8 * DAY;
const STEP = 300;

/** GPUs demanded: 6 at night, 16 from 08:00 to 17:59 UTC. */
const demand: PlainSeries = {
  name: 'gpu_demand',
  samples: constantSamples(0, START, END, STEP).map(([t]) => {
    const hour = Math.floor((t % DAY) / HOUR);
    return [t, hour >= 8 && hour < 18 ? 16 : 6];
  }),
};

const gauge = (name: string, labels: Record<string, string>, value: number): PlainSeries => ({
  name,
  labels,
  samples: constantSamples(value, END - DAY, END, STEP),
});

/** A vLLM pod, its ReplicaSet and Deployment owners, as kube-state-metrics and vLLM export them. */
function service(namespace: string, deployment: string, model: string): PlainSeries[] {
  const replicaSet = `${deployment}-7d9f8c`;
  const pod = `${replicaSet}-x2v4q`;
  return [
    {
      name: 'vllm:generation_tokens_total',
      labels: { model_name: model, namespace, pod },
      samples: constantSamples(0, END - DAY, END, STEP).map(([t]) => [t, 1e6 + (t - END + DAY) * 100]),
    },
    gauge(
      'kube_pod_owner',
      { namespace, pod, owner_kind: 'ReplicaSet', owner_name: replicaSet, owner_is_controller: 'true' },
      1
    ),
    gauge(
      'kube_replicaset_owner',
      {
        namespace,
        replicaset: replicaSet,
        owner_kind: 'Deployment',
        owner_name: deployment,
        owner_is_controller: 'true',
      },
      1
    ),
  ];
}

const hpa = { namespace: 'inference', horizontalpodautoscaler: 'keda-hpa-llama-70b' };
const CLUSTER: PlainSeries[] = [
  demand,
  ...service('inference', 'llama-70b', 'llama-70b'),
  ...service('chat', 'mistral-7b', 'mistral-7b'),
  // Set by hand: llama-70b runs 5 replicas under KEDA's HPA (2 to 12); the NodePool allows 40 GPUs.
  gauge('kube_deployment_spec_replicas', { namespace: 'inference', deployment: 'llama-70b' }, 5),
  gauge(
    'kube_horizontalpodautoscaler_info',
    {
      ...hpa,
      scaletargetref_api_version: 'apps/v1',
      scaletargetref_kind: 'Deployment',
      scaletargetref_name: 'llama-70b',
    },
    1
  ),
  gauge('kube_horizontalpodautoscaler_spec_min_replicas', hpa, 2),
  gauge('kube_horizontalpodautoscaler_spec_max_replicas', hpa, 12),
  gauge('karpenter_nodepools_limit', { nodepool: 'gpu', resource_type: 'nvidia.com/gpu' }, 40),
  // Another resource of the same NodePool must not be read as its GPU limit.
  gauge('karpenter_nodepools_limit', { nodepool: 'gpu', resource_type: 'cpu' }, 1000),
];

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(CLUSTER) });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

const exportPlan = (format: string, args: string[]) =>
  runHeadroom([
    ...['plan', 'export', '--format', format, '--prometheus', prometheus.url, '--end', String(END)],
    ...['--expr', 'gpu_demand', '--history-days', '7', '--horizon-hours', '168'],
    ...['--forecast-model', 'seasonal_naive_day', ...args],
  ]);

function emitted(stdout: string): Array<Record<string, any>> {
  return (parseAllDocuments(stdout) as Array<{ toJS(): unknown }>).map((d) => d.toJS() as Record<string, any>);
}

describe('headroom plan export --diff', () => {
  it("keda: the Deployment's replicas and its HPA, current from kube-state-metrics, proposed as the ScaledObject sets", async () => {
    // --deployment without a namespace: found in the vLLM services (inference/llama-70b).
    const args = ['--deployment', 'llama-70b', '--gpus-per-replica', '2'];
    const [scaled] = emitted((await exportPlan('keda', args)).stdout);
    const diff = await exportPlan('keda', [...args, '--diff', '--json']);
    expect(diff.code).toBe(0);
    expect(diff.stderr).toMatch(/deployment inference\/llama-70b \(serves llama-70b\)/);
    const peak = Math.max(
      scaled.spec.minReplicaCount,
      ...scaled.spec.triggers.filter((t: any) => t.type === 'cron').map((t: any) => Number(t.metadata.desiredReplicas))
    );
    expect(JSON.parse(diff.stdout)).toEqual([
      expect.objectContaining({ object: 'Deployment inference/llama-70b', current: 5, proposed: peak }),
      expect.objectContaining({ field: 'spec.minReplicas', current: 2, proposed: scaled.spec.minReplicaCount }),
      expect.objectContaining({ field: 'spec.maxReplicas', current: 12, proposed: scaled.spec.maxReplicaCount }),
    ]);
    const text = await exportPlan('keda', [...args, '--diff']);
    expect(text.stdout).toMatch(new RegExp(`spec\\.maxReplicas\\s+12 → ${scaled.spec.maxReplicaCount}\\n`));
  });

  it('says "not visible in kube-state-metrics" for a Deployment its series do not show', async () => {
    const run = await exportPlan('hpa', ['--deployment', 'chat/mistral-7b', '--diff']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line) => expect(line).toMatch(/not visible in kube-state-metrics → \d+$/));
  });

  it("karpenter: the NodePool's GPU limit (not its CPU limit) beside the one emitted", async () => {
    const [pool] = emitted((await exportPlan('karpenter', [])).stdout);
    const run = await exportPlan('karpenter', ['--diff']);
    expect(run.stdout).toBe(
      `NodePool gpu  spec.limits["nvidia.com/gpu"]  40 → ${pool.spec.limits['nvidia.com/gpu']}\n`
    );
  });

  it("cluster-autoscaler: not visible without cluster-autoscaler's per-node-group metrics", async () => {
    const run = await exportPlan('cluster-autoscaler', ['--node-group', 'gpu-a100:8', '--diff']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^node group gpu-a100  min nodes  not visible in cluster-autoscaler's metrics → \d+\n/);
  });
});

describe('headroom plan export: the deployment found from vLLM and kube-state-metrics', () => {
  it('lists the candidates when several inference services run and none is named', async () => {
    const run = await exportPlan('keda', []);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /Several inference services match; choose one with --deployment NAMESPACE\/NAME: chat\/mistral-7b \(mistral-7b\); inference\/llama-70b \(llama-70b\)/
    );
  });

  it('lists the candidates when the one named is not among them', async () => {
    const run = await exportPlan('keda', ['--deployment', 'qwen']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /No inference service matches; candidates: chat\/mistral-7b \(mistral-7b\); inference\/llama-70b/
    );
  });

  it('takes the one service in the namespace given', async () => {
    const run = await exportPlan('keda', ['--namespace', 'chat']);
    expect(run.stderr).toMatch(/deployment chat\/mistral-7b/);
  });
});
