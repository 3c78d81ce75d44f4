import type { AutoETS } from '@bsull/augurs/ets';
import type { MSTL } from '@bsull/augurs/mstl';
import { DAY_SECONDS, WEEK_SECONDS, seasonSteps } from './seasons';
import type { Forecaster, ForecastInput, ModelForecast } from './types';

/**
 * The augurs classes, passed in by the caller once their WebAssembly is initialised (Node reads the
 * .wasm bytes, the browser fetches them); the engine itself never loads files.
 */
export interface AugursModels {
  MSTL: Pick<typeof MSTL, 'ets'>;
  AutoETS: typeof AutoETS;
}

/** Seasons (in steps) with at least two full cycles in the history; MSTL cannot estimate fewer. */
function usableSeasons(n: number, stepSeconds: number): number[] {
  return [DAY_SECONDS, WEEK_SECONDS]
    .map((period) => seasonSteps(period, stepSeconds))
    .filter((p) => p > 0 && n >= 2 * p);
}

function inSampleResiduals(values: readonly number[], fitted: number[]): number[] {
  return fitted.map((f, k) => values[k] - f).filter(Number.isFinite);
}

/** MSTL decomposition (daily and weekly seasons) with an AutoETS trend, from augurs. */
export function augursMstl(augurs: AugursModels): Forecaster {
  return {
    name: 'mstl',
    minHistorySteps: (stepSeconds) => 2 * Math.max(seasonSteps(DAY_SECONDS, stepSeconds), 1),
    forecast({ values, stepSeconds, horizonSteps }: ForecastInput): ModelForecast {
      const model = augurs.MSTL.ets(usableSeasons(values.length, stepSeconds), { impute: false });
      try {
        model.fit(Float64Array.from(values));
        const mean = model.predict(horizonSteps).point;
        return { mean, residuals: inSampleResiduals(values, model.predictInSample().point) };
      } finally {
        model.free();
      }
    },
  };
}

/**
 * AutoETS (additive/multiplicative error, trend and season chosen by AICc) with the daily season
 * when two days are available; the non-seasonal search is the fallback when no seasonal model fits.
 */
export function augursEts(augurs: AugursModels): Forecaster {
  const fit = (values: readonly number[], season: number, spec: string, horizonSteps: number) => {
    const model = new augurs.AutoETS(season, spec);
    try {
      model.fit(Float64Array.from(values));
      return model.predict(horizonSteps).point;
    } finally {
      model.free();
    }
  };
  return {
    name: 'ets',
    minHistorySteps: () => 10,
    forecast({ values, stepSeconds, horizonSteps }: ForecastInput): ModelForecast {
      const daily = seasonSteps(DAY_SECONDS, stepSeconds);
      if (daily > 0 && values.length >= 2 * daily) {
        try {
          return { mean: fit(values, daily, 'ZZZ', horizonSteps) };
        } catch {
          // No seasonal ETS model converged on this history; the non-seasonal search below may.
        }
      }
      return { mean: fit(values, 1, 'ZZN', horizonSteps) };
    },
  };
}
