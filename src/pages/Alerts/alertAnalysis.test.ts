/** @jest-environment node */
import { analyseSeries, ruleConfig, TooLittleHistoryError, DEFAULT_SENSITIVITY } from './alertAnalysis';
import { alertPreset } from './alertPresets';

const STEP = 300;
const DAY = 86_400;
/** 2025-06-01 00:00 UTC. */
const T0 = Date.UTC(2025, 5, 1) / 1000;

/** Days of 5-minute samples: 90 from 09:00 to 17:59 UTC, 10 otherwise, with `change` overriding some rows. */
function rhythm(days: number, change: (t: number) => number | undefined = () => undefined) {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = T0; t < T0 + days * DAY; t += STEP) {
    const hour = new Date(t * 1000).getUTCHours();
    timestamps.push(t);
    values.push(change(t) ?? (hour >= 9 && hour < 18 ? 90 : 10));
  }
  return { timestamps, values };
}

/** A value during 03:00–03:25 UTC of day 3 (0-based), the quiet hours. */
const nightAnomaly = (value: number) => (t: number) =>
  t >= T0 + 3 * DAY + 3 * 3600 && t < T0 + 3 * DAY + 3 * 3600 + 30 * 60 ? value : undefined;

describe('analyseSeries', () => {
  it('catches a quiet-hour anomaly the static and grafana-style baselines miss', () => {
    // Night 10, day 90: the hour-of-day band puts 03:00's upper edge at 10 + 10 % × (90 − 10) = 18, so 60 breaches;
    // a static threshold at the warm-up's 99th percentile (90) and mean ± 2σ of the day (≈ 40 ± 77) do not.
    const { timestamps, values } = rhythm(5, nightAnomaly(60));
    const analysis = analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP);

    const starts = Object.fromEntries(analysis.backtests.map((b) => [b.method, b.alertStarts]));
    expect(starts).toEqual({ adaptive: 1, static: 0, 'grafana-style': 0 });
    // Pending at 03:00, firing once it has held for 5 minutes.
    expect(analysis.adaptive.startsSeconds).toEqual([T0 + 3 * DAY + 3 * 3600 + 300]);
    expect(analysis.warmupRows).toBe(288);
    const at0300 = (288 * 3 + 36) as number;
    expect(analysis.thresholds.upper[at0300]).toBe(18);
  });

  it('reports each method’s coverage: the share of judged samples inside its band', () => {
    // Four judged days of 288 samples; only the anomaly's six samples (03:00–03:25 at 60, above the edge of 18) lie
    // outside the adaptive band: 1146 of 1152. The static band (the warm-up's q1–q99, 10 to 90) holds all of them.
    const { timestamps, values } = rhythm(5, nightAnomaly(60));
    const coverage = Object.fromEntries(
      analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP).backtests.map((b) => [b.method, b.coverage])
    );
    expect(coverage.adaptive).toBe(1146 / 1152);
    expect(coverage.static).toBe(1);
  });

  it('stops alerting on the anomaly when the minimum margin is widened past it', () => {
    // 40 at night: above 10 + 10 % × 80 = 18, below 10 + 50 % × 80 = 50.
    const { timestamps, values } = rhythm(5, nightAnomaly(40));
    const narrow = analyseSeries(timestamps, values, { ...DEFAULT_SENSITIVITY, minMarginPercent: 10 }, STEP);
    const wide = analyseSeries(timestamps, values, { ...DEFAULT_SENSITIVITY, minMarginPercent: 50 }, STEP);
    expect(narrow.backtests[0].alertStarts).toBe(1);
    expect(wide.backtests[0].alertStarts).toBe(0);
    expect(wide.calibration.band.upper![3]).toBe(50);
  });

  it('fewer starts with a wider band on noisy data', () => {
    let seed = 42;
    const uniform = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) + 0.5) / 2 ** 31;
    const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const { timestamps } = rhythm(6);
    const values = timestamps.map(() => 50 + gaussian());
    const starts = (widthMads: number) =>
      analyseSeries(timestamps, values, { ...DEFAULT_SENSITIVITY, widthMads, minMarginPercent: 0 }, STEP).backtests[0]
        .alertStarts;
    expect(starts(1.5)).toBeGreaterThan(0);
    expect(starts(6)).toBe(0);
  });

  it('watches only the side asked for', () => {
    const dip = (t: number) => (t >= T0 + 3 * DAY + 12 * 3600 && t < T0 + 3 * DAY + 12 * 3600 + 1800 ? 30 : undefined);
    const { timestamps, values } = rhythm(5, dip);
    const both = analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP);
    const upper = analyseSeries(timestamps, values, { ...DEFAULT_SENSITIVITY, direction: 'upper' }, STEP);
    // Adaptive: 12:00's lower edge is 90 − 8 = 82. Static: the warm-up's 1st percentile, 10, is below the dip.
    expect(both.backtests.map((b) => b.alertStarts)).toEqual([1, 0, 0]);
    expect(upper.backtests.map((b) => b.alertStarts)).toEqual([0, 0, 0]);
    expect(upper.calibration.band.lower).toBeUndefined();
  });

  it('clamps the band into the preset range and warns under a week of history, as the CLI does', () => {
    // A ratio: 0.95 from 09:00 to 17:59, 0.02 otherwise. Minimum margin 10 % × (0.95 − 0.02) = 0.093: the day's upper
    // edge 0.95 + 0.093 = 1.043 and the night's lower edge 0.02 − 0.093 = −0.073 lie outside [0, 1].
    const { timestamps } = rhythm(5);
    const values = timestamps.map((t) => {
      const hour = new Date(t * 1000).getUTCHours();
      return hour >= 9 && hour < 18 ? 0.95 : 0.02;
    });
    const free = analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP);
    expect(free.calibration.band.upper![12]).toBeCloseTo(1.043, 10);
    expect(free.calibration.band.lower![3]).toBeCloseTo(-0.073, 10);
    const ratio = alertPreset('gpu_utilisation').valueRange;
    const clamped = analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP, ratio);
    expect(clamped.calibration.band.upper![12]).toBe(1);
    expect(clamped.calibration.band.lower![3]).toBe(0);
    expect(clamped.calibration.valueRange).toEqual({ min: 0, max: 1 });
    expect(Math.max(...clamped.thresholds.upper.filter((u) => !Number.isNaN(u)))).toBe(1);
    expect(Math.min(...clamped.thresholds.lower.filter((l) => !Number.isNaN(l)))).toBe(0);
    // 5 days: written, with the warning the CLI prints.
    expect(clamped.warnings).toEqual([
      expect.stringMatching(/learnt from 5\.0 days of history: it has not seen a whole week/),
    ]);
  });

  it('says how much history there is when it is too little', () => {
    const { timestamps, values } = rhythm(1.5);
    expect(() => analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP)).toThrow(TooLittleHistoryError);
    // 1.5 days at 5 min: 432 samples, covering 36 h (first to last sample, plus one step); the minimum is 2 days.
    expect(() => analyseSeries(timestamps, values, DEFAULT_SENSITIVITY, STEP)).toThrow(
      /holds 432 samples with values covering 36\.0 h; a band needs at least 2 days and 48 samples/
    );
  });
});

describe('ruleConfig', () => {
  it('counts "for" in whole steps of the series', () => {
    expect(ruleConfig({ ...DEFAULT_SENSITIVITY, forMinutes: 10 }, 300).forSteps).toBe(2);
    expect(ruleConfig({ ...DEFAULT_SENSITIVITY, forMinutes: 0 }, 300).forSteps).toBe(0);
    expect(ruleConfig({ ...DEFAULT_SENSITIVITY, widthMads: 4.5 }, 300).band.width).toBe(4.5);
  });
});
