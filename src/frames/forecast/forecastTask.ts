/**
 * One forecast as the worker runs it: raw Prometheus samples in, the engine's automatic forecast plus an honest
 * out-of-sample accuracy check out. Plain data on both sides, because it crosses a postMessage boundary.
 */
import {
  DEFAULT_AUTO_OPTIONS,
  defaultForecasters,
  forecastRaw,
  holdoutScores,
  type AugursModels,
  type BusinessEvent,
  type Forecaster,
  type LstmProgress,
  type ModelAccuracy,
  type SkippedModel,
  withSharedFits,
} from '../../engine/forecast';
import type { RawSeries } from '../../engine/series';
import { QueryModelError } from '../queryModelError';

export type { ModelAccuracy };

export const AUTO_MODEL = 'auto';
/** Trained in the worker on request only: seconds per series, so auto mode never tries it. */
export const LSTM_MODEL = 'lstm';

export interface ForecastTask extends RawSeries {
  stepSeconds: number;
  horizonSteps: number;
  /** Interval levels in percent. */
  levels: number[];
  /** `auto`, or the name of one engine model. */
  model: string;
  /** Business calendar in the engine's terms; event-aware models apply known effects and learn the others. */
  events?: BusinessEvent[];
  /**
   * False skips the held-out check (`accuracy`, `backtest`): an alert measure reads only the forecast, and the check
   * refits every model, more than doubling the work of each rule evaluation. Default true.
   */
  scoreHoldout?: boolean;
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
  skipped: SkippedModel[];
  /** The history the models were fitted on. */
  trainingWindow: { startSeconds: number; endSeconds: number };
  /** The chosen method (auto or the named model) refitted without the held-out tail, scored on that tail. */
  accuracy?: ModelAccuracy;
  /** Every model scored the same way, for the backtest table. */
  backtest: ModelAccuracy[];
  /**
   * Per interval level, the share of the series' own backtest actuals (every calibration origin after the oldest)
   * inside the interval the earlier origins gave; absent for the LSTM.
   */
  backtestCoverage?: Record<string, number>;
  /** How many hours were held out for `accuracy` and `backtest`. */
  holdoutSteps: number;
  /** The tfjs backend that trained the LSTM (`wasm`, else `cpu`); absent for the other models. */
  backend?: string;
}

export interface RunForecastOptions {
  /** Training progress of the LSTM, epoch by epoch; the other models answer at once. */
  onProgress?: (progress: LstmProgress) => void;
  /** Aborting rejects at once and tells the worker to stop training. */
  signal?: AbortSignal;
}

/** Runs one forecast task: in a Web Worker in the browser (the LSTM only there), in place in the backend. */
export type ForecastRun = (task: ForecastTask, options: RunForecastOptions) => Promise<ForecastOutcome>;

/** Model names the query editor and page offer, in the engine's order (MSTL only where augurs loads). */
export function modelNames(augurs?: AugursModels): string[] {
  return defaultForecasters(augurs).map((model) => model.name);
}

/**
 * What the query editor and the Forecast page offer: auto, every model the worker runs (the pure-TypeScript ones,
 * MSTL from augurs), and the LSTM, which auto leaves out because it trains for seconds.
 */
export const OFFERED_MODELS: readonly string[] = [AUTO_MODEL, ...modelNames(), 'mstl', LSTM_MODEL];

function chosenModels(all: Forecaster[], model: string): Forecaster[] {
  if (model === AUTO_MODEL) {
    return all;
  }
  const one = all.find((m) => m.name === model);
  if (!one) {
    const names = [...all.map((m) => m.name), LSTM_MODEL].join(', ');
    throw new Error(`Unknown model "${model}": choose auto or one of ${names}.`);
  }
  return [one];
}

export function runForecastTask(task: ForecastTask, augurs?: AugursModels): ForecastOutcome {
  // The held-out check refits on a shorter history what the forecast already fitted (sharedFits.ts).
  const all = withSharedFits(defaultForecasters(augurs));
  const models = chosenModels(all, task.model);
  const request = {
    stepSeconds: task.stepSeconds,
    horizonSteps: task.horizonSteps,
    levels: task.levels,
    events: task.events,
  };
  const result = forecastRaw(task, request, models);
  const holdout =
    task.scoreHoldout === false
      ? { backtest: [], holdoutSteps: 0 }
      : holdoutScores(task, request, { name: task.model, models }, all);
  return {
    model: result.model,
    fallback: Object.keys(result.backtestMae).length === 0,
    ...forecastWindow(task),
    stepSeconds: task.stepSeconds,
    mean: result.mean,
    intervals: result.intervals,
    skipped: result.skipped,
    backtestCoverage: result.backtestCoverage,
    ...holdout,
  };
}

/** Where the forecast starts (one step after the last bucket) and the history the models are fitted on. */
export function forecastWindow(task: ForecastTask): Pick<ForecastOutcome, 'startSeconds' | 'trainingWindow'> {
  const lastSeconds = Math.max(...task.timestampsSeconds);
  const lastBucketSeconds = Math.floor(lastSeconds / task.stepSeconds) * task.stepSeconds;
  const firstObserved = task.timestampsSeconds.find((_, i) => task.values[i] !== null) ?? lastSeconds;
  const trainSteps = Math.min(
    DEFAULT_AUTO_OPTIONS.maxTrainSteps,
    (lastBucketSeconds - firstObserved) / task.stepSeconds
  );
  return {
    startSeconds: lastBucketSeconds + task.stepSeconds,
    trainingWindow: {
      startSeconds: lastBucketSeconds - Math.floor(trainSteps) * task.stepSeconds,
      endSeconds: lastBucketSeconds,
    },
  };
}

/** The LSTM trains for seconds with TensorFlow.js in the browser's Web Worker; Grafana's server does not run it. */
export function lstmOnServerError(): QueryModelError {
  return new QueryModelError(
    "The LSTM model trains in the browser only (TensorFlow.js in a Web Worker), not on Grafana's server where alert " +
      'rules and server-side queries run: choose auto or another model for this query.'
  );
}

/**
 * The models in this process, for Grafana's server (the backend): every model but the LSTM, with MSTL and AutoETS when
 * the caller has loaded augurs (as the browser's worker does, so auto chooses among the same models).
 */
export function forecastInPlace(augurs?: () => AugursModels): ForecastRun {
  return (task, options) => {
    if (task.model === LSTM_MODEL) {
      return Promise.reject(lstmOnServerError());
    }
    if (options.signal?.aborted) {
      return Promise.reject(new Error('The forecast was cancelled.'));
    }
    return Promise.resolve().then(() => runForecastTask(task, augurs?.()));
  };
}

/** In this process without augurs (tests of the query code that need no MSTL). */
export const runForecastInPlace: ForecastRun = forecastInPlace();
