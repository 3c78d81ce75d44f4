import { CapacityInputError } from '../capacity/errors';
import { capOf, type Cap } from './cap';
import { checkSafetyFactor, withSafety } from './safetyFactor';

export interface NodeGpuBounds {
  /** GPUs the nodes should always hold: the plan's lowest hour, with the safety factor. */
  floorGpus: number;
  /** GPUs the nodes may grow to: the plan's peak hour, with the safety factor, capped at the GPUs allowed. */
  ceilingGpus: number;
  cap?: Cap;
}

/**
 * Node-level headroom from the GPUs-needed curve. The curve is planned for the forecast's upper interval bound
 * (CapacityPlan.demand.level), which is the buffer for the forecast's own uncertainty; the safety factor is on top.
 */
export function nodeGpuBounds(gpusNeeded: readonly number[], safetyFactor: number, maxGpus?: number): NodeGpuBounds {
  checkSafetyFactor(safetyFactor);
  if (gpusNeeded.length === 0) {
    throw new CapacityInputError('gpusNeeded', 'The plan has no hours: there is nothing to size the nodes for.');
  }
  const peak = withSafety(Math.max(...gpusNeeded), safetyFactor);
  const floor = withSafety(Math.max(0, Math.min(...gpusNeeded)), safetyFactor);
  const cap = capOf(peak, maxGpus, `At its peak (× safety factor ${safetyFactor}) the plan's GPUs`);
  const ceiling = cap ? cap.allowedGpus : peak;
  return { floorGpus: Math.min(floor, ceiling), ceilingGpus: ceiling, cap };
}
