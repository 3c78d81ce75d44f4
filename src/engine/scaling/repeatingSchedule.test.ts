/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from '../capacity/errors';
import { repeatingSchedule, type RepeatingSchedule } from './repeatingSchedule';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Monday 2026-12-07 00:00 UTC (1796601600 = 20794 days × 86400; 20794 mod 7 = 4 days after a Thursday). */
const MONDAY = 1_796_601_600;

function hourly(startSeconds: number, hours: number, need: (hourOfSpan: number) => number) {
  const timestampsSeconds = Array.from({ length: hours }, (_, h) => startSeconds + h * HOUR);
  return { timestampsSeconds, needed: timestampsSeconds.map((_, h) => need(h)) };
}

/** The level in effect at `offset` into the period: the last step at or before it, cyclically. */
function levelAt(schedule: RepeatingSchedule, offset: number): number {
  const before = schedule.steps.filter((s) => s.offsetSeconds <= offset);
  return (before.length > 0 ? before[before.length - 1] : schedule.steps[schedule.steps.length - 1]).level;
}

describe('repeatingSchedule', () => {
  it('pre-scales a daily peak one lead early and scales in when it ends', () => {
    // Two days; 4 replicas 08:00–09:59, else 2. Lead 10 min: up at 07:50 (28200 s), down at 10:00 (36000 s).
    const plan = hourly(MONDAY, 48, (h) => (h % 24 === 8 || h % 24 === 9 ? 4 : 2));
    const schedule = repeatingSchedule({ ...plan, coldStartLeadSeconds: 600, repeat: 'daily', timeZone: 'Etc/UTC' });
    expect(schedule.steps).toEqual([
      { offsetSeconds: 28_200, level: 4 },
      { offsetSeconds: 36_000, level: 2 },
    ]);
    expect([schedule.baseline, schedule.peak, schedule.leadSeconds]).toEqual([2, 4, 600]);
  });

  it('prepares a need at midnight at the end of the day before', () => {
    // 3 replicas 00:00–00:59, else 1, lead 10 min: up at 23:50 (85800 s), down at 01:00 (3600 s).
    const plan = hourly(MONDAY, 24, (h) => (h === 0 ? 3 : 1));
    const schedule = repeatingSchedule({ ...plan, coldStartLeadSeconds: 600, repeat: 'daily', timeZone: 'Etc/UTC' });
    expect(schedule.steps).toEqual([
      { offsetSeconds: 3600, level: 1 },
      { offsetSeconds: 85_800, level: 3 },
    ]);
  });

  it('takes the busiest day for each hour when a week repeats daily', () => {
    // Day 3 needs 6 at 12:00, the other days 2: the daily schedule holds 6 at 12:00 (lead 0) every day.
    const plan = hourly(MONDAY, 7 * 24, (h) => (h === 3 * 24 + 12 ? 6 : 2));
    const schedule = repeatingSchedule({ ...plan, coldStartLeadSeconds: 0, repeat: 'daily', timeZone: 'Etc/UTC' });
    expect(schedule.steps).toEqual([
      { offsetSeconds: 12 * HOUR, level: 6 },
      { offsetSeconds: 13 * HOUR, level: 2 },
    ]);
  });

  it('keeps the day of a weekly peak', () => {
    // Monday 09:00 needs 8, else 2; lead 15 min: Monday 08:45 = 86400 + 31500 s into the week (Sunday 00:00).
    const plan = hourly(MONDAY, 7 * 24, (h) => (h === 9 ? 8 : 2));
    const schedule = repeatingSchedule({ ...plan, coldStartLeadSeconds: 900, repeat: 'weekly', timeZone: 'Etc/UTC' });
    expect(schedule.steps).toEqual([
      { offsetSeconds: DAY + 31_500, level: 8 },
      { offsetSeconds: DAY + 10 * HOUR, level: 2 },
    ]);
  });

  it('schedules in the wall clock of the time zone', () => {
    // December in Paris is UTC+1: the need at 07:00 UTC is at 08:00 local; with a 10-minute lead, 07:50 local.
    const plan = hourly(MONDAY, 24, (h) => (h === 7 ? 5 : 1));
    const schedule = repeatingSchedule({
      ...plan,
      coldStartLeadSeconds: 600,
      repeat: 'daily',
      timeZone: 'Europe/Paris',
    });
    expect(schedule.steps[0]).toEqual({ offsetSeconds: 7 * HOUR + 50 * 60, level: 5 });
    expect(schedule.timeZone).toBe('Europe/Paris');
  });

  it('rounds the lead up to a whole minute, so a step is never late', () => {
    // 90 s → 2 min: the 08:00 need starts at 07:58.
    const plan = hourly(MONDAY, 24, (h) => (h === 8 ? 2 : 1));
    const schedule = repeatingSchedule({ ...plan, coldStartLeadSeconds: 90, repeat: 'daily', timeZone: 'Etc/UTC' });
    expect(schedule.leadSeconds).toBe(120);
    expect(schedule.steps[0].offsetSeconds).toBe(8 * HOUR - 120);
  });

  it('holds a constant need as one step', () => {
    const schedule = repeatingSchedule({
      ...hourly(MONDAY, 24, () => 3),
      coldStartLeadSeconds: 900,
      repeat: 'daily',
      timeZone: 'Etc/UTC',
    });
    expect(schedule.steps).toEqual([{ offsetSeconds: 0, level: 3 }]);
  });

  it('refuses a plan shorter than the period, an unknown time zone and a lead as long as the period', () => {
    const twoDays = hourly(MONDAY, 48, () => 1);
    const base = { ...twoDays, coldStartLeadSeconds: 0, timeZone: 'Etc/UTC' };
    expect(() => repeatingSchedule({ ...base, repeat: 'weekly' })).toThrow(/covers 48 h, less than the 168 h/);
    expect(() => repeatingSchedule({ ...base, repeat: 'daily', timeZone: 'Mars/Olympus' })).toThrow(CapacityInputError);
    expect(() => repeatingSchedule({ ...base, repeat: 'daily', coldStartLeadSeconds: DAY })).toThrow(
      /shorter than the daily period/
    );
  });

  it('never plans below the need, and has the need in place a lead early', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 0, max: 180 }),
        (needs, leadMinutes) => {
          const schedule = repeatingSchedule({
            ...hourly(MONDAY, 24, (h) => needs[h]),
            coldStartLeadSeconds: leadMinutes * 60,
            repeat: 'daily',
            timeZone: 'Etc/UTC',
          });
          needs.forEach((need, h) => {
            for (const offset of [h * HOUR, h * HOUR + HOUR - 60, (h * HOUR - leadMinutes * 60 + DAY) % DAY]) {
              expect(levelAt(schedule, offset)).toBeGreaterThanOrEqual(need);
            }
          });
          expect(schedule.peak).toBe(Math.max(...needs));
        }
      )
    );
  });
});
