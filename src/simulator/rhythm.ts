/**
 * Daily and weekly rhythms that drive arrivals and inference traffic, in the fleet's local time (UTC here).
 * Both are pure functions of time so the history writer and the live endpoint agree.
 */
const DAY_SECONDS = 86400;

function hourOfDay(seconds: number): number {
  return (((seconds % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS) / 3600;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeek(seconds: number): number {
  return (Math.floor(seconds / DAY_SECONDS) + 3) % 7;
}

/**
 * Share of a day's job submissions in each local hour (per cent), read off the job counts of the four
 * SenseTime Helios clusters in ../shared/data/forecast (their timestamps are local time): almost nothing
 * from 3 to 8 in the morning, a ramp through the morning, most work submitted from the afternoon to midnight.
 */
const SUBMISSIONS_PER_HOUR_PERCENT = [
  5, 4, 2, 1, 1, 1, 0.5, 0.5, 1, 2, 5, 5.5, 5, 4, 6.5, 6, 8, 6, 6, 6.5, 7.5, 7, 5.5, 4.5,
];
const SUBMISSIONS_TOTAL = SUBMISSIONS_PER_HOUR_PERCENT.reduce((sum, x) => sum + x, 0);

/**
 * Relative rate at which people submit work: the hourly profile above, interpolated so it has no steps, scaled
 * to a daily mean of 0.92 (that of the office-hours curve it replaced, so defaultFleet's rates still fill the
 * fleet as sized and the utilisation mix stays calibrated); weekends at about half.
 */
export function submissionRhythm(seconds: number): number {
  const hour = hourOfDay(seconds);
  const h = Math.floor(hour);
  const next = SUBMISSIONS_PER_HOUR_PERCENT[(h + 1) % 24];
  const here = SUBMISSIONS_PER_HOUR_PERCENT[h];
  // Each table entry is the rate at the middle of its hour.
  const share = hour - h < 0.5 ? here : here + (next - here) * (hour - h - 0.5);
  const daily = (0.92 * 24 * share) / SUBMISSIONS_TOTAL;
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
