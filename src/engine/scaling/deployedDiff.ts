/**
 * What an export would change in the cluster: each value the emitted objects set, beside the value the cluster's
 * metrics show now (kube-state-metrics for the Deployment and its HPA, Karpenter's and cluster-autoscaler's own
 * metrics for the nodes). A value the metrics do not show is said to be not visible, never guessed.
 */
import type { PlanFormat, PlanManifests } from './planManifests';
import type { Workload } from './workload';

/** Where a current value is read; a row whose value is missing says it is not visible there. */
export type DeployedSource = 'kube-state-metrics' | 'Karpenter' | 'cluster-autoscaler';

/** The cluster's values now; undefined where its metrics hold none. */
export interface DeployedValues {
  /** The Deployment's spec.replicas (kube_deployment_spec_replicas). */
  replicas?: number;
  /** The HPA scaling the Deployment (KEDA's own HPA included): spec.minReplicas and spec.maxReplicas. */
  hpaMinReplicas?: number;
  hpaMaxReplicas?: number;
  /** The NodePool's limits["nvidia.com/gpu"] (karpenter_nodepools_limit). */
  nodePoolGpuLimit?: number;
  /** Per node group name: the cluster autoscaler's minimum and maximum nodes. */
  nodeGroups?: Record<string, { minNodes?: number; maxNodes?: number }>;
}

export interface DiffRow {
  object: string;
  field: string;
  current?: number;
  proposed: number;
  source: DeployedSource;
}

export interface DiffTargets {
  workload?: Workload;
  nodePool: string;
}

/** The rows of one format's objects; `manifests` is what planManifests returned for that format. */
export function deployedDiff(
  format: PlanFormat,
  manifests: PlanManifests,
  targets: DiffTargets,
  deployed: DeployedValues
): DiffRow[] {
  const { replicas, nodeGpus, nodeGroups } = manifests;
  if ((format === 'keda' || format === 'hpa') && replicas && targets.workload) {
    const { namespace, name, kind } = targets.workload;
    const hpa = `HPA of ${kind} ${namespace}/${name}`;
    const source = 'kube-state-metrics';
    return [
      {
        object: `${kind} ${namespace}/${name}`,
        field: 'spec.replicas (at the planned peak)',
        current: deployed.replicas,
        proposed: replicas.schedule.peak,
        source,
      },
      {
        object: hpa,
        field: 'spec.minReplicas',
        current: deployed.hpaMinReplicas,
        proposed: replicas.minReplicas,
        source,
      },
      {
        object: hpa,
        field: 'spec.maxReplicas',
        current: deployed.hpaMaxReplicas,
        // keda.ts and hpa.ts never emit a maximum below the minimum.
        proposed: Math.max(replicas.maxReplicas, replicas.minReplicas),
        source,
      },
    ];
  }
  if (format === 'karpenter' && nodeGpus) {
    return [
      {
        object: `NodePool ${targets.nodePool}`,
        field: 'spec.limits["nvidia.com/gpu"]',
        current: deployed.nodePoolGpuLimit,
        proposed: nodeGpus.ceilingGpus,
        source: 'Karpenter',
      },
    ];
  }
  if (format === 'cluster-autoscaler' && nodeGroups) {
    return nodeGroups.flatMap((group) => {
      const now = deployed.nodeGroups?.[group.name];
      const object = `node group ${group.name}`;
      return [
        { object, field: 'min nodes', current: now?.minNodes, proposed: group.minNodes, source: 'cluster-autoscaler' },
        { object, field: 'max nodes', current: now?.maxNodes, proposed: group.maxNodes, source: 'cluster-autoscaler' },
      ];
    });
  }
  return [];
}

/** "3 → 5", "2 (unchanged)", or "not visible in kube-state-metrics → 5". */
export function diffChange(row: DiffRow): string {
  if (row.current === undefined) {
    const where = row.source === 'kube-state-metrics' ? row.source : `${row.source}'s metrics`;
    return `not visible in ${where} → ${row.proposed}`;
  }
  return row.current === row.proposed ? `${row.proposed} (unchanged)` : `${row.current} → ${row.proposed}`;
}

/** The rows as aligned lines of text, for a terminal or a `<pre>`. */
export function diffText(rows: readonly DiffRow[]): string {
  const objectWidth = Math.max(0, ...rows.map((r) => r.object.length));
  const fieldWidth = Math.max(0, ...rows.map((r) => r.field.length));
  return rows.map((r) => `${r.object.padEnd(objectWidth)}  ${r.field.padEnd(fieldWidth)}  ${diffChange(r)}`).join('\n');
}
