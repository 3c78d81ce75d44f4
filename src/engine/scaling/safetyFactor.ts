import { CapacityInputError } from '../capacity/errors';

/**
 * The seed's default buffer on top of the planned GPUs for limits and maximum sizes: the plan already provisions for
 * the upper bound of the forecast interval, and 20 % more leaves room for a forecast that is wrong in a way its
 * interval did not foresee (a launch, a new tenant) before a person re-plans.
 */
export const DEFAULT_SAFETY_FACTOR = 1.2;

/** A safety factor is a multiplier of at least 1: below 1 it would cut the plan instead of buffering it. */
export function checkSafetyFactor(safetyFactor: number): void {
  if (!(Number.isFinite(safetyFactor) && safetyFactor >= 1)) {
    throw new CapacityInputError(
      'safetyFactor',
      `The safety factor multiplies the planned GPUs and must be a number ≥ 1 (1.2 adds 20 %), got ${safetyFactor}.`
    );
  }
}

/** `gpus` times the factor, rounded up to whole GPUs (1e-9 absorbs 10 × 1.2 = 12.000000000000002). */
export function withSafety(gpus: number, safetyFactor: number): number {
  return Math.ceil(gpus * safetyFactor - 1e-9);
}
