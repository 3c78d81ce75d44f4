/**
 * Spot GPU nodes over a window, from kube-state-metrics: which nodes carried a spot capacity-type label, how many GPUs
 * each offered, and when each was first and last seen, for the share of spot GPUs interrupted per day
 * (`spotInterruptionRate`). kube-state-metrics exports a node label only when its `--metric-labels-allowlist` names
 * it (`nodes=[karpenter.sh/capacity-type,...]`), as `label_` + the name with every other character an underscore and
 * camelCase turned to snake_case (kube-state-metrics internal/store/utils.go, `labelName`).
 */
import { spotInterruptionRate, type SpotInterruptionRate, type SpotNodePresence } from '../engine/capacity';
import { DEFAULT_GPU_RESOURCE, type MetricCatalog } from './catalog';
import { matcher, selector } from './promql';
import type { PrometheusClient, RangeQueryOptions } from './types';

/** The spot labels of the common node provisioners, as kube-state-metrics names them. */
export const SPOT_NODE_LABELS: ReadonlyArray<{ label: string; value: string; node: string }> = [
  { label: 'label_karpenter_sh_capacity_type', value: 'spot', node: 'karpenter.sh/capacity-type=spot (Karpenter)' },
  {
    label: 'label_eks_amazonaws_com_capacity_type',
    value: 'SPOT',
    node: 'eks.amazonaws.com/capacityType=SPOT (EKS managed node groups)',
  },
  { label: 'label_cloud_google_com_gke_spot', value: 'true', node: 'cloud.google.com/gke-spot=true (GKE)' },
  {
    label: 'label_kubernetes_azure_com_scalesetpriority',
    value: 'spot',
    node: 'kubernetes.azure.com/scalesetpriority=spot (AKS)',
  },
];

/** Allocatable whole GPUs of every node that carries one of the spot labels, by node. */
export function spotGpuNodesExpr(catalog: MetricCatalog): string {
  const spot = SPOT_NODE_LABELS.map((l) => selector('kube_node_labels', [matcher(l.label, '=', l.value)])).join(' or ');
  const gpus = selector(catalog.name('kube_node_status_allocatable'), [
    matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE)),
  ]);
  return `max by (node) (${gpus}) * on (node) group_left () max by (node) (${spot})`;
}

export interface SpotChurn extends SpotInterruptionRate {
  nodes: SpotNodePresence[];
  query: string;
}

/** The spot GPU nodes sampled every step over the window, and the interruption rate their churn gives. */
export async function fetchSpotChurn(
  client: PrometheusClient,
  catalog: MetricCatalog,
  range: Required<Pick<RangeQueryOptions, 'startSeconds' | 'endSeconds' | 'stepSeconds'>>,
  signal?: AbortSignal
): Promise<SpotChurn> {
  const query = spotGpuNodesExpr(catalog);
  const result = await client.queryRange(query, range, signal);
  const nodes = result.series
    .filter((s) => s.timestampsSeconds.length > 0)
    .map((s) => ({
      node: s.labels.node ?? '',
      // The most GPUs the node offered: allocatable dips while the device plugin restarts.
      gpus: Math.max(...s.values),
      firstSeenSeconds: s.timestampsSeconds[0],
      lastSeenSeconds: s.timestampsSeconds[s.timestampsSeconds.length - 1],
    }));
  return { ...spotInterruptionRate({ nodes, ...range }), nodes, query };
}
