/** @jest-environment node */
import fc from 'fast-check';
import { bandLearner } from './band';
import { DEFAULT_ALERT_RULE, deployedRuleStartsPerWeek, medianStepSeconds, replayDeployedRule } from './deployedRule';

describe('medianStepSeconds', () => {
  it('is the gap most places share, whatever a few gaps do', () => {
    // Gaps 300, 300, 900, 300, 60: sorted 60, 300, 300, 300, 900, middle 300.
    expect(medianStepSeconds([0, 300, 600, 1_500, 1_800, 1_860])).toBe(300);
    // The majority need not come first: gaps 5, 7, 7.
    expect(medianStepSeconds([0, 5, 12, 19])).toBe(7);
  });

  it('is the middle gap (upper of the two for an even count) when no gap is in the majority', () => {
    // Gaps 10, 30, 20: sorted 10, 20, 30.
    expect(medianStepSeconds([0, 10, 40, 60])).toBe(20);
    // Gaps 10, 40, 20, 30: sorted 10, 20, 30, 40, index 2.
    expect(medianStepSeconds([0, 10, 50, 70, 100])).toBe(30);
    // Two of four equal is not a majority: gaps 5, 5, 1, 2 sorted 1, 2, 5, 5, index 2.
    expect(medianStepSeconds([0, 5, 10, 11, 13])).toBe(5);
  });

  it('is 0 with fewer than two timestamps', () => {
    expect(medianStepSeconds([])).toBe(0);
    expect(medianStepSeconds([42])).toBe(0);
  });
});

describe('deployedRuleStartsPerWeek', () => {
  it('counts the starts of a hand-made replay: one breach an hour after the first day, at a 1-hour step', () => {
    // Flat at 10 for two days, one spike to 1000 on day 2: one start over the judged span of 23 h.
    const t = Array.from({ length: 48 }, (_, k) => k * 3600);
    const v = t.map((_, k) => (k === 30 ? 1000 : 10));
    const config = { ...DEFAULT_ALERT_RULE, forSteps: 0 };
    const perWeek = deployedRuleStartsPerWeek(t, v, 24, config, bandLearner(t, v, config.band));
    expect(perWeek).toBeCloseTo((7 * 24) / 23, 12);
  });

  it('keeps judging by the last band through a gap longer than the training window, as the full replay does', () => {
    // Hourly on days 0–2 and 9–11: the calibrations at the midnights of days 5–9 find nothing in the 2-day window,
    // so day 9 is judged by the band of day 4 (read only then), and its new level 50 fires it.
    const t = Array.from({ length: 12 * 24 }, (_, k) => 1_700_006_400 + k * 3600).filter(
      (_, k) => k < 3 * 24 || k >= 9 * 24
    );
    const v = t.map((_, k) => (k < 3 * 24 ? 10 + (k % 3) : 50 + (k % 3)));
    const config = { ...DEFAULT_ALERT_RULE, band: { ...DEFAULT_ALERT_RULE.band, maxTrainingSeconds: 2 * 86_400 } };
    const full = replayDeployedRule(t, v, 24, config);
    expect(full.startsSeconds.length).toBeGreaterThan(0);
    expect(deployedRuleStartsPerWeek(t, v, 24, config, bandLearner(t, v, config.band))).toBe(full.startsPerWeek);
  });

  it("is replayDeployedRule's starts per week, without its per-row arrays (property)", () => {
    const series = fc.record({
      stepMinutes: fc.constantFrom(5, 60, 90),
      values: fc.array(
        fc.oneof(
          { weight: 8, arbitrary: fc.integer({ min: -20, max: 20 }) },
          { weight: 2, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
          fc.constantFrom(null, NaN, -0, Number.POSITIVE_INFINITY)
        ),
        { minLength: 1, maxLength: 24 * 12 * 3, size: 'max' }
      ),
      warmupFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      forSteps: fc.constantFrom(0, 1, 3),
      keepFiringForSteps: fc.constantFrom(0, 2, 36),
    });
    fc.assert(
      fc.property(series, (s) => {
        const t = s.values.map((_, k) => 1_700_000_123 + k * s.stepMinutes * 60);
        const config = { ...DEFAULT_ALERT_RULE, forSteps: s.forSteps, keepFiringForSteps: s.keepFiringForSteps };
        const warmupRows = Math.floor(s.warmupFraction * t.length);
        const expected = replayDeployedRule(t, s.values, warmupRows, config).startsPerWeek;
        const learner = bandLearner(t, s.values, config.band);
        expect(deployedRuleStartsPerWeek(t, s.values, warmupRows, config, learner)).toBe(expected);
      }),
      { numRuns: 60 }
    );
  });
});
