/** @jest-environment node */
import { sideCondition } from '../../alerting/grafanaRule';
import type { Band } from '../../engine/thresholds';
import { driftFraction, parseDeployedSide } from './deployedBand';

const week = Array.from({ length: 168 }, (_, i) => (i % 3 === 0 ? -(i + 0.25) : i * 1e-7));

describe('parseDeployedSide', () => {
  it.each<[string, Band]>([
    ['flat', { mode: 'flat', calibratedAtSeconds: 0, upper: [-2.5] }],
    ['hour-of-day', { mode: 'hour-of-day', calibratedAtSeconds: 0, upper: week.slice(0, 24) }],
    ['hour-of-week', { mode: 'hour-of-week', calibratedAtSeconds: 0, upper: week }],
  ])('reads back the %s thresholds Headroom compiled', (mode, band) => {
    const parsed = parseDeployedSide(sideCondition('sum(x{a="b"})', band, 'upper'));
    expect(parsed).toEqual({ mode, values: band.upper });
  });

  it('gives up on PromQL a person rewrote', () => {
    expect(parseDeployedSide('sum(x) > 80')).toBeUndefined();
    expect(parseDeployedSide('sum(x) > bool scalar((hour() == bool 3) * 5)')).toBeUndefined();
  });
});

describe('driftFraction', () => {
  it('is the median threshold change over the week as a share of the series size', () => {
    // Values 0..100: median 50, 1st–99th percentile range 98, so size 98; every hour moved from 10 to 12.
    const values = Array.from({ length: 101 }, (_, i) => i);
    const current: Band = { mode: 'hour-of-day', calibratedAtSeconds: 0, upper: new Array(24).fill(12) };
    expect(driftFraction({ mode: 'flat', values: [10] }, 'upper', current, values)).toBeCloseTo(2 / 98, 12);
  });

  it('is 0 when nothing moved and NaN without values', () => {
    const current: Band = { mode: 'flat', calibratedAtSeconds: 0, lower: [3] };
    expect(driftFraction({ mode: 'flat', values: [3] }, 'lower', current, [1, 5, 9])).toBe(0);
    expect(driftFraction({ mode: 'flat', values: [3] }, 'lower', current, [])).toBeNaN();
  });
});
