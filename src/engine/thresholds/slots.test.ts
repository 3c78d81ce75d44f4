/** @jest-environment node */
import fc from 'fast-check';
import { finestSeasonMode, SeasonMode, slotLookup, slotOf, utcDayOfWeek, utcHour } from './slots';

describe('UTC slots', () => {
  it('matches PromQL: 1970-01-01 00:00 is a Thursday (4), 1970-01-04 a Sunday (0)', () => {
    expect(utcDayOfWeek(0)).toBe(4);
    expect(utcHour(0)).toBe(0);
    // Saturday 1970-01-03 23:45 = 71 h 45 m, then Sunday 00:00 = 72 h.
    expect([utcDayOfWeek(258_300), utcHour(258_300)]).toEqual([6, 23]);
    expect([utcDayOfWeek(259_200), utcHour(259_200)]).toEqual([0, 0]);
    // 2023-11-15 00:00 UTC (1_700_006_400) was a Wednesday.
    expect(utcDayOfWeek(1_700_006_400)).toBe(3);
  });

  it('numbers hour-of-week slots day·24 + hour, so Saturday 23 h is the last slot', () => {
    expect(slotOf(258_300, 'hour-of-week')).toBe(167);
    expect(slotOf(259_200, 'hour-of-week')).toBe(0);
    expect(slotOf(258_300, 'hour-of-day')).toBe(23);
    expect(slotOf(258_300, 'flat')).toBe(0);
  });

  it('needs two cycles of a rhythm before following it', () => {
    expect(finestSeasonMode(2 * 86_400 - 1)).toBe('flat');
    expect(finestSeasonMode(2 * 86_400)).toBe('hour-of-day');
    expect(finestSeasonMode(14 * 86_400 - 1)).toBe('hour-of-day');
    expect(finestSeasonMode(14 * 86_400)).toBe('hour-of-week');
  });

  it('looks slots up in a run of times as slotOf does, at hour ends and off whole seconds too (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.double({ min: 0, max: 20_000, noNaN: true })), {
          maxLength: 80,
        }),
        fc.constantFrom<SeasonMode>('hour-of-week', 'hour-of-day', 'flat'),
        (steps, mode) => {
          const lookup = slotLookup(mode);
          // From just before a Saturday-to-Sunday midnight, through hour ends (3599.x s into an hour).
          let t = 259_200 - 3_600.5;
          for (const step of steps) {
            t += step;
            expect(lookup(t)).toBe(slotOf(t, mode));
            expect(lookup(t + 3_599.999_999)).toBe(slotOf(t + 3_599.999_999, mode));
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});
