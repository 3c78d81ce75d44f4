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
  /** Spend since the month began, at each time. */
  monthToDate: number[];
  /** The straight line the observed rate draws from the month's start to its end. */
  projection: number[];
  monthToDateCost: number;
  burnPerHour: number;
  projectedMonthCost: number;
  monthlyBudget?: number;
  projectedShareOfBudget?: number;
  /** When the projection reaches the budget, if it does before the month ends. */
  budgetReachedAtSeconds?: number;
  /** Observed hours / elapsed hours of the month: below 1 the month-to-date misses unobserved hours. */
  observedShareOfElapsed: number;
}

/**
 * Month-to-date spend and its projection to the month's end, the way analyseWaste projects the budget: each observed
 * sample stands for one step at its rate, and the observed mean rate stands in for every hour of the month.
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
  const reachedAfterHours = monthlyBudget !== undefined && burnPerHour > 0 ? monthlyBudget / burnPerHour : Infinity;
  return {
    monthStartSeconds: month.startSeconds,
    monthEndSeconds: month.endSeconds,
    timestampsSeconds: times,
    monthToDate,
    projection: times.map((t) => (burnPerHour * (t - month.startSeconds)) / 3600),
    monthToDateCost: spent,
    burnPerHour,
    projectedMonthCost,
    monthlyBudget,
    projectedShareOfBudget: monthlyBudget === undefined ? undefined : projectedMonthCost / monthlyBudget,
    budgetReachedAtSeconds:
      reachedAfterHours < monthHours ? month.startSeconds + Math.round(reachedAfterHours * 3600) : undefined,
    observedShareOfElapsed: elapsedHours > 0 ? Math.min(1, observedHours / elapsedHours) : 1,
  };
}
