/** @jest-environment node */
import fc from 'fast-check';

import { chooseStepSeconds } from './step';

const HUMAN = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const YEAR_SECONDS = 366 * 86400;

const rangeArb = fc
  .tuple(fc.integer({ min: 0, max: 2_000_000_000 }), fc.integer({ min: 0, max: 200 * YEAR_SECONDS }))
  .map(([startSeconds, spanSeconds]) => ({ startSeconds, endSeconds: startSeconds + spanSeconds }));

describe('chooseStepSeconds', () => {
  it('keeps every series at or under 11,000 points', () => {
    fc.assert(
      fc.property(rangeArb, (range) => {
        const step = chooseStepSeconds(range);
        return Math.floor((range.endSeconds - range.startSeconds) / step) + 1 <= 11_000;
      })
    );
  });

  it('is a human step or the minimum, and never under the minimum', () => {
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 1, max: 600 }), (range, minStepSeconds) => {
        const step = chooseStepSeconds(range, { minStepSeconds });
        const human = HUMAN.includes(step) || step % 86400 === 0;
        return step >= minStepSeconds && (human || step === minStepSeconds);
      })
    );
  });

  it('is the smallest human step that respects the limit', () => {
    fc.assert(
      fc.property(rangeArb, (range) => {
        const step = chooseStepSeconds(range);
        const span = range.endSeconds - range.startSeconds;
        const smaller = [...HUMAN.filter((h) => h >= 15), ...[1, 2, 3, 4].map((d) => d * 86400)].filter(
          (h) => h < step
        );
        // Every smaller human step at or above the floor would exceed the limit.
        return smaller.every((h) => Math.floor(span / h) + 1 > 11_000);
      })
    );
  });

  it('picks the values a person expects for common ranges', () => {
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 3600 })).toBe(15);
    // 1 day / 10,999 ≈ 7.9 s, under the 15 s floor.
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 86400 })).toBe(15);
    // 30 days at 2 min is 21,601 points; at 5 min, 8,641.
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 30 * 86400 })).toBe(300);
    // 400 days at 30 min is 19,201 points; at 1 h, 9,601.
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 400 * 86400 })).toBe(3600);
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 3600 }, { minStepSeconds: 60 })).toBe(60);
    // A 20 s scrape interval fits a day (4,321 points) and is kept as it is.
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 86400 }, { minStepSeconds: 20 })).toBe(20);
    // 100 years at 1 day is 36,525 points; 4 days (9,132 points) is the first whole-day step that fits.
    expect(chooseStepSeconds({ startSeconds: 0, endSeconds: 36525 * 86400 })).toBe(4 * 86400);
  });

  it('rejects a range that ends before it starts, and a bad floor', () => {
    expect(() => chooseStepSeconds({ startSeconds: 10, endSeconds: 5 })).toThrow(/must end after it starts/);
    expect(() => chooseStepSeconds({ startSeconds: 0, endSeconds: 5 }, { minStepSeconds: 0 })).toThrow(/positive/);
  });
});
