/**
 * The template-variable filters of a fragmentation query applied to a fleet state. Node and GPU model pick the nodes
 * whose free GPUs are measured; namespace picks whose requests matter: the pending pods (and, in the query, the
 * requests the workload is learnt from). Filtering after the fetch keeps one fleet state for every view.
 */
import type { FleetNode, FleetState } from '../../prometheus/fleetState';
import type { FleetFilters } from '../../prometheus/types';

const anyOf = (wanted: readonly string[] | undefined, values: readonly string[]) =>
  !wanted || wanted.length === 0 || values.some((v) => wanted.includes(v));

/** Every GPU model on a node: its whole GPUs (`A|B` on a mixed node) and its MIG GPUs. */
export function modelsOf(node: FleetNode): string[] {
  return [...node.gpuModel.split('|').filter(Boolean), ...node.migGpus.map((g) => g.model)];
}

export function filterFleet(state: FleetState, filters: FleetFilters): FleetState {
  const nodes = state.nodes.filter((n) => anyOf(filters.nodes, [n.name]) && anyOf(filters.gpuModels, modelsOf(n)));
  const kept = new Set(nodes.map((n) => n.name));
  const inNamespaces = (id: string) => anyOf(filters.namespaces, [id.slice(0, id.indexOf('/'))]);
  return {
    ...state,
    nodes,
    runningPods: state.runningPods.filter((p) => kept.has(p.node)),
    pendingPods: state.pendingPods.filter((p) => inNamespaces(p.id)),
  };
}
