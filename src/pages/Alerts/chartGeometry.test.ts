/** @jest-environment node */
import { bandSeries, clampedWindow, valueRange } from './chartGeometry';

describe('valueRange', () => {
  it('pads the finite values by 5 % of their span, and a flat or empty series by a visible amount', () => {
    expect(valueRange([0, 10], [Infinity, 5])).toEqual({ min: -0.5, max: 10.5 });
    expect(valueRange([])).toEqual({ min: 0, max: 1 });
    // Flat at 40: 5 % of 40 is 2.
    expect(valueRange([40, 40])).toEqual({ min: 38, max: 42 });
  });
});

describe('bandSeries', () => {
  // Rows 0–1 warm-up (no band yet), then a two-sided band, then only the upper side watched.
  const series = bandSeries([0, 300, 600, 900, 1200], [5, 6, 7, 20, NaN], {
    upper: [NaN, NaN, 10, 12, 12],
    lower: [NaN, NaN, 2, -Infinity, -Infinity],
  });

  it('keeps edges where they exist and leaves the warm-up and unwatched sides without a line', () => {
    expect(series.timesMs).toEqual([0, 300_000, 600_000, 900_000, 1_200_000]);
    expect(series.values).toEqual([5, 6, 7, 20, null]);
    expect(series.upperEdge).toEqual([null, null, 10, 12, 12]);
    expect(series.lowerEdge).toEqual([null, null, 2, null, null]);
  });

  it('fills between the edges, and from a lone upper edge down to the plot border', () => {
    // Finite values 2..20 (the edges and the series): span 18, padded by 0.9 each side.
    expect(series.range).toEqual({ min: 1.1, max: 20.9 });
    expect(series.fillTop).toEqual([null, null, 10, 12, 12]);
    expect(series.fillBottom).toEqual([null, null, 2, 1.1, 1.1]);
  });

  it('draws a flat band as its one value on each edge', () => {
    const flat = bandSeries([0, 300, 600], [40, 41, 39], { upper: [48.54, 48.54, 48.54], lower: [30, 30, 30] });
    expect(new Set(flat.upperEdge)).toEqual(new Set([48.54]));
    expect(new Set(flat.fillTop)).toEqual(new Set([48.54]));
  });
});

describe('clampedWindow', () => {
  it('clamps a zoom selection to the rows, and gives none for a selection beside them', () => {
    expect(clampedWindow({ from: -50, to: 150 }, [0, 100, 200])).toEqual({ from: 0, to: 150 });
    expect(clampedWindow({ from: 250, to: 300 }, [0, 100, 200])).toBeUndefined();
  });
});
