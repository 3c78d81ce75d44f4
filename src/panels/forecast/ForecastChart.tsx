import React, { useCallback, useMemo, useState } from 'react';
import { dateTimeFormat, type AbsoluteTimeRange } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { TimeZone } from '@grafana/schema';
import { useTheme2, type SeriesVisibilityChangeMode, type VizLegendItem } from '@grafana/ui';
import { shownTargetName } from '../../datasource/targetLabels';
import { ChartTooltip, type TooltipRow } from '../shared/ChartTooltip';
import { formatInUnit } from '../../datasource/wording/localeNumbers';
import { isShown, nextVisibleSeries, type VisibleSeries } from '../shared/seriesVisibility';
import { TimeChart } from '../shared/TimeChart';
import type { TimeMarker } from '../shared/TimeMarkers';
import {
  buildForecastPlot,
  exhaustionDateFormat,
  forecastColours,
  forecastPlotModel,
  readingOrder,
  seriesColour,
  zoomedRange,
  type ForecastPlotModel,
} from './forecastPlot';
import type { ChartData } from './forecastData';

interface Props {
  data: ChartData;
  width: number;
  height: number;
  timeZone: TimeZone;
  /** The panel's time range: history is drawn from its start, and the forecast follows its end. */
  fromMs: number;
  toMs: number;
  onChangeTimeRange: (range: AbsoluteTimeRange) => void;
  /** Notes shown with the legend. */
  children?: React.ReactNode;
}

const TOOLTIP_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** History, forecast mean, interval bands, capacity and exhaustion, drawn by uPlot as Grafana's time series panel. */
export function ForecastChart({ data, width, height, timeZone, fromMs, toMs, onChangeTimeRange, children }: Props) {
  const theme = useTheme2();
  const [visible, setVisible] = useState<VisibleSeries>(null);
  const model = useMemo(() => forecastPlotModel(data, fromMs), [data, fromMs]);
  const plot = useMemo(
    () => buildForecastPlot(model, { theme, timeZone, unit: data.unit, visible }),
    [model, theme, timeZone, data.unit, visible]
  );
  const colours = forecastColours(theme);
  const labels = useMemo(() => [...new Set(readingOrder(model).map((s) => s.label))], [model]);
  const onToggleSeries = useCallback(
    (label: string, mode: SeriesVisibilityChangeMode) =>
      setVisible((current) => nextVisibleSeries(current, label, mode, labels)),
    [labels]
  );
  const legendItems: VizLegendItem[] = labels.map((label) => {
    const series = model.series.find((s) => s.label === label)!;
    return {
      label,
      color: seriesColour(series, model, colours),
      yAxis: 1,
      disabled: !isShown(visible, label),
      lineStyle: series.role === 'capacity' ? { fill: 'dash', dash: [6, 4] } : undefined,
    };
  });
  const markers: TimeMarker[] = [];
  if (typeof data.exhaustionMs === 'number') {
    const date = dateTimeFormat(data.exhaustionMs, { timeZone, format: exhaustionDateFormat });
    markers.push({
      timeMs: data.exhaustionMs,
      color: colours.exhaustion,
      solid: true,
      label: date,
      // The legend's sentence (ForecastLegend.tsx), as the marker's hover text.
      title: t('forecast.legend.exceeds-at', 'Mean forecast exceeds capacity at {{date}}', {
        date,
        interpolation: { escapeValue: false },
      }),
      testId: 'headroom-forecast-exhaustion-marker',
    });
  }

  return (
    <div data-testid="headroom-forecast-chart" style={{ height: '100%', minHeight: 0 }}>
      <TimeChart
        plot={plot}
        width={width}
        height={height}
        legendItems={legendItems}
        onToggleSeries={onToggleSeries}
        onZoom={(selection) => {
          const range = zoomedRange(selection, toMs);
          if (range) {
            onChangeTimeRange(range);
          }
        }}
        markers={markers}
        legendTestId="headroom-forecast-legend"
        ariaLabel={t('forecast.chart.aria-label', 'Forecast of {{target}}', {
          target: shownTargetName(data.targetName),
          interpolation: { escapeValue: false },
        })}
        renderTooltip={(_, row) => (
          <ChartTooltip
            time={dateTimeFormat(model.timesMs[row], { timeZone, format: TOOLTIP_TIME_FORMAT })}
            rows={tooltipRows(model, row, visible, data.unit, colours)}
          />
        )}
      >
        {children}
      </TimeChart>
    </div>
  );
}

/** A row per shown series with a value at `row`; a band reads "lower – upper", or one value when they meet. */
export function tooltipRows(
  model: ForecastPlotModel,
  row: number,
  visible: VisibleSeries,
  unit: string | undefined,
  colours: ReturnType<typeof forecastColours>
): TooltipRow[] {
  const rows: TooltipRow[] = [];
  for (const series of readingOrder(model)) {
    const value = series.values[row];
    if (value === null || !isShown(visible, series.label) || series.role === 'lower') {
      continue;
    }
    const color = seriesColour(series, model, colours);
    if (series.role === 'upper') {
      const lower = model.series.find((s) => s.role === 'lower' && s.level === series.level)?.values[row];
      const text =
        lower === null || lower === undefined || lower === value
          ? formatInUnit(unit, value)
          : `${formatInUnit(unit, lower)} – ${formatInUnit(unit, value)}`;
      rows.push({ label: series.label, value: text, color });
    } else {
      rows.push({
        label: series.role === 'capacity' ? t('forecast.chart.tooltip-capacity', 'Capacity') : series.label,
        value: formatInUnit(unit, value),
        color,
      });
    }
  }
  return rows;
}
