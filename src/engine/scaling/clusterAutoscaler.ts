import { CapacityInputError } from '../capacity/errors';
import type { Cap } from './cap';
import { nodeGpuBounds } from './nodeGpus';
import { objectMeta } from './objectMeta';

/** A GPU node group as the cluster autoscaler knows it (an AWS Auto Scaling group, a GKE node pool, …). */
export interface NodeGroup {
  name: string;
  gpusPerNode: number;
  /** The group's own maximum size; undefined when only the plan bounds it. */
  maxNodes?: number;
}

export interface NodeGroupSize {
  name: string;
  minNodes: number;
  maxNodes: number;
  /** `--nodes=<min>:<max>:<name>`, the cluster-autoscaler flag for a node group. */
  flag: string;
}

export interface ClusterAutoscalerPlan {
  groups: NodeGroupSize[];
  cap?: Cap;
}

/**
 * Minimum and maximum node counts per GPU node group: the floor and ceiling of nodeGpuBounds (plan × safety factor)
 * filled into the groups in the order given, each up to its own maximum. The cluster autoscaler never scales a group
 * below its minimum, so the floor is always warm; the maximum lets it follow the plan's peak. GPUs beyond what the
 * groups can hold cap the plan. The flag is the one cluster-autoscaler's manual node-group configuration takes
 * (kubernetes/autoscaler, cluster-autoscaler/cloudprovider/aws/README.md, "Manual configuration":
 * `--nodes=1:10:k8s-worker-asg-1`, min and max within the group's own bounds).
 */
export function clusterAutoscalerPlan(
  gpusNeeded: readonly number[],
  groups: readonly NodeGroup[],
  safetyFactor: number,
  maxGpus?: number
): ClusterAutoscalerPlan {
  if (groups.length === 0) {
    throw new CapacityInputError('nodeGroups', 'Name at least one GPU node group (name, GPUs per node, max nodes).');
  }
  for (const g of groups) {
    if (!(Number.isInteger(g.gpusPerNode) && g.gpusPerNode > 0)) {
      throw new CapacityInputError('nodeGroups', `Node group ${g.name}: GPUs per node must be a whole number > 0.`);
    }
    if (g.maxNodes !== undefined && !(Number.isInteger(g.maxNodes) && g.maxNodes >= 0)) {
      throw new CapacityInputError('nodeGroups', `Node group ${g.name}: the maximum must be a whole number ≥ 0.`);
    }
  }
  const groupsHold = groups.every((g) => g.maxNodes !== undefined)
    ? groups.reduce((sum, g) => sum + g.gpusPerNode * g.maxNodes!, 0)
    : undefined;
  const allowed = [maxGpus, groupsHold].filter((x): x is number => x !== undefined);
  const bounds = nodeGpuBounds(gpusNeeded, safetyFactor, allowed.length > 0 ? Math.min(...allowed) : undefined);
  const minNodes = fill(bounds.floorGpus, groups);
  const maxNodes = fill(bounds.ceilingGpus, groups);
  return {
    groups: groups.map((g, i) => ({
      name: g.name,
      minNodes: minNodes[i],
      maxNodes: maxNodes[i],
      flag: `--nodes=${minNodes[i]}:${maxNodes[i]}:${g.name}`,
    })),
    cap: bounds.cap,
  };
}

/** Whole nodes per group holding `gpus`, filling each group up to its maximum before the next. */
function fill(gpus: number, groups: readonly NodeGroup[]): number[] {
  let left = gpus;
  return groups.map((g) => {
    const nodes = Math.min(g.maxNodes ?? Number.POSITIVE_INFINITY, Math.ceil(Math.max(0, left) / g.gpusPerNode));
    left -= nodes * g.gpusPerNode;
    return nodes;
  });
}

/**
 * The sizes as a ConfigMap in kube-system: the `--nodes` flags one per line (`nodes`) to put in the cluster
 * autoscaler's command, and each group's minimum and maximum, so the planned sizes live beside the autoscaler and a
 * later plan shows as a diff.
 */
export function clusterAutoscalerConfigMap(plan: ClusterAutoscalerPlan, name: string, description: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(name, 'kube-system', description, plan.cap),
    data: {
      nodes: plan.groups.map((g) => g.flag).join('\n'),
      ...Object.fromEntries(
        plan.groups.flatMap((g) => [
          [`${g.name}.minNodes`, String(g.minNodes)],
          [`${g.name}.maxNodes`, String(g.maxNodes)],
        ])
      ),
    },
  };
}
