import { EfficiencyInputError } from './errors';
import { DEFAULT_BUDGET_TIME_ZONE, monthBounds } from './calendarMonth';
import type { PriceCatalog, PricingTier } from './waste';

export interface BurnInput {
  /** Evenly spaced sample times from the month's start, ascending. */
  timestampsSeconds: readonly number[];
  /** Spend rate at each time in the catalog's currency per hour; NaN where nothing was observed. */
  costPerHour: readonly number[];
  stepSeconds: number;
  /** End of the analysis ("now"): the month is the calendar month holding it, in `timeZone`. */
  nowSeconds: number;
  monthlyBudget?: number;
  /** IANA time zone of the budget's calendar month (default UTC). */
  timeZone?: string;
}

export interface BurnSeries {
  timeZone: string;
  monthStartSeconds: number;
  monthEndSeconds: number;
  timestampsSeconds: number[];
  /** Spend since the month began, at each time up to now. */
  monthToDate: number[];
  /** From now to the month's end: now, every step after it, and the month's end. */
  projectionTimestampsSeconds: number[];
  /**
   * The straight line from the month-to-date at now to the projected month cost at the month's end. When every
   * elapsed hour was observed its slope is the burn rate; otherwise it also carries the unobserved hours' estimate.
   */
  projection: number[];
  monthToDateCost: number;
  burnPerHour: number;
  projectedMonthCost: number;
  monthlyBudget?: number;
  projectedShareOfBudget?: number;
  /** When spend reaches the budget: already (month to date), or along the projection before the month ends. */
  budgetReachedAtSeconds?: number;
  /** Observed hours / elapsed hours of the month: below 1 the month-to-date misses unobserved hours. */
  observedShareOfElapsed: number;
  observedHours: number;
  elapsedHours: number;
}

/**
 * Month-to-date spend and its projection to the month's end, the way analyseWaste projects the budget: each observed
 * sample stands for the step after it (cut at now, so a sample at now adds nothing yet) at its rate, and the observed
 * mean rate stands in for every hour of the month. The
 * projection line joins the month-to-date now to that projected month cost, so a burn-up chart and the projected
 * month agree.
 */
export function monthlyBurn(input: BurnInput): BurnSeries {
  const { timestampsSeconds, costPerHour, stepSeconds, nowSeconds, monthlyBudget } = input;
  const timeZone = input.timeZone ?? DEFAULT_BUDGET_TIME_ZONE;
  if (timestampsSeconds.length !== costPerHour.length) {
    throw new EfficiencyInputError(
      'costPerHour',
      `${timestampsSeconds.length} times and ${costPerHour.length} spend rates: give one rate per time.`
    );
  }
  if (!(stepSeconds > 0)) {
    throw new EfficiencyInputError('stepSeconds', `The step must be > 0 s, got ${stepSeconds}.`);
  }
  if (monthlyBudget !== undefined && !(monthlyBudget > 0)) {
    throw new EfficiencyInputError('monthlyBudget', `A monthly budget must be > 0, got ${monthlyBudget}.`);
  }
  const month = monthBounds(nowSeconds, timeZone);
  const times: number[] = [];
  const monthToDate: number[] = [];
  let spent = 0;
  let observedSeconds = 0;
  timestampsSeconds.forEach((t, i) => {
    if (t < month.startSeconds || t > nowSeconds) {
      return;
    }
    const rate = costPerHour[i];
    const seconds = Math.min(stepSeconds, nowSeconds - t);
    if (Number.isFinite(rate) && seconds > 0) {
      spent += (Math.max(0, rate) * seconds) / 3600;
      observedSeconds += seconds;
    }
    times.push(t);
    monthToDate.push(spent);
  });
  const observedHours = observedSeconds / 3600;
  const burnPerHour = observedHours > 0 ? spent / observedHours : 0;
  const monthHours = (month.endSeconds - month.startSeconds) / 3600;
  const projectedMonthCost = burnPerHour * monthHours;
  const elapsedHours = Math.max(0, (nowSeconds - month.startSeconds) / 3600);
  const line = projectionLine(nowSeconds, month.endSeconds, stepSeconds, spent, projectedMonthCost);
  return {
    timeZone,
    monthStartSeconds: month.startSeconds,
    monthEndSeconds: month.endSeconds,
    timestampsSeconds: times,
    monthToDate,
    projectionTimestampsSeconds: line.timestampsSeconds,
    projection: line.values,
    monthToDateCost: spent,
    burnPerHour,
    projectedMonthCost,
    monthlyBudget,
    projectedShareOfBudget: monthlyBudget === undefined ? undefined : projectedMonthCost / monthlyBudget,
    budgetReachedAtSeconds:
      monthlyBudget === undefined ? undefined : budgetReached(monthlyBudget, times, monthToDate, line.reachedAt),
    observedShareOfElapsed: elapsedHours > 0 ? Math.min(1, observedHours / elapsedHours) : 1,
    observedHours,
    elapsedHours,
  };
}

/** GPU-equivalents held by pods of one GPU model, sampled every step since the month began. */
export interface HeldGpusByModel {
  gpuModel: string;
  timestampsSeconds: ArrayLike<number>;
  heldGpus: ArrayLike<number>;
}

export interface MonthToDateInput {
  byModel: readonly HeldGpusByModel[];
  prices: PriceCatalog;
  tier: PricingTier;
  stepSeconds: number;
  nowSeconds: number;
  timeZone?: string;
  monthlyBudget?: number;
}

export interface MonthToDateBurn extends BurnSeries {
  /** Models held this month that the catalog has no price for at the tier: they add nothing to the spend. */
  unpricedModels: string[];
}

/**
 * The month's spend from the GPU-equivalents held per model at every step since the month began (a step grid from the
 * month's start, as `monthGrid` gives), each priced at its model's price for the tier: the one calculation behind
 * the Efficiency page's burn view and `headroom efficiency`'s month to date. A step with no model held is unobserved.
 */
export function monthToDateBurn(input: MonthToDateInput): MonthToDateBurn {
  const { byModel, prices, tier, stepSeconds, nowSeconds, timeZone, monthlyBudget } = input;
  const timestampsSeconds = monthGrid(nowSeconds, stepSeconds, timeZone);
  const index = new Map(timestampsSeconds.map((t, i) => [t, i]));
  const costPerHour = timestampsSeconds.map(() => NaN);
  const unpriced = new Set<string>();
  for (const model of byModel) {
    const price = prices[model.gpuModel]?.[tier];
    if (price === undefined) {
      unpriced.add(model.gpuModel || '(unknown model)');
    }
    for (let i = 0; i < model.timestampsSeconds.length; i++) {
      const at = index.get(model.timestampsSeconds[i]);
      if (at !== undefined) {
        costPerHour[at] = (Number.isNaN(costPerHour[at]) ? 0 : costPerHour[at]) + model.heldGpus[i] * (price ?? 0);
      }
    }
  }
  const burn = monthlyBurn({ timestampsSeconds, costPerHour, stepSeconds, nowSeconds, monthlyBudget, timeZone });
  return { ...burn, unpricedModels: [...unpriced].sort() };
}

/** Sample times every step from the start of the month holding `nowSeconds` up to now. */
export function monthGrid(nowSeconds: number, stepSeconds: number, timeZone?: string): number[] {
  const { startSeconds } = monthBounds(nowSeconds, timeZone);
  const count = Math.floor((nowSeconds - startSeconds) / stepSeconds) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => startSeconds + i * stepSeconds);
}

/** The straight line from `fromCost` at `fromSeconds` to `toCost` at `toSeconds`, sampled every step. */
function projectionLine(fromSeconds: number, toSeconds: number, stepSeconds: number, fromCost: number, toCost: number) {
  const spanSeconds = toSeconds - fromSeconds;
  const at = (t: number) => fromCost + ((toCost - fromCost) * (t - fromSeconds)) / spanSeconds;
  const timestampsSeconds: number[] = [];
  for (let t = fromSeconds; t < toSeconds; t += stepSeconds) {
    timestampsSeconds.push(t);
  }
  timestampsSeconds.push(toSeconds);
  return {
    timestampsSeconds,
    values: timestampsSeconds.map(at),
    /** When the line reaches `cost`, if it does within its span. */
    reachedAt: (cost: number) =>
      toCost > fromCost && cost > fromCost && cost <= toCost
        ? fromSeconds + Math.round(((cost - fromCost) / (toCost - fromCost)) * spanSeconds)
        : undefined,
  };
}

/** The first time the month-to-date reached the budget, else when the projection will. */
function budgetReached(
  budget: number,
  times: readonly number[],
  monthToDate: readonly number[],
  alongProjection: (cost: number) => number | undefined
): number | undefined {
  const spentBy = monthToDate.findIndex((spent) => spent >= budget);
  return spentBy >= 0 ? times[spentBy] : alongProjection(budget);
}
