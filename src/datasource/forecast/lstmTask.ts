/**
 * The `lstm` model as the worker runs it: the engine's LSTM with its held-out check, plus the other models scored on
 * the same held-out tail for the backtest table. Asynchronous, with progress and cancel, unlike the other models.
 */
import {
  checkHorizon,
  DEFAULT_AUTO_OPTIONS,
  DEFAULT_LSTM_OPTIONS,
  defaultForecasters,
  holdoutScores,
  lstmMinHistorySteps,
  lstmWithHoldout,
  readyToFit,
  type AugursModels,
  type LstmHoldoutHooks,
  type LstmOptions,
  type Tfjs,
} from '../../engine/forecast';
import { insufficientHistory } from '../../engine/series';
import { forecastWindow, LSTM_MODEL, type ForecastOutcome, type ForecastTask } from './forecastTask';

export interface LoadedTfjs {
  tf: Tfjs;
  /** `wasm` where its WebAssembly loaded, else `cpu`. */
  backend: string;
}

export const LSTM_CANCELLED_MESSAGE = 'The LSTM training was cancelled.';

export async function runLstmTask(
  task: ForecastTask,
  tfjs: LoadedTfjs,
  hooks: LstmHoldoutHooks = {},
  augurs?: AugursModels,
  lstmOptions: Omit<LstmOptions, 'tf'> = DEFAULT_LSTM_OPTIONS
): Promise<ForecastOutcome> {
  const { stepSeconds, horizonSteps, levels } = task;
  if (!Number.isInteger(horizonSteps) || horizonSteps <= 0) {
    throw new RangeError(`horizon must be a positive whole number of steps, got ${horizonSteps}`);
  }
  const ready = readyToFit(task, stepSeconds);
  checkHorizon(horizonSteps, ready.values.length, stepSeconds);
  const kept = Math.min(ready.values.length, DEFAULT_AUTO_OPTIONS.maxTrainSteps);
  const values = ready.values.slice(-kept);
  const startSeconds = ready.startSeconds + (ready.values.length - kept) * stepSeconds;

  // The other models on the same held-out tail: they give the hold-out length and the rows to compare with.
  const others = defaultForecasters(augurs);
  const request = { stepSeconds, horizonSteps, levels, events: task.events };
  const { backtest, holdoutSteps } = holdoutScores(
    task,
    request,
    { name: others[0].name, models: [others[0]] },
    others
  );
  const windowSteps = fittingWindowSteps(values.length, horizonSteps, holdoutSteps, lstmOptions);
  if (holdoutSteps === 0 || windowSteps === 0) {
    throw insufficientHistory(
      { reason: 'lstm-holdout', patchSteps: lstmOptions.patchSteps },
      values.length,
      requiredSteps(lstmOptions.patchSteps, horizonSteps, Math.max(holdoutSteps, 1))
    );
  }

  const result = await lstmWithHoldout(
    { values, startSeconds, stepSeconds, horizonSteps, levels, holdoutSteps },
    { ...lstmOptions, windowSteps, tf: tfjs.tf },
    hooks
  );
  if (result.cancelled) {
    throw new Error(LSTM_CANCELLED_MESSAGE);
  }
  return {
    model: LSTM_MODEL,
    fallback: false,
    ...forecastWindow(task),
    stepSeconds,
    mean: result.mean,
    intervals: result.intervals,
    skipped: [],
    accuracy: result.accuracy,
    backtest,
    holdoutSteps,
    backend: tfjs.backend,
  };
}

/** The check trains without the tail and forecasts it; the final run forecasts the horizon from all of it. */
const requiredSteps = (windowSteps: number, horizonSteps: number, holdoutSteps: number) =>
  Math.max(
    lstmMinHistorySteps(windowSteps, holdoutSteps) + holdoutSteps,
    lstmMinHistorySteps(windowSteps, horizonSteps)
  );

/**
 * The configured window (a week of hours), shortened by whole patches (days on hourly data) when the history is too
 * short for it; 0 when not even one patch fits.
 */
function fittingWindowSteps(
  historySteps: number,
  horizonSteps: number,
  holdoutSteps: number,
  options: Pick<LstmOptions, 'windowSteps' | 'patchSteps'>
): number {
  for (let window = options.windowSteps; window >= options.patchSteps; window -= options.patchSteps) {
    if (requiredSteps(window, horizonSteps, holdoutSteps) <= historySteps) {
      return window;
    }
  }
  return 0;
}
