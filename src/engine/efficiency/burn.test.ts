/** @jest-environment node */
import { monthlyBurn } from './burn';
import { EfficiencyInputError } from './errors';

const JUNE_1 = Date.UTC(2025, 5, 1) / 1000;
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
    expect(burn.projection[47]).toBe(15 * 47);
    expect(burn.observedShareOfElapsed).toBe(1);
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
