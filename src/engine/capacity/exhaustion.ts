import type { Interval } from '../forecast/intervals';
import { CapacityInputError } from './errors';
import { normalCdf, normalQuantile } from './normal';

/** A forecast as the engine returns it, placed on its time axis: intervals are keyed by level in percent ("80"). */
export interface ForecastBands {
  timestampsSeconds: number[];
  mean: number[];
  intervals: Record<string, Interval>;
}

export interface ExhaustionRisk {
  /** First forecast time at which the mean exceeds capacity; undefined when it never does within the horizon. */
  meanCrossingSeconds?: number;
  /** First time each level's upper bound exceeds capacity, keyed like the intervals ("95"). */
  crossingSecondsByLevel: Record<string, number | undefined>;
  /** Per forecast step, the probability that demand exceeds capacity. */
  probabilityExceeding: number[];
}

/** One known point of a step's predictive distribution: value x is its Φ(z) quantile. */
interface Knot {
  value: number;
  z: number;
}

/**
 * When and how likely a forecast runs past a capacity.
 *
 * The probability at each step comes from a predictive distribution drawn through the quantiles the forecast
 * knows: the mean is taken as the median, and the upper (lower) bound of a p % interval as the (1 + p)/2
 * ((1 − p)/2) quantile, i.e. the intervals are assumed central. Between those points the normal score z = Φ⁻¹(F)
 * is interpolated linearly in the value, and beyond the outermost bounds it is extrapolated with the slope of the
 * outermost segment. This reproduces a normal distribution exactly when the intervals are normal, and otherwise
 * follows skewed or heavy-tailed intervals piece by piece without assuming one shape for the whole distribution.
 */
export function exhaustionRisk(forecast: ForecastBands, capacity: number): ExhaustionRisk {
  if (typeof capacity !== 'number' || !Number.isFinite(capacity) || capacity <= 0) {
    throw new CapacityInputError(
      'capacity',
      `Capacity must be a positive number in the forecast's unit (e.g. GPUs), got ${String(capacity)}. ` +
        'Enter the fleet capacity, or read it from the gpu_capacity target.'
    );
  }
  const { timestampsSeconds, mean, intervals } = forecast;
  const levels = Object.keys(intervals);
  for (const [name, series] of [
    ['mean', mean],
    ...levels.flatMap((l) => [
      [`intervals["${l}"].lower`, intervals[l].lower],
      [`intervals["${l}"].upper`, intervals[l].upper],
    ]),
  ] as Array<[string, number[]]>) {
    if (series.length !== timestampsSeconds.length) {
      throw new CapacityInputError(
        name,
        `The forecast's ${name} has ${series.length} values for ${timestampsSeconds.length} timestamps.`
      );
    }
  }
  const levelZ = levels.map((l) => {
    const percent = Number(l);
    if (!(percent > 0 && percent < 100)) {
      throw new CapacityInputError('intervals', `Interval levels are percentages between 0 and 100, got "${l}".`);
    }
    return normalQuantile((1 + percent / 100) / 2);
  });

  const firstAbove = (values: number[]) => {
    const index = values.findIndex((v) => v > capacity);
    return index < 0 ? undefined : timestampsSeconds[index];
  };
  const crossingSecondsByLevel: Record<string, number | undefined> = {};
  for (const level of levels) {
    crossingSecondsByLevel[level] = firstAbove(intervals[level].upper);
  }
  const probabilityExceeding = mean.map((median, h) => {
    const knots: Knot[] = [{ value: median, z: 0 }];
    levels.forEach((level, i) => {
      knots.push(
        { value: intervals[level].upper[h], z: levelZ[i] },
        { value: intervals[level].lower[h], z: -levelZ[i] }
      );
    });
    return 1 - normalCdf(normalScoreAt(knots, capacity));
  });
  return { meanCrossingSeconds: firstAbove(mean), crossingSecondsByLevel, probabilityExceeding };
}

/**
 * z = Φ⁻¹(F(x)) of the piecewise distribution through the knots. Knots are ordered by z and their values made
 * non-decreasing, so crossed bounds from a sloppy forecaster cannot make the distribution function go backwards.
 * Knots sharing a value are a jump of the distribution function: the value takes the highest z (F is
 * right-continuous). Without any spread at all the distribution is a point mass.
 */
function normalScoreAt(knots: Knot[], x: number): number {
  knots.sort((a, b) => a.z - b.z);
  for (let i = 1; i < knots.length; i++) {
    knots[i].value = Math.max(knots[i].value, knots[i - 1].value);
  }
  const first = knots[0];
  const last = knots[knots.length - 1];
  if (last.value === first.value) {
    return x < first.value ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  // Tails continue the outermost segment of positive width (ties at an end are a jump, not a segment).
  const slope = (i: number) => (knots[i + 1].z - knots[i].z) / (knots[i + 1].value - knots[i].value);
  if (x < first.value) {
    const bottom = knots.findIndex((k) => k.value > first.value) - 1;
    return first.z - (first.value - x) * slope(bottom);
  }
  // The last knot at or below x; the one after it lies strictly above x.
  let j = knots.length - 1;
  while (knots[j].value > x) {
    j--;
  }
  if (j < knots.length - 1) {
    return knots[j].z + (x - knots[j].value) * slope(j);
  }
  const top = knots.findIndex((k) => k.value === last.value) - 1;
  return last.z + (x - last.value) * slope(top);
}
