import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { MethodBacktest } from './alertAnalysis';
import { formatDurationSeconds } from './alertsText';
import { getTableStyles } from './tableStyles';

interface Props {
  backtests: MethodBacktest[];
  judgedDays: number;
  /** The adaptive band's model for the rule written now, in a few words (`bandModelText`). */
  model: string;
}

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : '–');

/**
 * The adaptive rule against the static and grafana-style baselines over the same judged days, with each band's
 * coverage (samples inside it), and the model the rule written now uses.
 */
export function BacktestTable({ backtests, judgedDays, model }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div>
      <p className={styles.model} data-testid="headroom-alerts-model">
        Headroom&apos;s band: {model}
      </p>
      <table className={styles.table} data-testid="headroom-backtest">
        <thead>
          <tr>
            <th>Method</th>
            <th className={styles.number}>Alert starts</th>
            <th className={styles.number}>Starts per week</th>
            <th className={styles.number}>Time in alert</th>
            <th className={styles.number} title="Share of the judged samples inside the method's band">
              Inside band
            </th>
          </tr>
        </thead>
        <tbody>
          {backtests.map((b) => (
            <tr key={b.method} className={b.method === 'adaptive' ? styles.chosen : undefined}>
              <td>{b.label}</td>
              <td className={styles.number}>{b.alertStarts}</td>
              <td className={styles.number}>{b.startsPerWeek.toFixed(2)} /week</td>
              <td className={`${styles.number} ${styles.nowrap}`}>
                {percent(b.timeInAlertFraction)} ({formatDurationSeconds(b.timeInAlertSeconds)})
              </td>
              <td className={styles.number}>{percent(b.coverage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.note}>
        Replayed over {judgedDays.toFixed(1)} days after a 1-day warm-up, recalibrating at every UTC midnight from past
        data only, with the same <code>for</code> and <code>keep_firing_for</code> for every method.
      </p>
    </div>
  );
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
