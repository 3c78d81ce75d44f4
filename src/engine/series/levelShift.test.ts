/** @jest-environment node */
import { detectLevelShift } from './levelShift';

// Deterministic noise in [−1, 1): a fixed LCG, so the test cannot flake.
function noise(count: number): number[] {
  let state = 7;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (2 * state) / 2 ** 31 - 1;
  });
}

describe('detectLevelShift', () => {
  const options = { windowSteps: 24, threshold: 4 };

  it('finds a step from 10 to 20 at the step where it happens', () => {
    const values = noise(240).map((e, k) => (k < 150 ? 10 : 20) + e);
    const shift = detectLevelShift(values, options);
    expect(shift?.index).toBe(150);
    expect(shift?.change).toBeGreaterThan(9);
    expect(shift?.change).toBeLessThan(11);
  });

  it('finds it under a daily rhythm ten times larger than the noise', () => {
    const values = noise(24 * 10).map(
      (e, k) => 50 + 10 * Math.sin((2 * Math.PI * k) / 24) + (k >= 24 * 7 ? -8 : 0) + e
    );
    expect(detectLevelShift(values, options)?.index).toBe(24 * 7);
  });

  it('reports the latest of two shifts', () => {
    const values = noise(300).map((e, k) => (k < 100 ? 0 : k < 220 ? 30 : 15) + e);
    expect(detectLevelShift(values, options)?.index).toBe(220);
  });

  it('finds none in a daily rhythm with noise, nor in a slow trend', () => {
    const seasonal = noise(24 * 10).map((e, k) => 50 + 10 * Math.sin((2 * Math.PI * k) / 24) + e);
    expect(detectLevelShift(seasonal, options)).toBeUndefined();
    // 0.01 per step moves a 24-step median by 0.24, far below 4 noise units.
    const trend = noise(240).map((e, k) => 0.01 * k + e);
    expect(detectLevelShift(trend, options)).toBeUndefined();
  });

  it('needs two windows of data', () => {
    expect(detectLevelShift([1, 2, 3], options)).toBeUndefined();
  });
});

describe('detectLevelShift on counts that mostly repeat', () => {
  it('does not take a one-off change of 1 for a shift when most differences are 0', () => {
    // A GPU count at 8 that is 9 for 3 hours twice a day: the median difference a day apart is 0.
    const busy = (k: number) => (k % 24 >= 10 && k % 24 < 13 ? 9 : 8);
    const values = Array.from({ length: 24 * 8 }, (_, k) => busy(k) + (k === 24 * 6 ? 1 : 0));
    expect(detectLevelShift(values, { windowSteps: 24, threshold: 4 })).toBeUndefined();
    const shifted = values.map((v, k) => (k >= 24 * 6 ? v + 4 : v));
    // The busy hours make the median plateau lopsided by a step: located within one step.
    const index = detectLevelShift(shifted, { windowSteps: 24, threshold: 4 })?.index ?? NaN;
    expect(Math.abs(index - 24 * 6)).toBeLessThanOrEqual(1);
  });
});
