import type { Forecaster, ForecastInput, ModelForecast } from './types';

/**
 * Prometheus' `double_exponential_smoothing(v, sf, tf)` (named `holt_winters` before Prometheus 3), the recursion of
 * `funcDoubleExponentialSmoothing` in promql/functions.go, step for step:
 *
 *   s0 = 0, s1 = y[0], b = y[1] − y[0]
 *   for i = 1 … n−1:
 *     b  = i = 1 ? b : tf·(s1 − s0) + (1 − tf)·b      (calcTrendValue(i − 1, …); the trend lags one step)
 *     s0, s1 = s1, sf·y[i] + (1 − sf)·(s1 + b)
 *   result: s1
 *
 * Prometheus returns the smoothed value s1 alone, not s1 plus the trend, and so does this: a person who plans from
 * `double_exponential_smoothing` plans from that value. Undefined (NaN) for fewer than two samples, as Prometheus
 * returns nothing there; factors outside (0, 1) throw, as Prometheus' query fails.
 */
export function doubleExponentialSmoothing(values: readonly number[], sf: number, tf: number): number {
  if (!(sf > 0 && sf < 1)) {
    throw new RangeError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
  }
  if (!(tf > 0 && tf < 1)) {
    throw new RangeError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
  }
  if (values.length < 2) {
    return NaN;
  }
  let s0 = 0;
  let s1 = values[0];
  let b = values[1] - values[0];
  for (let i = 1; i < values.length; i++) {
    if (i > 1) {
      b = tf * (s1 - s0) + (1 - tf) * b;
    }
    const next = sf * values[i] + (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = next;
  }
  return s1;
}

export interface DoubleExponentialOptions {
  /** Prometheus' sf, 0 < sf < 1. */
  smoothingFactor: number;
  /** Prometheus' tf, 0 < tf < 1. */
  trendFactor: number;
  /** The range the query reads, in seconds (the `[1d]` of `double_exponential_smoothing(x[1d], sf, tf)`). */
  rangeSeconds: number;
}

/**
 * The forecast a Prometheus user gets from `double_exponential_smoothing(x[range], sf, tf)`: its value at the end of
 * the history, held flat over the horizon. A peer to compare against, and a candidate for bursty series, where its
 * heavy smoothing of the last hours beats models that copy yesterday's bursts.
 */
export function prometheusDoubleExponential(name: string, options: DoubleExponentialOptions): Forecaster {
  const { smoothingFactor: sf, trendFactor: tf, rangeSeconds } = options;
  return {
    name,
    minHistorySteps: () => 2,
    forecast({ values, stepSeconds, horizonSteps }: ForecastInput): ModelForecast {
      const rangeSteps = Math.max(2, Math.floor(rangeSeconds / stepSeconds));
      const level = doubleExponentialSmoothing(values.slice(-rangeSteps), sf, tf);
      return { mean: new Array<number>(horizonSteps).fill(level) };
    },
  };
}
