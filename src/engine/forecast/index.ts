export type { Forecaster, ForecastInput, ModelForecast } from './types';
export { seasonalNaive } from './seasonalNaive';
export { drift } from './drift';
export { fourierRegression } from './regression';
export { augursEts, augursMstl } from './augurs';
export type { AugursModels } from './augurs';
export { autoForecast, DEFAULT_BACKTEST_SECONDS, skipCauseText } from './auto';
export {
  ABSOLUTE_BOUND_REASON,
  checkHorizon,
  HISTORY_BOUND_REASON,
  duration,
  historySteps,
  horizonTooLong,
  HorizonTooLongError,
  MAX_HORIZON_STEPS,
  maxHorizonSteps,
} from './horizon';
export type { HorizonLimit } from './horizon';
export type { AutoForecast, AutoForecastInput, AutoForecastOptions, SkipCause, SkippedModel } from './auto';
export {
  calibratedIntervals,
  calibratedIntervalsWithCoverage,
  conformalQuantile,
  DEFAULT_INTERVAL_OPTIONS,
  errorScaleByStep,
  GROWTH_EXPONENT,
  levelQuantile,
} from './intervals';
export type { CalibratedIntervals, Interval, IntervalOptions } from './intervals';
export { valueResolution } from './resolution';
export { clampToRange } from './range';
export type { ValueRange } from './range';
export { coverage, mase, peakError, seasonalNaiveMae, wape } from './accuracy';
export { DAY_SECONDS, WEEK_SECONDS, seasonSteps } from './seasons';
export { DEFAULT_AUTO_OPTIONS, defaultForecasters, forecastRaw, readyToFit } from './pipeline';
export { holdoutScores, NOISY_WAPE } from './holdout';
export { withSharedFits } from './sharedFits';
export type { HoldoutMethod, HoldoutRequest, HoldoutScores, ModelAccuracy } from './holdout';
export type { ForecastRequest } from './pipeline';
export { anyEventIn, invalidEvents, isActive, knownEffectAt } from './calendar';
export type { BusinessEvent, EventEffect } from './calendar';
export { DEFAULT_LSTM_OPTIONS, lstmMinHistorySteps, trainLstm } from './lstm';
export type { LstmForecast, LstmHooks, LstmOptions, Tfjs } from './lstm';
export { lstmWithHoldout } from './lstmHoldout';
export type { LstmHoldoutHooks, LstmHoldoutInput, LstmHoldoutResult, LstmProgress } from './lstmHoldout';
