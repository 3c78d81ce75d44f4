/** @jest-environment node */
import fc from 'fast-check';
import { bandAt, BandOptions, learnBand } from './band';
import { DEFAULT_ALERT_RULE } from './deployedRule';
import { slotOf } from './slots';

const HOUR = 3600;
// Hand-checkable options: no margin floor, no slot-quantile floor, no smoothing.
const plain: BandOptions = {
  ...DEFAULT_ALERT_RULE.band,
  width: 3,
  minMarginFraction: 0,
  floorQuantile: 0.5,
  smoothingSlots: 0,
};

describe('learnBand', () => {
  it('is median ± width·1.4826·MAD, untouched by an anomaly in the training data', () => {
    // Under a day of history: one flat slot. Median 3; |deviations| 2,1,0,1,97 → MAD 1.
    const t = [0, 60, 120, 180, 240];
    const band = learnBand(t, [1, 2, 3, 4, 100], 300, plain)!;
    expect(band.mode).toBe('flat');
    expect(band.upper).toEqual([7.4478]); // 3 + 3·1.4826
    expect(band.lower).toEqual([-1.4478]);
  });

  it('learns only from samples strictly before the calibration time', () => {
    const band = learnBand([0, 60, 120], [1, 1, 50], 120, plain)!;
    expect(band.upper).toEqual([1]);
    expect(learnBand([0], [null], 60, plain)).toBeUndefined();
    expect(learnBand([60], [5], 60, plain)).toBeUndefined();
  });

  it('keeps a minimum margin when the series is flat', () => {
    const band = learnBand([0, 60, 120], [45, 45, 45], 180, { ...plain, minMarginFraction: 0.1 })!;
    expect(band.upper).toEqual([49.5]);
    expect(band.lower).toEqual([40.5]);
  });

  it('follows the hour of day after two days, and covers its neighbours (circularly)', () => {
    // Two days, hourly: 10 at 05:00 UTC, 0 elsewhere.
    const t = Array.from({ length: 48 }, (_, k) => k * HOUR);
    const v = t.map((s) => (slotOf(s, 'hour-of-day') === 5 ? 10 : 0));
    const band = learnBand(t, v, 48 * HOUR, { ...plain, direction: 'upper', smoothingSlots: 1 })!;
    expect(band.mode).toBe('hour-of-day');
    expect(band.lower).toBeUndefined();
    // Each slot's samples are equal (MAD 0): edges 0 except hour 5; hours 4–6 take the neighbour's 10.
    expect(band.upper).toEqual(Array.from({ length: 24 }, (_, h) => (h >= 4 && h <= 6 ? 10 : 0)));
    expect(bandAt(band, 30 * HOUR)).toEqual({ upper: 10, lower: Number.NEGATIVE_INFINITY });
  });

  it('stays flat when the daily rhythm does not reduce the spread', () => {
    const t = Array.from({ length: 96 }, (_, k) => k * 1800);
    const v = t.map((_, k) => (k * 7919) % 13);
    expect(learnBand(t, v, 96 * 1800, plain)!.mode).toBe('flat');
  });

  it('contains the median of each training slot (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 24 * 7, maxLength: 24 * 16 }),
        (values) => {
          const t = values.map((_, k) => k * HOUR);
          const band = learnBand(t, values, values.length * HOUR, DEFAULT_ALERT_RULE.band)!;
          const slots = new Map<number, number[]>();
          t.forEach((s, k) => slots.set(slotOf(s, band.mode), [...(slots.get(slotOf(s, band.mode)) ?? []), values[k]]));
          for (const [slot, slotValues] of slots) {
            const sorted = [...slotValues].sort((a, b) => a - b);
            const mid = sorted.length / 2;
            const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
            expect(band.lower![slot]).toBeLessThanOrEqual(median);
            expect(band.upper![slot]).toBeGreaterThanOrEqual(median);
          }
        }
      ),
      { numRuns: 40 }
    );
  });
});
