import { median } from '../series/median';
import { DAY_SECONDS, seasonSteps } from './seasons';

/**
 * Syntetos–Boylan demand classes (Syntetos, Boylan & Croston 2005, "On the categorization of demand patterns",
 * J. Operational Research Society 56(5):495–503): smooth, erratic (sizes vary), intermittent (gaps), lumpy (both).
 */
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';

/** The published cut-offs (Syntetos, Boylan & Croston 2005), not tuned here: ADI 1.32 steps, CV² 0.49. */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

/** The finest step whose series are treated as bursty when their class says so; the benchmark measured 10 minutes. */
export const FINE_STEP_SECONDS = 600;

export interface Burstiness {
  /** Share of steps at zero (or below: a demand series is never negative). */
  zeroShare: number;
  /** Average inter-demand interval: steps per non-zero step (Syntetos–Boylan's ADI), Infinity without demand. */
  adi: number;
  /**
   * Squared coefficient of variation of the non-zero values, about the mean of their time of day when the history
   * holds two days or more: a daily rhythm is predictable, not bursty (Syntetos–Boylan's series had no daily cycle).
   */
  cv2: number;
  /** Mean over median: far above 1 when a few spikes carry the mean (Infinity when the median is 0 and the mean not). */
  meanToMedian: number;
  /** Share of steps above twice the median (a spike doubles the usual demand); with a zero median, every demand. */
  spikeShare: number;
  demandClass: DemandClass;
}

/**
 * How bursty a demand series is: its Syntetos–Boylan class and the features behind it. A series with negative values
 * is not a demand series and is always smooth (the class needs counts or amounts).
 */
export function burstiness(values: readonly number[], stepSeconds: number): Burstiness {
  const n = values.length;
  const nonZero = values.filter((v) => v > 0);
  const zeroShare = n === 0 ? 0 : 1 - nonZero.length / n;
  const adi = nonZero.length === 0 ? Number.POSITIVE_INFINITY : n / nonZero.length;
  const middle = n === 0 ? 0 : median(values);
  const mean = n === 0 ? 0 : values.reduce((a, b) => a + b, 0) / n;
  const meanToMedian = middle > 0 ? mean / middle : mean > 0 ? Number.POSITIVE_INFINITY : 1;
  const spikeShare = n === 0 ? 0 : values.filter((v) => v > 2 * middle).length / n;
  const negative = values.some((v) => v < 0);
  const cv2 = negative ? 0 : nonZeroCv2(values, seasonSteps(DAY_SECONDS, stepSeconds));
  const intermittent = !negative && adi >= ADI_CUTOFF;
  const erratic = !negative && cv2 >= CV2_CUTOFF;
  const demandClass: DemandClass = intermittent ? (erratic ? 'lumpy' : 'intermittent') : erratic ? 'erratic' : 'smooth';
  return { zeroShare, adi, cv2, meanToMedian, spikeShare, demandClass };
}

/**
 * Whether the forecast should treat the series as bursty: a fine step (≤ `FINE_STEP_SECONDS`) and any class but
 * smooth. Coarser steps keep the usual models: the bursty benchmark measured 10-minute series only.
 */
export function isBursty(values: readonly number[], stepSeconds: number): boolean {
  return (
    stepSeconds <= FINE_STEP_SECONDS && values.length > 0 && burstiness(values, stepSeconds).demandClass !== 'smooth'
  );
}

/**
 * CV² of the non-zero values: their variance about the mean of their time-of-day slot (with n − slots degrees of
 * freedom), over the square of their overall mean. One slot (no daily season, or under two days) is the plain CV².
 */
function nonZeroCv2(values: readonly number[], daySteps: number): number {
  const slots = daySteps > 0 && values.length >= 2 * daySteps ? daySteps : 1;
  const sum = new Float64Array(slots);
  const count = new Float64Array(slots);
  let total = 0;
  let demands = 0;
  values.forEach((v, t) => {
    if (v > 0) {
      sum[t % slots] += v;
      count[t % slots]++;
      total += v;
      demands++;
    }
  });
  const used = count.filter((c) => c > 0).length;
  if (demands - used < 1) {
    return 0;
  }
  let squares = 0;
  values.forEach((v, t) => {
    if (v > 0) {
      squares += (v - sum[t % slots] / count[t % slots]) ** 2;
    }
  });
  const mean = total / demands;
  return squares / (demands - used) / (mean * mean);
}
