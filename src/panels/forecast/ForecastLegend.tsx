import React from 'react';
import { css } from '@emotion/css';
import { colorManipulator, dateTimeFormat, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';
import { chartColours, exhaustionDateFormat } from './ForecastChart';
import { NOISY_WAPE } from '../../engine/forecast/holdout';
import type { ChartData } from './forecastData';

interface Props {
  data: ChartData;
  timeZone: TimeZone;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** What each line means, how accurate the model was on held-out history, and when capacity runs out. */
export function ForecastLegend({ data, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const colours = chartColours(useTheme2());
  const value = (v: number) => formattedValueToString(getValueFormat(data.unit)(v, undefined));
  // A translucent colour rather than CSS opacity: opacity makes each swatch its own compositing effect.
  const swatch = (colour: string, opacity = 1, dashed = false) => (
    <span
      className={styles.swatch}
      style={{
        background: dashed ? undefined : colorManipulator.alpha(colour, opacity),
        borderTop: dashed ? `2px dashed ${colour}` : undefined,
      }}
    />
  );
  const { accuracy } = data;

  return (
    <div className={styles.legend} data-testid="headroom-forecast-legend">
      <span className={styles.item}>
        {swatch(colours.history)}
        {data.targetName}
      </span>
      <span className={styles.item} data-testid="headroom-forecast-model">
        {swatch(colours.forecast)}
        Forecast: {data.model}
        {data.backend && ` (trained on ${data.backend})`}
      </span>
      {data.forecast.bands.map((band, i) => (
        <span key={band.level} className={styles.item}>
          {swatch(colours.forecast, i === 0 ? 0.15 : 0.3)}
          {band.level} % interval
        </span>
      ))}
      {data.capacity !== undefined && (
        <span className={styles.item}>
          {swatch(colours.capacity, 1, true)}
          Capacity {value(data.capacity)}
        </span>
      )}
      <span className={styles.item} data-testid="headroom-forecast-accuracy">
        {accuracy
          ? `Backtest on the last ${data.holdoutHours} h: WAPE ${percent(accuracy.wape)} · MASE ${Number.isFinite(accuracy.mase) ? accuracy.mase.toFixed(2) : '–'}`
          : 'Backtest: history too short to hold out a test window'}
        {accuracy && accuracy.wape > NOISY_WAPE && (
          <span className={styles.noisy} data-testid="headroom-forecast-noisy">
            <Icon name="exclamation-triangle" size="sm" /> noisy series, expect wide misses
          </span>
        )}
      </span>
      {data.exhaustionMs !== undefined && (
        <span className={styles.item} data-testid="headroom-forecast-exhaustion">
          {swatch(colours.exhaustion)}
          {data.exhaustionMs === null
            ? 'Capacity not exceeded within the horizon'
            : `Mean forecast exceeds capacity at ${dateTimeFormat(data.exhaustionMs, { timeZone, format: exhaustionDateFormat })}`}
        </span>
      )}
      {data.notices.map((notice) => (
        <span key={notice.text} className={styles.notice} title={notice.text}>
          <Icon name={notice.severity === 'info' ? 'info-circle' : 'exclamation-triangle'} size="sm" /> {notice.text}
        </span>
      ))}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    legend: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(0.5, 2),
      padding: theme.spacing(0.5, 1),
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.primary,
      // Takes the room under the chart and scrolls beyond it, rather than being cut off by the panel.
      flex: '1 1 auto',
      minHeight: 0,
      overflowY: 'auto',
    }),
    item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75) }),
    swatch: css({ display: 'inline-block', width: 14, height: 4, borderRadius: 1 }),
    // One line each, so the room kept under the chart holds them all; the whole text shows on hover.
    notice: css({
      flexBasis: '100%',
      minWidth: 0,
      color: theme.colors.text.secondary,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    }),
    noisy: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      color: theme.colors.warning.text,
    }),
  };
}
