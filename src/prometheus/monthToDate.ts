/**
 * The month's GPU spend so far: GPU-equivalents held by pods per model every hour since the month began (in the
 * budget's time zone), priced by the engine (`monthToDateBurn`). The Efficiency page's burn view and `headroom
 * efficiency` both call this, so they give the same month to date.
 */
import {
  monthBounds,
  monthToDateBurn,
  type MonthToDateBurn,
  type PriceCatalog,
  type PricingTier,
} from '../engine/efficiency';
import type { MetricCatalog } from './catalog';
import { fetchHeldGpusByModel } from './podActivity';
import type { FleetFilters, PrometheusClient } from './types';

/** An hour: fine enough for a month's spend, and at most 745 points per GPU model. */
export const MONTH_TO_DATE_STEP_SECONDS = 3600;

export interface MonthToDateRequest {
  /** End of the analysis: the month is the calendar month holding it. */
  nowSeconds: number;
  /** IANA time zone of the budget's month (default UTC). */
  timeZone?: string;
  filters?: FleetFilters;
  prices: PriceCatalog;
  tier: PricingTier;
  monthlyBudget?: number;
}

export async function fetchMonthToDate(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: MonthToDateRequest,
  signal?: AbortSignal
): Promise<MonthToDateBurn & { queries: Array<{ name: string; expr: string }> }> {
  const { nowSeconds, timeZone, filters, prices, tier, monthlyBudget } = request;
  const month = monthBounds(nowSeconds, timeZone);
  const held = await fetchHeldGpusByModel(
    client,
    catalog,
    { startSeconds: month.startSeconds, endSeconds: nowSeconds, stepSeconds: MONTH_TO_DATE_STEP_SECONDS, filters },
    signal
  );
  const burn = monthToDateBurn({
    byModel: held.byModel,
    prices,
    tier,
    stepSeconds: MONTH_TO_DATE_STEP_SECONDS,
    nowSeconds,
    timeZone,
    monthlyBudget,
  });
  return { ...burn, queries: held.queries };
}
