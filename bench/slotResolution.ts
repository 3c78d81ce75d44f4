/**
 * The slot band at other resolutions and neighbour covers, for bench/alerts.ts --lofo --pool resolution (issue 13).
 * Learnt like the deployed band (`learnBand`: the rhythm test, median ± width·1.4826·MAD, the minimum margin, the
 * slot's floor quantile where it recurs, 5 significant digits, recalibrated at every UTC midnight), but:
 * - slots of the day (and, with `fineWeek`, of the week) last `slotSeconds` (30, 20 or 15 minutes) instead of an
 *   hour; PromQL reads the slot from `day_of_week()`, `hour()` and `floor(minute() / m)`;
 * - an edge covers its neighbouring slots (`slot`: the deployed ±1 slot), none of them, only those whose median is
 *   within the slot's own robust σ (`similar`), or each neighbour for the half of the slot next to it (`half`: two
 *   thresholds per slot);
 * - or the centre is the slot medians interpolated linearly between slot midpoints (`interpolated`) and the margins
 *   are learnt per slot from the residuals around that centre; PromQL: `m + a·clamp_min(minute() − 30, 0) −
 *   b·clamp_min(30 − minute(), 0)` per hour, the `minute()` of the evaluation as the position.
 * With hourly slots, the `slot` cover and the step centre it is the deployed band, threshold for threshold.
 */
import {
  BandOptions,
  calibrationTimes,
  finestSeasonMode,
  RowThresholds,
  SeasonMode,
  utcDayOfWeek,
} from '../src/engine/thresholds';
import { quantileOfSorted, robustSpread, roundSignificant, sortedCopy } from '../src/engine/thresholds/robust';
import { trainingRows, trainingSize } from './alertVariants';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
const WEEK = 7 * DAY;

export type NeighbourCover = 'none' | 'slot' | 'similar' | 'half';

export interface SlotGridOptions {
  /** Length of a slot of the day; a divisor of an hour in whole minutes (3600: the deployed hours). */
  slotSeconds: number;
  /** Hour-of-week slots go to the same grid (true) or stay hourly (false). */
  fineWeek: boolean;
  cover: NeighbourCover;
  /** 'step': one centre per slot (its median); 'interpolated': linear between the slot medians at slot midpoints. */
  centre: 'step' | 'interpolated';
}

export const DEPLOYED_GRID: SlotGridOptions = { slotSeconds: HOUR, fineWeek: false, cover: 'slot', centre: 'step' };

/** A rhythm's slots: how long each lasts and how many fill its cycle (a week, a day; flat: one slot a day long). */
interface Grid {
  mode: SeasonMode;
  slotSeconds: number;
  slots: number;
  /** The cycle a floor quantile must recur in: a week for the hour of the week, else a UTC day (as `learnBand`). */
  recurrenceSeconds: number;
}

function gridOf(mode: SeasonMode, options: SlotGridOptions): Grid {
  if (mode === 'flat') {
    return { mode, slotSeconds: DAY, slots: 1, recurrenceSeconds: DAY };
  }
  const cycle = mode === 'hour-of-week' ? WEEK : DAY;
  const slotSeconds = mode === 'hour-of-week' && !options.fineWeek ? HOUR : options.slotSeconds;
  return { mode, slotSeconds, slots: cycle / slotSeconds, recurrenceSeconds: mode === 'hour-of-week' ? WEEK : DAY };
}

/**
 * Where in its rhythm's cycle a time falls, in whole minutes as PromQL sees it (`day_of_week()`, `hour()`,
 * `minute()` of the evaluation time, UTC, week from Sunday): seconds from the cycle's start, whole minutes only.
 */
export function cyclePositionSeconds(timeSeconds: number, mode: SeasonMode): number {
  if (mode === 'flat') {
    return 0;
  }
  const ofDay = Math.floor((((timeSeconds % DAY) + DAY) % DAY) / MINUTE) * MINUTE;
  return mode === 'hour-of-week' ? utcDayOfWeek(timeSeconds) * DAY + ofDay : ofDay;
}

/** One slot's learnt edges: `above` / `below` are where the upper and lower thresholds sit before any cover. */
export interface SlotEdges {
  median: number;
  /** 1.4826·MAD around the median. */
  sigma: number;
  above: number;
  below: number;
}

/**
 * A slot's edges from its training values (with their times, for the recurrence of the floor): median ±
 * max(minMargin, width·1.4826·MAD), at least the floor quantile (at most its complement) but that floor at most the
 * second-highest per-cycle maximum (at least the second-lowest minimum); no cap when the values fall in one cycle.
 */
export function slotEdges(
  values: readonly number[],
  times: readonly number[],
  recurrenceSeconds: number,
  minMargin: number,
  band: Pick<BandOptions, 'width' | 'floorQuantile'>
): SlotEdges {
  const sorted = sortedCopy(values);
  const median = quantileOfSorted(sorted, 0.5);
  const sigma = robustSpread(values, median);
  const reach = Math.max(minMargin, band.width * sigma);
  const cycleMax = new Map<number, number>();
  const cycleMin = new Map<number, number>();
  values.forEach((v, i) => {
    const cycle = Math.floor(times[i] / recurrenceSeconds);
    cycleMax.set(cycle, Math.max(cycleMax.get(cycle) ?? v, v));
    cycleMin.set(cycle, Math.min(cycleMin.get(cycle) ?? v, v));
  });
  const highs = [...cycleMax.values()].sort((a, b) => b - a);
  const lows = [...cycleMin.values()].sort((a, b) => a - b);
  const capHigh = highs.length > 1 ? highs[1] : Number.POSITIVE_INFINITY;
  const capLow = lows.length > 1 ? lows[1] : Number.NEGATIVE_INFINITY;
  return {
    median,
    sigma,
    above: Math.max(median + reach, Math.min(quantileOfSorted(sorted, band.floorQuantile), capHigh)),
    below: Math.min(median - reach, Math.max(quantileOfSorted(sorted, 1 - band.floorQuantile), capLow)),
  };
}

/**
 * The centre interpolated between slot medians placed at the slots' midpoints (circularly): at `position` seconds
 * into the cycle, in slot s at u seconds from its midpoint, m_s + (m_{s+1} − m_s)·u/S after the midpoint and
 * m_s + (m_s − m_{s−1})·u/S before it (S the slot's length).
 */
export function interpolatedCentre(medians: readonly number[], slotSeconds: number, position: number): number {
  const n = medians.length;
  const s = Math.floor(position / slotSeconds);
  const u = position - s * slotSeconds - slotSeconds / 2;
  const m = medians[s];
  return u >= 0
    ? m + ((medians[(s + 1) % n] - m) * u) / slotSeconds
    : m + ((m - medians[(s + n - 1) % n]) * u) / slotSeconds;
}

/** The band learnt at one calibration: thresholds at any time until the next. */
interface LearntGridBand {
  at(timeSeconds: number): { upper: number; lower: number };
}

/**
 * Each slot's threshold on one side from the slots' edges (upper: the highest of those covered, lower: the lowest):
 * `slot` covers both neighbours, `similar` those whose median is within the slot's σ, `half` the neighbour on the
 * side of the slot's half the time is in (`second`: the later half), `none` none.
 */
export function coveredEdge(
  edges: readonly SlotEdges[],
  slot: number,
  side: 'upper' | 'lower',
  cover: NeighbourCover,
  second = false
): number {
  const n = edges.length;
  const own = edges[slot];
  const previous = edges[(slot + n - 1) % n];
  const next = edges[(slot + 1) % n];
  const covered =
    cover === 'slot'
      ? [previous, next]
      : cover === 'half'
        ? [second ? next : previous]
        : cover === 'similar'
          ? [previous, next].filter((e) => Math.abs(e.median - own.median) <= own.sigma)
          : [];
  const pick = side === 'upper' ? (e: SlotEdges) => e.above : (e: SlotEdges) => e.below;
  const values = [own, ...covered].map(pick);
  return side === 'upper' ? Math.max(...values) : Math.min(...values);
}

/** The band as `learnBand` learns it from the samples strictly before `at`, on the options' grid; undefined: none. */
function learnGridBand(
  timestamps: readonly number[],
  values: readonly number[],
  at: number,
  band: BandOptions,
  options: SlotGridOptions
): LearntGridBand | undefined {
  const rows = trainingRows(timestamps, values, at, band.maxTrainingSeconds);
  if (rows.length === 0) {
    return undefined;
  }
  const times = rows.map((i) => timestamps[i]);
  const xs = rows.map((i) => values[i]);
  const all = sortedCopy(xs);
  const minMargin = band.minMarginFraction * trainingSize(all);
  const flatMedian = quantileOfSorted(all, 0.5);
  const flatSpread = robustSpread(xs, flatMedian);
  const finest = finestSeasonMode(at - times[0]);
  const candidates: SeasonMode[] = finest === 'hour-of-week' ? ['hour-of-week', 'hour-of-day'] : [finest];
  const bySlot = (grid: Grid, of: readonly number[]) => {
    const slotValues: number[][] = Array.from({ length: grid.slots }, () => []);
    const slotTimes: number[][] = Array.from({ length: grid.slots }, () => []);
    times.forEach((t, i) => {
      const s = Math.floor(cyclePositionSeconds(t, grid.mode) / grid.slotSeconds);
      slotValues[s].push(of[i]);
      slotTimes[s].push(t);
    });
    return { slotValues, slotTimes };
  };
  // The rhythm test of `learnBand`, on this grid: removing each slot's median must shrink the robust spread.
  let grid = gridOf('flat', options);
  for (const mode of candidates) {
    if (mode === 'flat') {
      break;
    }
    const candidate = gridOf(mode, options);
    const { slotValues } = bySlot(candidate, xs);
    const residuals = slotValues.flatMap((slot) => {
      const median = quantileOfSorted(sortedCopy(slot), 0.5);
      return slot.map((v) => v - median);
    });
    if (robustSpread(residuals, 0) <= band.seasonalGainRatio * flatSpread) {
      grid = candidate;
      break;
    }
  }
  // An empty slot takes all the training data's edges (one slot a day long).
  const edgesOf = (of: readonly number[]): SlotEdges[] => {
    const { slotValues, slotTimes } = bySlot(grid, of);
    const whole = slotValues.some((slot) => slot.length === 0) ? slotEdges(of, times, DAY, minMargin, band) : undefined;
    return slotValues.map((slot, s) =>
      slot.length > 0 ? slotEdges(slot, slotTimes[s], grid.recurrenceSeconds, minMargin, band) : whole!
    );
  };
  const round = (x: number) => roundSignificant(x, band.significantDigits);
  const slotAt = (position: number) => Math.floor(position / grid.slotSeconds);
  if (options.centre === 'step') {
    const edges = edgesOf(xs);
    const thresholds = (second: boolean) =>
      edges.map((_, s) => ({
        upper: round(coveredEdge(edges, s, 'upper', options.cover, second)),
        lower: round(coveredEdge(edges, s, 'lower', options.cover, second)),
      }));
    const first = thresholds(false);
    const later = options.cover === 'half' ? thresholds(true) : first;
    return {
      at(t) {
        const position = cyclePositionSeconds(t, grid.mode);
        const s = slotAt(position);
        return position - s * grid.slotSeconds >= grid.slotSeconds / 2 ? later[s] : first[s];
      },
    };
  }
  const medians = edgesOf(xs).map((e) => round(e.median));
  const centreAt = (t: number) =>
    grid.mode === 'flat'
      ? medians[0]
      : interpolatedCentre(medians, grid.slotSeconds, cyclePositionSeconds(t, grid.mode));
  const margins = edgesOf(xs.map((x, i) => x - centreAt(times[i])));
  const up = margins.map((_, s) => round(coveredEdge(margins, s, 'upper', options.cover)));
  const down = margins.map((_, s) => round(coveredEdge(margins, s, 'lower', options.cover)));
  return {
    at(t) {
      const s = slotAt(cyclePositionSeconds(t, grid.mode));
      const centre = centreAt(t);
      return { upper: centre + up[s], lower: centre + down[s] };
    },
  };
}

/**
 * The grid band replayed as deployed: calibrated when the warm-up ends and at every multiple of the cadence (UTC
 * midnight), each row judged by the latest calibration at or before it that had samples to learn from.
 */
export function slotGridThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  band: BandOptions,
  options: SlotGridOptions,
  recalibrationSeconds = DAY
): RowThresholds {
  const n = timestamps.length;
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  const times = calibrationTimes(timestamps, { warmupRows, recalibrationSeconds });
  let next = 0;
  let learnt: LearntGridBand | undefined;
  for (let i = warmupRows; i < n; i++) {
    while (next < times.length && times[next] <= timestamps[i]) {
      learnt = learnGridBand(timestamps, values, times[next], band, options) ?? learnt;
      next++;
    }
    if (learnt) {
      ({ upper: upper[i], lower: lower[i] } = learnt.at(timestamps[i]));
    }
  }
  return { upper, lower };
}
