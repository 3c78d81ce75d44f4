import {
  firstAtLeast,
  pooledRobustSpreadAtMost,
  quantileOfSorted,
  robustSpreadOfSorted,
  roundSignificant,
} from './robust';
import { finestSeasonMode, SeasonMode, slotCount, slotLookup, slotOf } from './slots';
import { SlotStats } from './slotStats';
import { SortedSlots } from './sortedSlots';

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
  return bandLearner(timestampsSeconds, values, options)(calibratedAtSeconds);
}

/**
 * `learnBand` for one series at calibration times that do not go back: each call only merges the samples that
 * entered the training window since the last one (and drops those that left it) into per-slot sorted values, so a
 * replay with daily recalibration does not sort four weeks every day; a rhythm's slots are brought up to date only
 * when that rhythm is considered. The bands are exactly those of `learnBand`; an earlier time starts over.
 */
export function bandLearner(
  timestampsSeconds: readonly number[],
  values: ReadonlyArray<number | null>,
  options: BandOptions
): (calibratedAtSeconds: number) => Band | undefined {
  // Samples by time (ties in their order), NaN where there is no usable value; a NaN time is in no window.
  let order: number[] | undefined;
  for (let i = 0; i < timestampsSeconds.length && !order; i++) {
    const t = timestampsSeconds[i];
    if (Number.isNaN(t) || (i > 0 && t < timestampsSeconds[i - 1])) {
      order = timestampsSeconds.flatMap((time, k) => (Number.isNaN(time) ? [] : [k]));
      order.sort((a, b) => timestampsSeconds[a] - timestampsSeconds[b] || a - b);
    }
  }
  const n = order ? order.length : timestampsSeconds.length;
  const times = new Float64Array(n);
  const samples = new Float64Array(n);
  const slotOfSample: Record<SeasonMode, Uint8Array> = {
    'hour-of-week': new Uint8Array(n),
    'hour-of-day': new Uint8Array(n),
    flat: new Uint8Array(n),
  };
  const slotAt = slotLookup('hour-of-week');
  const capacities: Record<SeasonMode, Int32Array> = {
    'hour-of-week': new Int32Array(168),
    'hour-of-day': new Int32Array(24),
    flat: new Int32Array(1),
  };
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    const v = values[i];
    const weekSlot = slotAt(timestampsSeconds[i]);
    times[k] = timestampsSeconds[i];
    samples[k] = v !== null && Number.isFinite(v) ? v : NaN;
    slotOfSample['hour-of-week'][k] = weekSlot;
    slotOfSample['hour-of-day'][k] = weekSlot % 24;
    // A slot never holds more than the usable samples of the series that fall into it.
    if (samples[k] === samples[k]) {
      capacities['hour-of-week'][weekSlot]++;
      capacities['hour-of-day'][weekSlot % 24]++;
      capacities.flat[0]++;
    }
  }
  const batch = new Float64Array(capacities.flat[0]);
  const rhythms = (['hour-of-week', 'hour-of-day', 'flat'] as const).map((mode) => {
    const slots = new SortedSlots(capacities[mode], batch);
    return { mode, slots, stats: new SlotStats(slots, options), lo: 0, hi: 0 };
  });
  // The training window: samples [lo, hi); `first` is its earliest usable sample.
  let lo = 0;
  let hi = 0;
  let first = 0;
  let lastAtSeconds = Number.NEGATIVE_INFINITY;
  const rhythmOf = (mode: SeasonMode): Rhythm => {
    const rhythm = rhythms.find((r) => r.mode === mode)!;
    rhythm.slots.remove(samples, slotOfSample[mode], rhythm.lo, Math.min(lo, rhythm.hi));
    rhythm.slots.add(samples, slotOfSample[mode], Math.max(rhythm.hi, lo), hi);
    rhythm.lo = lo;
    rhythm.hi = hi;
    rhythm.stats.refresh();
    return rhythm;
  };
  return (calibratedAtSeconds) => {
    if (!(calibratedAtSeconds >= lastAtSeconds)) {
      rhythms.forEach((r) => {
        r.slots.clear();
        r.lo = r.hi = 0;
      });
      lo = hi = first = 0;
    }
    lastAtSeconds = calibratedAtSeconds;
    const oldestSeconds = calibratedAtSeconds - options.maxTrainingSeconds;
    lo = firstAtLeast(times, oldestSeconds, lo, n);
    hi = firstAtLeast(times, calibratedAtSeconds, Math.max(hi, lo), n);
    first = Math.max(first, lo);
    while (first < hi && samples[first] !== samples[first]) {
      first++;
    }
    if (first >= hi) {
      return undefined;
    }
    const mode = chooseMode(rhythmOf, finestSeasonMode(calibratedAtSeconds - times[first]), options.seasonalGainRatio);
    return bandFromSlots(rhythmOf(mode), rhythmOf('flat'), calibratedAtSeconds, options);
  };
}

/** One rhythm's sorted slots and their statistics, up to date with the training window. */
interface Rhythm {
  mode: SeasonMode;
  slots: SortedSlots;
  stats: SlotStats;
}

/**
 * The band's edges from the chosen rhythm's slot statistics; an empty slot takes all the training data's (the flat
 * rhythm's one slot).
 */
function bandFromSlots(rhythm: Rhythm, flat: Rhythm, calibratedAtSeconds: number, options: BandOptions): Band {
  const allValues = flat.slots.values;
  const allTo = flat.slots.lengths[0];
  const size = Math.max(
    Math.abs(quantileOfSorted(allValues, 0.5, 0, allTo)),
    quantileOfSorted(allValues, 0.99, 0, allTo) - quantileOfSorted(allValues, 0.01, 0, allTo)
  );
  const minMargin = options.minMarginFraction * size;
  const n = slotCount(rhythm.mode);
  const upperEdges = new Float64Array(n);
  const lowerEdges = new Float64Array(n);
  for (let slot = 0; slot < n; slot++) {
    const empty = rhythm.slots.lengths[slot] === 0;
    const stats = empty ? flat.stats : rhythm.stats;
    const s = empty ? 0 : slot;
    upperEdges[slot] = Math.max(stats.median[s] + Math.max(minMargin, stats.reachAbove[s]), stats.floorHigh[s]);
    lowerEdges[slot] = Math.min(stats.median[s] - Math.max(minMargin, stats.reachBelow[s]), stats.floorLow[s]);
  }
  const reach = options.smoothingSlots;
  const band: Band = { mode: rhythm.mode, calibratedAtSeconds };
  if (options.direction !== 'lower') {
    band.upper = roundedCircularExtreme(upperEdges, reach, 'max', options.significantDigits);
  }
  if (options.direction !== 'upper') {
    band.lower = roundedCircularExtreme(lowerEdges, reach, 'min', options.significantDigits);
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

/**
 * Walks from the finest supported rhythm down to flat, keeping the first that earns its keep: removing each slot's
 * median must shrink the robust spread of the residuals to at most `seasonalGainRatio` of the flat spread.
 */
function chooseMode(rhythmOf: (mode: SeasonMode) => Rhythm, finest: SeasonMode, gainRatio: number): SeasonMode {
  const all = rhythmOf('flat').slots;
  const flatMedian = quantileOfSorted(all.values, 0.5, 0, all.lengths[0]);
  const flatSpread = robustSpreadOfSorted(all.values, flatMedian, 0, all.lengths[0]);
  const candidates: SeasonMode[] = finest === 'hour-of-week' ? ['hour-of-week', 'hour-of-day'] : [finest];
  for (const mode of candidates) {
    if (mode === 'flat') {
      break;
    }
    const { slots, stats } = rhythmOf(mode);
    if (pooledRobustSpreadAtMost(slots, gainRatio * flatSpread, stats.median)) {
      return mode;
    }
  }
  return 'flat';
}

/**
 * Each slot's extreme (max or min) over itself and `reach` neighbours on each side, wrapping around the cycle,
 * rounded to `digits` significant digits.
 */
function roundedCircularExtreme(values: Float64Array, reach: number, pick: 'max' | 'min', digits: number): number[] {
  const n = values.length;
  const r = Math.min(reach, n - 1);
  const extremes = new Array<number>(n);
  // Neighbours often share their extreme: round it once (0 is left out, as −0 rounds to −0).
  let previous = NaN;
  let rounded = NaN;
  for (let s = 0; s < n; s++) {
    let extreme = values[(((s - r) % n) + n) % n];
    for (let d = -r + 1; d <= r; d++) {
      const value = values[(((s + d) % n) + n) % n];
      extreme = pick === 'max' ? Math.max(extreme, value) : Math.min(extreme, value);
    }
    if (!(extreme === previous && extreme !== 0)) {
      previous = extreme;
      rounded = roundSignificant(extreme, digits);
    }
    extremes[s] = rounded;
  }
  return extremes;
}
