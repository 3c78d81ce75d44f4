/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from './errors';
import { scaleOutSchedule, type ScaleStep } from './schedule';

const HOUR = 3600;

/** GPUs serving at time t under the plan: the need at the start, then each step from the time it must be serving. */
function servingAt(steps: ScaleStep[], initialGpus: number, t: number): number {
  let gpus = initialGpus;
  for (const step of steps) {
    if (step.neededAtSeconds <= t) {
      gpus = step.toGpus;
    }
  }
  return gpus;
}

describe('scaleOutSchedule', () => {
  it('starts a scale-out one lead early and scales in when the need falls', () => {
    // Need 2, 2, 5, 5, 3 hourly with a 15-minute lead: grow 2 → 5 at 2 h − 15 min = 6300 s; shrink 5 → 3 at 4 h.
    expect(scaleOutSchedule([0, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR], [2, 2, 5, 5, 3], 900)).toEqual([
      { action: 'scale-out', startAtSeconds: 6300, neededAtSeconds: 7200, fromGpus: 2, toGpus: 5 },
      { action: 'scale-in', startAtSeconds: 14400, neededAtSeconds: 14400, fromGpus: 5, toGpus: 3 },
    ]);
  });

  it('merges scale-outs whose lead windows overlap into one earlier request', () => {
    // Need 1, 2, 3, 3 every 10 minutes with a 15-minute lead: 1 → 2 starts at 600 − 900 = −300 s (overdue, before
    // the forecast starts) and 2 → 3 at 1200 − 900 = 300 s, before the first is serving at 600 s: one request 1 → 3.
    expect(scaleOutSchedule([0, 600, 1200, 1800], [1, 2, 3, 3], 900)).toEqual([
      { action: 'scale-out', startAtSeconds: -300, neededAtSeconds: 600, fromGpus: 1, toGpus: 3 },
    ]);
  });

  it('does not release GPUs that are needed again within the lead', () => {
    // Need 4, 1, 4, 1 hourly with a 2-hour lead: the dip at 1 h is followed by 4 at 2 h, less than a lead later, so
    // the fleet stays at 4 until the need falls for good at 3 h.
    expect(scaleOutSchedule([0, HOUR, 2 * HOUR, 3 * HOUR], [4, 1, 4, 1], 2 * HOUR)).toEqual([
      { action: 'scale-in', startAtSeconds: 3 * HOUR, neededAtSeconds: 3 * HOUR, fromGpus: 4, toGpus: 1 },
    ]);
  });

  it('rejects inconsistent input', () => {
    expect(() => scaleOutSchedule([0, 1], [1], 0)).toThrow(CapacityInputError);
    expect(() => scaleOutSchedule([0, 1], [1, 1], -5)).toThrow(/cold-start lead/);
    expect(() => scaleOutSchedule([0, 0], [1, 1], 0)).toThrow(/increasing/);
    expect(() => scaleOutSchedule([0, 1], [1, NaN], 0)).toThrow(/index 1/);
    expect(scaleOutSchedule([], [], 60)).toEqual([]);
  });

  const plans = fc.record({
    need: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
    leadSeconds: fc.integer({ min: 0, max: 5 * HOUR }),
  });

  it('never leaves capacity below the need, and scale-outs start exactly one lead early', () => {
    fc.assert(
      fc.property(plans, ({ need, leadSeconds }) => {
        const t = need.map((_, i) => i * HOUR);
        const steps = scaleOutSchedule(t, need, leadSeconds);
        t.forEach((time, i) => expect(servingAt(steps, need[0], time)).toBeGreaterThanOrEqual(need[i]));
        steps.forEach((step, k) => {
          expect(step.fromGpus).toBe(k === 0 ? need[0] : steps[k - 1].toGpus);
          expect(step.toGpus).not.toBe(step.fromGpus);
          expect(step.action).toBe(step.toGpus > step.fromGpus ? 'scale-out' : 'scale-in');
          const expectedStart = step.toGpus > step.fromGpus ? step.neededAtSeconds - leadSeconds : step.neededAtSeconds;
          expect(step.startAtSeconds).toBe(expectedStart);
          if (k > 0) {
            expect(step.startAtSeconds).toBeGreaterThan(steps[k - 1].startAtSeconds);
          }
        });
      })
    );
  });

  it('scales in only to a size that covers every need due within the lead', () => {
    fc.assert(
      fc.property(plans, ({ need, leadSeconds }) => {
        const t = need.map((_, i) => i * HOUR);
        for (const step of scaleOutSchedule(t, need, leadSeconds)) {
          if (step.toGpus < step.fromGpus) {
            t.forEach((time, i) => {
              if (time >= step.startAtSeconds && time <= step.startAtSeconds + leadSeconds) {
                expect(step.toGpus).toBeGreaterThanOrEqual(need[i]);
              }
            });
          }
        }
      })
    );
  });

  it('follows the need exactly when the lead is shorter than a step', () => {
    fc.assert(
      fc.property(plans, ({ need, leadSeconds }) => {
        const lead = leadSeconds % HOUR;
        const t = need.map((_, i) => i * HOUR);
        const steps = scaleOutSchedule(t, need, lead);
        t.forEach((time, i) => expect(servingAt(steps, need[0], time)).toBe(need[i]));
      })
    );
  });
});
