export const HOUR_SECONDS = 3_600;
export const DAY_SECONDS = 86_400;
export const WEEK_SECONDS = 7 * DAY_SECONDS;

/**
 * Which rhythm a band follows: a separate value for each hour of the week, each hour of the day,
 * or one value for all times.
 */
export type SeasonMode = 'hour-of-week' | 'hour-of-day' | 'flat';

export function slotCount(mode: SeasonMode): number {
  return mode === 'hour-of-week' ? 168 : mode === 'hour-of-day' ? 24 : 1;
}

const modulo = (x: number, n: number) => ((x % n) + n) % n;

/** UTC hour of the day, 0–23, as PromQL's `hour()`. */
export function utcHour(timeSeconds: number): number {
  return modulo(Math.floor(timeSeconds / HOUR_SECONDS), 24);
}

/** UTC day of the week, 0 = Sunday, as PromQL's `day_of_week()`; 1970-01-01 was a Thursday (4). */
export function utcDayOfWeek(timeSeconds: number): number {
  return modulo(Math.floor(timeSeconds / DAY_SECONDS) + 4, 7);
}

/** Slot index: day_of_week·24 + hour for the weekly rhythm, so Saturday 23 h neighbours Sunday 0 h circularly. */
export function slotOf(timeSeconds: number, mode: SeasonMode): number {
  if (mode === 'flat') {
    return 0;
  }
  const hour = utcHour(timeSeconds);
  return mode === 'hour-of-week' ? utcDayOfWeek(timeSeconds) * 24 + hour : hour;
}

/**
 * A time this close to the end of an hour is looked up afresh: floor(t / 3600) computed in floating point may
 * already round up to the next hour there.
 */
const HOUR_END_MARGIN_SECONDS = 1;

/**
 * `slotOf` for a run of times in order, as fast as two comparisons: the slot depends only on floor(t / 3600) and
 * floor(t / 86400), which (division and floor being monotone) are those of the whole hour h·3600 for every t from
 * it to just before the next hour; within 2^30 hours of the epoch the margin exceeds their rounding.
 */
export function slotLookup(mode: SeasonMode): (timeSeconds: number) => number {
  let from = NaN;
  let to = NaN;
  let slot = 0;
  return (timeSeconds) => {
    if (timeSeconds >= from && timeSeconds < to) {
      return slot;
    }
    const hours = Math.floor(timeSeconds / HOUR_SECONDS);
    if (Math.abs(hours) < 2 ** 30) {
      from = hours * HOUR_SECONDS;
      to = from + HOUR_SECONDS - HOUR_END_MARGIN_SECONDS;
      slot = slotOf(from, mode);
      if (timeSeconds >= from && timeSeconds < to) {
        return slot;
      }
    }
    return slotOf(timeSeconds, mode);
  };
}

/** The finest rhythm the history can support: two full cycles of it, so no slot rests on a single day. */
export function finestSeasonMode(historySeconds: number): SeasonMode {
  if (historySeconds >= 2 * WEEK_SECONDS) {
    return 'hour-of-week';
  }
  return historySeconds >= 2 * DAY_SECONDS ? 'hour-of-day' : 'flat';
}
