/** @jest-environment node */
import fc from 'fast-check';
import { valueResolution } from './resolution';

describe('valueResolution', () => {
  it('is the smallest non-zero change between consecutive values', () => {
    // Changes 2, 0, 0.5, 3: the smallest non-zero is 0.5.
    expect(valueResolution([4, 6, 6, 6.5, 3.5])).toBe(0.5);
    // A GPU count that sat still and then moved by one.
    expect(valueResolution([8, 8, 8, 8, 9])).toBe(1);
  });

  it('is the unit of the last decimal place when the history never moved', () => {
    expect(valueResolution([7, 7, 7])).toBe(1);
    expect(valueResolution([0, 0])).toBe(1);
    expect(valueResolution([0.35, 0.35])).toBeCloseTo(0.01, 15);
    expect(valueResolution([1200])).toBe(1);
    expect(valueResolution([])).toBe(1);
  });

  it('ignores rounding noise far below the values', () => {
    // 0.1 + 0.2 − 0.3 ≈ 5.6e-17: binary rounding, not a move; the real step is 0.1.
    expect(valueResolution([0.3, 0.1 + 0.2, 0.4])).toBeCloseTo(0.1, 12);
  });

  it('is positive and at most the smallest non-zero change (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 30 }), (ints) => {
        const values = ints.map((k) => k / 4);
        const u = valueResolution(values);
        expect(u).toBeGreaterThan(0);
        for (let t = 1; t < values.length; t++) {
          const step = Math.abs(values[t] - values[t - 1]);
          if (step > 0) {
            expect(u).toBeLessThanOrEqual(step);
          }
        }
      })
    );
  });
});
