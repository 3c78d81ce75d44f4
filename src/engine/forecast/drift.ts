import type { Forecaster, ForecastInput, ModelForecast } from './types';

/**
 * Random walk with drift: the last value plus h times the mean step-to-step change over the training window,
 * (last − first) / (n − 1). A trend model with nothing to fit, so it cannot over-fit a short window; with the naive
 * forecast it is the baseline a fitted model has to beat on a trending series.
 */
export function drift(name = 'drift'): Forecaster {
  return {
    name,
    minHistorySteps: () => 2,
    forecast({ values, horizonSteps }: ForecastInput): ModelForecast {
      const n = values.length;
      const last = values[n - 1];
      const slope = (last - values[0]) / (n - 1);
      const mean = Array.from({ length: horizonSteps }, (_, h) => last + (h + 1) * slope);
      const residuals = values.slice(1).map((v, i) => v - values[i] - slope);
      return { mean, residuals };
    },
  };
}
