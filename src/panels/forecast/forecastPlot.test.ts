import { createTheme } from '@grafana/data';
import {
  buildForecastPlot,
  forecastColours,
  forecastPlotModel,
  readingOrder,
  zoomedRange,
  type ForecastPlotModel,
} from './forecastPlot';
import { tooltipRows } from './ForecastChart';
import type { ChartData } from './forecastData';

const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2025, 5, 1);
const at = (hours: number) => T0 + hours * HOUR_MS;
/** Grafana's `suffix:` unit puts its own space before the suffix (" GPUs" here), so text is compared with spaces squashed. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Four hours of history (one missing), then three forecast hours with 80 % and 95 % bands, under a capacity of 30. */
const CHART: ChartData = {
  targetName: 'Allocated GPUs',
  unit: 'suffix: GPUs',
  history: { timesMs: [at(0), at(1), at(2), at(3)], values: [10, null, 12, 14] },
  forecast: {
    timesMs: [at(4), at(5), at(6)],
    mean: [15, 16, 17],
    // Widest first, as readHeadroomForecast and chartFromOutcome order them.
    bands: [
      { level: '95', lower: [-2, 11, 12], upper: [20, 21, 22] },
      { level: '80', lower: [13, 14, 15], upper: [17, 18, 19] },
    ],
  },
  model: 'mstl',
  capacity: 30,
  exhaustionMs: null,
  notices: [],
};

describe('forecastPlotModel', () => {
  const model = forecastPlotModel(CHART, at(1));

  it('puts the history from the range start and the whole forecast on one time grid', () => {
    expect(model.timesMs).toEqual([at(1), at(2), at(3), at(4), at(5), at(6)]);
    expect(model.xRangeMs).toEqual([at(1), at(6)]);
    const byRole = (role: string, level?: string) =>
      model.series.find((s) => s.role === role && s.level === level)!.values;
    // The missing hour stays a gap; each series is null where it has no value.
    expect(byRole('history')).toEqual([null, 12, 14, null, null, null]);
    expect(byRole('mean')).toEqual([null, null, null, 15, 16, 17]);
    expect(byRole('upper', '80')).toEqual([null, null, null, 17, 18, 19]);
    expect(byRole('capacity')).toEqual([30, 30, 30, 30, 30, 30]);
  });

  it('fills between each band’s upper and lower edge, widest band first', () => {
    expect(
      model.bands.map(({ upper, lower, level }) => [level, model.series[upper].role, model.series[lower].role])
    ).toEqual([
      ['95', 'upper', 'lower'],
      ['80', 'upper', 'lower'],
    ]);
    expect(model.series[model.bands[1].upper].values[3]).toBe(17);
    expect(model.series[model.bands[1].lower].values[3]).toBe(13);
  });

  it('keeps a zero floor for a series that was never negative, and none for one that was', () => {
    expect(model.yFloor).toBe(0);
    const negative = { ...CHART, history: { ...CHART.history, values: [-1, null, 12, 14] } };
    expect(forecastPlotModel(negative, at(0)).yFloor).toBeUndefined();
  });

  it('reads in the legend as history, mean, bands narrow to wide, capacity', () => {
    expect([...new Set(readingOrder(model).map((s) => squash(s.label)))]).toEqual([
      'Allocated GPUs',
      'Forecast mean',
      '80 % interval',
      '95 % interval',
      'Capacity 30 GPUs',
    ]);
  });
});

describe('buildForecastPlot', () => {
  const theme = createTheme();
  const model = forecastPlotModel(CHART, at(1));

  it('gives uPlot a series per model series, bands between each upper and lower, and the ranges of the model', () => {
    const { config, data } = buildForecastPlot(model, { theme, timeZone: 'utc', unit: CHART.unit, visible: null });
    const uplot = config.getConfig();
    // The time, then history, 95 upper/lower, 80 upper/lower, mean, capacity.
    expect(uplot.series).toHaveLength(1 + 7);
    expect(data).toHaveLength(8);
    expect(data[0]).toEqual(model.timesMs);
    // uPlot counts the time as series 0: the 95 % band fills between series 2 and 3, the 80 % between 4 and 5.
    expect(uplot.bands!.map((band) => band.series)).toEqual([
      [2, 3],
      [4, 5],
    ]);
    const xRange = uplot.scales!.x.range as unknown as () => number[];
    expect(xRange()).toEqual([at(1), at(6)]);
    // Band edges have no line of their own; the capacity line is dashed.
    expect(uplot.series.slice(1).map((s) => s.width)).toEqual([1.5, 0, 0, 0, 0, 2, 1.5]);
    expect(uplot.series[7].dash).toEqual([6, 4]);
  });

  it('keeps the zero floor as the value axis minimum and labels the axis in the unit', () => {
    const { config } = buildForecastPlot(model, { theme, timeZone: 'utc', unit: CHART.unit, visible: null });
    const yRange = config.getConfig().scales!.y.range as (
      u: unknown,
      min: number,
      max: number,
      key: string
    ) => number[];
    const [min, max] = yRange({ scales: { y: { distr: 1 } } }, -2, 30, 'y');
    expect(min).toBe(0);
    expect(max).toBeGreaterThanOrEqual(30);
    const yAxis = config.getConfig().axes![1];
    const values = yAxis.values as (u: unknown, splits: number[]) => string[];
    expect(values({ axes: [{}, { _space: 0 }] } as never, [0, 10]).map(squash)).toEqual(['0 GPUs', '10 GPUs']);
  });

  it('hides both edges of a band hidden from the legend, and nothing else', () => {
    const capacity = model.series.find((s) => s.role === 'capacity')!.label;
    const visible = new Set(['Allocated GPUs', 'Forecast mean', '80 % interval', capacity]);
    const { config } = buildForecastPlot(model, { theme, timeZone: 'utc', unit: CHART.unit, visible });
    expect(
      config
        .getConfig()
        .series.slice(1)
        .map((s) => s.show)
    ).toEqual([true, false, false, true, true, true, true]);
  });
});

describe('forecast tooltip rows', () => {
  const model: ForecastPlotModel = forecastPlotModel(CHART, at(0));
  const colours = forecastColours(createTheme());

  it('reads each band as "lower – upper" in the unit, narrow band first, at a forecast hour', () => {
    const row = model.timesMs.indexOf(at(5));
    expect(tooltipRows(model, row, null, CHART.unit, colours).map((r) => squash(`${r.label}: ${r.value}`))).toEqual([
      'Forecast mean: 16 GPUs',
      '80 % interval: 14 GPUs – 18 GPUs',
      '95 % interval: 11 GPUs – 21 GPUs',
      'Capacity: 30 GPUs',
    ]);
  });

  it('shows the history where it has a value, and a band whose edges meet as one value', () => {
    const flat = forecastPlotModel(
      { ...CHART, forecast: { ...CHART.forecast, bands: [{ level: '80', lower: [15, 16, 17], upper: [15, 16, 17] }] } },
      at(0)
    );
    expect(tooltipRows(flat, 0, null, CHART.unit, colours).map((r) => r.label)).toEqual(['Allocated GPUs', 'Capacity']);
    const meeting = tooltipRows(flat, flat.timesMs.indexOf(at(4)), null, CHART.unit, colours)[1];
    expect([meeting.label, squash(meeting.value)]).toEqual(['80 % interval', '15 GPUs']);
  });
});

describe('zoomedRange', () => {
  it('passes a selection of history through, ends one reaching into the forecast at the range end, ignores forecast only', () => {
    expect(zoomedRange({ from: at(1), to: at(2) }, at(3))).toEqual({ from: at(1), to: at(2) });
    expect(zoomedRange({ from: at(1), to: at(5) }, at(3))).toEqual({ from: at(1), to: at(3) });
    expect(zoomedRange({ from: at(4), to: at(5) }, at(3))).toBeUndefined();
  });
});
