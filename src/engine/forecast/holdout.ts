/**
 * An honest out-of-sample check of a forecast: hold out the newest stretch of history, refit on what came before,
 * and score the forecast against what really happened, for the chosen method and for every model alone (the
 * backtest table). Measures as docs/formulas.md defines them.
 */
import type { RawSeries } from '../series/regularise';
import { coverage, mase, seasonalNaiveMae, wape } from './accuracy';
import type { AutoForecastOptions } from './auto';
import { routedAutoForecast } from './burstyRoute';
import type { BusinessEvent } from './calendar';
import { DEFAULT_AUTO_OPTIONS, readyToFit } from './pipeline';
import { DAY_SECONDS, seasonSteps } from './seasons';
import type { Forecaster } from './types';

export interface ModelAccuracy {
  /** The model, or `<method> → <model it chose>` when the method chose among several. */
  model: string;
  wape: number;
  mase: number;
  /** Share of held-out actuals inside each interval, keyed by level ("80"). */
  coverage: Record<string, number>;
}

export interface HoldoutRequest {
  stepSeconds: number;
  /** The forecast's horizon: the hold-out is at most this long. */
  horizonSteps: number;
  levels: readonly number[];
  events?: readonly BusinessEvent[];
}

export interface HoldoutScores {
  /** The chosen method refitted without the held-out tail, scored on that tail; absent when it could not fit. */
  accuracy?: ModelAccuracy;
  /** Every model alone, scored the same way. */
  backtest: ModelAccuracy[];
  /** Steps held out; 0 when the history is too short to hold any out (then there are no scores). */
  holdoutSteps: number;
}

/** The method being checked: one model, or several that auto mode chooses among. */
export interface HoldoutMethod {
  name: string;
  models: readonly Forecaster[];
}

/**
 * Held-out WAPE above which a series is called noisy: 15 % is the usual day-ahead target of capacity planning, which
 * large fleets meet and small clusters often do not.
 */
export const NOISY_WAPE = 0.15;

const NO_SCORES: HoldoutScores = { backtest: [], holdoutSteps: 0 };

/**
 * Holds out the newest stretch (the horizon, at most a quarter of the history, and at least a day when the horizon
 * is), refits each method on the rest with the same automatic selection and intervals as the forecast itself, and
 * scores it on the steps that were really observed. WAPE; MASE against the daily seasonal-naive error of the
 * training part; coverage per level. The forecast stands without its check: a history too short or too gappy to
 * split gives no scores rather than an error.
 */
export function holdoutScores(
  raw: RawSeries,
  request: HoldoutRequest,
  method: HoldoutMethod,
  allModels: readonly Forecaster[],
  options: AutoForecastOptions = DEFAULT_AUTO_OPTIONS
): HoldoutScores {
  const { stepSeconds, levels, events } = request;
  const observed = raw.timestampsSeconds
    .map((t, i) => [t, raw.values[i]] as const)
    .filter((pair): pair is readonly [number, number] => pair[1] !== null && Number.isFinite(pair[1]));
  if (observed.length === 0) {
    return NO_SCORES;
  }
  const daily = seasonSteps(DAY_SECONDS, stepSeconds) || 1;
  const spanSteps = Math.floor((observed[observed.length - 1][0] - observed[0][0]) / stepSeconds);
  const holdoutSteps = Math.min(request.horizonSteps, Math.floor(spanSteps / 4));
  if (holdoutSteps < Math.min(daily, request.horizonSteps) || holdoutSteps < 1) {
    return NO_SCORES;
  }
  const lastBucket = Math.floor(observed[observed.length - 1][0] / stepSeconds);
  const firstBucket = lastBucket - holdoutSteps + 1;
  const cutSeconds = firstBucket * stepSeconds;
  const train = observed.filter(([t]) => t < cutSeconds);
  const actualByBucket = new Map(
    observed.filter(([t]) => t >= cutSeconds).map(([t, v]) => [Math.floor(t / stepSeconds), v])
  );
  let ready;
  try {
    ready = readyToFit({ timestampsSeconds: train.map(([t]) => t), values: train.map(([, v]) => v) }, stepSeconds);
  } catch {
    return NO_SCORES;
  }
  const scale = seasonalNaiveMae(ready.values, daily);

  const score = (name: string, models: readonly Forecaster[]): ModelAccuracy | undefined => {
    try {
      // Auto as the forecast runs it: a bursty series takes the bursty route (burstyRoute.ts).
      const result = routedAutoForecast({ ...ready, horizonSteps: holdoutSteps, levels, events }, models, options);
      // Only buckets that were really observed are compared.
      const steps = result.mean.map((_, h) => h).filter((h) => actualByBucket.has(firstBucket + h));
      const actual = steps.map((h) => actualByBucket.get(firstBucket + h)!);
      const pick = (values: number[]) => steps.map((h) => values[h]);
      return {
        model: models.length > 1 ? `${name} → ${result.model}` : name,
        wape: wape(actual, pick(result.mean)),
        mase: mase(actual, pick(result.mean), scale),
        coverage: Object.fromEntries(
          Object.entries(result.intervals).map(([level, band]) => [
            level,
            coverage(actual, pick(band.lower), pick(band.upper)),
          ])
        ),
      };
    } catch {
      // A model that cannot fit the shorter history has no score; the forecast itself lists why it was skipped.
      return undefined;
    }
  };

  return {
    accuracy: score(method.name, method.models),
    backtest: allModels.flatMap((model) => score(model.name, [model]) ?? []),
    holdoutSteps,
  };
}
