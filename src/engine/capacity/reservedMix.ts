import { CapacityInputError } from './errors';

export interface GpuPrices {
  /** Effective price of a committed GPU per hour, paid whether it is used or not. */
  reservedPerGpuHour: number;
  onDemandPerGpuHour: number;
  /** Needed only when part of the demand is interruptible. */
  spotPerGpuHour?: number;
}

export interface ReservedMixOptions {
  /** Share of each hour's demand that tolerates interruption and runs on spot, in [0, 1]; default 0. */
  interruptibleShare?: number;
}

export interface ReservedMix {
  reservedGpus: number;
  /** The newsvendor's critical ratio 1 − r/o: the share of hours the reserved GPUs should cover in full. */
  quantile: number;
  /** Reserved, on-demand and spot cost over the window divided by its hours. */
  expectedCostPerHour: number;
  /** Firm demand above the reserved count, summed over the hours. */
  onDemandGpuHours: number;
  spotGpuHours: number;
  /** Every GPU-hour of demand at the on-demand price, per hour: the cost without any plan. */
  costAllOnDemandPerHour: number;
  savingsPerHour: number;
}

/** Floating-point noise allowance when a count or a cost comparison lands on a whole number or a tie. */
const TIE_TOLERANCE = 1e-9;

/**
 * The cheapest mix of reserved, on-demand and spot GPUs for an hourly demand over a commitment window
 * (docs/formulas.md, the newsvendor). The interruptible share of every hour runs on spot; the rest (firm demand) on
 * reserved GPUs first and on-demand GPUs above them. Spot work is not placed on idle reserved GPUs, which keeps the
 * reserved decision the classic one and overstates the cost slightly when both exist.
 *
 * Each reserved GPU costs r every hour and saves o in every hour whose firm demand exceeds it, so adding one pays
 * while the share of hours with demand above the count exceeds r/o: the optimum is the (1 − r/o) quantile of the
 * hourly firm demand. For fractional demand the optimum of the convex cost lies at that quantile and the best whole
 * count is the cheaper of its floor and ceiling.
 */
export function reservedMix(
  hourlyDemandGpus: readonly number[],
  prices: GpuPrices,
  options: ReservedMixOptions = {}
): ReservedMix {
  const { reservedPerGpuHour: r, onDemandPerGpuHour: o, spotPerGpuHour } = prices;
  const share = options.interruptibleShare ?? 0;
  validate(hourlyDemandGpus, prices, share);
  const hours = hourlyDemandGpus.length;
  const demand = hourlyDemandGpus.map((d) => Math.max(0, d));
  const firm = demand.map((d) => d * (1 - share));
  const spotGpuHours = demand.reduce((sum, d) => sum + d * share, 0);
  const spotCost = share > 0 ? spotGpuHours * spotPerGpuHour! : 0;

  const onDemandGpuHoursWith = (reserved: number) => firm.reduce((sum, f) => sum + Math.max(0, f - reserved), 0);
  const costWith = (reserved: number) => reserved * r * hours + onDemandGpuHoursWith(reserved) * o + spotCost;

  const quantile = Math.max(0, 1 - r / o);
  const sorted = [...firm].sort((a, b) => a - b);
  // The smallest demand d with at least quantile × hours hours at or below it (the inverse empirical CDF).
  const covered = Math.ceil(quantile * hours - TIE_TOLERANCE);
  const optimum = covered <= 0 ? 0 : sorted[covered - 1];
  const below = Math.floor(optimum);
  const above = Math.ceil(optimum);
  const reservedGpus = above > below && costWith(above) < costWith(below) * (1 - TIE_TOLERANCE) ? above : below;

  const expectedCostPerHour = costWith(reservedGpus) / hours;
  const costAllOnDemandPerHour = (demand.reduce((sum, d) => sum + d, 0) * o) / hours;
  return {
    reservedGpus,
    quantile,
    expectedCostPerHour,
    onDemandGpuHours: onDemandGpuHoursWith(reservedGpus),
    spotGpuHours,
    costAllOnDemandPerHour,
    savingsPerHour: costAllOnDemandPerHour - expectedCostPerHour,
  };
}

function validate(demand: readonly number[], prices: GpuPrices, share: number): void {
  if (demand.length === 0) {
    throw new CapacityInputError('hourlyDemandGpus', 'The reserved mix needs at least one hour of demand.');
  }
  demand.forEach((d, i) => {
    if (!Number.isFinite(d)) {
      throw new CapacityInputError('hourlyDemandGpus', `Demand at hour ${i} is ${d}; fill or trim gaps first.`);
    }
  });
  const { reservedPerGpuHour, onDemandPerGpuHour, spotPerGpuHour } = prices;
  if (!(Number.isFinite(onDemandPerGpuHour) && onDemandPerGpuHour > 0)) {
    throw new CapacityInputError(
      'onDemandPerGpuHour',
      `The on-demand price must be a positive amount per GPU-hour, got ${onDemandPerGpuHour}.`
    );
  }
  if (!(Number.isFinite(reservedPerGpuHour) && reservedPerGpuHour >= 0)) {
    throw new CapacityInputError(
      'reservedPerGpuHour',
      `The reserved price must be zero or a positive amount per GPU-hour, got ${reservedPerGpuHour}.`
    );
  }
  if (!(share >= 0 && share <= 1)) {
    throw new CapacityInputError('interruptibleShare', `The interruptible share must be in [0, 1], got ${share}.`);
  }
  if (share > 0 && !(spotPerGpuHour !== undefined && Number.isFinite(spotPerGpuHour) && spotPerGpuHour >= 0)) {
    throw new CapacityInputError(
      'spotPerGpuHour',
      `Interruptible work runs on spot: enter a spot price per GPU-hour (got ${String(spotPerGpuHour)}), or set the ` +
        'interruptible share to 0.'
    );
  }
}
