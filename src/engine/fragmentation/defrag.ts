import { FragmentationInputError } from './errors';
import { analyseChecked } from './fgd';
import { allocate, fitOnNode, podsByNode, type PlacedPod } from './placement';
import type { NodeState, PodRequest, TaskType } from './types';
import {
  checkNodes,
  checkRequest,
  checkWorkload,
  GPU_MILLI,
  modelAllows,
  type CheckedNode,
  type CheckedRequest,
} from './validate';

export interface PendingRequest extends PodRequest {
  id: string;
}

export interface PodMove {
  pod: string;
  fromNode: string;
  toNode: string;
  toGpuIndexes: number[];
}

export interface DefragPlan {
  /** The largest pending request (most GPU share, then most CPU), the one the plan makes room for. */
  requestId: string;
  /** Where it fits after the moves, and on which GPUs. */
  targetNode: string;
  targetGpuIndexes: number[];
  /** Empty when it already fits somewhere. */
  moves: PodMove[];
  /** GPU share the moves release on the target node, in GPUs. */
  freedGpus: number;
  /** Cluster fragmentation F (GPUs) before and after the moves, when a workload was given. */
  fragmentedGpusBefore?: number;
  fragmentedGpusAfter?: number;
}

interface Candidate {
  node: CheckedNode;
  evicted: Array<{ pod: PlacedPod; request: CheckedRequest; positions: number[] }>;
  targetPositions: number[];
  movedMilli: number;
}

const gpuDemand = (r: CheckedRequest) => r.gpuCount * r.gpuMilli;

/**
 * Fewest pod moves that make the largest pending request placeable. The greedy, per node that could ever host it
 * (right model, enough GPUs):
 *   1. whole GPUs: pick k GPUs one at a time, each time the one needing the fewest further evictions (ties: least GPU
 *      share moved, lowest index); a shared request: the one GPU reaching the share with the fewest evictions,
 *      taking its biggest pods first. A GPU held by an allocation not in `pods` cannot be freed.
 *   2. if CPU is still short, evict the node's remaining pods with the most CPU first.
 *   3. re-place the evicted pods on the other nodes by first-fit decreasing (most GPU share first, nodes in input
 *      order, lowest-index GPUs); the node is a candidate only if they all fit.
 * Nodes are tried by (evictions, GPU share moved, name); the first one whose evictions all re-place wins. Greedy, not
 * optimal: one eviction chain (moving a pod to make room for a moved pod) is never considered.
 */
export function planDefragmentation(input: {
  nodes: readonly NodeState[];
  pods: readonly PlacedPod[];
  pending: readonly PendingRequest[];
  workload?: readonly TaskType[];
}): DefragPlan {
  const nodes = checkNodes(input.nodes);
  const pods = podsByNode(nodes, input.pods);
  if (input.pending.length === 0) {
    throw new FragmentationInputError('pending', 'No pending request to make room for.');
  }
  const requests = input.pending.map((p, i) => ({
    id: p.id,
    request: checkRequest(p, `pending[${i}]`, `Pending request "${p.id}"`),
  }));
  const { id, request } = requests.reduce((best, r) =>
    gpuDemand(r.request) > gpuDemand(best.request) ||
    (gpuDemand(r.request) === gpuDemand(best.request) && r.request.cpuMilli > best.request.cpuMilli)
      ? r
      : best
  );
  const hosts = nodes.filter(
    (n) => n.freeMilli.length >= request.gpuCount && (request.gpuCount === 0 || modelAllows(request, n.gpuModel))
  );
  if (hosts.length === 0) {
    const largest = Math.max(...nodes.map((n) => n.freeMilli.length));
    throw new FragmentationInputError(
      'pending',
      `Request "${id}" asks for ${request.gpuCount} GPUs${request.models ? ` of ${[...request.models].join('|')}` : ''}; ` +
        `no node can ever host it (the largest has ${largest} GPUs). Split it or add larger nodes.`
    );
  }
  const fragmentation = (state: readonly CheckedNode[]) =>
    input.workload ? analyseChecked(state, checkWorkload(input.workload, state, []), []).fragmentedGpus : undefined;
  const before = fragmentation(nodes);
  for (const node of hosts) {
    const positions = fitOnNode(node, request);
    if (positions) {
      return {
        requestId: id,
        targetNode: node.name,
        targetGpuIndexes: positions.map((g) => node.gpuIndexes[g]),
        moves: [],
        freedGpus: 0,
        fragmentedGpusBefore: before,
        fragmentedGpusAfter: before,
      };
    }
  }
  const candidates = hosts
    .map((node) => evictionsFor(node, pods.get(node.name) ?? [], request))
    .filter((c): c is Candidate => c !== undefined)
    .sort(
      (a, b) =>
        a.evicted.length - b.evicted.length || a.movedMilli - b.movedMilli || a.node.name.localeCompare(b.node.name)
    );
  for (const candidate of candidates) {
    const after = nodes.map((n) => ({ ...n, freeMilli: [...n.freeMilli] }));
    const target = after.find((n) => n.name === candidate.node.name)!;
    const moves = replace(candidate, after, target);
    if (moves) {
      const freedMilli = candidate.evicted.reduce((acc, e) => acc + gpuDemand(e.request), 0);
      return {
        requestId: id,
        targetNode: target.name,
        targetGpuIndexes: candidate.targetPositions.map((g) => target.gpuIndexes[g]),
        moves,
        freedGpus: freedMilli / GPU_MILLI,
        fragmentedGpusBefore: before,
        fragmentedGpusAfter: fragmentation(after),
      };
    }
  }
  throw new FragmentationInputError(
    'pending',
    `No sequence of single moves frees room for request "${id}": the pods that block it fit nowhere else.`
  );
}

/** Step 1–2 of the greedy on one node; undefined when the listed pods cannot free enough. */
function evictionsFor(
  node: CheckedNode,
  onNode: ReadonlyArray<{ pod: PlacedPod; request: CheckedRequest; positions: number[] }>,
  request: CheckedRequest
): Candidate | undefined {
  const evicted = new Set<(typeof onNode)[number]>();
  const podsOn = (g: number) => onNode.filter((p) => p.positions.includes(g));
  const freeIfCleared = (g: number) => node.freeMilli[g] + podsOn(g).reduce((acc, p) => acc + p.request.gpuMilli, 0);
  const targetPositions: number[] = [];
  if (request.gpuMilli === GPU_MILLI) {
    while (targetPositions.length < request.gpuCount) {
      let best: { g: number; count: number; milli: number } | undefined;
      for (let g = 0; g < node.freeMilli.length; g++) {
        if (targetPositions.includes(g) || freeIfCleared(g) < GPU_MILLI) {
          continue;
        }
        const extra = podsOn(g).filter((p) => !evicted.has(p));
        const milli = extra.reduce((acc, p) => acc + gpuDemand(p.request), 0);
        if (!best || extra.length < best.count || (extra.length === best.count && milli < best.milli)) {
          best = { g, count: extra.length, milli };
        }
      }
      if (!best) {
        return undefined;
      }
      targetPositions.push(best.g);
      podsOn(best.g).forEach((p) => evicted.add(p));
    }
  } else if (request.gpuCount === 1) {
    let best: { g: number; pods: typeof onNode; milli: number } | undefined;
    for (let g = 0; g < node.freeMilli.length; g++) {
      let free = node.freeMilli[g];
      const chosen: Array<(typeof onNode)[number]> = [];
      for (const p of [...podsOn(g)].sort((a, b) => b.request.gpuMilli - a.request.gpuMilli)) {
        if (free >= request.gpuMilli) {
          break;
        }
        chosen.push(p);
        free += p.request.gpuMilli;
      }
      const milli = chosen.reduce((acc, p) => acc + gpuDemand(p.request), 0);
      if (
        free >= request.gpuMilli &&
        (!best || chosen.length < best.pods.length || (chosen.length === best.pods.length && milli < best.milli))
      ) {
        best = { g, pods: chosen, milli };
      }
    }
    if (!best) {
      return undefined;
    }
    targetPositions.push(best.g);
    best.pods.forEach((p) => evicted.add(p));
  }
  let cpuFree = node.cpuFreeMilli + [...evicted].reduce((acc, p) => acc + p.request.cpuMilli, 0);
  for (const p of [...onNode].sort((a, b) => b.request.cpuMilli - a.request.cpuMilli)) {
    if (cpuFree >= request.cpuMilli) {
      break;
    }
    if (!evicted.has(p)) {
      evicted.add(p);
      cpuFree += p.request.cpuMilli;
    }
  }
  if (cpuFree < request.cpuMilli) {
    return undefined;
  }
  const list = [...evicted];
  return { node, evicted: list, targetPositions, movedMilli: list.reduce((acc, p) => acc + gpuDemand(p.request), 0) };
}

/** Step 3: evicts from `target` (a copy) and first-fit-decreasing re-places elsewhere; undefined if one fits nowhere. */
function replace(candidate: Candidate, after: CheckedNode[], target: CheckedNode): PodMove[] | undefined {
  for (const e of candidate.evicted) {
    allocate(target, e.request, e.positions, -1);
  }
  const order = [...candidate.evicted].sort(
    (a, b) =>
      gpuDemand(b.request) - gpuDemand(a.request) ||
      b.request.cpuMilli - a.request.cpuMilli ||
      a.pod.name.localeCompare(b.pod.name)
  );
  const moves: PodMove[] = [];
  for (const e of order) {
    const home = after.find((n) => n !== target && fitOnNode(n, e.request));
    if (!home) {
      return undefined;
    }
    const positions = fitOnNode(home, e.request)!;
    allocate(home, e.request, positions);
    moves.push({
      pod: e.pod.name,
      fromNode: target.name,
      toNode: home.name,
      toGpuIndexes: positions.map((g) => home.gpuIndexes[g]),
    });
  }
  return moves;
}
