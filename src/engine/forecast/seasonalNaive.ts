import { seasonSteps } from './seasons';
import type { Forecaster, ForecastInput, ModelForecast } from './types';

/** Repeats the last full season; for a one-step "season" that is the naive last-value forecast. */
export function seasonalNaive(name: string, periodSeconds: number | 'step'): Forecaster {
  const period = (stepSeconds: number) => (periodSeconds === 'step' ? 1 : seasonSteps(periodSeconds, stepSeconds));
  return {
    name,
    minHistorySteps: (stepSeconds) => {
      const p = period(stepSeconds);
      return p === 0 ? Number.POSITIVE_INFINITY : p;
    },
    forecast({ values, stepSeconds, horizonSteps }: ForecastInput): ModelForecast {
      const p = period(stepSeconds);
      const n = values.length;
      const mean = Array.from({ length: horizonSteps }, (_, h) => values[n - p + (h % p)]);
      const residuals = values.slice(p).map((v, i) => v - values[i]);
      return { mean, residuals };
    },
  };
}
