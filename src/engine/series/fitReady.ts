import { insufficientHistory } from './errors';
import type { RegularSeries } from './regularise';

export interface FitReadySeries {
  startSeconds: number;
  stepSeconds: number;
  /** Finite everywhere: models can be fitted on it directly. */
  values: number[];
  /** Buckets that were a long gap and got a stand-in value. */
  filledCount: number;
  /** Leading empty buckets removed (the series starts at its first observation). */
  trimmedLeadingCount: number;
}

/**
 * Makes a regular series finite so models that cannot take gaps (augurs MSTL throws on missing
 * first or last values) can fit it. A long gap takes the value one season earlier, because a
 * straight line across a missing day would erase that day's rhythm; without an earlier season it
 * takes the last value before it (or the first after, for a gap at the start).
 */
export function fitReady(series: RegularSeries, seasonSteps: number): FitReadySeries {
  const first = series.values.findIndex((v) => !Number.isNaN(v));
  const values = first < 0 ? [] : series.values.slice(first);
  const missing = values.filter((v) => Number.isNaN(v)).length;
  if (values.length === 0) {
    throw insufficientHistory({ reason: 'no-observed-values' }, 0, 1);
  }
  if (missing * 2 > values.length) {
    throw insufficientHistory({ reason: 'mostly-missing' }, values.length - missing, Math.ceil(values.length / 2));
  }
  for (let k = 0; k < values.length; k++) {
    if (Number.isNaN(values[k])) {
      values[k] = seasonSteps >= 1 && k >= seasonSteps ? values[k - seasonSteps] : values[k - 1];
    }
  }
  return {
    startSeconds: series.startSeconds + first * series.stepSeconds,
    stepSeconds: series.stepSeconds,
    values,
    filledCount: missing,
    trimmedLeadingCount: first,
  };
}
