/**
 * Places a gang of pods on free slots, all or nothing. Pure: reads who holds each slot, returns a plan.
 * Best fit: each pod goes to the eligible node with the fewest free matching slots that still fit it,
 * which keeps whole nodes free for big gangs (as bin-packing schedulers are configured to do).
 */
import { GpuRequest } from './fleetSpec';
import { FleetLayout, NodeInfo, SlotInfo } from './layout';

/** Marks a free slot in the `holder` array. */
export const FREE = -1;

function slotMatches(node: NodeInfo, slot: SlotInfo, request: GpuRequest): boolean {
  if (request.kind === 'gpu') {
    return !node.mig && request.gpuModels.includes(node.model);
  }
  return slot.migProfile === request.profile;
}

/** Free slots on `node` usable by `request`, skipping those already promised in `taken`. */
function freeMatchingSlots(
  layout: FleetLayout,
  holder: Int32Array,
  node: NodeInfo,
  request: GpuRequest,
  taken: Set<number>
): number[] {
  const free: number[] = [];
  for (let s = node.firstSlot; s < node.firstSlot + node.slotCount; s++) {
    if (holder[s] === FREE && !taken.has(s) && slotMatches(node, layout.slots[s], request)) {
      free.push(s);
    }
  }
  return free;
}

/** Slots per pod for the whole gang, or null when any pod cannot be placed (nothing is changed then). */
export function placeGang(layout: FleetLayout, holder: Int32Array, podRequests: GpuRequest[]): number[][] | null {
  const taken = new Set<number>();
  const plan: number[][] = [];
  for (const request of podRequests) {
    let best: number[] | null = null;
    for (const node of layout.nodes) {
      const free = freeMatchingSlots(layout, holder, node, request, taken);
      if (free.length >= request.count && (best === null || free.length < best.length)) {
        best = free;
      }
    }
    if (best === null) {
      return null;
    }
    const chosen = best.slice(0, request.count);
    chosen.forEach((s) => taken.add(s));
    plan.push(chosen);
  }
  return plan;
}
