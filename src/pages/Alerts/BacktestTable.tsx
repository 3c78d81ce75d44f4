import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { useStyles2 } from '@grafana/ui';
import { STATIC_QUANTILE, type MethodBacktest } from './alertAnalysis';
import { fixed, formatShare } from '../../datasource/wording/localeNumbers';
import { formatDurationSeconds, formatPerWeek } from './alertsNumbers';
import { getTableStyles } from './tableStyles';

interface Props {
  backtests: MethodBacktest[];
  judgedDays: number;
  /** The adaptive band's model for the rule written now, in a few words (`bandModelText`). */
  model: string;
}

/**
 * The adaptive rule against the static and grafana-style baselines over the same judged days, with each band's
 * coverage (samples inside it), and the model the rule written now uses.
 */
export function BacktestTable({ backtests, judgedDays, model }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div>
      <p className={styles.model} data-testid="headroom-alerts-model">
        {t('alerts.backtest.model', "Headroom's band: {{model}}", { model, interpolation: { escapeValue: false } })}
      </p>
      <table className={styles.table} data-testid="headroom-backtest">
        <thead>
          <tr>
            <th>{t('alerts.backtest.method', 'Method')}</th>
            <th className={styles.number}>{t('alerts.backtest.alert-starts', 'Alert starts')}</th>
            <th className={styles.number}>{t('alerts.backtest.starts-per-week', 'Starts per week')}</th>
            <th className={styles.number}>{t('alerts.backtest.time-in-alert', 'Time in alert')}</th>
            <th
              className={styles.number}
              title={t('alerts.backtest.inside-band-tooltip', "Share of the judged samples inside the method's band")}
            >
              {t('alerts.backtest.inside-band', 'Inside band')}
            </th>
          </tr>
        </thead>
        <tbody>
          {backtests.map((b) => (
            <tr key={b.method} className={b.method === 'adaptive' ? styles.chosen : undefined}>
              <td>{methodLabel(b)}</td>
              <td className={styles.number}>{b.alertStarts}</td>
              <td className={styles.number}>{formatPerWeek(b.startsPerWeek)}</td>
              <td className={`${styles.number} ${styles.nowrap}`}>
                {t('alerts.backtest.time-in-alert-value', '{{share}} ({{duration}})', {
                  share: formatShare(b.timeInAlertFraction),
                  duration: formatDurationSeconds(b.timeInAlertSeconds),
                  interpolation: { escapeValue: false },
                })}
              </td>
              <td className={styles.number}>{formatShare(b.coverage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.note}>
        {t(
          'alerts.backtest.note',
          'Replayed over {{days}} days after a 1-day warm-up, recalibrating at every UTC midnight from past data only, with the same for and keep_firing_for for every method.',
          { days: fixed(judgedDays, 1) }
        )}
      </p>
    </div>
  );
}

/** The method's name in the user's language; the analysis (in a worker, without the catalog) names it in English. */
function methodLabel(b: MethodBacktest): string {
  switch (b.method) {
    case 'adaptive':
      return t('alerts.backtest.methods.adaptive', 'Headroom adaptive band');
    case 'static':
      return t('alerts.backtest.methods.static', 'Static threshold (warm-up q{{quantile}})', {
        quantile: STATIC_QUANTILE * 100,
      });
    case 'grafana-style':
      return t('alerts.backtest.methods.grafana-style', 'Mean ± 2σ, 1-day and 1-week bands');
    default:
      return b.label;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getTableStyles(theme),
  chosen: css({ fontWeight: theme.typography.fontWeightMedium }),
  model: css({ marginBottom: theme.spacing(1) }),
  // "12.9 % (21.5 h)" on one line, so the four number columns read across.
  nowrap: css({ whiteSpace: 'nowrap' }),
  note: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(1),
  }),
});
