import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Badge, Button, useStyles2 } from '@grafana/ui';
import { formatDrift, formatPerWeek, PENDING } from './alertsNumbers';
import { alertStateText, statusText, utcMinute, type AlertStateText } from './alertsText';
import type { ManagedRuleRow } from './alertRules';
import { getTableStyles } from './tableStyles';
import type { RuleEvaluations } from './useRuleEvaluations';

interface Props {
  groups: ManagedRuleRow[][];
  /** Drift per rule UID; absent while it is being computed. */
  driftByUid: Map<string, number>;
  driftError?: string;
  /** Grafana's alert state of each rule, refreshed every minute. */
  evaluations: RuleEvaluations;
  canWrite: boolean;
  busy: boolean;
  onRecalibrate: (rows: ManagedRuleRow[]) => void;
}

const STATUS_COLOR = { active: 'green', paused: 'darkgrey', edited: 'orange' } as const;

/** Every rule Headroom manages in its folder, grouped by the series it watches, each group recalibrated in one click. */
export function ManagedRulesTable({
  groups,
  driftByUid,
  driftError,
  evaluations,
  canWrite,
  busy,
  onRecalibrate,
}: Props) {
  const styles = useStyles2(getStyles);
  if (groups.length === 0) {
    return (
      <p className={styles.empty}>
        {t('alerts.managed.empty', 'Headroom manages no alert rules yet: pick what to watch and write its rules.')}
      </p>
    );
  }
  const status = statusText();
  return (
    <>
      <table className={styles.table} data-testid="headroom-managed-rules">
        <thead>
          <tr>
            <th>{t('alerts.managed.watches', 'Watches')}</th>
            <th>{t('alerts.managed.side', 'Side')}</th>
            <th>{t('alerts.managed.status.title', 'Status')}</th>
            <th
              title={t(
                'alerts.managed.alert-state-tooltip',
                "What Grafana's evaluator found at its last run of the rule (refreshed every minute)"
              )}
            >
              {t('alerts.managed.alert-state', 'Alert state')}
            </th>
            <th>{t('alerts.managed.calibrated-at', 'Calibrated at (UTC)')}</th>
            <th className={styles.number}>{t('alerts.managed.expected-starts', 'Expected starts')}</th>
            <th
              className={styles.number}
              title={t(
                'alerts.managed.drift-tooltip',
                "Median change of the thresholds if recalibrated now, as a share of the series' range"
              )}
            >
              {t('alerts.managed.drift', 'Drift since calibration')}
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {groups.flatMap((rows) =>
            rows.map((row, i) => (
              <tr key={row.uid} data-testid={`headroom-managed-rule-${row.uid}`}>
                {i === 0 && (
                  <td rowSpan={rows.length} className={styles.selector} title={row.selector}>
                    <code>{row.selector.length > 90 ? `${row.selector.slice(0, 90)}…` : row.selector}</code>
                  </td>
                )}
                <td>{row.side === 'upper' ? t('alerts.sides.above', 'Above') : t('alerts.sides.below', 'Below')}</td>
                <td>
                  <Badge text={status[row.status]} color={STATUS_COLOR[row.status]} />
                </td>
                <td data-testid={`headroom-alert-state-${row.uid}`}>
                  <AlertState
                    state={alertStateText(evaluations.byUid?.get(row.uid), evaluations.byUid !== undefined)}
                    unavailable={evaluations.error !== undefined && evaluations.byUid === undefined}
                  />
                </td>
                <td>
                  {Number.isFinite(row.calibratedAtSeconds)
                    ? utcMinute(row.calibratedAtSeconds * 1000)
                    : t('alerts.managed.unknown', 'unknown')}
                </td>
                <td className={styles.number}>{formatPerWeek(row.expectedStartsPerWeek)}</td>
                <td className={styles.number}>
                  {formatDrift(driftByUid.get(row.uid) ?? (driftError ? NaN : undefined))}
                </td>
                {i === 0 && (
                  <td rowSpan={rows.length}>
                    <Button
                      size="sm"
                      variant="secondary"
                      icon="sync"
                      disabled={!canWrite || busy}
                      onClick={() => onRecalibrate(rows)}
                      aria-label={t('alerts.managed.recalibrate-label', 'Recalibrate {{selector}}', {
                        selector: row.selector,
                        interpolation: { escapeValue: false },
                      })}
                    >
                      {t('alerts.managed.recalibrate', 'Recalibrate')}
                    </Button>
                  </td>
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {driftError && (
        <p className={styles.empty}>
          {t('alerts.managed.drift-error', 'Drift not computed: {{message}}', {
            message: driftError,
            interpolation: { escapeValue: false },
          })}
        </p>
      )}
      {evaluations.error && (
        <p className={styles.empty}>
          {t('alerts.managed.states-error', 'Alert states not read: {{message}}', {
            message: evaluations.error,
            interpolation: { escapeValue: false },
          })}
        </p>
      )}
    </>
  );
}

function AlertState({ state, unavailable }: { state: AlertStateText | undefined; unavailable: boolean }) {
  const styles = useStyles2(getStyles);
  if (!state) {
    return <span className={styles.empty}>{unavailable ? t('alerts.format.not-available', 'n/a') : PENDING}</span>;
  }
  return (
    <div className={styles.state}>
      <Badge text={state.text} color={state.color} />
      {state.detail && (
        <span className={styles.detail} title={state.detail}>
          {state.detail}
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getTableStyles(theme),
  selector: css({ maxWidth: 420, wordBreak: 'break-all', fontSize: theme.typography.bodySmall.fontSize }),
  empty: css({ color: theme.colors.text.secondary }),
  state: css({ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: theme.spacing(0.25) }),
  // Two lines at most, so a long evaluation error does not stretch the row; the whole text shows on hover.
  detail: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    maxWidth: 260,
    overflowWrap: 'anywhere',
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  }),
});
