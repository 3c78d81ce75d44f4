/**
 * What the cluster runs now, as its metrics show it, for the diff of an export against what is deployed
 * (engine/scaling/deployedDiff.ts). Names as kube-state-metrics v2 exports them (docs/metrics/workload/
 * deployment-metrics.md and horizontalpodautoscaler-metrics.md; v1 called the HPA ones `kube_hpa_*`), Karpenter v1's
 * NodePool limit (`karpenter_nodepools_limit`, `karpenter_nodepool_limit` before v1) and cluster-autoscaler's
 * per-node-group sizes (cluster-autoscaler/proposals/metrics.md, emitted with `--emit-per-nodegroup-metrics`).
 * A value with no series stays undefined: the diff says it is not visible.
 */
import type { DeployedValues } from '../engine/scaling';
import { matcher, selector } from './promql';
import type { PrometheusClient } from './types';

export interface DeployedTarget {
  /** The Deployment; without it only the node bounds are read. */
  namespace?: string;
  deployment?: string;
  nodePool?: string;
  nodeGroups?: readonly string[];
}

export interface DeployedState {
  values: DeployedValues;
  /** Every expression run, named after the value it gives (the query inspector, `--diff`'s stderr). */
  queries: Array<{ name: string; expr: string }>;
}

/** The HPA metric of the HPAs whose scale target is the Deployment (KEDA's `keda-hpa-<name>` included). */
function hpaExpr(metric: string, namespace: string, deployment: string): string {
  const info = selector('kube_horizontalpodautoscaler_info', [
    matcher('namespace', '=', namespace),
    matcher('scaletargetref_kind', '=', 'Deployment'),
    matcher('scaletargetref_name', '=', deployment),
  ]);
  // Grouped so that two kube-state-metrics replicas scraping the same HPA still match one to one.
  return `max(${metric} * on (namespace, horizontalpodautoscaler) group_left () group by (namespace, horizontalpodautoscaler) (${info}))`;
}

export function deployedExprs(target: DeployedTarget): Array<{ name: string; expr: string }> {
  const exprs: Array<{ name: string; expr: string }> = [];
  const { namespace, deployment } = target;
  if (namespace !== undefined && deployment !== undefined) {
    const matchers = [matcher('namespace', '=', namespace), matcher('deployment', '=', deployment)];
    exprs.push(
      { name: 'replicas', expr: `max(${selector('kube_deployment_spec_replicas', matchers)})` },
      {
        name: 'hpaMinReplicas',
        expr: hpaExpr('kube_horizontalpodautoscaler_spec_min_replicas', namespace, deployment),
      },
      {
        name: 'hpaMaxReplicas',
        expr: hpaExpr('kube_horizontalpodautoscaler_spec_max_replicas', namespace, deployment),
      }
    );
  }
  if (target.nodePool !== undefined) {
    const limit = selector('karpenter_nodepools_limit', [
      matcher('nodepool', '=', target.nodePool),
      matcher('resource_type', '=', 'nvidia.com/gpu'),
    ]);
    exprs.push({ name: 'nodePoolGpuLimit', expr: `max(${limit})` });
  }
  for (const group of target.nodeGroups ?? []) {
    const g = [matcher('node_group', '=', group)];
    exprs.push(
      { name: `min:${group}`, expr: `max(${selector('cluster_autoscaler_node_group_min_count', g)})` },
      { name: `max:${group}`, expr: `max(${selector('cluster_autoscaler_node_group_max_count', g)})` }
    );
  }
  return exprs;
}

/** The values at `atSeconds` (each an instant query, so within Prometheus' lookback of 5 minutes). */
export async function fetchDeployedState(
  client: PrometheusClient,
  target: DeployedTarget,
  atSeconds: number,
  signal?: AbortSignal
): Promise<DeployedState> {
  const queries = deployedExprs(target);
  const results = await Promise.all(queries.map((q) => client.queryInstant(q.expr, atSeconds, signal)));
  const valueOf = (i: number): number | undefined => {
    const value = results[i].series[0]?.values[0];
    return value === undefined || !Number.isFinite(value) ? undefined : value;
  };
  const values: DeployedValues = {};
  const nodeGroups: NonNullable<DeployedValues['nodeGroups']> = {};
  queries.forEach((q, i) => {
    // At the first ':' only: a GCE managed instance group is named by its URL (https://…).
    const colon = q.name.indexOf(':');
    if (colon >= 0) {
      const bound = q.name.slice(0, colon);
      const group = q.name.slice(colon + 1);
      nodeGroups[group] = { ...nodeGroups[group], [bound === 'min' ? 'minNodes' : 'maxNodes']: valueOf(i) };
    } else {
      values[q.name as 'replicas' | 'hpaMinReplicas' | 'hpaMaxReplicas' | 'nodePoolGpuLimit'] = valueOf(i);
    }
  });
  if (target.nodeGroups !== undefined) {
    values.nodeGroups = nodeGroups;
  }
  return { values, queries };
}
