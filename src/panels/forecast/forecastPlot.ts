/**
 * What the forecast chart draws, as uPlot series through @grafana/ui's config builder: the series on one time grid,
 * which pairs are filled between, the scales and axes. Pure, so the picture is tested without a canvas.
 */
import type { AlignedData } from 'uplot';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import {
  AxisPlacement,
  GraphDrawStyle,
  ScaleDirection,
  ScaleOrientation,
  VisibilityMode,
  type TimeZone,
} from '@grafana/schema';
import { UPlotConfigBuilder } from '@grafana/ui';
import { shownTargetName } from '../../datasource/targetLabels';
import { formatInUnit } from '../../datasource/wording/localeNumbers';
import { isShown, type VisibleSeries } from '../shared/seriesVisibility';
import type { ChartData } from './forecastData';

export type ForecastSeriesRole = 'history' | 'mean' | 'lower' | 'upper' | 'capacity';

export interface ForecastPlotSeries {
  role: ForecastSeriesRole;
  /** Legend label; a band's two edges share their band's label, so the legend toggles them together. */
  label: string;
  values: Array<number | null>;
  /** Interval level of a band edge, in percent. */
  level?: string;
}

export interface ForecastPlotModel {
  /** The time grid every series is aligned on: the shown history, then the forecast. */
  timesMs: number[];
  series: ForecastPlotSeries[];
  /** Series filled between, as indices into `series`, widest band first. */
  bands: Array<{ upper: number; lower: number; level: string }>;
  /** From the first history shown (or the forecast's start) to the forecast's end. */
  xRangeMs: [number, number];
  /** A series that was never negative keeps a zero floor: a band reaching below it is cut there. */
  yFloor?: number;
}

export const exhaustionDateFormat = 'YYYY-MM-DD HH:mm';
// Legend labels, also the keys the legend toggles series by: each is translated, the same in every render.
const forecastMeanLabel = () => t('forecast.chart.mean', 'Forecast mean');
const intervalLabel = (level: string) => t('forecast.chart.interval', '{{level}} % interval', { level });
const capacityLabel = (capacity: number, unit: string | undefined) =>
  t('forecast.chart.capacity', 'Capacity {{value}}', {
    value: formatInUnit(unit, capacity),
    interpolation: { escapeValue: false },
  });

/** The history from `fromMs` on and the whole forecast, on one grid of times. */
export function forecastPlotModel(chart: ChartData, fromMs: number): ForecastPlotModel {
  const shownHistory = chart.history.timesMs.flatMap((t, i) => (t >= fromMs ? [i] : []));
  const grid = [...new Set([...shownHistory.map((i) => chart.history.timesMs[i]), ...chart.forecast.timesMs])].sort(
    (a, b) => a - b
  );
  const rowOf = new Map(grid.map((t, row) => [t, row]));
  const onGrid = (times: number[], values: ReadonlyArray<number | null>) => {
    const aligned: Array<number | null> = grid.map(() => null);
    times.forEach((t, i) => {
      const row = rowOf.get(t);
      const value = values[i];
      if (row !== undefined && value !== null && Number.isFinite(value)) {
        aligned[row] = value;
      }
    });
    return aligned;
  };

  const series: ForecastPlotSeries[] = [
    {
      role: 'history',
      label: shownTargetName(chart.targetName),
      values: onGrid(chart.history.timesMs, chart.history.values),
    },
  ];
  const bands: ForecastPlotModel['bands'] = [];
  for (const band of chart.forecast.bands) {
    const label = intervalLabel(band.level);
    series.push({ role: 'upper', label, level: band.level, values: onGrid(chart.forecast.timesMs, band.upper) });
    series.push({ role: 'lower', label, level: band.level, values: onGrid(chart.forecast.timesMs, band.lower) });
    bands.push({ upper: series.length - 2, lower: series.length - 1, level: band.level });
  }
  // The mean after the bands, so it is drawn over them.
  series.push({
    role: 'mean',
    label: forecastMeanLabel(),
    values: onGrid(chart.forecast.timesMs, chart.forecast.mean),
  });
  if (chart.capacity !== undefined) {
    const capacity = chart.capacity;
    series.push({ role: 'capacity', label: capacityLabel(capacity, chart.unit), values: grid.map(() => capacity) });
  }

  const observed = series[0].values.filter((v): v is number => v !== null);
  const firstShownMs = shownHistory.length ? chart.history.timesMs[shownHistory[0]] : Infinity;
  const forecastEndMs = chart.forecast.timesMs[chart.forecast.timesMs.length - 1] ?? grid[grid.length - 1];
  return {
    timesMs: grid,
    series,
    bands,
    xRangeMs: [Math.min(firstShownMs, chart.forecast.timesMs[0] ?? firstShownMs), forecastEndMs],
    yFloor: observed.length > 0 && observed.every((v) => v >= 0) ? 0 : undefined,
  };
}

const ROLE_RANK: Record<ForecastSeriesRole, number> = { history: 0, mean: 1, upper: 2, lower: 2, capacity: 3 };

/** Series in the order a person reads them in the legend and tooltip: history, mean, bands narrow to wide, capacity. */
export function readingOrder(model: ForecastPlotModel): ForecastPlotSeries[] {
  return [...model.series].sort(
    (a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || Number(a.level ?? 0) - Number(b.level ?? 0)
  );
}

export interface ForecastColours {
  history: string;
  forecast: string;
  capacity: string;
  exhaustion: string;
}

/** Colours as hex, so uPlot's hover points can append an alpha to them. */
export function forecastColours(theme: GrafanaTheme2): ForecastColours {
  const named = (name: string) => colorManipulator.asHexString(theme.visualization.getColorByName(name));
  return {
    history: colorManipulator.asHexString(theme.colors.text.primary),
    forecast: named('blue'),
    capacity: named('red'),
    exhaustion: named('orange'),
  };
}

/** Opacity of a band's fill: the widest is the faintest, and each narrower one darkens the part it covers. */
export const bandOpacity = (bandIndex: number) => (bandIndex === 0 ? 0.15 : 0.3);

export function seriesColour(series: ForecastPlotSeries, model: ForecastPlotModel, colours: ForecastColours) {
  if (series.role === 'history' || series.role === 'capacity') {
    return colours[series.role];
  }
  if (series.role === 'mean') {
    return colours.forecast;
  }
  const bandIndex = model.bands.findIndex((band) => band.level === series.level);
  return colorManipulator.alpha(colours.forecast, SWATCH_OPACITY_PER_FILL * bandOpacity(bandIndex));
}

/**
 * A legend swatch or tooltip mark is a thin line, not an area: at the fill's own opacity it would barely show, so it
 * is drawn stronger, keeping the order (the narrower band darker, as where the fills overlap).
 */
const SWATCH_OPACITY_PER_FILL = 2.5;

export interface ForecastPlotOptions {
  theme: GrafanaTheme2;
  timeZone: TimeZone;
  unit?: string;
  visible: VisibleSeries;
}

export const Y_SCALE = 'y';

/** The uPlot configuration and aligned data of a forecast chart. */
export function buildForecastPlot(
  model: ForecastPlotModel,
  { theme, timeZone, unit, visible }: ForecastPlotOptions
): { config: UPlotConfigBuilder; data: AlignedData } {
  const colours = forecastColours(theme);
  const builder = new UPlotConfigBuilder(timeZone);
  const [fromMs, toMs] = model.xRangeMs;
  builder.addScale({
    scaleKey: 'x',
    isTime: true,
    orientation: ScaleOrientation.Horizontal,
    direction: ScaleDirection.Right,
    range: () => [fromMs, toMs],
  });
  builder.addScale({
    scaleKey: Y_SCALE,
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    min: model.yFloor,
  });
  builder.addAxis({ scaleKey: 'x', isTime: true, placement: AxisPlacement.Bottom, timeZone, theme });
  builder.addAxis({
    scaleKey: Y_SCALE,
    placement: AxisPlacement.Left,
    theme,
    formatValue: (v: number, decimals) => formatInUnit(unit, v, decimals),
  });

  for (const series of model.series) {
    const isEdge = series.role === 'lower' || series.role === 'upper';
    builder.addSeries({
      scaleKey: Y_SCALE,
      theme,
      drawStyle: GraphDrawStyle.Line,
      lineColor: isEdge ? colours.forecast : seriesColour(series, model, colours),
      // Band edges are only the fill's outline.
      lineWidth: isEdge ? 0 : series.role === 'mean' ? 2 : 1.5,
      lineStyle: series.role === 'capacity' ? { fill: 'dash', dash: [6, 4] } : undefined,
      showPoints: VisibilityMode.Never,
      spanNulls: false,
      show: isShown(visible, series.label),
    });
  }
  model.bands.forEach((band, i) =>
    builder.addBand({
      // uPlot counts the time as series 0.
      series: [band.upper + 1, band.lower + 1],
      fill: colorManipulator.alpha(colours.forecast, bandOpacity(i)),
    })
  );
  return { config: builder, data: [model.timesMs, ...model.series.map((s) => s.values)] as AlignedData };
}

/**
 * The time range a drag across the chart zooms the panel to. The forecast starts at the end of the panel's time
 * range, so a selection reaching into it ends the range there (the same forecast then follows the zoomed history);
 * a selection of forecast only gives no range, since moving the range's end would move the forecast itself.
 */
export function zoomedRange(selection: { from: number; to: number }, rangeEndMs: number) {
  if (selection.from >= rangeEndMs) {
    return undefined;
  }
  return { from: selection.from, to: Math.min(selection.to, rangeEndMs) };
}
