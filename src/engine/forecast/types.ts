import type { BusinessEvent } from './calendar';

export interface ForecastInput {
  /** Fit-ready history: regular steps, finite values (see series/fitReady). */
  values: readonly number[];
  /** Timestamp of values[0]; models with calendar terms use it to find the hour of day and week. */
  startSeconds: number;
  stepSeconds: number;
  horizonSteps: number;
  /** Business calendar; models without `usesEvents` ignore it. */
  events?: readonly BusinessEvent[];
}

export interface ModelForecast {
  mean: number[];
  /** In-sample one-step errors (actual − fitted), when the model provides them. */
  residuals?: number[];
  /** Learnt event effects by name, as a relative change (0.5 = +50 %), for models that learn them. */
  eventEffects?: Record<string, number>;
}

/** One forecasting model: fit on the history, return the mean for the next horizonSteps. */
export interface Forecaster {
  readonly name: string;
  /** The model applies business events (known effects, and learns unknown ones). */
  readonly usesEvents?: boolean;
  /** The shortest history (in steps) the model can be fitted on at this step. */
  minHistorySteps(stepSeconds: number): number;
  forecast(input: ForecastInput): ModelForecast;
}
