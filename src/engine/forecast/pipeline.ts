import { fitReady, type FitReadySeries } from '../series/fitReady';
import { regularise, type RawSeries } from '../series/regularise';
import type { AutoForecast, AutoForecastOptions } from './auto';
import { augursMstl, type AugursModels } from './augurs';
import { routedAutoForecast } from './burstyRoute';
import type { BusinessEvent } from './calendar';
import { drift } from './drift';
import { fourierRegression } from './regression';
import { seasonalNaive } from './seasonalNaive';
import { DAY_SECONDS, WEEK_SECONDS, seasonSteps } from './seasons';
import type { Forecaster } from './types';

/**
 * `combination`: at each step the median of the forecasts of the best seven by backtest MAE among those within 3× the
 * best one's, weighted by inverse MAE (README.md, "Choosing how auto combines"). Leave one family out on the
 * development series (`npm run bench:forecast -- --lofo`) the folds chose it or the plain median of the best five
 * within 3× (10 of 13 folds between them; mean log median MASE over all families −0.071 and −0.072); of the two
 * only the weighted one stays close to the naive forecast where that is clearly best (staircases: 3 % over naive's
 * error, the plain median 30 %; test in auto.test.ts).
 */
export const DEFAULT_AUTO_OPTIONS: AutoForecastOptions = {
  origins: 5,
  maxTrainSteps: 28 * 24,
  maxBlendSize: 7,
  combination: { rule: 'weighted-median', size: 7, within: 3 },
  calibrationOrigins: 14,
};

/** Gaps up to this long are bridged linearly; longer ones are filled from the previous season. */
const MAX_BRIDGE_SECONDS = 3 * 3600;

/**
 * Every model auto mode chooses from; MSTL only when the caller has initialised augurs. AutoETS is
 * left out: on the benchmark series it scored like the naive forecast at ~50 ms per fit, and auto
 * fits each model once per backtest origin.
 */
export function defaultForecasters(augurs?: AugursModels): Forecaster[] {
  const models: Forecaster[] = [
    seasonalNaive('seasonal_naive_day', DAY_SECONDS),
    seasonalNaive('seasonal_naive_week', WEEK_SECONDS),
    fourierRegression({ dailyHarmonics: 6, weeklyHarmonics: 3 }),
  ];
  if (augurs) {
    models.push(augursMstl(augurs));
  }
  models.push(seasonalNaive('naive', 'step'), drift());
  return models;
}

export interface ForecastRequest {
  stepSeconds: number;
  horizonSteps: number;
  levels: readonly number[];
  /** Business calendar (see calendar.ts); optional. */
  events?: readonly BusinessEvent[];
}

/** Raw samples (irregular, with nulls) to an automatic forecast on the requested step. */
export function forecastRaw(
  raw: RawSeries,
  request: ForecastRequest,
  models: readonly Forecaster[],
  options: AutoForecastOptions = DEFAULT_AUTO_OPTIONS
): AutoForecast {
  const { stepSeconds, horizonSteps, levels, events } = request;
  if (!Number.isInteger(horizonSteps) || horizonSteps <= 0) {
    throw new RangeError(`horizon must be a positive whole number of steps, got ${horizonSteps}`);
  }
  if (levels.some((l) => !(l > 0 && l < 100))) {
    throw new RangeError(`levels must be percentages between 0 and 100, got ${levels.join(', ')}`);
  }
  // Forecasts start after the last bucket of the grid, even when trailing buckets were missing. A bursty fine-step
  // series gets the bursty candidates and the peak envelope (burstyRoute.ts); any other, autoForecast.
  return routedAutoForecast({ ...readyToFit(raw, stepSeconds), horizonSteps, levels, events }, models, options);
}

/** Raw samples to a fit-ready series on the step: mean per step, short gaps bridged, long ones filled. */
export function readyToFit(raw: RawSeries, stepSeconds: number): FitReadySeries {
  const regular = regularise(raw, {
    stepSeconds,
    aggregation: 'mean',
    maxBridgeSteps: Math.max(1, Math.floor(MAX_BRIDGE_SECONDS / stepSeconds)),
    minObservedSteps: 2,
  });
  return fitReady(regular, seasonSteps(DAY_SECONDS, stepSeconds));
}
