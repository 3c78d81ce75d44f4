import { createTheme } from '@grafana/data';
import { bandTooltipRows } from './BandChart';
import { BAND_LEGEND, BAND_PLOT_SERIES, bandColours, bandPlotData, buildBandPlot } from './bandPlot';
import { bandSeries } from './chartGeometry';

const theme = createTheme();
// A utilisation ratio, as the presets watch it (Grafana unit `percentunit`).
const series = bandSeries([0, 300, 600, 900], [0.4, 0.45, 0.7, 0.5], {
  upper: [NaN, 0.6, 0.6, 0.6],
  lower: [NaN, 0.3, 0.3, -Infinity],
});
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('buildBandPlot', () => {
  const options = {
    theme,
    unit: 'percentunit',
    visible: null,
    xWindow: { from: 0, to: 900_000 },
  };

  it('fills between the band’s top and bottom, draws both edges dashed, and the watched series on top', () => {
    const uplot = buildBandPlot(options).getConfig();
    expect(BAND_PLOT_SERIES).toEqual(['fillTop', 'fillBottom', 'upperEdge', 'lowerEdge', 'values']);
    expect(uplot.bands!.map((band) => band.series)).toEqual([[1, 2]]);
    expect(uplot.series.slice(1).map((s) => s.width)).toEqual([0, 0, 1.5, 1.5, 1.5]);
    expect(uplot.series.slice(1).map((s) => s.dash)).toEqual([undefined, undefined, [4, 3], [4, 3], undefined]);
    const data = bandPlotData(series);
    expect(data[0]).toEqual(series.timesMs);
    expect(data[1]).toBe(series.fillTop);
    expect(data[5]).toBe(series.values);
  });

  it('scales values to the data’s padded range and time to the zoom window', () => {
    const uplot = buildBandPlot({ ...options, xWindow: { from: 300_000, to: 600_000 } }).getConfig();
    expect((uplot.scales!.x.range as unknown as () => number[])()).toEqual([300_000, 600_000]);
    const yRange = uplot.scales!.y.range as unknown as (u: { data: unknown }) => number[];
    // The same padded range bandSeries clamps the one-sided fill to, so that fill reaches the border.
    expect(yRange({ data: bandPlotData(series) })).toEqual([series.range.min, series.range.max]);
  });

  it('hides the band’s four series together when the legend hides the band', () => {
    const visible = new Set<string>([BAND_LEGEND.series]);
    const uplot = buildBandPlot({ ...options, visible }).getConfig();
    expect(uplot.series.slice(1).map((s) => s.show)).toEqual([false, false, false, false, true]);
  });
});

describe('bandTooltipRows', () => {
  const colours = bandColours(theme);
  const read = (row: number, inWarmup = false) =>
    bandTooltipRows(series, row, null, 'percentunit', colours, inWarmup).map((r) => squash(`${r.label}: ${r.value}`));

  it('reads the band as a range, a lone side as the side that alerts, and the warm-up as learning', () => {
    expect(read(1)).toEqual(['Watched series: 45%', 'Band: 30% – 60%']);
    expect(read(3)).toEqual(['Watched series: 50%', 'Band: ≤ 60%']);
    expect(read(0, true)).toEqual(['Watched series: 40%', 'Band: warm-up, learning']);
  });

  it('reads a band whose edges meet as one value', () => {
    const closed = bandSeries([0], [0.48], { upper: [0.4854], lower: [0.4854] });
    expect(bandTooltipRows(closed, 0, null, 'percentunit', colours, false).map((r) => r.value)).toEqual([
      '48%',
      '48.5%',
    ]);
  });
});
