import { insufficientHistory } from '../series/errors';
import { CapacityInputError } from './errors';

export interface ThroughputCalibration {
  /** Served throughput each additional busy GPU adds (the regression slope), in the served series' unit. */
  throughputPerGpu: number;
  /** Served throughput at zero busy GPUs (the intercept); near zero when the fit is sound. */
  interceptPerSecond: number;
  /** Share of the variance in served throughput the line explains. */
  r2: number;
  /** Pairs used, after dropping those with a missing value. */
  samples: number;
}

/** A line through two points always fits perfectly; a third is the least that can contradict it. */
export const MIN_CALIBRATION_SAMPLES = 3;

/**
 * Throughput per GPU from the fleet's own history (docs/formulas.md, "Capacity requirement"): ordinary least squares of served throughput
 * (e.g. vLLM generated tokens/s) on busy GPUs at the same times, served = intercept + slope × busy. With one
 * regressor the normal equations have the closed form slope = Sxy / Sxx, intercept = ȳ − slope·x̄.
 */
export function calibrateThroughput(served: readonly number[], busyGpus: readonly number[]): ThroughputCalibration {
  if (served.length !== busyGpus.length) {
    throw new CapacityInputError(
      'busyGpus',
      `Served throughput and busy GPUs must be sampled at the same times; got ${served.length} and ${busyGpus.length} values.`
    );
  }
  const pairs: Array<[number, number]> = [];
  served.forEach((y, i) => {
    if (Number.isFinite(y) && Number.isFinite(busyGpus[i])) {
      pairs.push([busyGpus[i], y]);
    }
  });
  const n = pairs.length;
  if (n < MIN_CALIBRATION_SAMPLES) {
    throw insufficientHistory({ reason: 'calibration-pairs' }, n, MIN_CALIBRATION_SAMPLES);
  }
  const meanX = pairs.reduce((s, [x]) => s + x, 0) / n;
  const meanY = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
    syy += (y - meanY) ** 2;
  }
  // Busy GPUs that never change cannot separate per-GPU throughput from a constant.
  if (!(sxx > 1e-12 * Math.max(1, meanX * meanX) * n)) {
    throw new CapacityInputError(
      'busyGpus',
      'Busy GPUs did not vary over the calibration window, so throughput per GPU cannot be estimated; widen the ' +
        'window or enter throughput per GPU from a benchmark.'
    );
  }
  const slope = sxy / sxx;
  if (!(slope > 0)) {
    throw new CapacityInputError(
      'served',
      `Served throughput does not rise with busy GPUs (slope ${slope.toPrecision(3)}), so it cannot size GPUs; check ` +
        'that both series cover the same workload, or enter throughput per GPU from a benchmark.'
    );
  }
  // A positive slope implies Sxy > 0 and hence Syy > 0; the residual sum of squares is Syy − slope·Sxy.
  const residual = syy - slope * sxy;
  return {
    throughputPerGpu: slope,
    interceptPerSecond: meanY - slope * meanX,
    r2: Math.max(0, 1 - residual / syy),
    samples: n,
  };
}

/** A series on its own time axis, as a query returns it; null where there was no sample. */
export interface TimedValues {
  timestampsSeconds: readonly number[];
  values: ReadonlyArray<number | null>;
}

/**
 * calibrateThroughput over the times both series have a value: the served series and busy GPUs are joined on
 * their timestamps, so histories that start or end at different times still pair the right hours.
 */
export function calibrateThroughputAt(served: TimedValues, busyGpus: TimedValues): ThroughputCalibration {
  const busyAt = new Map(busyGpus.timestampsSeconds.map((t, i) => [t, busyGpus.values[i]]));
  const pairs = served.timestampsSeconds.map((t, i) => [served.values[i] ?? NaN, busyAt.get(t) ?? NaN]);
  return calibrateThroughput(
    pairs.map(([s]) => s),
    pairs.map(([, b]) => b)
  );
}
