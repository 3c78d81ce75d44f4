/** @jest-environment node */
import { monthlyBurn } from './burn';
import { EfficiencyInputError } from './errors';

const JUNE_1 = Date.UTC(2025, 5, 1) / 1000;
const JULY_1 = Date.UTC(2025, 6, 1) / 1000;
const HOUR = 3600;

describe('monthlyBurn', () => {
  it('adds up the observed hours and projects the observed rate over the whole month', () => {
    // 10 $/h for 24 hours, then 20 $/h for 24 hours; June 3 00:00 is now.
    const times = Array.from({ length: 48 }, (_, i) => JUNE_1 + i * HOUR);
    const rates = times.map((_, i) => (i < 24 ? 10 : 20));
    const burn = monthlyBurn({
      timestampsSeconds: times,
      costPerHour: rates,
      stepSeconds: HOUR,
      nowSeconds: JUNE_1 + 48 * HOUR,
      monthlyBudget: 10_000,
    });
    // 24 × 10 + 24 × 20 = 720 over 48 h = 15 $/h; June has 720 h → 10,800 = 108 % of 10,000.
    expect(burn.monthToDateCost).toBe(720);
    expect(burn.burnPerHour).toBe(15);
    expect(burn.projectedMonthCost).toBe(10_800);
    expect(burn.projectedShareOfBudget).toBeCloseTo(1.08, 12);
    // 10,000 / 15 = 666.67 h after the month began.
    expect(burn.budgetReachedAtSeconds).toBe(JUNE_1 + Math.round((10_000 / 15) * HOUR));
    expect(burn.monthToDate[23]).toBe(240);
    expect(burn.observedShareOfElapsed).toBe(1);
  });

  it('projects from the month-to-date now to the projected month cost at the month end', () => {
    // 15 $/h for all 48 h of June 1–2: 720 $ spent by June 3 00:00; 10,800 $ projected for June's 720 h.
    const times = Array.from({ length: 48 }, (_, i) => JUNE_1 + i * HOUR);
    const burn = monthlyBurn({
      timestampsSeconds: times,
      costPerHour: times.map(() => 15),
      stepSeconds: HOUR,
      nowSeconds: JUNE_1 + 48 * HOUR,
    });
    // Hourly from June 3 00:00 to July 1 00:00: 672 h, 673 points.
    expect(burn.projectionTimestampsSeconds).toHaveLength(673);
    expect(burn.projectionTimestampsSeconds[0]).toBe(JUNE_1 + 48 * HOUR);
    expect(burn.projectionTimestampsSeconds[672]).toBe(JULY_1);
    expect(burn.projection[0]).toBe(720);
    expect(burn.projection[672]).toBe(10_800);
    // Every hour observed: the line climbs at the burn rate, 15 $/h; half-way (336 h on) 720 + 5,040.
    expect(burn.projection[336]).toBeCloseTo(5_760, 9);
    expect(burn.projection[1] - burn.projection[0]).toBeCloseTo(15, 9);
  });

  it('ends the projection at the projected month even when hours went unobserved, and off the step grid', () => {
    // 12 $ spent in 2 observed hours (6 $/h) by June 1 20:30; 6 × 720 = 4,320 $ projected for June.
    const burn = monthlyBurn({
      timestampsSeconds: [JUNE_1 + 10 * HOUR, JUNE_1 + 11 * HOUR],
      costPerHour: [4, 8],
      stepSeconds: HOUR,
      nowSeconds: JUNE_1 + 20.5 * HOUR,
      monthlyBudget: 1_000,
    });
    const times = burn.projectionTimestampsSeconds;
    expect([times[0], times[1], times[times.length - 2], times[times.length - 1]]).toEqual([
      JUNE_1 + 20.5 * HOUR,
      JUNE_1 + 21.5 * HOUR,
      JULY_1 - 0.5 * HOUR,
      JULY_1,
    ]);
    expect(burn.projection[0]).toBe(12);
    expect(burn.projection[burn.projection.length - 1]).toBe(4_320);
    // 699.5 h left for 4,308 $: the budget's remaining 988 $ take 988 / 4,308 × 699.5 h = 160.42 h.
    expect(burn.budgetReachedAtSeconds).toBe(JUNE_1 + 20.5 * HOUR + Math.round((988 / 4_308) * 699.5 * HOUR));
  });

  it('dates the budget reached at the hour the month-to-date crossed it, when it already has', () => {
    const times = Array.from({ length: 10 }, (_, i) => JUNE_1 + i * HOUR);
    const burn = monthlyBurn({
      timestampsSeconds: times,
      costPerHour: times.map(() => 100),
      stepSeconds: HOUR,
      nowSeconds: JUNE_1 + 10 * HOUR,
      monthlyBudget: 250,
    });
    // 100 $ per hour counted at each sample: 100, 200, 300 by the third (02:00).
    expect(burn.budgetReachedAtSeconds).toBe(JUNE_1 + 2 * HOUR);
  });

  it('says how much of the elapsed month it saw, and skips hours with no data', () => {
    const times = [JUNE_1 + 10 * HOUR, JUNE_1 + 11 * HOUR, JUNE_1 + 12 * HOUR];
    const burn = monthlyBurn({
      timestampsSeconds: times,
      costPerHour: [4, NaN, 8],
      stepSeconds: HOUR,
      nowSeconds: JUNE_1 + 20 * HOUR,
    });
    // Two observed hours (12 $) of 20 elapsed; no budget, no crossing.
    expect(burn.monthToDateCost).toBe(12);
    expect(burn.burnPerHour).toBe(6);
    expect(burn.observedShareOfElapsed).toBeCloseTo(0.1, 12);
    expect(burn.budgetReachedAtSeconds).toBeUndefined();
    expect(burn.projectedShareOfBudget).toBeUndefined();
  });

  it('leaves out samples of the previous month', () => {
    const burn = monthlyBurn({
      timestampsSeconds: [JUNE_1 - HOUR, JUNE_1],
      costPerHour: [100, 1],
      stepSeconds: HOUR,
      nowSeconds: JUNE_1 + HOUR,
    });
    expect(burn.monthToDateCost).toBe(1);
    expect(burn.timestampsSeconds).toEqual([JUNE_1]);
  });

  it('rejects misaligned input and a non-positive budget', () => {
    expect(() =>
      monthlyBurn({ timestampsSeconds: [JUNE_1], costPerHour: [], stepSeconds: HOUR, nowSeconds: JUNE_1 })
    ).toThrow(EfficiencyInputError);
    expect(() =>
      monthlyBurn({
        timestampsSeconds: [JUNE_1],
        costPerHour: [1],
        stepSeconds: HOUR,
        nowSeconds: JUNE_1,
        monthlyBudget: 0,
      })
    ).toThrow('budget');
  });
});
