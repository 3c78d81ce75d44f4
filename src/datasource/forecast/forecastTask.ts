/**
 * One forecast as the worker runs it: raw Prometheus samples in, the engine's automatic forecast plus an honest
 * out-of-sample accuracy check out. Plain data on both sides, because it crosses a postMessage boundary.
 */
import {
  autoForecast,
  coverage,
  DAY_SECONDS,
  DEFAULT_AUTO_OPTIONS,
  defaultForecasters,
  forecastRaw,
  mase,
  seasonalNaiveMae,
  seasonSteps,
  wape,
  type AugursModels,
  type Forecaster,
} from '../../engine/forecast';
import { fitReady, regularise, type RawSeries } from '../../engine/series';

export const AUTO_MODEL = 'auto';

export interface ForecastTask extends RawSeries {
  stepSeconds: number;
  horizonSteps: number;
  /** Interval levels in percent. */
  levels: number[];
  /** `auto`, or the name of one engine model. */
  model: string;
}

export interface ModelAccuracy {
  model: string;
  wape: number;
  mase: number;
  /** Share of held-out actuals inside each interval, keyed by level ("80"). */
  coverage: Record<string, number>;
}

export interface ForecastOutcome {
  model: string;
  /** No model completed a backtest, so the engine repeated the last value. */
  fallback: boolean;
  /** Timestamp of mean[0]: one step after the last bucket of the history. */
  startSeconds: number;
  stepSeconds: number;
  mean: number[];
  intervals: Record<string, { lower: number[]; upper: number[] }>;
  skipped: Array<{ model: string; reason: string }>;
  /** The history the models were fitted on. */
  trainingWindow: { startSeconds: number; endSeconds: number };
  /** The chosen method (auto or the named model) refitted without the held-out tail, scored on that tail. */
  accuracy?: ModelAccuracy;
  /** Every model scored the same way, for the backtest table. */
  backtest: ModelAccuracy[];
  /** How many hours were held out for `accuracy` and `backtest`. */
  holdoutSteps: number;
}

/** Model names the query editor and page offer, in the engine's order (MSTL only where augurs loads). */
export function modelNames(augurs?: AugursModels): string[] {
  return defaultForecasters(augurs).map((model) => model.name);
}

function chosenModels(all: Forecaster[], model: string): Forecaster[] {
  if (model === AUTO_MODEL) {
    return all;
  }
  const one = all.find((m) => m.name === model);
  if (!one) {
    throw new Error(`Unknown model "${model}": choose auto or one of ${all.map((m) => m.name).join(', ')}.`);
  }
  return [one];
}

export function runForecastTask(task: ForecastTask, augurs?: AugursModels): ForecastOutcome {
  const all = defaultForecasters(augurs);
  const models = chosenModels(all, task.model);
  const request = { stepSeconds: task.stepSeconds, horizonSteps: task.horizonSteps, levels: task.levels };
  const result = forecastRaw(task, request, models);
  const lastSeconds = Math.max(...task.timestampsSeconds);
  const lastBucketSeconds = Math.floor(lastSeconds / task.stepSeconds) * task.stepSeconds;
  const firstObserved = task.timestampsSeconds.find((_, i) => task.values[i] !== null) ?? lastSeconds;
  const trainSteps = Math.min(
    DEFAULT_AUTO_OPTIONS.maxTrainSteps,
    (lastBucketSeconds - firstObserved) / task.stepSeconds
  );
  const holdout = safeHoldoutScores(task, models, all);
  return {
    model: result.model,
    fallback: Object.keys(result.backtestMae).length === 0,
    startSeconds: lastBucketSeconds + task.stepSeconds,
    stepSeconds: task.stepSeconds,
    mean: result.mean,
    intervals: result.intervals,
    skipped: result.skipped,
    trainingWindow: {
      startSeconds: lastBucketSeconds - Math.floor(trainSteps) * task.stepSeconds,
      endSeconds: lastBucketSeconds,
    },
    ...holdout,
  };
}

/** The forecast stands without its accuracy check: a history too gappy to split only loses the scores. */
function safeHoldoutScores(task: ForecastTask, chosen: Forecaster[], all: Forecaster[]) {
  try {
    return holdoutScores(task, chosen, all);
  } catch {
    return { backtest: [], holdoutSteps: 0 };
  }
}

/**
 * Holds out the newest stretch of history (the horizon, at most a quarter of the history and at least a day when
 * there is room), refits on what came before, and scores the forecast against what really happened: WAPE, MASE
 * against the daily seasonal-naive error, and interval coverage, as DESIGN.md defines them.
 */
function holdoutScores(task: ForecastTask, chosen: Forecaster[], all: Forecaster[]) {
  const { stepSeconds, levels } = task;
  const observed = task.timestampsSeconds
    .map((t, i) => [t, task.values[i]] as const)
    .filter((pair): pair is readonly [number, number] => pair[1] !== null && Number.isFinite(pair[1]));
  const daily = seasonSteps(DAY_SECONDS, stepSeconds) || 1;
  const spanSteps =
    observed.length === 0 ? 0 : Math.floor((observed[observed.length - 1][0] - observed[0][0]) / stepSeconds);
  const holdoutSteps = Math.min(task.horizonSteps, Math.floor(spanSteps / 4));
  if (holdoutSteps < Math.min(daily, task.horizonSteps) || holdoutSteps < 1) {
    return { backtest: [], holdoutSteps: 0 };
  }
  const lastBucket = Math.floor(observed[observed.length - 1][0] / stepSeconds);
  const cutSeconds = (lastBucket - holdoutSteps + 1) * stepSeconds;
  const train = observed.filter(([t]) => t < cutSeconds);
  const actualByBucket = new Map(
    observed.filter(([t]) => t >= cutSeconds).map(([t, v]) => [Math.floor(t / stepSeconds), v])
  );
  const trainRaw = { timestampsSeconds: train.map(([t]) => t), values: train.map(([, v]) => v) };
  const trainReady = fitReady(
    regularise(trainRaw, { stepSeconds, aggregation: 'mean', maxBridgeSteps: 3, minObservedSteps: 2 }),
    daily
  );
  const scale = seasonalNaiveMae(trainReady.values, daily);
  const firstBucket = Math.floor(cutSeconds / stepSeconds);

  const score = (name: string, models: Forecaster[]): ModelAccuracy | undefined => {
    try {
      const result = autoForecast({ ...trainReady, horizonSteps: holdoutSteps, levels }, models, DEFAULT_AUTO_OPTIONS);
      // Only buckets Prometheus really answered for are compared.
      const steps = result.mean.map((_, h) => h).filter((h) => actualByBucket.has(firstBucket + h));
      const actual = steps.map((h) => actualByBucket.get(firstBucket + h)!);
      const pick = (values: number[]) => steps.map((h) => values[h]);
      const mean = pick(result.mean);
      return {
        model: name === AUTO_MODEL ? `auto → ${result.model}` : name,
        wape: wape(actual, mean),
        mase: mase(actual, mean, scale),
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

  const accuracy = score(chosen.length === 1 ? chosen[0].name : AUTO_MODEL, chosen);
  const backtest = all.flatMap((model) => score(model.name, [model]) ?? []);
  return { accuracy, backtest, holdoutSteps };
}
