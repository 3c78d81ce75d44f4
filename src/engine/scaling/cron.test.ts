/** @jest-environment node */
import { cronAt } from './cron';

describe('cronAt', () => {
  it('writes a time of day as minute hour, every day', () => {
    // A step needed at 08:00 with a 10-minute lead starts at 07:50 = 7 × 3600 + 50 × 60 = 28200 s into the day.
    expect(cronAt(28_200, 'daily')).toBe('50 7 * * *');
    expect(cronAt(0, 'daily')).toBe('0 0 * * *');
    // 23:59 = 86340 s.
    expect(cronAt(86_340, 'daily')).toBe('59 23 * * *');
  });

  it('adds the day of the week, Sunday 0, for a weekly schedule', () => {
    // The week starts Sunday 00:00 (cron's day 0); Monday 07:50 is 86400 + 28200 s in, Saturday 23:00 is 6 × 86400 + 82800.
    expect(cronAt(114_600, 'weekly')).toBe('50 7 * * 1');
    expect(cronAt(601_200, 'weekly')).toBe('0 23 * * 6');
    expect(cronAt(0, 'weekly')).toBe('0 0 * * 0');
  });
});
