import type { NodeGpuBounds } from './nodeGpus';
import { objectMeta } from './objectMeta';

/** The NodeClass a NodePool launches nodes from (EC2NodeClass on AWS, AKSNodeClass on Azure, …). */
export interface NodeClassRef {
  group: string;
  kind: string;
  name: string;
}

export interface KarpenterInput {
  name: string;
  bounds: NodeGpuBounds;
  nodeClassRef: NodeClassRef;
  description: string;
}

/** On AWS, Karpenter's well-known label for the GPUs an instance type has; elsewhere the person adds their own. */
const AWS_GROUP = 'karpenter.k8s.aws';

/**
 * A Karpenter NodePool (karpenter.sh/v1) for GPU nodes whose `limits` stop it at the plan's ceiling of GPUs: the
 * peak of the GPUs-needed curve (upper interval) times the safety factor, capped at the GPUs allowed. Karpenter has
 * no minimum; the scheduled replicas (KEDA or the HPA) bring the nodes up a cold-start lead early. GPU nodes are
 * tainted nvidia.com/gpu:NoSchedule so that only pods tolerating it (GPU workloads) land on them.
 */
export function karpenterNodePool(input: KarpenterInput) {
  const requirements = [
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    ...(input.nodeClassRef.group === AWS_GROUP
      ? [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0'] }]
      : []),
  ];
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: objectMeta(input.name, undefined, input.description, input.bounds.cap),
    spec: {
      template: {
        spec: {
          nodeClassRef: input.nodeClassRef,
          requirements,
          taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
        },
      },
      limits: { 'nvidia.com/gpu': input.bounds.ceilingGpus },
    },
  };
}
