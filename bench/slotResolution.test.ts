/** @jest-environment node */
import fc from 'fast-check';

import { adaptiveThresholds, DEFAULT_ALERT_RULE } from '../src/engine/thresholds';
import {
  coveredEdge,
  cyclePositionSeconds,
  DEPLOYED_GRID,
  interpolatedCentre,
  SlotEdges,
  slotEdges,
  slotGridThresholds,
} from './slotResolution';

const HOUR = 3600;
const DAY = 86_400;
const band = DEFAULT_ALERT_RULE.band;

describe('slotEdges', () => {
  it('is median ± width·1.4826·MAD when the floor quantile does not recur', () => {
    // Median 3; |deviations| 2, 1, 0, 1, 97 → MAD 1, σ 1.4826. q0.98 at position 3.92: 4 + 0.92·96 = 92.32, but the
    // cycle maxima are 3 (day 0) and 100 (day 1): the floor is capped at 3, under the MAD edge 3 + 4.4478.
    const edges = slotEdges([1, 2, 3, 4, 100], [0, 60, 120, DAY, DAY + 60], DAY, 0, { width: 3, floorQuantile: 0.98 });
    expect(edges.median).toBe(3);
    expect(edges.sigma).toBeCloseTo(1.4826, 12);
    expect(edges.above).toBeCloseTo(7.4478, 12);
    // q0.02 at position 0.08: 1.08; the second-lowest cycle minimum is 4: the lower edge stays 3 − 4.4478.
    expect(edges.below).toBeCloseTo(-1.4478, 12);
  });

  it('lifts the upper edge to the floor quantile when the spike recurs, not when it happened once', () => {
    // Sorted 0, 0, 0, 0, 10, 10: median 0, MAD 0, so the edge is the minimum margin 1; q0.98 at position 4.9 is 10.
    const values = [0, 10, 0, 10, 0, 0];
    const recurring = [0, 60, DAY, DAY + 60, 2 * DAY, 2 * DAY + 60];
    const options = { width: 3, floorQuantile: 0.98 };
    // Cycle maxima 10, 10, 0: the second highest, 10, lets the floor stand.
    expect(slotEdges(values, recurring, DAY, 1, options).above).toBe(10);
    // Both spikes on day 0: cycle maxima 10, 0, 0 cap the floor at 0, under the margin.
    const once = [0, 60, 120, 180, DAY, 2 * DAY];
    expect(slotEdges([10, 10, 0, 0, 0, 0], once, DAY, 1, options).above).toBe(1);
    expect(slotEdges(values, recurring, DAY, 1, options).below).toBe(-1);
  });
});

describe('coveredEdge', () => {
  // Medians 0, 10, 10.5, each ± 3 (σ 1, width 3).
  const edges: SlotEdges[] = [0, 10, 10.5].map((median) => ({
    median,
    sigma: 1,
    above: median + 3,
    below: median - 3,
  }));

  it('covers both neighbours (the deployed rule), circularly', () => {
    expect(coveredEdge(edges, 1, 'upper', 'slot')).toBe(13.5);
    expect(coveredEdge(edges, 1, 'lower', 'slot')).toBe(-3);
    // Slot 0's neighbours are 2 (before it, circularly) and 1.
    expect(coveredEdge(edges, 0, 'upper', 'slot')).toBe(13.5);
  });

  it('covers nothing, or only neighbours whose median is within the slot’s σ', () => {
    expect(coveredEdge(edges, 1, 'upper', 'none')).toBe(13);
    expect(coveredEdge(edges, 1, 'lower', 'none')).toBe(7);
    // Slot 2's median is 0.5 from slot 1's (≤ σ 1), slot 0's is 10: only slot 2 is covered.
    expect(coveredEdge(edges, 1, 'upper', 'similar')).toBe(13.5);
    expect(coveredEdge(edges, 1, 'lower', 'similar')).toBe(7);
  });

  it('covers the neighbour on the side of the half-slot', () => {
    expect(coveredEdge(edges, 1, 'upper', 'half', false)).toBe(13);
    expect(coveredEdge(edges, 1, 'lower', 'half', false)).toBe(-3);
    expect(coveredEdge(edges, 1, 'upper', 'half', true)).toBe(13.5);
    expect(coveredEdge(edges, 1, 'lower', 'half', true)).toBe(7);
  });
});

describe('interpolatedCentre', () => {
  it('runs linearly between slot midpoints, circularly', () => {
    const medians = [0, 6, 12, 6];
    // At the start of slot 0: halfway between slot 3's midpoint (6) and slot 0's (0).
    expect(interpolatedCentre(medians, HOUR, 0)).toBe(3);
    expect(interpolatedCentre(medians, HOUR, 1800)).toBe(0);
    expect(interpolatedCentre(medians, HOUR, 2700)).toBe(1.5);
    expect(interpolatedCentre(medians, HOUR, HOUR)).toBe(3);
    expect(interpolatedCentre(medians, HOUR, 3 * HOUR + 2700)).toBe(4.5);
  });
});

describe('cyclePositionSeconds', () => {
  it('is day_of_week(), hour() and minute() of the time, from Sunday 00:00 UTC', () => {
    // 1970-01-04 was a Sunday; 01:02:05 that day is 1 h 2 min in whole minutes.
    expect(cyclePositionSeconds(3 * DAY + HOUR + 125, 'hour-of-week')).toBe(3720);
    // 1970-01-01 00:30:30, a Thursday (4).
    expect(cyclePositionSeconds(1830, 'hour-of-week')).toBe(4 * DAY + 1800);
    expect(cyclePositionSeconds(1830, 'hour-of-day')).toBe(1800);
    expect(cyclePositionSeconds(1830, 'flat')).toBe(0);
  });
});

describe('slotGridThresholds', () => {
  it('on hourly slots with the neighbour cover is the deployed band, threshold for threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constant(NaN)), {
          minLength: 500,
          maxLength: 600,
        }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(3, 4),
        fc.constantFrom(0.98, 0.5),
        (noise, startHour, width, floorQuantile) => {
          // Hourly rows over three weeks and more, so the week's rhythm is tried too: a daily shape plus noise.
          const t = noise.map((_, i) => (startHour + i) * HOUR);
          const v = noise.map((x, i) => 100 * Math.sin((2 * Math.PI * (startHour + i)) / 24) + x);
          const options = { ...band, width, floorQuantile };
          const deployed = adaptiveThresholds(t, v, { ...options, warmupRows: 60, recalibrationSeconds: DAY });
          const grid = slotGridThresholds(t, v, 60, options, DEPLOYED_GRID);
          expect(grid.upper).toEqual(deployed.upper);
          expect(grid.lower).toEqual(deployed.lower);
        }
      ),
      { numRuns: 10 }
    );
  });

  // Every 15 minutes for three days: 0 in the first half of each hour, 10 in the second.
  const t = Array.from({ length: 3 * 96 }, (_, i) => i * 900);
  const v = t.map((time) => (time % HOUR < 1800 ? 0 : 10));
  const warmup = 2 * 96;

  it('learns half-hour slots where hourly ones see no rhythm', () => {
    // All values: median 5, MAD 5, σ 7.413; size max(5, 10 − 0) = 10, minimum margin 1.
    // Hourly slots hold 0, 0, 10, 10: residuals ±5 leave σ at 7.413 > 0.8·7.413, so the band is flat:
    // 5 ± 3·7.413 = 27.239 / −17.239.
    const hourly = slotGridThresholds(t, v, warmup, band, DEPLOYED_GRID);
    expect(hourly.upper[warmup]).toBe(27.239);
    expect(hourly.lower[warmup]).toBe(-17.239);
    // Half-hour slots hold only 0 or only 10: residuals 0, the day's rhythm is kept; MAD 0, so ± the margin 1.
    const halfHour = { ...DEPLOYED_GRID, slotSeconds: 1800, cover: 'none' as const };
    const fine = slotGridThresholds(t, v, warmup, band, halfHour);
    expect([fine.upper[warmup], fine.lower[warmup]]).toEqual([1, -1]);
    expect([fine.upper[warmup + 2], fine.lower[warmup + 2]]).toEqual([11, 9]);
    // With the neighbour cover each threshold spans both halves: 11 and −1 everywhere.
    const covered = slotGridThresholds(t, v, warmup, band, { ...halfHour, cover: 'slot' });
    expect([covered.upper[warmup], covered.lower[warmup]]).toEqual([11, -1]);
    expect([covered.upper[warmup + 2], covered.lower[warmup + 2]]).toEqual([11, -1]);
  });

  it('with an interpolated centre follows a daily ramp within the hour', () => {
    // Every 30 minutes for three days, |12 − hours since midnight|: hour h's slot holds |12 − h| and |11.5 − h| on
    // each day, median 11.75 − h for h ≤ 11. Between hours 4 and 6 the centre is the line 12.25 − h − m/60, the
    // value 0.25 under it: residuals −0.25, MAD 0. All values: median 6, q0.99 12, q0.01 0: margin 0.1·12 = 1.2.
    // So the margins are −0.25 + 1.2 = 0.95 and −0.25 − 1.2 = −1.45 around the centre.
    const ramp = Array.from({ length: 3 * 48 }, (_, i) => i * 1800);
    const values = ramp.map((time) => Math.abs(12 - (time % DAY) / HOUR));
    const interpolated = { ...DEPLOYED_GRID, cover: 'none' as const, centre: 'interpolated' as const };
    const thresholds = slotGridThresholds(ramp, values, 96, band, interpolated);
    // Day 3, 05:00: centre 7.25; 05:30: 6.75.
    expect(thresholds.upper[96 + 10]).toBeCloseTo(8.2, 12);
    expect(thresholds.lower[96 + 10]).toBeCloseTo(5.8, 12);
    expect(thresholds.upper[96 + 11]).toBeCloseTo(7.7, 12);
    expect(thresholds.lower[96 + 11]).toBeCloseTo(5.3, 12);
  });
});
