/** @jest-environment node */
import fc from 'fast-check';

import { choosePodStep, heldSharesOf, MAX_POD_POINTS_PER_QUERY, toWindowStarts, windowQueryRange } from './podStep';

const DAY = { startSeconds: 1_748_649_600, endSeconds: 1_748_736_000 };

describe('choosePodStep', () => {
  it('keeps the asked step while pods × points fit: 300 pods over a day at 60 s are 432,300 points', () => {
    expect(choosePodStep(DAY, 60, 300)).toEqual({ stepSeconds: 60, pods: 300 });
    expect(300 * 1441).toBeLessThanOrEqual(MAX_POD_POINTS_PER_QUERY);
  });

  it('reads 3,000 pods over a day in 10-minute windows: 1,441 points each would be 4.3 M, 145 are 435,000', () => {
    // 500,000 / 3,000 = 166 points per pod; 5 minutes gives 289, 10 minutes 145.
    expect(choosePodStep(DAY, 60, 3000)).toEqual({ stepSeconds: 600, windowSeconds: 600, pods: 3000 });
  });

  it('never windows under 5 minutes, even when 2 minutes would fit', () => {
    // 400 pods: 1,441 points at 60 s are 576,400; 2 minutes (721 points, 288,400) would fit.
    expect(choosePodStep(DAY, 60, 400)).toMatchObject({ stepSeconds: 300, windowSeconds: 300 });
  });

  it('keeps the asked step when one window would outlast the range', () => {
    expect(choosePodStep({ startSeconds: 0, endSeconds: 240 }, 15, 100_000)).toEqual({
      stepSeconds: 15,
      pods: 100_000,
    });
  });

  it('keeps pods × points within the budget whenever two points per pod fit it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3600, max: 90 * 86400 }),
        fc.constantFrom(15, 30, 60),
        fc.integer({ min: 1, max: 200_000 }),
        (spanSeconds, fineStepSeconds, pods) => {
          const range = { startSeconds: 1_700_000_000, endSeconds: 1_700_000_000 + spanSeconds };
          const step = choosePodStep(range, fineStepSeconds, pods);
          const points = Math.floor(spanSeconds / step.stepSeconds) + 1;
          if (step.windowSeconds === undefined) {
            expect(step.stepSeconds).toBe(fineStepSeconds);
            expect(pods * points).toBeLessThanOrEqual(MAX_POD_POINTS_PER_QUERY);
          } else {
            // With more pods than half the budget, two points each is the least a range query can answer.
            expect(step.stepSeconds).toBeGreaterThanOrEqual(300);
            expect(pods * points <= MAX_POD_POINTS_PER_QUERY || points === 2).toBe(true);
          }
        }
      )
    );
  });
});

describe('windowQueryRange and toWindowStarts', () => {
  it('reads whole windows back from the end; each point moves to its window start', () => {
    // 1 h 25 min at 10 minutes: 8 whole windows ending at the end, the first 5 minutes not read.
    const range = { startSeconds: 0, endSeconds: 5100 };
    expect(windowQueryRange(range, 600)).toEqual({ startSeconds: 900, endSeconds: 5100 });
    const [moved] = toWindowStarts([{ labels: { pod: 'a' }, timestampsSeconds: [900, 1500], values: [1, 2] }], 600);
    expect(moved).toEqual({ labels: { pod: 'a' }, timestampsSeconds: [300, 900], values: [1, 2] });
  });
});

describe('heldSharesOf', () => {
  it('divides each count by the median count of its window, at most 1', () => {
    // At t = 600 counts 40, 40, 20, 41 → median (lower) 40: shares 1, 1, 0.5, 1 (41 capped). At t = 1200 only pod a,
    // with 10 samples → its own window's median: 1.
    const series = [
      { labels: { pod: 'a' }, timestampsSeconds: [600, 1200], values: [40, 10] },
      { labels: { pod: 'b' }, timestampsSeconds: [600], values: [40] },
      { labels: { pod: 'c' }, timestampsSeconds: [600], values: [20] },
      { labels: { pod: 'd' }, timestampsSeconds: [600], values: [41] },
    ];
    const shares = heldSharesOf(series);
    expect([...shares.get(JSON.stringify({ pod: 'a' }))!]).toEqual([
      [600, 1],
      [1200, 1],
    ]);
    expect(shares.get(JSON.stringify({ pod: 'c' }))!.get(600)).toBe(0.5);
    expect(shares.get(JSON.stringify({ pod: 'd' }))!.get(600)).toBe(1);
  });
});
