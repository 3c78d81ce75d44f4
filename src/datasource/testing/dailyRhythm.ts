/** Test series shared by the data source's and the panels' forecast tests. */
export const HOUR_SECONDS = 3600;
/** 2025-01-06, a Monday, 00:00 UTC. */
export const MONDAY_SECONDS = Date.UTC(2025, 0, 6) / 1000;

/** Hourly history with a daily rhythm from MONDAY_SECONDS: 20 GPUs at night, 40 at 14:00. */
export function dailyRhythm(days: number) {
  const timestampsSeconds = Array.from({ length: days * 24 }, (_, h) => MONDAY_SECONDS + h * HOUR_SECONDS);
  const values = timestampsSeconds.map((t) => 30 + 10 * Math.sin((2 * Math.PI * (((t / HOUR_SECONDS) % 24) - 8)) / 24));
  return { timestampsSeconds, values };
}
