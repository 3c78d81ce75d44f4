/** @jest-environment node */
import fc from 'fast-check';
import { doubleExponentialSmoothing, prometheusDoubleExponential } from './doubleExponential';

describe('doubleExponentialSmoothing (Prometheus double_exponential_smoothing)', () => {
  it('follows promql/functions.go on a hand-computed four-point series', () => {
    // y = [1, 3, 4, 8], sf = tf = 0.5. Start s0 = 0, s1 = 1, b = 3 − 1 = 2.
    // i = 1: b stays 2 (calcTrendValue(0, …) returns it);  s1 = 0.5·3 + 0.5·(1 + 2)   = 3,     s0 = 1
    // i = 2: b = 0.5·(3 − 1) + 0.5·2 = 2;                 s1 = 0.5·4 + 0.5·(3 + 2)   = 4.5,   s0 = 3
    // i = 3: b = 0.5·(4.5 − 3) + 0.5·2 = 1.75;            s1 = 0.5·8 + 0.5·(4.5 + 1.75) = 7.125
    expect(doubleExponentialSmoothing([1, 3, 4, 8], 0.5, 0.5)).toBeCloseTo(7.125, 12);
  });

  it('lags the trend one step, as Prometheus does', () => {
    // y = [0, 0, 10], sf = 0.5, tf = 0.9: b = 0; i = 1: s1 = 0; i = 2: b = 0.9·(0 − 0) + 0.1·0 = 0, s1 = 5.
    // A trend from the current step (s1 − s0 after the update) would differ; the returned value is s1 without b.
    expect(doubleExponentialSmoothing([0, 0, 10], 0.5, 0.9)).toBeCloseTo(5, 12);
  });

  it('returns nothing (NaN) for fewer than two samples and rejects factors outside (0, 1)', () => {
    expect(doubleExponentialSmoothing([3], 0.5, 0.5)).toBeNaN();
    expect(() => doubleExponentialSmoothing([1, 2], 1, 0.5)).toThrow('invalid smoothing factor');
    expect(() => doubleExponentialSmoothing([1, 2], 0.5, 0)).toThrow('invalid trend factor');
  });

  it('reproduces a straight line exactly: level and trend are right from the first two samples', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.integer({ min: 2, max: 200 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (a, slope, n, sf, tf) => {
          const line = Array.from({ length: n }, (_, t) => a + slope * t);
          expect(doubleExponentialSmoothing(line, sf, tf)).toBeCloseTo(line[n - 1], 6);
        }
      )
    );
  });

  it('forecasts its value flat, over the range asked only', () => {
    // Range 3 steps of 600 s: only [4, 4, 4] is read, so the early 100 is forgotten.
    const model = prometheusDoubleExponential('holt', { smoothingFactor: 0.5, trendFactor: 0.5, rangeSeconds: 1800 });
    const out = model.forecast({ values: [100, 4, 4, 4], startSeconds: 0, stepSeconds: 600, horizonSteps: 3 });
    expect(out.mean).toEqual([4, 4, 4]);
  });
});
