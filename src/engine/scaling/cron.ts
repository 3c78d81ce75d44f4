import type { Repeat } from './repeatingSchedule';

/**
 * The cron expression (minute hour day-of-month month day-of-week) that fires at an offset into a repeating day or
 * week of wall-clock time: `50 7 * * *` for 07:50 every day, `50 7 * * 1` for 07:50 on Mondays. Seconds within the
 * minute are dropped: offsets come whole minutes (repeatingSchedule rounds the lead up to a minute).
 */
export function cronAt(offsetSeconds: number, repeat: Repeat): string {
  const minutes = Math.floor(offsetSeconds / 60);
  const minute = minutes % 60;
  const hour = Math.floor(minutes / 60) % 24;
  const dayOfWeek = repeat === 'weekly' ? String(Math.floor(minutes / 1440) % 7) : '*';
  return `${minute} ${hour} * * ${dayOfWeek}`;
}
