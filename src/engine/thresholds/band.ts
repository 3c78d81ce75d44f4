import { quantileOfSorted, robustSpread, roundSignificant, sortedCopy } from './robust';
import { finestSeasonMode, SeasonMode, slotCount, slotOf } from './slots';

export type BandMethod = 'median-mad' | 'robust-quantile';
export type BandDirection = 'upper' | 'lower' | 'both';

export interface BandOptions {
  method: BandMethod;
  direction: BandDirection;
  /**
   * Half-width of the band: robust standard deviations (1.4826·MAD) for 'median-mad'; multiples of
   * the distance from the median to the scale quantile for 'robust-quantile'.
   */
  width: number;
  /** 'robust-quantile' only: the upper scale quantile, e.g. 0.9 (the lower one is 1 − it). */
  scaleQuantile: number;
  /**
   * Smallest half-width as a share of the training data's size, max(|median|, 1st–99th
   * percentile range): a flat or quantised series has a MAD of zero and would otherwise alert
   * on the first change of its last digit.
   */
  minMarginFraction: number;
  /**
   * Slots on each side whose edges a slot's edge must cover (circularly): the upper threshold is the
   * highest, the lower the lowest, of the neighbours'. A rhythm that shifts by a few minutes, or
   * changes within an hour, then stays inside the band instead of alerting at every transition.
   */
  smoothingSlots: number;
  /**
   * The upper threshold is at least this quantile of its slot's training values (the lower at most
   * the complementary one), so spikes that happen routinely are learnt as normal; 0.5 disables it.
   */
  floorQuantile: number;
  /**
   * A seasonal rhythm is used only if removing it shrinks the robust spread to at most this share
   * of the flat spread; otherwise per-slot estimates would only add noise.
   */
  seasonalGainRatio: number;
  /** History older than this before the calibration is ignored, so an old rhythm fades out. */
  maxTrainingSeconds: number;
  /** Thresholds are rounded to this many significant digits: the PromQL stays short and exact. */
  significantDigits: number;
}

/** A calibrated band: one threshold per slot and side; a side that is not alerted on is absent. */
export interface Band {
  mode: SeasonMode;
  calibratedAtSeconds: number;
  upper?: number[];
  lower?: number[];
}

interface Sample {
  timeSeconds: number;
  value: number;
}

/**
 * Learns a band from the samples strictly before `calibratedAtSeconds` (at most
 * maxTrainingSeconds of them); undefined when there is no finite sample to learn from.
 */
export function learnBand(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  calibratedAtSeconds: number,
  options: BandOptions
): Band | undefined {
  const samples: Sample[] = [];
  const oldestSeconds = calibratedAtSeconds - options.maxTrainingSeconds;
  for (let i = 0; i < timestampsSeconds.length; i++) {
    const t = timestampsSeconds[i];
    const v = values[i];
    if (t < calibratedAtSeconds && t >= oldestSeconds && v !== null && Number.isFinite(v)) {
      samples.push({ timeSeconds: t, value: v });
    }
  }
  if (samples.length === 0) {
    return undefined;
  }
  const historySeconds = calibratedAtSeconds - Math.min(...samples.map((s) => s.timeSeconds));
  const mode = chooseMode(samples, finestSeasonMode(historySeconds), options.seasonalGainRatio);
  const sortedAll = sortedCopy(samples.map((s) => s.value));
  const size = Math.max(
    Math.abs(quantileOfSorted(sortedAll, 0.5)),
    quantileOfSorted(sortedAll, 0.99) - quantileOfSorted(sortedAll, 0.01)
  );
  const minMargin = options.minMarginFraction * size;

  const bySlot = groupBySlot(samples, mode);
  const upperEdges: number[] = [];
  const lowerEdges: number[] = [];
  for (const slotValues of bySlot) {
    const sorted = sortedCopy(slotValues.length > 0 ? slotValues : sortedAll);
    const median = quantileOfSorted(sorted, 0.5);
    const spread = robustSpread(sorted, median);
    const halfWidthAbove =
      options.method === 'median-mad' ? spread : quantileOfSorted(sorted, options.scaleQuantile) - median;
    const halfWidthBelow =
      options.method === 'median-mad' ? spread : median - quantileOfSorted(sorted, 1 - options.scaleQuantile);
    upperEdges.push(
      Math.max(
        median + Math.max(minMargin, options.width * halfWidthAbove),
        quantileOfSorted(sorted, options.floorQuantile)
      )
    );
    lowerEdges.push(
      Math.min(
        median - Math.max(minMargin, options.width * halfWidthBelow),
        quantileOfSorted(sorted, 1 - options.floorQuantile)
      )
    );
  }
  const reach = options.smoothingSlots;
  const round = (x: number) => roundSignificant(x, options.significantDigits);
  const band: Band = { mode, calibratedAtSeconds };
  if (options.direction !== 'lower') {
    band.upper = circularExtreme(upperEdges, reach, Math.max).map(round);
  }
  if (options.direction !== 'upper') {
    band.lower = circularExtreme(lowerEdges, reach, Math.min).map(round);
  }
  return band;
}

/** The band's thresholds at a time; ±Infinity for a side that is not alerted on. */
export function bandAt(band: Band, timeSeconds: number): { upper: number; lower: number } {
  const slot = slotOf(timeSeconds, band.mode);
  return {
    upper: band.upper ? band.upper[slot] : Number.POSITIVE_INFINITY,
    lower: band.lower ? band.lower[slot] : Number.NEGATIVE_INFINITY,
  };
}

function groupBySlot(samples: readonly Sample[], mode: SeasonMode): number[][] {
  const groups = Array.from({ length: slotCount(mode) }, () => [] as number[]);
  for (const s of samples) {
    groups[slotOf(s.timeSeconds, mode)].push(s.value);
  }
  return groups;
}

/** Walks from the finest supported rhythm down to flat, keeping the first that earns its keep. */
function chooseMode(samples: readonly Sample[], finest: SeasonMode, gainRatio: number): SeasonMode {
  const values = samples.map((s) => s.value);
  const flatSpread = robustSpread(values, quantileOfSorted(sortedCopy(values), 0.5));
  const candidates: SeasonMode[] = finest === 'hour-of-week' ? ['hour-of-week', 'hour-of-day'] : [finest];
  for (const mode of candidates) {
    if (mode === 'flat') {
      break;
    }
    const medians = groupBySlot(samples, mode).map((g) => quantileOfSorted(sortedCopy(g), 0.5));
    const residuals = samples.map((s) => s.value - medians[slotOf(s.timeSeconds, mode)]);
    if (robustSpread(residuals, 0) <= gainRatio * flatSpread) {
      return mode;
    }
  }
  return 'flat';
}

/** Each slot's extreme over itself and `reach` neighbours on each side, wrapping around the cycle. */
function circularExtreme(values: readonly number[], reach: number, pick: (...xs: number[]) => number): number[] {
  const n = values.length;
  return values.map((_, s) => {
    const around: number[] = [];
    for (let d = -Math.min(reach, n - 1); d <= Math.min(reach, n - 1); d++) {
      around.push(values[(((s + d) % n) + n) % n]);
    }
    return pick(...around);
  });
}
