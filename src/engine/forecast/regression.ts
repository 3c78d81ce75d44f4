import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { DAY_SECONDS, WEEK_SECONDS, seasonSteps } from './seasons';
import type { Forecaster, ForecastInput, ModelForecast } from './types';

export interface FourierRegressionOptions {
  dailyHarmonics: number;
  weeklyHarmonics: number;
}

/**
 * Least squares on a linear trend plus daily and weekly Fourier terms of the absolute time, so the
 * phase follows the clock (hour of day, day of week) rather than the start of the window. Weekly
 * terms are used only with two weeks of history, so that they are estimated, not memorised.
 */
export function fourierRegression(options: FourierRegressionOptions): Forecaster {
  return {
    name: 'regression',
    minHistorySteps: (stepSeconds) => Math.max(seasonSteps(DAY_SECONDS, stepSeconds), 2 * options.dailyHarmonics + 2),
    forecast({ values, startSeconds, stepSeconds, horizonSteps }: ForecastInput): ModelForecast {
      const n = values.length;
      const useWeekly = n * stepSeconds >= 2 * WEEK_SECONDS;
      // Nyquist: a daily harmonic needs more than two steps per cycle.
      const dailyHarmonics = Math.min(options.dailyHarmonics, Math.floor((DAY_SECONDS / stepSeconds - 1) / 2));
      const features = (k: number): number[] => {
        const t = startSeconds + k * stepSeconds;
        const row = [k / n];
        for (let j = 1; j <= dailyHarmonics; j++) {
          const a = (2 * Math.PI * j * t) / DAY_SECONDS;
          row.push(Math.sin(a), Math.cos(a));
        }
        if (useWeekly) {
          for (let j = 1; j <= options.weeklyHarmonics; j++) {
            const a = (2 * Math.PI * j * t) / WEEK_SECONDS;
            row.push(Math.sin(a), Math.cos(a));
          }
        }
        return row;
      };
      const x = Array.from({ length: n }, (_, k) => features(k));
      const model = new MultivariateLinearRegression(
        x,
        values.map((v) => [v]),
        { statistics: false }
      );
      const fitted = model.predict(x).map((r) => r[0]);
      const mean = Array.from({ length: horizonSteps }, (_, h) => model.predict(features(n + h))[0]);
      return { mean, residuals: values.map((v, k) => v - fitted[k]) };
    },
  };
}
