/**
 * The rolling-origin protocol the hourly forecast benchmarks share (bench:forecast, its --lofo mode, intervalRules):
 * origins spread over the last part of a series, each leaving a full horizon of actuals and training on at most 28
 * days before it.
 */
import { DAY_SECONDS, seasonalNaiveMae } from '../src/engine/forecast';
import { HOUR, type Series } from './realSeries';

export const TRAIN_STEPS = 28 * 24;
export const MIN_TRAIN_STEPS = 7 * 24;

export interface Origin {
  /** Index of the first forecast step in the series. */
  origin: number;
  history: number[];
  startSeconds: number;
  actual: number[];
  /** MASE's scale: the history's in-sample seasonal-naive (daily) MAE. */
  scale: number;
}

/** Up to `originCount` origins, newest first, at least a day apart. */
export function rollingOrigins(s: Series, horizonSteps: number, originCount: number): Origin[] {
  const n = s.values.length;
  const stride = Math.max(24, Math.floor((n - horizonSteps - MIN_TRAIN_STEPS) / originCount));
  const origins: Origin[] = [];
  for (let k = 0; k < originCount; k++) {
    const origin = n - horizonSteps - k * stride;
    if (origin < MIN_TRAIN_STEPS) {
      break;
    }
    const start = Math.max(0, origin - TRAIN_STEPS);
    const history = s.values.slice(start, origin);
    origins.push({
      origin,
      history,
      startSeconds: s.startSeconds + start * HOUR,
      actual: s.values.slice(origin, origin + horizonSteps),
      scale: seasonalNaiveMae(history, Math.round(DAY_SECONDS / HOUR)),
    });
  }
  return origins;
}
