/**
 * @jest-environment node
 *
 * Every object the scaling engine emits, validated against its published schema (tests/kit/manifestSchemas.ts:
 * kubernetes-models for the HPA, CronJob, RBAC and ConfigMap; @kubernetes-models/keda, /karpenter and
 * /prometheus-operator for the CRDs), with the numbers worked out by hand.
 */
import fc from 'fast-check';

import { validateManifest } from '../../../tests/kit/manifestSchemas';
import { CapacityInputError } from '../capacity/errors';
import { clusterAutoscalerConfigMap, clusterAutoscalerPlan } from './clusterAutoscaler';
import { hpaManifests } from './hpa';
import { karpenterNodePool } from './karpenter';
import { kedaScaledObject } from './keda';
import { nodeGpuBounds } from './nodeGpus';
import { CAPPED_ANNOTATION } from './objectMeta';
import { prometheusRule } from './prometheusRule';
import { replicaPlan, type ReplicaPlanInput } from './replicaPlan';

const HOUR = 3600;
/** Monday 2026-12-07 00:00 UTC. */
const MONDAY = 1_796_601_600;

/** A day of GPUs needed: 4 from 08:00 to 09:59, 2 otherwise; lead 10 minutes. */
const DAY_PLAN: ReplicaPlanInput = {
  timestampsSeconds: Array.from({ length: 24 }, (_, h) => MONDAY + h * HOUR),
  gpusNeeded: Array.from({ length: 24 }, (_, h) => (h === 8 || h === 9 ? 4 : 2)),
  coldStartLeadSeconds: 600,
  gpusPerReplica: 1,
  repeat: 'daily',
  timeZone: 'Etc/UTC',
  safetyFactor: 1.2,
};
const WORKLOAD = { name: 'llama-70b', namespace: 'inference', kind: 'Deployment' as const };
const LIVE = { query: 'sum(rate(vllm:generation_tokens_total[5m]))', perReplica: 1200 };
const DESCRIPTION = 'test plan';

describe('replicaPlan', () => {
  it('divides GPUs by GPUs per replica, rounding up', () => {
    // 4 GPUs at the peak, 2 otherwise, 2 GPUs per replica: 2 and 1 replicas; max = ceil(2 × 1.2) = 3.
    const plan = replicaPlan({ ...DAY_PLAN, gpusPerReplica: 2 });
    expect(plan.schedule.steps.map((s) => s.level)).toEqual([2, 1]);
    expect([plan.minReplicas, plan.maxReplicas]).toEqual([1, 3]);
    // 3 GPUs per replica: ceil(4 / 3) = 2, ceil(2 / 3) = 1.
    expect(replicaPlan({ ...DAY_PLAN, gpusPerReplica: 3 }).schedule.steps.map((s) => s.level)).toEqual([2, 1]);
  });

  it.each([0, -1, Number.NaN])('refuses %p GPUs per replica', (gpusPerReplica) => {
    expect(() => replicaPlan({ ...DAY_PLAN, gpusPerReplica })).toThrow(CapacityInputError);
    expect(() => replicaPlan({ ...DAY_PLAN, gpusPerReplica })).toThrow(/GPUs per replica must be a positive number/);
  });

  it('caps a plan needing more GPUs than allowed, and says so', () => {
    // Peak 4 GPUs, at most 3 allowed with 1 GPU per replica: 3 replicas.
    const plan = replicaPlan({ ...DAY_PLAN, maxGpus: 3 });
    expect(plan.schedule.peak).toBe(3);
    expect(plan.maxReplicas).toBe(3);
    expect(plan.cap).toMatchObject({ neededGpus: 4, allowedGpus: 3 });
    expect(() => replicaPlan({ ...DAY_PLAN, gpusPerReplica: 4, maxGpus: 3 })).toThrow(/fewer than one replica/);
  });
});

describe('KEDA ScaledObject', () => {
  const scaled = kedaScaledObject({
    workload: WORKLOAD,
    plan: replicaPlan(DAY_PLAN),
    live: LIVE,
    serverAddress: 'http://prometheus.monitoring:9090',
    description: DESCRIPTION,
  });

  it('pre-scales the 08:00 peak at 07:50 in an explicit time zone, with the live signal as a floor above', () => {
    expect(scaled.spec.minReplicaCount).toBe(2);
    // ceil(4 × 1.2) = 5.
    expect(scaled.spec.maxReplicaCount).toBe(5);
    expect(scaled.spec.triggers).toEqual([
      {
        type: 'cron',
        name: 'schedule-1',
        metadata: { timezone: 'Etc/UTC', start: '50 7 * * *', end: '0 10 * * *', desiredReplicas: '4' },
      },
      {
        type: 'prometheus',
        name: 'live-demand',
        metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: LIVE.query, threshold: '1200' },
      },
    ]);
  });

  it('matches the published schema', () => {
    expect(() => validateManifest(scaled)).not.toThrow();
  });

  it('writes the per-replica target at milli precision, as the API server keeps a quantity', () => {
    // A calibrated 1543.21987 tokens/s per replica: 1543.21987 → 1543.220 → "1543.22".
    const calibrated = kedaScaledObject({
      workload: WORKLOAD,
      plan: replicaPlan(DAY_PLAN),
      live: { ...LIVE, perReplica: 1543.21987 },
      serverAddress: 'http://prometheus:9090',
      description: DESCRIPTION,
    });
    expect(calibrated.spec.triggers.at(-1)?.metadata).toMatchObject({ threshold: '1543.22' });
  });

  it('fails the schema when a trigger has no metadata, so the validation bites', () => {
    const broken = {
      ...scaled,
      spec: { ...scaled.spec, triggers: [{ type: 'cron' }] },
    };
    expect(() => validateManifest(broken)).toThrow(/metadata/);
  });

  it('writes only the cron parameters KEDA documents, never with start equal to end', () => {
    // The schema holds trigger metadata as a map of strings, so the keys are checked against KEDA's cron scaler page
    // (https://keda.sh/docs/2.17/scalers/cron/: timezone, start, end, desiredReplicas; "start and end should not be
    // the same").
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 48, maxLength: 48 }),
        fc.integer({ min: 0, max: 240 }),
        fc.constantFrom('Etc/UTC', 'Asia/Kolkata'),
        (gpusNeeded, leadMinutes, timeZone) => {
          const object = kedaScaledObject({
            workload: WORKLOAD,
            plan: replicaPlan({
              ...DAY_PLAN,
              timestampsSeconds: gpusNeeded.map((_, h) => MONDAY + h * HOUR),
              gpusNeeded,
              coldStartLeadSeconds: leadMinutes * 60,
              timeZone,
            }),
            live: LIVE,
            serverAddress: 'http://prometheus:9090',
            description: DESCRIPTION,
          });
          for (const trigger of object.spec.triggers.filter((t) => t.type === 'cron')) {
            expect(Object.keys(trigger.metadata).sort()).toEqual(['desiredReplicas', 'end', 'start', 'timezone']);
            const { start, end } = trigger.metadata as Record<string, string>;
            expect(start).not.toBe(end);
          }
        }
      ),
      { numRuns: 50 }
    );
  });

  it('annotates a capped plan', () => {
    const capped = kedaScaledObject({
      workload: WORKLOAD,
      plan: replicaPlan({ ...DAY_PLAN, maxGpus: 3 }),
      live: LIVE,
      serverAddress: 'http://prometheus:9090',
      description: DESCRIPTION,
    });
    expect(capped.metadata.annotations?.[CAPPED_ANNOTATION]).toMatch(/need 4 GPUs but at most 3/);
    expect(capped.spec.maxReplicaCount).toBe(3);
    expect(() => validateManifest(capped)).not.toThrow();
  });
});

describe('HPA with CronJob patches', () => {
  const objects = hpaManifests({
    workload: WORKLOAD,
    plan: replicaPlan({ ...DAY_PLAN, timeZone: 'Europe/Paris' }),
    live: LIVE,
    externalMetricName: 'headroom_live_demand',
    kubectlImage: 'registry.k8s.io/kubectl:v1.32.0',
    description: DESCRIPTION,
  });

  it('emits the HPA, the RBAC for the patch and one CronJob per step', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'HorizontalPodAutoscaler',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'CronJob',
      'CronJob',
    ]);
    const cronJobs = objects.filter((o) => o.kind === 'CronJob') as Array<{
      metadata: { name: string };
      spec: { schedule: string; timeZone: string; jobTemplate: { spec: { template: { spec: any } } } };
    }>;
    // 08:00 UTC is 09:00 in Paris in December: up at 08:50 local, back to 2 at 11:00 local.
    expect(cronJobs.map((c) => [c.metadata.name, c.spec.schedule, c.spec.timeZone])).toEqual([
      ['llama-70b-min-0850', '50 8 * * *', 'Europe/Paris'],
      ['llama-70b-min-1100', '0 11 * * *', 'Europe/Paris'],
    ]);
    expect(cronJobs[0].spec.jobTemplate.spec.template.spec.containers[0].args).toEqual([
      'patch',
      'hpa',
      'llama-70b',
      '--namespace',
      'inference',
      '--type',
      'merge',
      '--patch',
      '{"spec":{"minReplicas":4}}',
    ]);
    const role = objects.find((o) => o.kind === 'Role') as { rules: unknown[] };
    expect(role.rules).toEqual([
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
        resourceNames: ['llama-70b'],
        verbs: ['get', 'patch'],
      },
    ]);
  });

  it('matches the published schemas', () => {
    for (const object of objects) {
      expect(() => validateManifest(object)).not.toThrow();
    }
  });

  it('fails the schema for an HPA without maxReplicas', () => {
    const hpa = objects[0] as { spec: Record<string, unknown> };
    const { maxReplicas: _, ...spec } = hpa.spec;
    expect(() => validateManifest({ ...hpa, spec })).toThrow(/maxReplicas/);
  });

  it('keeps minReplicas at 1 or more and maxReplicas above every floor a CronJob sets', () => {
    const zero = hpaManifests({
      workload: WORKLOAD,
      plan: replicaPlan({ ...DAY_PLAN, gpusNeeded: DAY_PLAN.gpusNeeded.map((g) => (g === 2 ? 0 : g)) }),
      live: LIVE,
      externalMetricName: 'm',
      kubectlImage: 'k',
      description: DESCRIPTION,
    });
    const hpa = zero[0] as { spec: { minReplicas: number; maxReplicas: number } };
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(4);
  });
});

describe('node level', () => {
  // GPUs needed 4 … 10 over the plan.
  const needed = [4, 6, 10, 8];

  it('bounds the nodes by the plan times the safety factor', () => {
    // Floor ceil(4 × 1.2) = ceil(4.8) = 5; ceiling 10 × 1.2 = 12.
    expect(nodeGpuBounds(needed, 1.2)).toEqual({ floorGpus: 5, ceilingGpus: 12, cap: undefined });
    expect(nodeGpuBounds(needed, 1)).toEqual({ floorGpus: 4, ceilingGpus: 10, cap: undefined });
    expect(nodeGpuBounds(needed, 1.2, 10).cap).toMatchObject({ neededGpus: 12, allowedGpus: 10 });
    expect(() => nodeGpuBounds(needed, 0.8)).toThrow(/safety factor/);
  });

  it('gives a Karpenter NodePool its GPU limit', () => {
    const pool = karpenterNodePool({
      name: 'gpu',
      bounds: nodeGpuBounds(needed, 1.2),
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      description: DESCRIPTION,
    });
    expect(pool.spec.limits).toEqual({ 'nvidia.com/gpu': 12 });
    expect(() => validateManifest(pool)).not.toThrow();
    const { nodeClassRef: _, ...noClass } = pool.spec.template.spec;
    expect(() => validateManifest({ ...pool, spec: { ...pool.spec, template: { spec: noClass } } })).toThrow(
      /nodeClassRef/
    );
  });

  /** Group a: 8 GPUs per node, at most 1 node; group b: 4 GPUs per node, at most `bMaxNodes`. */
  const groupsOf = (bMaxNodes: number) =>
    clusterAutoscalerPlan(
      needed,
      [
        { name: 'a', gpusPerNode: 8, maxNodes: 1 },
        { name: 'b', gpusPerNode: 4, maxNodes: bMaxNodes },
      ],
      1.2
    );

  it('fills the cluster autoscaler node groups in order, each up to its maximum', () => {
    // Ceiling 12 GPUs: group a (8 per node, at most 1 node) takes 8, b (4 per node) ceil(4 / 4) = 1.
    // Floor 5 GPUs: a ceil(5 / 8) = 1 node, nothing left for b.
    const plan = groupsOf(10);
    expect(plan.groups.map((g) => g.flag)).toEqual(['--nodes=1:1:a', '--nodes=0:1:b']);
    expect(plan.cap).toBeUndefined();
    const configMap = clusterAutoscalerConfigMap(plan, 'headroom-gpu-node-groups', DESCRIPTION);
    expect(configMap.data.nodes).toBe('--nodes=1:1:a\n--nodes=0:1:b');
    expect(() => validateManifest(configMap)).not.toThrow();
  });

  it('caps the plan at what the node groups can hold', () => {
    // The groups hold at most 1 × 8 + 0 × 4 = 8 GPUs, below the ceiling of 12.
    const plan = groupsOf(0);
    expect(plan.cap).toMatchObject({ neededGpus: 12, allowedGpus: 8 });
    expect(plan.groups.map((g) => g.flag)).toEqual(['--nodes=1:1:a', '--nodes=0:0:b']);
    expect(() => clusterAutoscalerPlan(needed, [], 1.2)).toThrow(/at least one GPU node group/);
  });
});

describe('PrometheusRule', () => {
  const groups = [{ name: 'headroom', rules: [{ alert: 'HeadroomThreshold_x', expr: 'up == 0', for: '5m' }] }];

  it('wraps the rule file groups unchanged', () => {
    const rule = prometheusRule({ groups }, 'llama-70b', 'monitoring', DESCRIPTION, { release: 'kube-prometheus' });
    expect(rule.spec.groups).toBe(groups);
    expect(rule.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'headroom', release: 'kube-prometheus' });
    expect(() => validateManifest(rule)).not.toThrow();
  });

  it('fails the schema for a rule group without a name', () => {
    const rule = prometheusRule({ groups: [{ rules: [] }] }, 'x', 'monitoring', DESCRIPTION);
    expect(() => validateManifest(rule)).toThrow(/name/);
  });
});
