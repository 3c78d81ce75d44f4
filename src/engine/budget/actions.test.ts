/** @jest-environment node */
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';

import { budgetActions, type BudgetAction } from './actions';
import { BudgetInputError } from './errors';

const input = {
  nonCriticalDeployments: [{ namespace: 'research', name: 'notebook-gpu' }],
  spotNodePools: ['gpu-spot'],
  scaledObjects: [{ namespace: 'research', name: 'batch-embed' }],
};

/**
 * A patch applied the way the API server merges these bodies (maps merged key by key, scalars replaced; none of ours
 * touches a list), so the patched object can be validated against its published schema.
 */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const base = out[key];
    out[key] =
      value && typeof value === 'object' && base && typeof base === 'object'
        ? merge(base as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Live objects as a cluster would hold them, minimal but valid. */
const live = {
  Deployment: (name: string, namespace: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'vllm/vllm-openai:v0.6.0' }] },
      },
    },
  }),
  NodePool: (name: string) => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      limits: { 'nvidia.com/gpu': '64', cpu: '1000' },
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }],
        },
      },
    },
  }),
  ScaledObject: (name: string, namespace: string) => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, namespace, annotations: { owner: 'research' } },
    spec: { scaleTargetRef: { name }, triggers: [{ type: 'cron', metadata: { timezone: 'UTC' } }] },
  }),
};

/** The object after the action, built as its kubernetes-models model and validated (throws on a schema error). */
function applied(action: BudgetAction): Record<string, unknown> {
  const { kind, name, namespace = '' } = action.target;
  if (action.operation === 'create') {
    const model = new PriorityClass(action.body as ConstructorParameters<typeof PriorityClass>[0]);
    model.validate();
    return model.toJSON() as Record<string, unknown>;
  }
  const before =
    kind === 'Deployment'
      ? live.Deployment(name, namespace)
      : kind === 'NodePool'
        ? live.NodePool(name)
        : live.ScaledObject(name, namespace);
  const after = merge(before, action.body);
  const Model = { Deployment, NodePool, ScaledObject }[kind as 'Deployment' | 'NodePool' | 'ScaledObject'];
  const model = new Model(after as never);
  model.validate();
  return after;
}

describe('budgetActions', () => {
  it('control: spot NodePool GPU limit 0, KEDA paused at current replicas, a low PriorityClass, Deployments on it', () => {
    const actions = budgetActions('control', input);
    expect(actions.map((a) => [a.target.kind, a.operation, a.patchType])).toEqual([
      ['NodePool', 'patch', 'merge'],
      ['ScaledObject', 'patch', 'merge'],
      ['PriorityClass', 'create', undefined],
      ['Deployment', 'patch', 'strategic'],
    ]);
    const [pool, scaled, priority, deployment] = actions.map(applied);
    // Only the GPU limit changes; the CPU limit stays (a JSON merge patch merges maps key by key, RFC 7386).
    expect((pool.spec as { limits: unknown }).limits).toEqual({ 'nvidia.com/gpu': '0', cpu: '1000' });
    expect((scaled.metadata as { annotations: unknown }).annotations).toEqual({
      owner: 'research',
      'autoscaling.keda.sh/paused': 'true',
    });
    expect(priority).toMatchObject({ value: -1000, preemptionPolicy: 'Never', globalDefault: false });
    expect(deployment).toMatchObject({
      spec: { replicas: 3, template: { spec: { priorityClassName: 'headroom-budget-low' } } },
    });
    expect(actions[0].command).toBe(
      `kubectl patch nodepool/gpu-spot --type merge -p '{"spec":{"limits":{"nvidia.com/gpu":"0"}}}'`
    );
  });

  it('circuit-break: KEDA held at 0 replicas and the Deployments scaled to zero, valid after patching', () => {
    const actions = budgetActions('circuit-break', input);
    const [scaled, deployment] = actions.map(applied);
    expect(
      (scaled.metadata as { annotations: Record<string, string> }).annotations['autoscaling.keda.sh/paused-replicas']
    ).toBe('0');
    expect((deployment.spec as { replicas: number }).replicas).toBe(0);
    expect(actions[1].command).toBe(
      `kubectl patch deployment/notebook-gpu -n research --type strategic -p '{"spec":{"replicas":0}}'`
    );
    // Spot NodePools are a control matter; circuit-break does not touch them.
    expect(actions.some((a) => a.target.kind === 'NodePool')).toBe(false);
  });

  it('a patch that broke the schema would be caught: replicas or a priority as text', () => {
    const [, scale] = budgetActions('circuit-break', input);
    expect(() => applied({ ...scale, body: { spec: { replicas: 'zero' } } })).toThrow('replicas');
    const priority = budgetActions('control', input)[2];
    expect(() => applied({ ...priority, body: { ...priority.body, value: 'low' } })).toThrow('value');
  });

  it('refuses names Kubernetes would refuse, a bad priority, and nothing to act on', () => {
    expect(() =>
      budgetActions('circuit-break', { nonCriticalDeployments: [{ namespace: 'Research', name: 'x' }] })
    ).toThrow('not a namespace name');
    expect(() => budgetActions('control', { ...input, spotNodePools: ['gpu_spot'] })).toThrow(
      'not a Kubernetes object name'
    );
    expect(() => budgetActions('control', { ...input, lowPriorityValue: 2e9 })).toThrow('≤ 1000000000');
    expect(() => budgetActions('control', { nonCriticalDeployments: [] })).toThrow(BudgetInputError);
    expect(() => budgetActions('circuit-break', { nonCriticalDeployments: [], spotNodePools: ['p'] })).toThrow(
      'Nothing to act on at circuit-break'
    );
  });
});
