/**
 * Daily and weekly rhythms (UTC) that drive arrivals and inference traffic.
 * Both are pure functions of time so the history writer and the live endpoint agree.
 */
const DAY_SECONDS = 86400;

function hourOfDay(seconds: number): number {
  return ((seconds % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS / 3600;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeek(seconds: number): number {
  return (Math.floor(seconds / DAY_SECONDS) + 3) % 7;
}

/**
 * Relative rate at which people submit work: busy from mid-morning to late evening, quiet at night,
 * weekends at about half. Averages about 1 over a week.
 */
export function submissionRhythm(seconds: number): number {
  const hour = hourOfDay(seconds);
  const daily = 0.6 + 0.8 * Math.max(0, Math.sin((Math.PI * (hour - 8)) / 15));
  const day = dayOfWeek(seconds);
  const weekly = day === 5 ? 0.6 : day === 6 ? 0.5 : 1.15;
  return daily * weekly;
}

/** Relative traffic of a user-facing service: peak in the afternoon, trough before dawn, lighter weekends. */
export function trafficRhythm(seconds: number): number {
  const hour = hourOfDay(seconds);
  const daily = 0.7 + 0.3 * Math.cos((2 * Math.PI * (hour - 15)) / 24);
  const day = dayOfWeek(seconds);
  const weekly = day >= 5 ? 0.75 : 1;
  return daily * weekly;
}
