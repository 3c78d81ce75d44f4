import React, { useMemo } from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { PROGRESS_FRAME } from '../../datasource/forecast/forecastProgress';
import { exhaustionRisk } from '../../engine/capacity';
import { errorsInUserLanguage } from '../../datasource/wording/frameTexts';
import { HeadroomPanelNotice } from '../shared/HeadroomPanelNotice';
import { ForecastChart } from './ForecastChart';
import { ForecastLegend } from './ForecastLegend';
import { chartFromOutcome, firstPlainSeries, readHeadroomForecast, type ChartData } from './forecastData';
import { DEFAULT_FORECAST_PANEL_OPTIONS, parseLevels, type ForecastPanelOptions } from './options';
import { useKeptWhileLoading } from './useKeptWhileLoading';
import { useSelfForecast } from './useSelfForecast';

/** Room for the legend, two lines of notes and two notices; more scroll inside the legend. */
const LEGEND_HEIGHT_PX = 96;

export function ForecastPanel({
  data,
  width,
  height,
  timeZone,
  timeRange,
  options,
  onChangeTimeRange,
}: PanelProps<ForecastPanelOptions>) {
  const styles = useStyles2(getStyles);
  const settings = { ...DEFAULT_FORECAST_PANEL_OPTIONS, ...options };
  const loading = data.state === LoadingState.Loading;
  const headroom = useKeptWhileLoading(
    useMemo(() => readHeadroomForecast(data.series), [data.series]),
    loading
  );
  // Only data without a Headroom forecast is forecast here; the memo keeps the worker from rerunning every render.
  const plain = useMemo(() => (headroom ? undefined : firstPlainSeries(data.series)), [headroom, data.series]);
  const levels = useMemo(() => parseLevels(settings.levels), [settings.levels]);
  const own = useSelfForecast(plain, settings.horizonHours, levels);

  let chart: ChartData | undefined = headroom;
  if (!chart && plain && own.state === 'done') {
    chart = withCapacity(chartFromOutcome(plain, own.outcome), settings.capacity);
  } else if (chart && chart.capacity === undefined && settings.capacity !== undefined) {
    chart = withCapacity(chart, settings.capacity);
  }

  if (!chart) {
    const queryErrors = errorsInUserLanguage(data.errors ?? [], data.series);
    if (queryErrors.length > 0) {
      return (
        <Alert
          severity="error"
          title={t('forecast.panel.query-failed', 'The forecast query failed')}
          data-testid="headroom-forecast-panel-error"
        >
          {queryErrors.map((error) => error.message ?? t('panels.unknown-error', 'Unknown error')).join(' ')}
        </Alert>
      );
    }
    if (plain && own.state === 'error') {
      return (
        <Alert
          severity="error"
          title={t('forecast.panel.series-failed', 'This series could not be forecast')}
          data-testid="headroom-forecast-panel-error"
        >
          {own.message}
        </Alert>
      );
    }
    if (plain) {
      return <div className={styles.waiting}>{t('forecast.panel.forecasting', 'Forecasting…')}</div>;
    }
    if (loading) {
      const progress = data.series.find((frame) => frame.name === PROGRESS_FRAME)?.meta?.notices?.[0]?.text;
      return (
        <div className={styles.waiting} data-testid="headroom-forecast-progress">
          {progress ?? t('forecast.panel.forecasting', 'Forecasting…')}
        </div>
      );
    }
    return (
      <HeadroomPanelNotice
        testIdPrefix="headroom-forecast-panel"
        icon="chart-line"
        shows={t(
          'forecast.panel.shows',
          'A forecast of GPU demand with its uncertainty band and the date capacity runs out.'
        )}
        queryType={t('datasource.query-editor.types.forecast.label', 'Forecast')}
        frames={data.series}
      />
    );
  }
  return (
    <div className={styles.panel} data-testid="headroom-forecast-panel">
      <ForecastChart
        data={chart}
        width={width}
        height={Math.max(80, height - LEGEND_HEIGHT_PX)}
        timeZone={timeZone}
        fromMs={timeRange.from.valueOf()}
        toMs={timeRange.to.valueOf()}
        onChangeTimeRange={onChangeTimeRange}
      >
        <ForecastLegend data={chart} timeZone={timeZone} />
      </ForecastChart>
    </div>
  );
}

/** A capacity entered in the panel options, with the time the mean forecast first exceeds it. */
function withCapacity(chart: ChartData, capacity: number | undefined): ChartData {
  if (capacity === undefined || !(capacity > 0)) {
    return chart;
  }
  const intervals = Object.fromEntries(chart.forecast.bands.map((band) => [band.level, band]));
  const risk = exhaustionRisk(
    { timestampsSeconds: chart.forecast.timesMs.map((ms) => ms / 1000), mean: chart.forecast.mean, intervals },
    capacity
  );
  return {
    ...chart,
    capacity,
    exhaustionMs: risk.meanCrossingSeconds === undefined ? null : risk.meanCrossingSeconds * 1000,
  };
}

function getStyles(theme: GrafanaTheme2) {
  return {
    // Text without a spinner: Grafana's panel header already animates while loading, and a dashboard of forecasts
    // would otherwise run a hundred spinner animations that every repaint has to composite.
    waiting: css({ color: theme.colors.text.secondary, padding: theme.spacing(1) }),
    panel: css({
      // The panel's size is Grafana's to set: containment keeps a redraw of one forecast from sending the browser
      // through the style, layout and paint of every other panel on the dashboard.
      contain: 'strict',
      display: 'flex',
      flexDirection: 'column',
      height: '100%',
      overflow: 'hidden',
      gap: theme.spacing(0.5),
    }),
  };
}
