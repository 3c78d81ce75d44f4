import { clampToValueRange, type ValueRange } from '../series/valueRange';
import {
  firstAtLeast,
  pooledRobustSpreadAtMost,
  quantileOfSorted,
  robustSpreadOfSorted,
  roundSignificant,
} from './robust';
import { DAY_SECONDS, finestSeasonMode, SeasonMode, slotCount, slotLookup, slotOf, WEEK_SECONDS } from './slots';
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
   * Routinely means in more than one cycle (day, or week for the hour-of-week rhythm): the floor is at most the
   * second-highest of the slot's per-cycle maxima (the lower one at least the second-lowest per-cycle minimum), so a
   * single event, however long within its slot, does not become normal.
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
  /**
   * What the metric can take, when known (a count is ≥ 0, a ratio in [0, 1], busy GPUs at most the fleet's): the
   * thresholds are clamped into it, so no edge promises what cannot happen (a side clamped to an end cannot fire).
   */
  valueRange?: ValueRange;
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
 * A band's thresholds at one calibration, each slot's worked out when it is first read: a replay that judges one
 * day until the next calibration reads 24 of the 168 hour-of-week slots. Valid until its learner learns again (a
 * later call that gives thresholds, or any earlier call); a call that finds nothing to learn from changes nothing.
 */
export interface BandThresholds {
  readonly mode: SeasonMode;
  /** The slot's upper threshold; +Infinity when the upper side is not alerted on. */
  upperAt(slot: number): number;
  /** The slot's lower threshold; −Infinity when the lower side is not alerted on. */
  lowerAt(slot: number): number;
  /** Every slot's, as `learnBand` returns them. */
  band(): Band;
}

/** The band at a calibration time (as `learnBand`), or its thresholds slot by slot (`thresholdsAt`). */
export interface BandLearner {
  (calibratedAtSeconds: number): Band | undefined;
  thresholdsAt(calibratedAtSeconds: number): BandThresholds | undefined;
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
): BandLearner {
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
  const weekSlots = slotOfSample['hour-of-week'];
  const daySlots = slotOfSample['hour-of-day'];
  // A slot never holds more than the usable samples of the series that fall into it.
  const weekCapacities = new Int32Array(168);
  const slotAt = slotLookup('hour-of-week');
  for (let k = 0; k < n; k++) {
    const i = order === undefined ? k : order[k];
    const t = timestampsSeconds[i];
    const v = values[i];
    const weekSlot = slotAt(t);
    times[k] = t;
    weekSlots[k] = weekSlot;
    daySlots[k] = weekSlot % 24;
    if (v !== null && Number.isFinite(v)) {
      samples[k] = v;
      weekCapacities[weekSlot]++;
    } else {
      samples[k] = NaN;
    }
  }
  const dayCapacities = new Int32Array(24);
  weekCapacities.forEach((capacity, weekSlot) => (dayCapacities[weekSlot % 24] += capacity));
  const capacities: Record<SeasonMode, Int32Array> = {
    'hour-of-week': weekCapacities,
    'hour-of-day': dayCapacities,
    flat: Int32Array.of(dayCapacities.reduce((total, capacity) => total + capacity, 0)),
  };
  const members: Partial<Record<SeasonMode, SlotMembers>> = {};
  const membersOf = (mode: SeasonMode) =>
    (members[mode] ??= slotMembers(slotOfSample[mode], slotCount(mode), times, samples, cycleSecondsOf(mode)));
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
  const thresholdsAt = (calibratedAtSeconds: number): BandThresholds | undefined => {
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
    const window = { lo, hi };
    const recurring = (rhythm: SeasonMode, slot: number) =>
      recurringExtremes(membersOf(rhythm), slot, window.lo, window.hi, samples);
    return new SlotThresholds(rhythmOf(mode), rhythmOf('flat'), calibratedAtSeconds, options, recurring);
  };
  return Object.assign((calibratedAtSeconds: number) => thresholdsAt(calibratedAtSeconds)?.band(), { thresholdsAt });
}

/** One rhythm's sorted slots and their statistics, up to date with the training window. */
interface Rhythm {
  mode: SeasonMode;
  slots: SortedSlots;
  stats: SlotStats;
}

/**
 * The band's thresholds from the chosen rhythm's slot statistics. A slot's edge is its median ± its half-width (at
 * least the minimum margin), at least its floor quantile (at most the lower one); an empty slot takes all the
 * training data's (the flat rhythm's one slot). A slot's threshold is the extreme of its and its `smoothingSlots`
 * neighbours' edges on each side (circularly), rounded to `significantDigits`.
 */
class SlotThresholds implements BandThresholds {
  readonly mode: SeasonMode;
  private readonly minMargin: number;
  /** Which slots' edges have been worked out (both sides at once). */
  private readonly edgeKnown: Uint8Array;
  private readonly sides: Record<BandSide, SideThresholds>;

  constructor(
    private readonly rhythm: Rhythm,
    private readonly flat: Rhythm,
    private readonly calibratedAtSeconds: number,
    private readonly options: BandOptions,
    private readonly recurring: (mode: SeasonMode, slot: number) => RecurringExtremes
  ) {
    this.mode = rhythm.mode;
    const { values, offsets, lengths } = flat.slots;
    const allFrom = offsets[0];
    const allTo = allFrom + lengths[0];
    const size = Math.max(
      Math.abs(quantileOfSorted(values, 0.5, allFrom, allTo)),
      quantileOfSorted(values, 0.99, allFrom, allTo) - quantileOfSorted(values, 0.01, allFrom, allTo)
    );
    this.minMargin = options.minMarginFraction * size;
    const n = slotCount(rhythm.mode);
    this.edgeKnown = new Uint8Array(n);
    this.sides = {
      upper: sideThresholds(n, options.direction !== 'lower'),
      lower: sideThresholds(n, options.direction !== 'upper'),
    };
  }

  upperAt(slot: number): number {
    return this.threshold(slot, 'upper');
  }

  lowerAt(slot: number): number {
    return this.threshold(slot, 'lower');
  }

  band(): Band {
    const band: Band = { mode: this.mode, calibratedAtSeconds: this.calibratedAtSeconds };
    for (const side of ['upper', 'lower'] as const) {
      if (this.sides[side].watched) {
        const thresholds = new Array<number>(this.edgeKnown.length);
        for (let slot = 0; slot < thresholds.length; slot++) {
          thresholds[slot] = this.threshold(slot, side);
        }
        band[side] = thresholds;
      }
    }
    return band;
  }

  /**
   * The extreme of the slot's and its neighbours' edges on that side, rounded; ±Infinity for a side not watched.
   */
  private threshold(slot: number, side: BandSide): number {
    const cache = this.sides[side];
    if (!cache.watched) {
      return side === 'upper' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }
    if (cache.known[slot] === 1) {
      return cache.thresholds[slot];
    }
    const n = cache.thresholds.length;
    const r = Math.min(this.options.smoothingSlots, n - 1);
    const { edges } = cache;
    let at = slot - r < 0 ? slot - r + n : slot - r;
    this.knowEdges(at);
    let extreme = edges[at];
    for (let d = -r + 1; d <= r; d++) {
      at = at + 1 === n ? 0 : at + 1;
      this.knowEdges(at);
      extreme = side === 'upper' ? Math.max(extreme, edges[at]) : Math.min(extreme, edges[at]);
    }
    // Neighbours often share their extreme: it is rounded once (0 is left out, as −0 rounds to −0).
    if (!(extreme === cache.lastExtreme && extreme !== 0)) {
      cache.lastExtreme = extreme;
      cache.lastRounded = clampToValueRange(
        roundSignificant(extreme, this.options.significantDigits),
        this.options.valueRange
      );
    }
    cache.thresholds[slot] = cache.lastRounded;
    cache.known[slot] = 1;
    return cache.lastRounded;
  }

  private knowEdges(slot: number): void {
    if (this.edgeKnown[slot] === 1) {
      return;
    }
    const empty = this.rhythm.slots.lengths[slot] === 0;
    const stats = empty ? this.flat.stats : this.rhythm.stats;
    const s = empty ? 0 : slot;
    stats.refreshSpread(s);
    const { minMargin } = this;
    const above = stats.median[s] + Math.max(minMargin, stats.reachAbove[s]);
    const below = stats.median[s] - Math.max(minMargin, stats.reachBelow[s]);
    // The floor quantiles only where they recur: a single event cannot lift them. The slot's cycles are read only
    // when a floor would widen the edge (a spiky slot), as the cap can only lower a floor.
    const recurring =
      stats.floorHigh[s] > above || stats.floorLow[s] < below ? this.recurring(empty ? 'flat' : this.mode, s) : NO_CAP;
    this.sides.upper.edges[slot] = Math.max(above, Math.min(stats.floorHigh[s], recurring.high));
    this.sides.lower.edges[slot] = Math.min(below, Math.max(stats.floorLow[s], recurring.low));
    this.edgeKnown[slot] = 1;
  }
}

type BandSide = 'upper' | 'lower';

/** The cycle a rhythm's slot recurs in: a week for the hour of the week, else a (UTC) day. */
const cycleSecondsOf = (mode: SeasonMode) => (mode === 'hour-of-week' ? WEEK_SECONDS : DAY_SECONDS);

/**
 * Every slot's samples, by time: slot s holds index[start[s] … start[s + 1]). They are cut into the slot's cycles
 * (days, or weeks for the hour of the week) once, with each cycle's largest and smallest value, so that reading what
 * recurs at a calibration time costs one step per cycle rather than per sample (the replay recalibrates every day).
 */
interface SlotMembers {
  start: Int32Array;
  index: Int32Array;
  /** Slot s's cycles are cycleOfSlot[s] … cycleOfSlot[s + 1]) in the arrays below. */
  cycleOfSlot: Int32Array;
  /** Position in `index` of each cycle's first sample. */
  cycleFirst: Int32Array;
  /** Each cycle's largest and smallest value; NaN when it holds none. */
  cycleMax: Float64Array;
  cycleMin: Float64Array;
}

function slotMembers(
  slotOfSample: Uint8Array,
  slots: number,
  times: Float64Array,
  samples: Float64Array,
  cycleSeconds: number
): SlotMembers {
  const start = new Int32Array(slots + 1);
  for (let k = 0; k < slotOfSample.length; k++) {
    start[slotOfSample[k] + 1]++;
  }
  for (let s = 0; s < slots; s++) {
    start[s + 1] += start[s];
  }
  const next = start.slice(0, slots);
  const index = new Int32Array(slotOfSample.length);
  for (let k = 0; k < slotOfSample.length; k++) {
    index[next[slotOfSample[k]]++] = k;
  }
  // At most one cycle per sample: the tables are cut to the cycles found.
  const cycleOfSlot = new Int32Array(slots + 1);
  const cycleFirst = new Int32Array(index.length);
  const cycleMax = new Float64Array(index.length);
  const cycleMin = new Float64Array(index.length);
  let cycles = 0;
  for (let s = 0; s < slots; s++) {
    let cycle = NaN;
    for (let p = start[s]; p < start[s + 1]; p++) {
      const k = index[p];
      const c = Math.floor(times[k] / cycleSeconds);
      if (c !== cycle) {
        cycle = c;
        cycleFirst[cycles] = p;
        cycleMax[cycles] = NaN;
        cycleMin[cycles] = NaN;
        cycles++;
      }
      const x = samples[k];
      const last = cycles - 1;
      if (x === x) {
        cycleMax[last] = cycleMax[last] >= x ? cycleMax[last] : x;
        cycleMin[last] = cycleMin[last] <= x ? cycleMin[last] : x;
      }
    }
    cycleOfSlot[s + 1] = cycles;
  }
  return {
    start,
    index,
    cycleOfSlot,
    cycleFirst: cycleFirst.subarray(0, cycles),
    cycleMax: cycleMax.subarray(0, cycles),
    cycleMin: cycleMin.subarray(0, cycles),
  };
}

/**
 * The second-highest of a slot's per-cycle maxima and the second-lowest of its per-cycle minima: values the slot
 * reached in at least two cycles. +Infinity and −Infinity (no cap) when its samples fall in one cycle: there a single
 * event cannot be told from the rhythm (a flat band from one day would take the working day for an event).
 */
interface RecurringExtremes {
  high: number;
  low: number;
}

const NO_CAP: RecurringExtremes = { high: Number.POSITIVE_INFINITY, low: Number.NEGATIVE_INFINITY };

/** The slot's recurring extremes over the samples `lo` … `hi`) (the training window), cycles cut by the window. */
function recurringExtremes(
  members: SlotMembers,
  slot: number,
  lo: number,
  hi: number,
  samples: Float64Array
): RecurringExtremes {
  const { start, index, cycleOfSlot, cycleFirst, cycleMax, cycleMin } = members;
  const from = firstAtLeast(index, lo, start[slot], start[slot + 1]);
  const to = firstAtLeast(index, hi, from, start[slot + 1]);
  let top = Number.NEGATIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let bottom = Number.POSITIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  const addCycle = (largest: number, smallest: number) => {
    if (largest === largest) {
      high = Math.max(high, Math.min(top, largest));
      top = Math.max(top, largest);
      low = Math.min(low, Math.max(bottom, smallest));
      bottom = Math.min(bottom, smallest);
    }
  };
  // A cycle the window cuts is read sample by sample; the whole ones between from their table.
  const addSamples = (fromPosition: number, toPosition: number) => {
    let largest = NaN;
    let smallest = NaN;
    for (let p = fromPosition; p < toPosition; p++) {
      const x = samples[index[p]];
      if (x === x) {
        largest = largest === largest ? Math.max(largest, x) : x;
        smallest = smallest === smallest ? Math.min(smallest, x) : x;
      }
    }
    addCycle(largest, smallest);
  };
  if (from < to) {
    const cycleAt = (position: number) => lastAtMost(cycleFirst, position, cycleOfSlot[slot], cycleOfSlot[slot + 1]);
    const firstCycle = cycleAt(from);
    const lastCycle = cycleAt(to - 1);
    if (firstCycle === lastCycle) {
      addSamples(from, to);
    } else {
      addSamples(from, cycleFirst[firstCycle + 1]);
      for (let c = firstCycle + 1; c < lastCycle; c++) {
        addCycle(cycleMax[c], cycleMin[c]);
      }
      addSamples(cycleFirst[lastCycle], to);
    }
  }
  return high === Number.NEGATIVE_INFINITY ? NO_CAP : { high, low };
}

/** The last i in [from, to) with sorted[i] ≤ value (from when none is). */
function lastAtMost(sorted: Int32Array, value: number, from: number, to: number): number {
  let left = from;
  let right = to;
  while (right - left > 1) {
    const middle = (left + right) >>> 1;
    if (sorted[middle] <= value) {
      left = middle;
    } else {
      right = middle;
    }
  }
  return left;
}

/** One side's edges and rounded thresholds, each slot's once worked out (known). */
interface SideThresholds {
  watched: boolean;
  edges: Float64Array;
  thresholds: Float64Array;
  known: Uint8Array;
  lastExtreme: number;
  lastRounded: number;
}

const sideThresholds = (n: number, watched: boolean): SideThresholds => ({
  watched,
  edges: new Float64Array(n),
  thresholds: new Float64Array(n),
  known: new Uint8Array(n),
  lastExtreme: NaN,
  lastRounded: NaN,
});

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
  const allFrom = all.offsets[0];
  const allTo = allFrom + all.lengths[0];
  const flatMedian = quantileOfSorted(all.values, 0.5, allFrom, allTo);
  const flatSpread = robustSpreadOfSorted(all.values, flatMedian, allFrom, allTo);
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
