export interface ForecastInput {
  /** Fit-ready history: regular steps, finite values (see series/fitReady). */
  values: readonly number[];
  /** Timestamp of values[0]; models with calendar terms use it to find the hour of day and week. */
  startSeconds: number;
  stepSeconds: number;
  horizonSteps: number;
}

export interface ModelForecast {
  mean: number[];
  /** In-sample one-step errors (actual − fitted), when the model provides them. */
  residuals?: number[];
}

/** One forecasting model: fit on the history, return the mean for the next horizonSteps. */
export interface Forecaster {
  readonly name: string;
  /** The shortest history (in steps) the model can be fitted on at this step. */
  minHistorySteps(stepSeconds: number): number;
  forecast(input: ForecastInput): ModelForecast;
}
