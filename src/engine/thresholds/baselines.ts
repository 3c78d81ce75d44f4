import type { RowThresholds } from './replay';
import { quantileOfSorted, sortedCopy } from './robust';
import { DAY_SECONDS, HOUR_SECONDS, WEEK_SECONDS } from './slots';

/**
 * The threshold people set by hand: fixed high and low quantiles of the warm-up, never
 * recalibrated. Rows of the warm-up get NaN (nothing is deployed yet).
 */
export function staticThresholds(
  values: ReadonlyArray<number | null>,
  warmupRows: number,
  quantile: number
): RowThresholds {
  const warmup = sortedCopy(values.slice(0, warmupRows).filter((v): v is number => v !== null && Number.isFinite(v)));
  const upper = quantileOfSorted(warmup, quantile);
  const lower = quantileOfSorted(warmup, 1 - quantile);
  return {
    upper: values.map((_, i) => (i < warmupRows ? NaN : upper)),
    lower: values.map((_, i) => (i < warmupRows ? NaN : lower)),
  };
}

/**
 * Bands in the style of grafana/promql-anomaly-detection, built from its description: the mean
 * of the last day ± 2 standard deviations of the last day, plus seasonal bands centred on the
 * mean of the hour around the same time one day and one week earlier (± the same 2 standard
 * deviations). A value is anomalous when it is outside every available band, so the thresholds
 * are the widest of them. Recomputed at every row from the rows strictly before it.
 */
export function grafanaStyleThresholds(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  warmupRows: number
): RowThresholds {
  const n = timestampsSeconds.length;
  const count = new Float64Array(n + 1);
  const sum = new Float64Array(n + 1);
  const sumSquares = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const ok = v !== null && Number.isFinite(v);
    count[i + 1] = count[i] + (ok ? 1 : 0);
    sum[i + 1] = sum[i] + (ok ? (v as number) : 0);
    sumSquares[i + 1] = sumSquares[i] + (ok ? (v as number) ** 2 : 0);
  }
  // Rows in [from, to) by time, as prefix-sum differences.
  const window = (fromSeconds: number, toSeconds: number) => {
    const a = firstRowAtOrAfter(timestampsSeconds, fromSeconds);
    const b = firstRowAtOrAfter(timestampsSeconds, toSeconds);
    return { count: count[b] - count[a], sum: sum[b] - sum[a], sumSquares: sumSquares[b] - sumSquares[a] };
  };
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  for (let i = warmupRows; i < n; i++) {
    const t = timestampsSeconds[i];
    const day = window(t - DAY_SECONDS, t);
    if (day.count < 2) {
      continue;
    }
    const mean = day.sum / day.count;
    const twoSigma = 2 * Math.sqrt(Math.max(0, day.sumSquares / day.count - mean * mean));
    const centres = [mean];
    for (const periodSeconds of [DAY_SECONDS, WEEK_SECONDS]) {
      const past = window(t - periodSeconds - HOUR_SECONDS / 2, t - periodSeconds + HOUR_SECONDS / 2);
      if (past.count > 0) {
        centres.push(past.sum / past.count);
      }
    }
    upper[i] = Math.max(...centres) + twoSigma;
    lower[i] = Math.min(...centres) - twoSigma;
  }
  return { upper, lower };
}

function firstRowAtOrAfter(sortedSeconds: readonly number[], timeSeconds: number): number {
  let lo = 0;
  let hi = sortedSeconds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedSeconds[mid] < timeSeconds) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
