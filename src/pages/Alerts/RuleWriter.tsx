import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Button, Stack, Tooltip, useStyles2 } from '@grafana/ui';
import { grafanaDuration, isHeadroomManaged, type ProvisionedAlertRule } from '../../alerting/grafanaRule';
import type { SeriesAnalysis, Sensitivity } from './alertAnalysis';
import type { WriteAccess } from './alertPermissions';
import { desiredRules, groupIntervalSeconds, HEADROOM_FOLDER, planForSeries } from './alertRules';
import { fixed, formatInUnit } from '../../datasource/wording/localeNumbers';
import { bandModelText, utcMinute } from './alertsText';
import { messageOf, type AsyncValue } from './useKeyedAsync';

interface Props {
  selector: string;
  analysis: SeriesAnalysis;
  sensitivity: Sensitivity;
  prometheusUid: string;
  unit: string;
  rules: AsyncValue<ProvisionedAlertRule[]>;
  access: AsyncValue<WriteAccess>;
  /** Grafana's rules as they are now: a plan is made against them, not against the list on screen. */
  loadRules: () => Promise<ProvisionedAlertRule[]>;
  onError: (message: string) => void;
  onPlan: (request: { title: string; plan: ReturnType<typeof planForSeries>; groupIntervalSeconds: number }) => void;
  busy: boolean;
}

/**
 * The rule the band becomes, and the button that writes it. Writing is offered only when Grafana says the person
 * may; otherwise the reason shows where the button would be.
 */
export function RuleWriter({
  selector,
  analysis,
  sensitivity,
  prometheusUid,
  unit,
  rules,
  access,
  loadRules,
  onError,
  onPlan,
  busy,
}: Props) {
  const styles = useStyles2(getStyles);
  const { calibration, timing } = analysis;
  const show = (v: number) => formatInUnit(unit, v, 2);
  const span = (values?: number[]) => {
    if (!values) {
      return t('alerts.rule-writer.not-watched', 'not watched');
    }
    const [lowest, highest] = [show(Math.min(...values)), show(Math.max(...values))];
    // A flat band has one edge for every hour: "48.54%", not "48.54% – 48.54%".
    return lowest === highest ? lowest : `${lowest} – ${highest}`;
  };
  const existing =
    rules.state === 'done'
      ? rules.value.filter(
          (r) =>
            isHeadroomManaged(r) && r.folderUID === HEADROOM_FOLDER.uid && r.annotations?.headroom_selector === selector
        )
      : [];
  const label =
    existing.length > 0 ? t('alerts.rule-writer.update', 'Update rules') : t('alerts.rule-writer.write', 'Write rules');
  const blocked =
    access.state === 'done' && !access.value.canWrite
      ? access.value.reason
      : access.state === 'error'
        ? undefined
        : rules.state === 'error'
          ? t('alerts.error.list-rules', "Cannot list Grafana's alert rules: {{message}}", {
              message: messageOf(rules.error),
              interpolation: { escapeValue: false },
            })
          : undefined;
  const ready = rules.state === 'done' && (access.state === 'done' || access.state === 'error');

  async function plan() {
    let current: ProvisionedAlertRule[];
    try {
      current = await loadRules();
    } catch (error) {
      onError(
        t('alerts.error.plan-read', "Cannot read Grafana's alert rules to plan the write: {{message}}", {
          message: messageOf(error),
          interpolation: { escapeValue: false },
        })
      );
      return;
    }
    const desired = desiredRules({ selector, datasourceUid: prometheusUid }, calibration, timing, sensitivity);
    onPlan({
      title: t('alerts.rule-writer.plan-title', '{{action}} in Grafana folder "{{folder}}"', {
        action: label,
        folder: HEADROOM_FOLDER.title,
        interpolation: { escapeValue: false },
      }),
      plan: planForSeries(selector, desired, current),
      groupIntervalSeconds: groupIntervalSeconds(analysis.stepSeconds),
    });
  }

  const button = (
    <Button icon="save" onClick={() => void plan()} disabled={!ready || blocked !== undefined || busy}>
      {label}
    </Button>
  );
  return (
    <div data-testid="headroom-rule-writer">
      <dl className={styles.facts}>
        <dt>{t('alerts.rule-writer.learnt-from', 'Learnt from')}</dt>
        <dd>
          {t('alerts.rule-writer.learnt-from-value', '{{start}} to {{end}} UTC ({{model}})', {
            start: utcMinute(calibration.trainingStartSeconds * 1000),
            end: utcMinute(calibration.trainingEndSeconds * 1000),
            model: bandModelText(calibration.band.mode, calibration.method, analysis.config.band.width),
            interpolation: { escapeValue: false },
          })}
        </dd>
        <dt>{t('alerts.rule-writer.upper-edge', 'Upper edge')}</dt>
        <dd>{span(calibration.band.upper)}</dd>
        <dt>{t('alerts.rule-writer.lower-edge', 'Lower edge')}</dt>
        <dd>{span(calibration.band.lower)}</dd>
        <dt>{t('alerts.rule-writer.fires-after', 'Fires after')}</dt>
        <dd>
          {t('alerts.rule-writer.fires-after-value', '{{for}} outside the band; keeps firing {{keep}}', {
            for: grafanaDuration(timing.forSeconds),
            keep: grafanaDuration(timing.keepFiringForSeconds),
          })}
        </dd>
        <dt>{t('alerts.rule-writer.expected', 'Expected')}</dt>
        <dd>
          {t('alerts.rule-writer.expected-value', '{{starts}} alert starts per week', {
            starts: fixed(calibration.expectedStartsPerWeek, 2),
          })}
        </dd>
      </dl>
      <Stack direction="row" gap={2} alignItems="center">
        {blocked ? (
          <Tooltip content={blocked}>
            <span>{button}</span>
          </Tooltip>
        ) : (
          button
        )}
        <span className={styles.note}>
          {existing.length > 0
            ? t(
                'alerts.rule-writer.existing',
                '{{rules}} rule(s) for this series exist; the plan shows what changes before anything is written.',
                { rules: existing.length }
              )
            : t('alerts.rule-writer.plan-note', 'The plan shows the rules before anything is written.')}
        </span>
      </Stack>
      {blocked && (
        <Alert
          severity="info"
          title={t('alerts.access.blocked', 'Writing rules is not available to you')}
          className={styles.blocked}
        >
          {blocked}
        </Alert>
      )}
      {access.state === 'done' && access.value.canWrite && access.value.reason && (
        <Alert
          severity="info"
          title={t('alerts.access.partly', 'Writing rules is partly available to you')}
          className={styles.blocked}
        >
          {access.value.reason}
        </Alert>
      )}
      {access.state === 'error' && (
        <Alert
          severity="warning"
          title={t('alerts.access.unchecked', 'Could not check your permissions')}
          className={styles.blocked}
        >
          {messageOf(access.error)}{' '}
          {t('alerts.access.still-offered', 'Writing is still offered; Grafana will refuse it if you lack the rights.')}
        </Alert>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    marginBottom: theme.spacing(2),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0 },
  }),
  note: css({ color: theme.colors.text.secondary }),
  blocked: css({ marginTop: theme.spacing(2), marginBottom: 0 }),
});
