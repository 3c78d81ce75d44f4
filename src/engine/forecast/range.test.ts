/** @jest-environment node */
import fc from 'fast-check';
import { clampToRange } from './range';

describe('clampToRange', () => {
  const forecast = {
    model: 'm',
    mean: [0.5, 2, -1],
    intervals: { '80': { lower: [-1, 1, -3], upper: [2, 3, 1] }, '95': { lower: [-2, 0.5, -4], upper: [3, 3.5, 2] } },
  };

  it('clamps the mean and every bound to a count’s range, and keeps the rest', () => {
    expect(clampToRange(forecast, { min: 0 })).toEqual({
      model: 'm',
      mean: [0.5, 2, 0],
      intervals: { '80': { lower: [0, 1, 0], upper: [2, 3, 1] }, '95': { lower: [0, 0.5, 0], upper: [3, 3.5, 2] } },
    });
  });

  it('clamps a ratio to [0, 1]', () => {
    expect(clampToRange(forecast, { min: 0, max: 1 })).toEqual({
      model: 'm',
      mean: [0.5, 1, 0],
      intervals: { '80': { lower: [0, 1, 0], upper: [1, 1, 1] }, '95': { lower: [0, 0.5, 0], upper: [1, 1, 1] } },
    });
  });

  it('leaves a forecast without a known range as it is', () => {
    expect(clampToRange(forecast, undefined)).toBe(forecast);
    expect(clampToRange(forecast, {})).toBe(forecast);
  });

  it('keeps the bounds ordered and nested (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
            fc.double({ min: 0, max: 1e6, noNaN: true }),
            fc.double({ min: 0, max: 1e6, noNaN: true })
          ),
          { minLength: 1, maxLength: 20 }
        ),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (steps, min, width) => {
          const out = clampToRange(
            {
              mean: steps.map(([m]) => m),
              intervals: {
                '80': { lower: steps.map(([m, a]) => m - a), upper: steps.map(([m, a]) => m + a) },
                '95': { lower: steps.map(([m, a, b]) => m - a - b), upper: steps.map(([m, a, b]) => m + a + b) },
              },
            },
            { min, max: min + width }
          );
          out.mean.forEach((m, h) => {
            const chain = [
              out.intervals['95'].lower[h],
              out.intervals['80'].lower[h],
              m,
              out.intervals['80'].upper[h],
              out.intervals['95'].upper[h],
            ];
            chain.forEach((v, i) => {
              expect(v).toBeGreaterThanOrEqual(min);
              expect(v).toBeLessThanOrEqual(min + width);
              if (i > 0) {
                expect(v).toBeGreaterThanOrEqual(chain[i - 1]);
              }
            });
          });
        }
      )
    );
  });
});
