/** @jest-environment node */
import { niceTicks, pixelBuckets, runs, stepCorners, valueRange } from './chartGeometry';

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

describe('stepCorners', () => {
  it('keeps both ends and the rows on either side of each change, so a step line through them draws the same', () => {
    const values = [5, 5, 5, 7, 7, 7, 7, 5, 5];
    // Steps at 2→3 and 6→7: rows 2, 3, 6, 7, plus the ends 0 and 8.
    expect(stepCorners(0, 8, (i) => values[i])).toEqual([0, 2, 3, 6, 7, 8]);
    expect(stepCorners(3, 6, (i) => values[i])).toEqual([3, 6]);
    expect(stepCorners(4, 4, (i) => values[i])).toEqual([4]);
    // An unwatched side (±Infinity) is one step; every row differs from the next where nothing repeats.
    expect(stepCorners(0, 3, () => Infinity)).toEqual([0, 3]);
    expect(stepCorners(0, 3, (i) => i)).toEqual([0, 1, 2, 3]);
  });
});
