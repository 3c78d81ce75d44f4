import { FragmentationInputError } from './errors';
import type { NodeState, PodRequest } from './types';
import { checkNodes, checkRequest, modelAllows, type CheckedNode, type CheckedRequest } from './validate';

/** A pod with its place: the node and the indexes of the GPUs it holds (gpuMilli of each). */
export interface PlacedPod extends PodRequest {
  name: string;
  node: string;
  gpuIndexes: number[];
}

/**
 * First fit of one request on one node: the positions (in the node's GPU list) it would take, or undefined when it
 * does not fit. A shared request takes the first GPU with enough free share, whole GPUs the first fully free ones.
 */
export function fitOnNode(node: CheckedNode, request: CheckedRequest): number[] | undefined {
  if (node.cpuFreeMilli < request.cpuMilli || (request.gpuCount > 0 && !modelAllows(request, node.gpuModel))) {
    return undefined;
  }
  const positions: number[] = [];
  for (let g = 0; g < node.freeMilli.length && positions.length < request.gpuCount; g++) {
    if (node.freeMilli[g] >= request.gpuMilli) {
      positions.push(g);
    }
  }
  return positions.length === request.gpuCount ? positions : undefined;
}

/** Takes a request's CPU and GPU share off a node (negative `sign` gives it back). */
export function allocate(node: CheckedNode, request: CheckedRequest, positions: readonly number[], sign = 1): void {
  node.cpuFreeMilli -= sign * request.cpuMilli;
  for (const g of positions) {
    node.freeMilli[g] -= sign * request.gpuMilli;
  }
}

export interface FirstFitResult {
  /** The nodes with what is left free after placing. */
  nodes: NodeState[];
  placed: PlacedPod[];
  /** Names of pods that fitted nowhere, in the order they were tried. */
  unplaced: string[];
}

/**
 * Places pods one by one, in the order given, each on the first node (in the order given) where it fits, on the
 * lowest-index GPUs that fit (fitOnNode). This is the plain first-fit a replay of a trace needs: no scoring, no
 * look-ahead, so the result is easy to reproduce by hand. `nodes` carry their full capacity as "free".
 */
export function firstFit(
  nodes: readonly NodeState[],
  pods: ReadonlyArray<PodRequest & { name: string }>
): FirstFitResult {
  const checked = checkNodes(nodes).map((n) => ({ ...n, freeMilli: [...n.freeMilli] }));
  const placed: PlacedPod[] = [];
  const unplaced: string[] = [];
  pods.forEach((pod, i) => {
    const request = checkRequest(pod, `pods[${i}]`, `Pod "${pod.name}"`);
    for (const node of checked) {
      const positions = fitOnNode(node, request);
      if (positions) {
        allocate(node, request, positions);
        placed.push({ ...pod, node: node.name, gpuIndexes: positions.map((g) => node.gpuIndexes[g]) });
        return;
      }
    }
    unplaced.push(pod.name);
  });
  return { nodes: checked.map(toNodeState), placed, unplaced };
}

export function toNodeState(node: CheckedNode): NodeState {
  return {
    name: node.name,
    gpuModel: node.gpuModel,
    gpuCount: node.freeMilli.length,
    cpuFreeMilli: node.cpuFreeMilli,
    gpus: node.freeMilli.map((freeMilli, g) => ({ index: node.gpuIndexes[g], freeMilli })),
  };
}

/** Validates placed pods against the nodes and returns, per node name, its pods with their GPU positions. */
export function podsByNode(
  nodes: readonly CheckedNode[],
  pods: readonly PlacedPod[]
): Map<string, Array<{ pod: PlacedPod; request: CheckedRequest; positions: number[] }>> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const result = new Map<string, Array<{ pod: PlacedPod; request: CheckedRequest; positions: number[] }>>();
  const names = new Set<string>();
  pods.forEach((pod, i) => {
    const field = `pods[${i}]`;
    if (names.has(pod.name)) {
      throw new FragmentationInputError(
        `${field}.name`,
        `Pod "${pod.name}" is listed twice; pod names must be unique.`
      );
    }
    names.add(pod.name);
    const node = byName.get(pod.node);
    if (!node) {
      throw new FragmentationInputError(
        `${field}.node`,
        `Pod "${pod.name}" is on node "${pod.node}", which is not in the state.`
      );
    }
    const request = checkRequest(pod, field, `Pod "${pod.name}"`);
    const positions = pod.gpuIndexes.map((index) => node.gpuIndexes.indexOf(index));
    if (
      positions.length !== request.gpuCount ||
      positions.some((g) => g < 0) ||
      new Set(positions).size !== positions.length
    ) {
      throw new FragmentationInputError(
        `${field}.gpuIndexes`,
        `Pod "${pod.name}" asks for ${request.gpuCount} GPUs but holds [${pod.gpuIndexes.join(', ')}] on ` +
          `"${pod.node}" (GPUs ${node.gpuIndexes.join(', ')}); list each GPU it holds once.`
      );
    }
    const list = result.get(node.name) ?? [];
    list.push({ pod, request, positions });
    result.set(node.name, list);
  });
  return result;
}
