/** @jest-environment node */
import { niceTicks, pixelBuckets, runs, valueRange } from './chartGeometry';

describe('chart geometry', () => {
  it('keeps the lowest and highest value of each pixel column', () => {
    const points = pixelBuckets([0, 1, 2, 3, 10], [5, 9, null, 1, NaN], (t) => Math.floor(t / 2));
    expect(points).toEqual([
      { x: 0, low: 5, high: 9 },
      { x: 1, low: 1, high: 1 },
    ]);
  });

  it('finds runs of rows', () => {
    expect(runs(6, (i) => i !== 2 && i !== 3)).toEqual([
      [0, 1],
      [4, 5],
    ]);
    expect(runs(3, () => false)).toEqual([]);
  });

  it('pads the value range and picks round ticks', () => {
    expect(valueRange([0, 10], [Infinity, 5])).toEqual({ min: -0.5, max: 10.5 });
    expect(valueRange([])).toEqual({ min: 0, max: 1 });
    expect(niceTicks(-0.5, 10.5, 5)).toEqual([0, 5, 10]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
