/**
 * Fits shared between the runs of one forecast task. The panel's forecast and its held-out check (holdout.ts) each
 * run auto mode, and the check's backtest table runs every model alone on the same shortened history: the same model
 * is fitted again and again on exactly the same window (the check's backtest origins are calibration origins of the
 * forecast, and its single-model runs repeat the fits its auto run made). A model's forecast depends on its input
 * alone, so each distinct input is fitted once and every later run reads that fit: the numbers are the ones the runs
 * would compute on their own.
 */
import type { BusinessEvent } from './calendar';
import type { Forecaster, ForecastInput, ModelForecast } from './types';

interface Fit {
  input: ForecastInput;
  forecast: ModelForecast;
}

/** The same fit: same window (values compared one by one), same clock, same horizon, the same calendar object. */
function sameInput(a: ForecastInput, b: ForecastInput): boolean {
  if (
    a.values.length !== b.values.length ||
    a.startSeconds !== b.startSeconds ||
    a.stepSeconds !== b.stepSeconds ||
    a.horizonSteps !== b.horizonSteps ||
    !sameEvents(a.events, b.events)
  ) {
    return false;
  }
  for (let i = a.values.length - 1; i >= 0; i--) {
    if (!Object.is(a.values[i], b.values[i])) {
      return false;
    }
  }
  return true;
}

const sameEvents = (a?: readonly BusinessEvent[], b?: readonly BusinessEvent[]) =>
  a === b || ((a?.length ?? 0) === 0 && (b?.length ?? 0) === 0);

/** Each caller gets its own arrays: auto mode writes into the mean it chose (auto.ts, `later`). */
const copied = (forecast: ModelForecast): ModelForecast => ({
  ...forecast,
  mean: [...forecast.mean],
  ...(forecast.residuals ? { residuals: [...forecast.residuals] } : {}),
  ...(forecast.eventEffects ? { eventEffects: { ...forecast.eventEffects } } : {}),
});

/**
 * The models, each fitting a given input once for as long as the returned models live (one task: the cache is never
 * emptied, so do not keep them across tasks). A fit that throws is not kept; the next run throws again.
 */
export function withSharedFits(models: readonly Forecaster[]): Forecaster[] {
  return models.map((model): Forecaster => {
    const fits: Fit[] = [];
    return {
      name: model.name,
      ...(model.usesEvents ? { usesEvents: true } : {}),
      minHistorySteps: (stepSeconds) => model.minHistorySteps(stepSeconds),
      forecast(input) {
        const known = fits.find((fit) => sameInput(fit.input, input));
        if (known) {
          return copied(known.forecast);
        }
        const forecast = model.forecast(input);
        fits.push({ input: { ...input, values: [...input.values] }, forecast: copied(forecast) });
        return forecast;
      },
    };
  });
}
