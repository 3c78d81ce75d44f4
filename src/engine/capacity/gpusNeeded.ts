import { CapacityInputError } from './errors';

export interface GpusNeededOptions {
  /** Demand one GPU serves when fully busy, in the demand's unit (1 when demand is already in GPUs). */
  throughputPerGpu: number;
  /** Share of each GPU's throughput the plan may use, in (0, 1]; the rest is the safety buffer. */
  targetUtilisation: number;
  /** Never plan fewer GPUs than this (a service's minimum replicas); default 0. */
  minimumGpus?: number;
}

/**
 * Quotients within this relative distance of a whole number count as that number: 0.3 / 0.1 is 2.9999999999999996
 * in binary and 0.6 / 0.2 is 3.0000000000000004, and neither should decide whether one more GPU is bought.
 */
const WHOLE_NUMBER_TOLERANCE = 1e-9;

/**
 * GPUs per step, the capacity requirement of docs/formulas.md: ceil(demand / (throughputPerGpu × targetUtilisation)). Demand
 * below zero (a forecast dipping under zero) needs no GPUs.
 */
export function gpusNeeded(demand: readonly number[], options: GpusNeededOptions): number[] {
  const { throughputPerGpu, targetUtilisation } = options;
  const minimumGpus = options.minimumGpus ?? 0;
  if (!Number.isFinite(throughputPerGpu) || throughputPerGpu <= 0) {
    throw new CapacityInputError(
      'throughputPerGpu',
      `Throughput per GPU must be a positive number, got ${throughputPerGpu}. Enter it from a benchmark, or ` +
        'calibrate it from served throughput and busy GPUs.'
    );
  }
  if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
    throw new CapacityInputError(
      'targetUtilisation',
      `Target utilisation must be a share in (0, 1], e.g. 0.8 for 80 %, got ${targetUtilisation}.`
    );
  }
  if (!Number.isInteger(minimumGpus) || minimumGpus < 0) {
    throw new CapacityInputError(
      'minimumGpus',
      `The minimum GPU count must be a whole number ≥ 0, got ${minimumGpus}.`
    );
  }
  const perGpu = throughputPerGpu * targetUtilisation;
  return demand.map((d, i) => {
    if (!Number.isFinite(d)) {
      throw new CapacityInputError('demand', `Demand at step ${i} is ${d}; fill or trim gaps before planning.`);
    }
    const ratio = Math.max(0, d) / perGpu;
    const nearest = Math.round(ratio);
    const gpus = Math.abs(ratio - nearest) <= WHOLE_NUMBER_TOLERANCE * Math.max(1, ratio) ? nearest : Math.ceil(ratio);
    return Math.max(minimumGpus, gpus);
  });
}
