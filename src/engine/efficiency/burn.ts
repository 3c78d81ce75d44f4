import { EfficiencyInputError } from './errors';
import { monthBounds } from './waste';

export interface BurnInput {
  /** Evenly spaced sample times from the month's start, ascending. */
  timestampsSeconds: readonly number[];
  /** Spend rate at each time in the catalog's currency per hour; NaN where nothing was observed. */
  costPerHour: readonly number[];
  stepSeconds: number;
  /** End of the analysis ("now"): the month is the UTC calendar month holding it. */
  nowSeconds: number;
  monthlyBudget?: number;
}

export interface BurnSeries {
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
}

/**
 * Month-to-date spend and its projection to the month's end, the way analyseWaste projects the budget: each observed
 * sample stands for one step at its rate, and the observed mean rate stands in for every hour of the month. The
 * projection line joins the month-to-date now to that projected month cost, so a burn-up chart and the projected
 * month agree.
 */
export function monthlyBurn(input: BurnInput): BurnSeries {
  const { timestampsSeconds, costPerHour, stepSeconds, nowSeconds, monthlyBudget } = input;
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
  const month = monthBounds(nowSeconds);
  const times: number[] = [];
  const monthToDate: number[] = [];
  let spent = 0;
  let observedSteps = 0;
  timestampsSeconds.forEach((t, i) => {
    if (t < month.startSeconds || t > nowSeconds) {
      return;
    }
    const rate = costPerHour[i];
    if (Number.isFinite(rate)) {
      spent += (Math.max(0, rate) * stepSeconds) / 3600;
      observedSteps++;
    }
    times.push(t);
    monthToDate.push(spent);
  });
  const observedHours = (observedSteps * stepSeconds) / 3600;
  const burnPerHour = observedHours > 0 ? spent / observedHours : 0;
  const monthHours = (month.endSeconds - month.startSeconds) / 3600;
  const projectedMonthCost = burnPerHour * monthHours;
  const elapsedHours = Math.max(0, (nowSeconds - month.startSeconds) / 3600);
  const line = projectionLine(nowSeconds, month.endSeconds, stepSeconds, spent, projectedMonthCost);
  return {
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
  };
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
