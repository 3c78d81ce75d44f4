/** @jest-environment node */
import fc from 'fast-check';
import { DEFAULT_ALERT_RULE, replayDeployedRule } from './deployedRule';
import { adaptiveThresholds, alertEpisodes, backtest, calibrationTimes } from './replay';

const DAY = 86_400;
const steps = (n: number, step = 60) => Array.from({ length: n }, (_, k) => k * step);

describe('alertEpisodes', () => {
  const t = steps(8);
  const upper = t.map(() => 10);
  const lower = t.map(() => Number.NEGATIVE_INFINITY);

  it('fires once the condition has held for `for`, and resolves when it clears', () => {
    const v = [0, 20, 0, 20, 20, 20, 0, 0];
    // for = 60 s: the blip at 60 s only pends; the breach from 180 s fires at 240 s, clears at 360 s.
    const out = alertEpisodes(t, v, { upper, lower }, { forSeconds: 60, keepFiringForSeconds: 0 });
    expect(out.startsSeconds).toEqual([240]);
    expect(out.endsSeconds).toEqual([360]);
    expect(out.firing).toEqual([false, false, false, false, true, true, false, false]);
    const immediate = alertEpisodes(t, v, { upper, lower }, { forSeconds: 0, keepFiringForSeconds: 0 });
    expect(immediate.startsSeconds).toEqual([60, 180]);
    expect(immediate.endsSeconds).toEqual([120, 360]);
  });

  it('keeps firing through a short clear spell (keep_firing_for), so one incident is one start', () => {
    const v = [0, 20, 0, 20, 0, 0, 0, 0];
    const out = alertEpisodes(t, v, { upper, lower }, { forSeconds: 0, keepFiringForSeconds: 120 });
    expect(out.startsSeconds).toEqual([60]);
    // Last breach at 180 s; clear for 120 s at 300 s.
    expect(out.endsSeconds).toEqual([300]);
  });

  it('watches the lower side, and leaves the state alone on missing values or thresholds', () => {
    const v = [5, -1, null, -1, 5, 5, 5, 5];
    const thresholds = { upper: t.map(() => 10), lower: [NaN, 0, 0, 0, 0, 0, 0, 0] };
    const out = alertEpisodes(t, v, thresholds, { forSeconds: 120, keepFiringForSeconds: 0 });
    // Pending from 60 s; the null at 120 s does not reset it; at 180 s it has held 120 s.
    expect(out.startsSeconds).toEqual([180]);
    expect(out.endsSeconds).toEqual([240]);
  });

  it('reports starts per week and time in alert after the warm-up', () => {
    const v = [0, 20, 20, 0, 0, 0, 0, 0];
    const summary = backtest(t, v, { upper, lower }, { forSeconds: 0, keepFiringForSeconds: 0 }, 1);
    // Judged span 60..420 s = 360 s; firing rows 1 and 2 cover 120 s.
    expect(summary.timeInAlertSeconds).toBe(120);
    expect(summary.timeInAlertFraction).toBeCloseTo(1 / 3, 12);
    expect(summary.startsPerWeek).toBeCloseTo((7 * DAY) / 360, 9);
  });
});

describe('recalibration', () => {
  it('calibrates when the warm-up ends, then at every UTC midnight', () => {
    const t = steps(80, 3600);
    expect(calibrationTimes(t, { warmupRows: 30, recalibrationSeconds: DAY })).toEqual([30 * 3600, 2 * DAY, 3 * DAY]);
    expect(calibrationTimes(t, { warmupRows: 80, recalibrationSeconds: DAY })).toEqual([]);
  });

  it('deploys nothing during the warm-up', () => {
    const t = steps(10);
    const out = adaptiveThresholds(
      t,
      t.map(() => 1),
      { ...DEFAULT_ALERT_RULE.band, warmupRows: 4, recalibrationSeconds: DAY }
    );
    expect(out.upper.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(out.upper.slice(4).every(Number.isFinite)).toBe(true);
    expect(out.bands).toHaveLength(1);
  });

  it('is causal: thresholds and alerts up to t never change when data after t changes (property)', () => {
    const step = 1800;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 300, maxLength: 400 }),
        fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 400, maxLength: 400 }),
        fc.integer({ min: 60, max: 299 }),
        (values, replacement, cut) => {
          const t = steps(values.length, step);
          const changed = values.map((v, k) => (k > cut ? replacement[k] : v));
          const before = replayDeployedRule(t, values, 50);
          const after = replayDeployedRule(t, changed, 50);
          const options = { ...DEFAULT_ALERT_RULE.band, warmupRows: 50, recalibrationSeconds: DAY };
          const a = adaptiveThresholds(t, values, options);
          const b = adaptiveThresholds(t, changed, options);
          expect(b.upper.slice(0, cut + 1)).toEqual(a.upper.slice(0, cut + 1));
          expect(b.lower.slice(0, cut + 1)).toEqual(a.lower.slice(0, cut + 1));
          const upTo = (xs: number[]) => xs.filter((s) => s <= t[cut]);
          expect(upTo(after.startsSeconds)).toEqual(upTo(before.startsSeconds));
          expect(upTo(after.endsSeconds)).toEqual(upTo(before.endsSeconds));
        }
      ),
      { numRuns: 25 }
    );
  });
});
