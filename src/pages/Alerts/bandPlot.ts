/**
 * The band chart as uPlot series through @grafana/ui's config builder: the watched series, the band's dashed edges and
 * its fill, on a value range fixed to the data (so an unwatched side's fill reaches the plot's border).
 */
import type { AlignedData } from 'uplot';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { formatInUnit } from '../../datasource/wording/localeNumbers';
import { AxisPlacement, GraphDrawStyle, ScaleDirection, ScaleOrientation, VisibilityMode } from '@grafana/schema';
import { UPlotConfigBuilder } from '@grafana/ui';
import { isShown, type VisibleSeries } from '../../panels/shared/seriesVisibility';
import { valueRange, type BandSeries } from './chartGeometry';

export const BAND_LEGEND = {
  series: 'Watched series',
  band: 'Learnt band (as deployed, recalibrated daily)',
  /** Key of the alert-start markers in the legend: their label carries a count that changes with the sensitivity. */
  alertStarts: 'alert-starts',
} as const;

export const BAND_FILL_OPACITY = 0.15;
const Y_SCALE = 'y';
/** PromQL's hour() and day_of_week() read UTC: the band's rhythm is drawn on that clock. */
export const BAND_TIME_ZONE = 'utc';

export interface BandColours {
  series: string;
  band: string;
  alert: string;
  warmup: string;
}

/** Colours as hex, so uPlot's hover points can append an alpha to them. */
export function bandColours(theme: GrafanaTheme2): BandColours {
  return {
    series: colorManipulator.asHexString(theme.visualization.getColorByName('blue')),
    band: colorManipulator.asHexString(theme.visualization.getColorByName('green')),
    alert: colorManipulator.asHexString(theme.colors.error.main),
    warmup: colorManipulator.asHexString(theme.colors.text.primary),
  };
}

/**
 * uPlot series after the time, in drawing order: the band's fill, its edges, and the watched series on top. The band's
 * four share its legend label.
 */
export const BAND_PLOT_SERIES = ['fillTop', 'fillBottom', 'upperEdge', 'lowerEdge', 'values'] as const;

export function bandPlotData(series: BandSeries): AlignedData {
  return [series.timesMs, ...BAND_PLOT_SERIES.map((key) => series[key])] as AlignedData;
}

export interface BandPlotOptions {
  theme: GrafanaTheme2;
  unit: string;
  visible: VisibleSeries;
  /** The time window shown: the whole history, or what a person zoomed to. */
  xWindow: { from: number; to: number };
}

/** uPlot's data index of each of BAND_PLOT_SERIES (the time is 0). */
const dataIndex = (key: (typeof BAND_PLOT_SERIES)[number]) => BAND_PLOT_SERIES.indexOf(key) + 1;

/**
 * The value range of the plotted data, as bandSeries clamps the fill to it: read from the data uPlot holds, so new
 * thresholds redraw in place without a new configuration.
 */
export function plottedRange(data: AlignedData): [number, number] {
  const { min, max } = valueRange(
    ...(['values', 'upperEdge', 'lowerEdge'] as const).map((key) => data[dataIndex(key)] as Array<number | null>)
  );
  return [min, max];
}

export function buildBandPlot({ theme, unit, visible, xWindow }: BandPlotOptions): UPlotConfigBuilder {
  const colours = bandColours(theme);
  const builder = new UPlotConfigBuilder(BAND_TIME_ZONE);
  builder.addScale({
    scaleKey: 'x',
    isTime: true,
    orientation: ScaleOrientation.Horizontal,
    direction: ScaleDirection.Right,
    range: () => [xWindow.from, xWindow.to],
  });
  builder.addScale({
    scaleKey: Y_SCALE,
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    range: (u) => plottedRange(u.data),
  });
  builder.addAxis({ scaleKey: 'x', isTime: true, placement: AxisPlacement.Bottom, timeZone: BAND_TIME_ZONE, theme });
  builder.addAxis({
    scaleKey: Y_SCALE,
    placement: AxisPlacement.Left,
    theme,
    formatValue: (v: number, decimals) => formatInUnit(unit, v, decimals),
  });
  const bandShown = isShown(visible, BAND_LEGEND.band);
  const line = (color: string, width: number, show: boolean, dashed = false) =>
    builder.addSeries({
      scaleKey: Y_SCALE,
      theme,
      drawStyle: GraphDrawStyle.Line,
      lineColor: color,
      lineWidth: width,
      lineStyle: dashed ? { fill: 'dash', dash: [4, 3] } : undefined,
      showPoints: VisibilityMode.Never,
      spanNulls: false,
      show,
    });
  // The fill's outline: no line of its own.
  line(colours.band, 0, bandShown);
  line(colours.band, 0, bandShown);
  line(colours.band, 1.5, bandShown, true);
  line(colours.band, 1.5, bandShown, true);
  line(colours.series, 1.5, isShown(visible, BAND_LEGEND.series));
  // uPlot counts the time as series 0.
  builder.addBand({ series: [1, 2], fill: colorManipulator.alpha(colours.band, BAND_FILL_OPACITY) });
  return builder;
}
