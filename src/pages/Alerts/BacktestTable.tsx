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
}

/** The adaptive rule against the static and grafana-style baselines over the same judged days. */
export function BacktestTable({ backtests, judgedDays }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div>
      <table className={styles.table} data-testid="headroom-backtest">
        <thead>
          <tr>
            <th>Method</th>
            <th className={styles.number}>Alert starts</th>
            <th className={styles.number}>Starts per week</th>
            <th className={styles.number}>Time in alert</th>
          </tr>
        </thead>
        <tbody>
          {backtests.map((b) => (
            <tr key={b.method} className={b.method === 'adaptive' ? styles.chosen : undefined}>
              <td>{b.label}</td>
              <td className={styles.number}>{b.alertStarts}</td>
              <td className={styles.number}>{b.startsPerWeek.toFixed(2)} /week</td>
              <td className={styles.number}>
                {(b.timeInAlertFraction * 100).toFixed(1)} % ({formatDurationSeconds(b.timeInAlertSeconds)})
              </td>
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
  note: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(1),
  }),
});
