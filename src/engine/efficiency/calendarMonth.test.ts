/** @jest-environment node */
import { checkTimeZone, monthBounds } from './calendarMonth';
import { EfficiencyInputError } from './errors';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('monthBounds', () => {
  it('is the UTC calendar month by default', () => {
    const { startSeconds, endSeconds } = monthBounds(Date.UTC(2026, 11, 5) / 1000);
    expect([iso(startSeconds), iso(endSeconds)]).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('starts the month at local midnight of the first in the given time zone', () => {
    // New York is UTC−5 in December (EST): Dec 1 00:00 local = 05:00 UTC; Jan 1 likewise.
    const ny = monthBounds(Date.UTC(2026, 11, 5) / 1000, 'America/New_York');
    expect([iso(ny.startSeconds), iso(ny.endSeconds)]).toEqual([
      '2026-12-01T05:00:00.000Z',
      '2027-01-01T05:00:00.000Z',
    ]);
    // Tokyo is UTC+9 all year: Dec 1 00:00 local = Nov 30 15:00 UTC.
    const tokyo = monthBounds(Date.UTC(2026, 11, 5) / 1000, 'Asia/Tokyo');
    expect(iso(tokyo.startSeconds)).toBe('2026-11-30T15:00:00.000Z');
  });

  it('places an instant in the local month, across a DST change', () => {
    // 2026-12-01T02:00Z is Nov 30, 21:00 in New York: still November there. Nov 1 00:00 is EDT (UTC−4, DST ends
    // at 02:00 local that day) = 04:00 UTC; Dec 1 00:00 is EST (UTC−5) = 05:00 UTC. November has 721 hours there.
    const { startSeconds, endSeconds } = monthBounds(Date.UTC(2026, 11, 1, 2) / 1000, 'America/New_York');
    expect([iso(startSeconds), iso(endSeconds)]).toEqual(['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z']);
    expect((endSeconds - startSeconds) / 3600).toBe(721);
  });

  it('refuses a time zone that does not exist, naming examples', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(EfficiencyInputError);
    expect(() => monthBounds(0, 'Mars/Olympus')).toThrow(/IANA name such as UTC/);
    expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
  });
});
