/**
 * The month-end projection of GPU spend in PromQL, for the budget guard rails: month to date + current burn × the
 * hours left in the month, in the budget's time zone. Evaluated by Grafana's alerting (an instant query at the rule's
 * evaluation time) long after the browser is closed. docs/budget-guard-rails.md works the formula through.
 */
import { dcgmGpuEquivalents } from '../../prometheus/inventoryQueries';
import { anyOfMatcher, matcher, selector } from '../../prometheus/promql';
import { costByModelExpr, pricedModels } from './pricedGpus';

export interface BudgetSpendSpec {
  /** Price per GPU-hour by DCGM `modelName`; GPUs of other models add nothing (as on the Efficiency page). */
  pricesPerGpuHour: Record<string, number>;
  /** Seconds to add to UTC near the month boundary in each UTC month 1–12 (`monthBoundaryOffsetsSeconds`). */
  monthBoundaryOffsetsSeconds: readonly number[];
  /** DCGM series with one sample per whole GPU and per MIG instance (default `DCGM_FI_DEV_FB_USED`). */
  deviceMetric?: string;
  /** Workload label on DCGM series (`exported_pod` when relabelled on scrape). */
  podLabel?: string;
}

/**
 * Subquery span and step of the month to date: 31 days holds any month's start, and an hour is the Efficiency page's
 * step (`MONTH_TO_DATE_STEP_SECONDS`), so both count the same hours.
 */
const MONTH_SPAN = '31d';
const MONTH_STEP = '1h';

/** `vector(time())`: the evaluation time, inside a subquery each step's time. */
const NOW = 'vector(time())';

/**
 * `time` (a one-sample vector of UTC seconds) as the budget zone's wall clock in seconds, the offset chosen by the UTC
 * month: runs of months with the same offset become one `(month >= a) * (month <= b)` term over the commonest offset.
 */
export function localSecondsExpr(time: string, offsetsSeconds: readonly number[]): string {
  if (offsetsSeconds.length !== 12) {
    throw new RangeError(`Give 12 monthly offsets, got ${offsetsSeconds.length}.`);
  }
  const counts = new Map<number, number>();
  offsetsSeconds.forEach((o) => counts.set(o, (counts.get(o) ?? 0) + 1));
  const base = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const terms: string[] = base === 0 ? [] : [String(base)];
  for (let m = 1; m <= 12;) {
    const delta = offsetsSeconds[m - 1] - base;
    let last = m;
    while (last < 12 && offsetsSeconds[last] - base === delta) {
      last++;
    }
    if (delta !== 0) {
      const month = `month(${time})`;
      const inRun = m === last ? `(${month} == bool ${m})` : `(${month} >= bool ${m}) * (${month} <= bool ${last})`;
      terms.push(`${inRun} * ${delta}`);
    }
    m = last + 1;
  }
  return terms.length === 0 ? time : `(${time} + ${terms.join(' + ')})`;
}

/** GPU spend per hour now: the GPU-equivalents held by pods (DCGM series with a pod label), priced per model. */
export function heldGpuCostExpr(spec: BudgetSpendSpec): string {
  const metric = spec.deviceMetric ?? 'DCGM_FI_DEV_FB_USED';
  const pod = spec.podLabel ?? 'pod';
  return costByModelExpr(pricedModels(spec.pricesPerGpuHour, 'budget'), (model) =>
    dcgmGpuEquivalents(
      (profile) =>
        `count without () (${selector(metric, [profile, matcher(pod, '!=', ''), anyOfMatcher('modelName', [model])])})`
    )
  );
}

/**
 * Projected month-end spend = Σ over the month's hours so far of the hourly spend rate × 1 h (each hourly sample
 * stands for its hour, the current one included) + the spend rate now × the whole hours after the current one.
 * A sample belongs to the month when its local month equals the local month at the evaluation time (`@ end()`, the
 * instant query's time, is the rule's evaluation time inside the subquery too). No held GPU gives 0, not NoData.
 */
export function projectedMonthSpendExpr(spec: BudgetSpendSpec): string {
  const rate = heldGpuCostExpr(spec);
  const local = (time: string) => localSecondsExpr(time, spec.monthBoundaryOffsetsSeconds);
  const monthNow = `last_over_time(month(${local(NOW)})[2s:1s] @ end())`;
  const monthToDate = `sum_over_time((\n${rate}\nand on () (month(${local(NOW)}) == ${monthNow})\n)[${MONTH_SPAN}:${MONTH_STEP}])`;
  const localNow = local(NOW);
  const hoursAfterCurrent = `(days_in_month(${localNow}) * 24 - (day_of_month(${localNow}) - 1) * 24 - hour(${localNow}) - 1)`;
  return `(${monthToDate} or vector(0))\n+\n(${rate} or vector(0)) * ${hoursAfterCurrent}`;
}
