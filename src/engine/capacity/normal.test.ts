/** @jest-environment node */
import fc from 'fast-check';

import { normalCdf, normalQuantile } from './normal';

describe('standard normal distribution', () => {
  it('matches published table values', () => {
    // Φ(1.96) = 0.9750021048517795, Φ(1) = 0.8413447460685429, Φ(−3) = 0.0013498980316300946 (R: pnorm).
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 12);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 14);
    expect(normalCdf(0)).toBe(0.5);
    // Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.9) = 1.2815515655446004, Φ⁻¹(0.001) = −3.090232306167813 (R: qnorm).
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 10);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 9);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('Φ⁻¹ inverts Φ and Φ is symmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-8, max: 1 - 1e-8, noNaN: true }), (p) => {
        expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 9);
      })
    );
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 12);
      })
    );
  });
});
