/**
 * @jest-environment node
 */
import { deployedDiff, diffText } from './deployedDiff';
import { PLAN_DEFAULTS, planManifests, type PlanFormat, type PlanManifestsInput } from './planManifests';

const HOUR = 3600;
/** Monday 2026-12-07 00:00 UTC. */
const MONDAY = 1_796_601_600;
const WORKLOAD = { name: 'vllm-llama', namespace: 'inference', kind: 'Deployment' as const };

/** A day: 6 GPUs from 08:00 to 17:59, 2 otherwise. */
function manifests(format: PlanFormat, gpusPerReplica = 2) {
  const input: PlanManifestsInput = {
    ...PLAN_DEFAULTS,
    format,
    gpus: {
      timestampsSeconds: Array.from({ length: 24 }, (_, h) => MONDAY + h * HOUR),
      gpusNeeded: Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? 6 : 2)),
      coldStartLeadSeconds: 900,
      throughputPerGpu: 1000,
      targetUtilisation: 0.8,
    },
    workload: WORKLOAD,
    gpusPerReplica,
    liveQuery: 'sum(rate(vllm:generation_tokens_total[5m]))',
    serverAddress: 'http://prometheus:9090',
    nodeGroups: [{ name: 'gpu-a100', gpusPerNode: 4 }],
    description: 'test',
    header: 'test',
  };
  return planManifests(input);
}

describe('deployedDiff', () => {
  it('sets the Deployment and its HPA beside what kube-state-metrics shows', () => {
    // 2 GPUs per replica: peak 6 / 2 = 3 replicas, floor 2 / 2 = 1; max = ceil(3 × 1.2) = 4.
    const rows = deployedDiff(
      'keda',
      manifests('keda'),
      { workload: WORKLOAD, nodePool: 'gpu' },
      {
        replicas: 2,
        hpaMinReplicas: 1,
      }
    );
    expect(rows.map((r) => [r.field, r.current, r.proposed])).toEqual([
      ['spec.replicas (at the planned peak)', 2, 3],
      ['spec.minReplicas', 1, 1],
      ['spec.maxReplicas', undefined, 4],
    ]);
    const text = diffText(rows).split('\n');
    expect(text[0]).toMatch(/^Deployment inference\/vllm-llama\s+spec\.replicas \(at the planned peak\)\s+2 → 3$/);
    expect(text[1]).toMatch(/spec\.minReplicas\s+1 \(unchanged\)$/);
    expect(text[2]).toMatch(/spec\.maxReplicas\s+not visible in kube-state-metrics → 4$/);
  });

  it("compares the NodePool's GPU limit with Karpenter's metric", () => {
    // Peak 6 × 1.2 = 7.2 → 8 GPUs.
    const rows = deployedDiff('karpenter', manifests('karpenter'), { nodePool: 'gpu' }, { nodePoolGpuLimit: 16 });
    expect(diffText(rows)).toBe('NodePool gpu  spec.limits["nvidia.com/gpu"]  16 → 8');
    expect(diffText(deployedDiff('karpenter', manifests('karpenter'), { nodePool: 'gpu' }, {}))).toMatch(
      /not visible in Karpenter's metrics → 8$/
    );
  });

  it("compares each node group's minimum and maximum with cluster-autoscaler's", () => {
    // Floor 2 × 1.2 = 2.4 → 3 GPUs → 1 node of 4; peak 8 GPUs → 2 nodes.
    const rows = deployedDiff(
      'cluster-autoscaler',
      manifests('cluster-autoscaler'),
      { nodePool: 'gpu' },
      {
        nodeGroups: { 'gpu-a100': { minNodes: 0, maxNodes: 2 } },
      }
    );
    expect(rows.map((r) => [r.object, r.field, r.current, r.proposed])).toEqual([
      ['node group gpu-a100', 'min nodes', 0, 1],
      ['node group gpu-a100', 'max nodes', 2, 2],
    ]);
  });
});
