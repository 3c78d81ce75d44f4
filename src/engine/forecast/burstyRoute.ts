import { autoForecast, type AutoForecast, type AutoForecastInput, type AutoForecastOptions } from './auto';
import { burstyProfile, DEFAULT_BURSTY_OPTIONS } from './bursty';
import { isBursty } from './burstiness';
import { prometheusDoubleExponential } from './doubleExponential';
import { levelQuantile, type Interval } from './intervals';
import { median } from '../series/median';
import { seasonalNaive } from './seasonalNaive';
import { DAY_SECONDS, seasonSteps } from './seasons';
import type { Forecaster } from './types';

/**
 * Prometheus' factors for the bursty candidate: sf 0.9, tf 0.1, chosen leave-one-family-out on bench/bursty.ts (the
 * folds holding out alibaba and nab chose them, the helios fold 0.5 / 0.1; see the forecast README).
 */
export const BURSTY_HOLT = { smoothingFactor: 0.9, trendFactor: 0.1, rangeSeconds: DAY_SECONDS };

/**
 * The models auto chooses from for a bursty series: the robust level model, Prometheus' double exponential smoothing
 * and the last value. Not the seasonal-naive copy, the Fourier regression or MSTL: on bursty series they carry
 * yesterday's bursts into tomorrow (bench/bursty.ts).
 */
export function burstyForecasters(): Forecaster[] {
  return [
    burstyProfile('bursty_level', DEFAULT_BURSTY_OPTIONS),
    prometheusDoubleExponential('double_exponential', BURSTY_HOLT),
    seasonalNaive('naive', 'step'),
  ];
}

/**
 * The day's peak as a separate quantity: per whole day of the history (the newest 28 at most), how far its largest
 * value rose above its median, and the level-p quantile of those rises (intervals.ts' `levelQuantile`, the conformal
 * order statistic with an exponential tail past the sample) on top of today's level, the model's own level (the median
 * of its level window). The upper bounds are raised to it at every step: a burst can come at any time of day, and the
 * capacity plan reads the largest upper bound.
 */
export function withPeakEnvelope(
  forecast: AutoForecast,
  values: readonly number[],
  stepSeconds: number,
  levels: readonly number[]
): AutoForecast {
  const day = seasonSteps(DAY_SECONDS, stepSeconds);
  const days = day > 0 ? Math.min(28, Math.floor(values.length / day)) : 0;
  if (days < 2) {
    return forecast;
  }
  const rises: number[] = [];
  for (let d = 0; d < days; d++) {
    const slice = values.slice(values.length - (d + 1) * day, values.length - d * day);
    rises.push(Math.max(...slice) - median(slice));
  }
  const levelSteps = Math.max(1, Math.round((DEFAULT_BURSTY_OPTIONS.levelHours * 3600) / stepSeconds));
  const level = median(values.slice(-levelSteps));
  const intervals: Record<string, Interval> = {};
  for (const level_ of levels) {
    const key = String(level_);
    const interval = forecast.intervals[key];
    if (!interval) {
      continue;
    }
    const peak = level + levelQuantile(rises, level_ / 100);
    intervals[key] = { lower: interval.lower, upper: interval.upper.map((u) => Math.max(u, peak)) };
  }
  return { ...forecast, intervals: { ...forecast.intervals, ...intervals } };
}

/**
 * Auto mode for a bursty series (burstiness.ts: a fine step and a Syntetos–Boylan class other than smooth): the
 * bursty candidates and the peak envelope. Any other series, a model chosen by name (one model), or a forecast with
 * business events is autoForecast as it was.
 */
export function routedAutoForecast(
  input: AutoForecastInput,
  models: readonly Forecaster[],
  options: AutoForecastOptions
): AutoForecast {
  // Business events ask for the event-aware models, which the bursty candidates are not.
  if (models.length < 2 || (input.events?.length ?? 0) > 0 || !isBursty(input.values, input.stepSeconds)) {
    return autoForecast(input, models, options);
  }
  return withPeakEnvelope(
    autoForecast(input, burstyForecasters(), options),
    input.values,
    input.stepSeconds,
    input.levels
  );
}
