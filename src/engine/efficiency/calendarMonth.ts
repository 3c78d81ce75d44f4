import { EfficiencyInputError } from './errors';

/** Budgets are monthly, and an invoice month is a calendar month in some time zone; UTC unless said otherwise. */
export const DEFAULT_BUDGET_TIME_ZONE = 'UTC';

/** The IANA time zone name as the runtime knows it, or an EfficiencyInputError that says what to give instead. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new EfficiencyInputError(
      'timeZone',
      `"${timeZone}" is not a time zone; give an IANA name such as UTC, Europe/Berlin or America/New_York.`
    );
  }
}

/** Wall-clock date and time in `timeZone` of the instant `seconds` (whole seconds). */
function wallClock(seconds: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(seconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month0: get('month') - 1,
    asUtcSeconds: Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000,
  };
}

/** How far `timeZone`'s clocks are ahead of UTC at the instant `seconds`. */
function offsetSeconds(seconds: number, timeZone: string): number {
  const whole = Math.floor(seconds);
  return wallClock(whole, timeZone).asUtcSeconds - whole;
}

/** The instant at which the wall clock of `timeZone` reads 00:00 on the first of the month (month0 may overflow). */
function firstOfMonth(year: number, month0: number, timeZone: string): number {
  const wall = Date.UTC(year, month0, 1) / 1000;
  // Twice: the offset at a first guess, then at the instant it gives (right across a DST change at the boundary).
  const guess = wall - offsetSeconds(wall, timeZone);
  return wall - offsetSeconds(guess, timeZone);
}

/**
 * The calendar month containing the instant `seconds`, in `timeZone` (an IANA name, default UTC): the instants its
 * first day begins and the next month's first day begins.
 */
export function monthBounds(
  seconds: number,
  timeZone: string = DEFAULT_BUDGET_TIME_ZONE
): { startSeconds: number; endSeconds: number } {
  const zone = checkTimeZone(timeZone);
  const { year, month0 } = wallClock(Math.floor(seconds), zone);
  return { startSeconds: firstOfMonth(year, month0, zone), endSeconds: firstOfMonth(year, month0 + 1, zone) };
}

/** "2026-12-01 00:00 Europe/Berlin": a month's start as its time zone's wall clock reads it. */
export function monthStartText(startSeconds: number, timeZone: string = DEFAULT_BUDGET_TIME_ZONE): string {
  const zone = checkTimeZone(timeZone);
  const { asUtcSeconds } = wallClock(startSeconds, zone);
  return `${new Date(asUtcSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} ${zone}`;
}
