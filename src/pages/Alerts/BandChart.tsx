import React, { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { colorManipulator, dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Button, useStyles2, useTheme2, type SeriesVisibilityChangeMode, type VizLegendItem } from '@grafana/ui';
import type { RowThresholds } from '../../engine/thresholds';
import { ChartTooltip, type TooltipRow } from '../../panels/shared/ChartTooltip';
import { formatInUnit } from '../../datasource/wording/localeNumbers';
import { isShown, nextVisibleSeries, type VisibleSeries } from '../../panels/shared/seriesVisibility';
import { TimeChart } from '../../panels/shared/TimeChart';
import type { TimeMarker } from '../../panels/shared/TimeMarkers';
import {
  BAND_FILL_OPACITY,
  BAND_LEGEND,
  BAND_TIME_ZONE,
  bandColours,
  bandPlotData,
  buildBandPlot,
  type BandColours,
} from './bandPlot';
import { bandSeries, clampedWindow, type BandSeries } from './chartGeometry';

interface Props {
  timestampsSeconds: readonly number[];
  values: readonly number[];
  thresholds: RowThresholds;
  /** Rows before this index are the warm-up: learnt from, not judged. */
  warmupRows: number;
  alertStartsSeconds: readonly number[];
  unit: string;
  heightPx: number;
}

const TIME_FORMAT = 'YYYY-MM-DD HH:mm';
const LEGEND_KEYS = [BAND_LEGEND.series, BAND_LEGEND.band, BAND_LEGEND.alertStarts];

/** Width of the element, followed as the page resizes (a fixed guess where ResizeObserver is missing). */
function useWidthPx(): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(300, Math.floor(entry.contentRect.width))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * The watched series over the range, the adaptive band as it was deployed at each time (recalibrated daily), the
 * warm-up it first learnt from, and a marker where the rule would have started firing, drawn by uPlot as Grafana's
 * time series panel. Times in UTC, the clock PromQL's hour() and day_of_week() use. Dragging zooms this chart only:
 * the page's time range is the history the band is learnt from.
 */
export function BandChart({
  timestampsSeconds,
  values,
  thresholds,
  warmupRows,
  alertStartsSeconds,
  unit,
  heightPx,
}: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [ref, widthPx] = useWidthPx();
  const [visible, setVisible] = useState<VisibleSeries>(null);
  const [zoom, setZoom] = useState<{ from: number; to: number }>();
  const series = useMemo(
    () => bandSeries(timestampsSeconds, values, thresholds),
    [timestampsSeconds, values, thresholds]
  );
  const n = series.timesMs.length;
  const fullWindow = n > 0 ? { from: series.timesMs[0], to: series.timesMs[n - 1] } : { from: 0, to: 1 };
  // A zoom made on other rows (another range or series) does not apply.
  const xWindow = (zoom && clampedWindow(zoom, series.timesMs)) ?? fullWindow;
  const { from: windowFrom, to: windowTo } = xWindow;
  // The configuration follows what is shown; new thresholds only change the data, which uPlot redraws in place.
  const config = useMemo(
    () =>
      buildBandPlot({
        theme,
        unit,
        visible,
        xWindow: { from: windowFrom, to: windowTo },
      }),
    [theme, unit, visible, windowFrom, windowTo]
  );
  const data = useMemo(() => bandPlotData(series), [series]);
  const plot = useMemo(() => ({ config, data }), [config, data]);
  const onToggleSeries = useCallback(
    (key: string, mode: SeriesVisibilityChangeMode) =>
      setVisible((current) => nextVisibleSeries(current, key, mode, LEGEND_KEYS)),
    []
  );
  if (n < 2) {
    return null;
  }
  const colours = bandColours(theme);
  const legendItems: VizLegendItem[] = [
    // Shown in the user's language; `fieldName` is the key the legend toggles by, the same in every language.
    {
      label: t('alerts.chart.series', 'Watched series'),
      fieldName: BAND_LEGEND.series,
      color: colours.series,
      yAxis: 1,
      disabled: !isShown(visible, BAND_LEGEND.series),
    },
    {
      label: t('alerts.chart.band', 'Learnt band (as deployed, recalibrated daily)'),
      fieldName: BAND_LEGEND.band,
      color: colorManipulator.alpha(colours.band, 0.5),
      yAxis: 1,
      disabled: !isShown(visible, BAND_LEGEND.band),
      lineStyle: { fill: 'dash', dash: [4, 3] },
    },
    {
      label: t('alerts.chart.alert-starts', 'Alert start ({{starts}})', { starts: alertStartsSeconds.length }),
      fieldName: BAND_LEGEND.alertStarts,
      color: colours.alert,
      yAxis: 1,
      disabled: !isShown(visible, BAND_LEGEND.alertStarts),
    },
  ];
  const warmupEndMs = warmupRows < n ? series.timesMs[warmupRows] : series.timesMs[n - 1];
  const markers: TimeMarker[] = [
    {
      timeMs: series.timesMs[0],
      endMs: warmupEndMs,
      color: colours.warmup,
      label: t('alerts.chart.warm-up', 'warm-up'),
      title: t('alerts.chart.warm-up-title', 'Warm-up: the band learns from these rows; no alert is judged here'),
      testId: 'headroom-band-warmup',
    },
    ...(isShown(visible, BAND_LEGEND.alertStarts)
      ? alertStartsSeconds.map((startSeconds) => ({
          timeMs: startSeconds * 1000,
          color: colours.alert,
          title: t('alerts.chart.alert-start-title', 'Alert start {{time}} UTC', {
            time: dateTimeFormat(startSeconds * 1000, { timeZone: BAND_TIME_ZONE, format: TIME_FORMAT }),
            interpolation: { escapeValue: false },
          }),
          testId: 'headroom-alert-start',
        }))
      : []),
  ];

  return (
    <div ref={ref} className={styles.wrapper} data-testid="headroom-band-chart">
      <TimeChart
        plot={plot}
        width={widthPx}
        height={heightPx}
        legendItems={legendItems}
        onToggleSeries={onToggleSeries}
        onZoom={(selection) => setZoom(clampedWindow(selection, series.timesMs))}
        markers={markers}
        ariaLabel={t('alerts.chart.aria-label', 'Learnt band over history')}
        legendTestId="headroom-band-legend"
        renderTooltip={(_, row) => (
          <ChartTooltip
            time={`${dateTimeFormat(series.timesMs[row], { timeZone: BAND_TIME_ZONE, format: TIME_FORMAT })} UTC`}
            rows={bandTooltipRows(series, row, visible, unit, colours, row < warmupRows)}
          />
        )}
      >
        <div className={styles.notes}>
          <span>{t('alerts.chart.utc-note', "Times in UTC, the clock of PromQL's hour()")}</span>
          {zoom && (
            <Button size="sm" variant="secondary" fill="text" icon="search-minus" onClick={() => setZoom(undefined)}>
              {t('alerts.chart.zoom-out', 'Show the whole range')}
            </Button>
          )}
        </div>
      </TimeChart>
    </div>
  );
}

/**
 * The tooltip's rows at `row`: the watched value, and the band there, read as one value when both edges meet; with
 * one side watched, the side that alerts.
 */
export function bandTooltipRows(
  series: BandSeries,
  row: number,
  visible: VisibleSeries,
  unit: string,
  colours: BandColours,
  inWarmup: boolean
): TooltipRow[] {
  const rows: TooltipRow[] = [];
  const value = series.values[row];
  if (value !== null && isShown(visible, BAND_LEGEND.series)) {
    rows.push({
      label: t('alerts.chart.series', 'Watched series'),
      value: formatInUnit(unit, value),
      color: colours.series,
    });
  }
  const upper = series.upperEdge[row];
  const lower = series.lowerEdge[row];
  if (inWarmup) {
    rows.push({
      label: t('alerts.chart.tooltip-band', 'Band'),
      value: t('alerts.chart.tooltip-warm-up', 'warm-up, learning'),
      color: colorManipulator.alpha(colours.warmup, 0.3),
    });
  } else if (isShown(visible, BAND_LEGEND.band) && (upper !== null || lower !== null)) {
    const text =
      upper !== null && lower !== null
        ? upper === lower
          ? formatInUnit(unit, upper)
          : `${formatInUnit(unit, lower)} – ${formatInUnit(unit, upper)}`
        : upper !== null
          ? `≤ ${formatInUnit(unit, upper)}`
          : `≥ ${formatInUnit(unit, lower!)}`;
    rows.push({
      label: t('alerts.chart.tooltip-band', 'Band'),
      value: text,
      color: colorManipulator.alpha(colours.band, BAND_FILL_OPACITY * 3),
    });
  }
  return rows;
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ width: '100%', overflow: 'hidden' }),
  notes: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
