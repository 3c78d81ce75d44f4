/** @jest-environment node */
import fc from 'fast-check';
import { quantileOfSorted } from '../thresholds/robust';
import { burstyProfile, DEFAULT_BURSTY_OPTIONS } from './bursty';

const HOUR = 3600;
const TEN_MINUTES = 600;

describe('burstyProfile (robust level, return from the newest value)', () => {
  it('returns from the newest value to the level at the rate of the lag-1 autocorrelation (hand-computed)', () => {
    // Hourly steps, so the 6 h level is the median of the last 6 values, [0, 0, 4, 4, 4, 8] → 4.
    // Deviations from it: [−4, −4, −4, −4, 0, 0, 0, 4], mean −1.5, centred [−2.5 ×4, 1.5 ×3, 5.5].
    // Σ c² = 4·6.25 + 3·2.25 + 30.25 = 62; Σ c[t]·c[t−1] = 3·6.25 − 3.75 + 2·2.25 + 8.25 = 27.75; φ = 27.75 / 62.
    // The newest value is 8 − 4 = 4 above the level, so the forecast is 4 + 4·φ^(h+1).
    const phi = 27.75 / 62;
    const out = burstyProfile().forecast({
      values: [0, 0, 0, 0, 4, 4, 4, 8],
      startSeconds: 0,
      stepSeconds: HOUR,
      horizonSteps: 3,
    });
    out.mean.forEach((m, h) => expect(m).toBeCloseTo(4 + 4 * phi ** (h + 1), 10));
  });

  it('does not forecast the bursts: on a level with isolated spikes the mean stays at or below the robust peak', () => {
    // Any level, any spike heights, at most one spike in 25 steps (so under 5 % of steps, and the 90th percentile of
    // the history is the level itself): the forecast is never above that percentile, and never below zero.
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 25, max: 60 }),
        fc.integer({ min: 0, max: 24 }),
        (level, spikes, every, offset) => {
          const n = 7 * 144;
          const values = Array.from({ length: n }, (_, t) =>
            (t + offset) % every === 0 ? level + spikes[Math.floor(t / every) % spikes.length] : level
          );
          const robustPeak = quantileOfSorted(
            [...values].sort((a, b) => a - b),
            0.9
          );
          const { mean } = burstyProfile().forecast({
            values,
            startSeconds: 0,
            stepSeconds: TEN_MINUTES,
            horizonSteps: 144,
          });
          mean.forEach((m) => {
            expect(m).toBeGreaterThanOrEqual(0);
            expect(m).toBeLessThanOrEqual(robustPeak + 1e-9);
          });
        }
      ),
      { numRuns: 50 }
    );
  });

  it('keeps the time-of-day profile when asked: the level plus each slot median minus the typical value', () => {
    // 3 h steps: a day is 8 steps. Two days [0,0,0,0,10,10,10,10] ×2, level window 24 h (the last 8 values, median 5),
    // typical (all 16, median 5), slot medians with no neighbours: 0 for slots 0–3, 10 for 4–7. No return.
    const model = burstyProfile('p', {
      ...DEFAULT_BURSTY_OPTIONS,
      levelHours: 24,
      profileDays: 2,
      slotHalfWidthSteps: 0,
      profileWeight: 1,
      revert: false,
    });
    const day = [0, 0, 0, 0, 10, 10, 10, 10];
    const out = model.forecast({ values: [...day, ...day], startSeconds: 0, stepSeconds: 3 * HOUR, horizonSteps: 8 });
    expect(out.mean).toEqual(day);
  });
});
