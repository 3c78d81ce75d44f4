/** @jest-environment node */
import { medianStepSeconds } from './deployedRule';

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
