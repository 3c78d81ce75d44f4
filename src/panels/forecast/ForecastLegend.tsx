import React from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';
import { fixed, formatShare, listSeparator } from '../../datasource/wording/localeNumbers';
import { exhaustionDateFormat, forecastColours } from './forecastPlot';
import { NOISY_WAPE } from '../../engine/forecast/holdout';
import { modelLabel } from '../../engine/forecast/modelLabel';
import { modelText } from '../../datasource/wording/frameTexts';
import type { ChartData } from './forecastData';

interface Props {
  data: ChartData;
  timeZone: TimeZone;
}

/**
 * How often the held-out actuals fell inside each interval, lowest level first ("80 % interval held 75.0 %"), so a
 * person sees at a glance whether this series' bands can be trusted; empty when the check measured none (the LSTM's).
 */
export function coverageText(coverage: Record<string, number>): string {
  return Object.entries(coverage)
    .filter(([, share]) => Number.isFinite(share))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([level, share]) =>
      t('forecast.legend.coverage', '{{level}} % interval held {{share}}', {
        level,
        share: formatShare(share),
        interpolation: { escapeValue: false },
      })
    )
    .join(listSeparator());
}

/** "Backtest on the last 24 h: WAPE 12.3 % · MASE 0.84", or why there is no backtest. */
function accuracyText(accuracy: ChartData['accuracy'], holdoutHours: ChartData['holdoutHours']): string {
  if (!accuracy) {
    return t('forecast.legend.backtest-too-short', 'Backtest: history too short to hold out a test window');
  }
  // Outside the call below: the extractor does not see a t() nested in another's options.
  const wape = Number.isFinite(accuracy.wape)
    ? formatShare(accuracy.wape)
    : t('forecast.legend.no-demand-held-out', '– (no demand held out)');
  return t('forecast.legend.backtest', 'Backtest on the last {{hours}} h: WAPE {{wape}} · MASE {{mase}}', {
    hours: holdoutHours,
    wape,
    mase: Number.isFinite(accuracy.mase) ? fixed(accuracy.mase, 2) : '–',
    interpolation: { escapeValue: false },
  });
}

/**
 * The notes read with the chart's legend: which model forecast (and on which backend; a combination by its rule and
 * first members, every member on hover), how accurate it was on held-out history, how often its intervals held over
 * its own calibration backtest, when capacity runs out, and the query's notices.
 */
export function ForecastLegend({ data, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const colours = forecastColours(useTheme2());
  const { accuracy } = data;
  const heldCoverage = accuracy ? coverageText(accuracy.coverage) : '';
  // None measured (fewer than two calibration origins, e.g. 8 days of hourly history): say so rather than hide it.
  const calibrationCoverage =
    data.backtestCoverage &&
    (coverageText(data.backtestCoverage) ||
      t('forecast.legend.calibration-too-short', 'history too short to measure how often the intervals held'));
  const label = modelLabel(data.model);

  return (
    <div className={styles.notes}>
      <span
        className={styles.item}
        data-testid="headroom-forecast-model"
        title={
          label.members.length > 1
            ? t('forecast.legend.combined', 'Combined: {{members}}', {
                members: label.members.join(listSeparator()),
                interpolation: { escapeValue: false },
              })
            : undefined
        }
      >
        {data.backend
          ? t('forecast.legend.model-on-backend', 'Forecast: {{model}} (trained on {{backend}})', {
              model: modelText(label),
              backend: data.backend,
              interpolation: { escapeValue: false },
            })
          : t('forecast.legend.model', 'Forecast: {{model}}', {
              model: modelText(label),
              interpolation: { escapeValue: false },
            })}
      </span>
      <span className={styles.item} data-testid="headroom-forecast-accuracy">
        {accuracyText(accuracy, data.holdoutHours)}
        {heldCoverage && <span data-testid="headroom-forecast-coverage">· {heldCoverage}</span>}
        {accuracy && accuracy.wape > NOISY_WAPE && (
          <span className={styles.noisy} data-testid="headroom-forecast-noisy">
            <Icon name="exclamation-triangle" size="sm" />{' '}
            {t('forecast.legend.noisy', 'noisy series, expect wide misses')}
          </span>
        )}
      </span>
      {calibrationCoverage && (
        <span className={styles.item} data-testid="headroom-forecast-calibration">
          {t('forecast.legend.calibration', 'Calibration backtest: {{coverage}}', {
            coverage: calibrationCoverage,
            interpolation: { escapeValue: false },
          })}
        </span>
      )}
      {data.exhaustionMs !== undefined && (
        <span className={styles.item} data-testid="headroom-forecast-exhaustion">
          <span className={styles.marker} style={{ background: colours.exhaustion }} />
          {data.exhaustionMs === null
            ? t('forecast.legend.not-exceeded', 'Capacity not exceeded within the horizon')
            : t('forecast.legend.exceeds-at', 'Mean forecast exceeds capacity at {{date}}', {
                date: dateTimeFormat(data.exhaustionMs, { timeZone, format: exhaustionDateFormat }),
                interpolation: { escapeValue: false },
              })}
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
    notes: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(0.25, 2),
      padding: theme.spacing(0, 1, 0.5),
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.primary,
    }),
    item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75) }),
    // The exhaustion line's colour: a short vertical stroke, as it is drawn on the chart.
    marker: css({ display: 'inline-block', width: 2, height: 12 }),
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
