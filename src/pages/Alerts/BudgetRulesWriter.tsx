import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Button, Stack, useStyles2 } from '@grafana/ui';
import type { SyncPlan } from '../../alerting/grafanaClient';
import type { ProvisionedAlertRule } from '../../alerting/grafanaRule';
import { planTemplates, TEMPLATE_GROUP_INTERVAL_SECONDS } from '../../alerting/templates/grafanaTemplates';
import { QUERY_TEMPLATE_GROUP_INTERVAL_SECONDS } from '../../alerting/templates/headroomQueryTemplates';
import type { WriteAccess } from './alertPermissions';
import type { BudgetRules } from './budgetGuardRails';
import { messageOf, type AsyncValue } from './useKeyedAsync';

interface Props {
  /** The template rules to write, or why there are none. */
  templates: AsyncValue<BudgetRules>;
  rules: AsyncValue<ProvisionedAlertRule[]>;
  access: AsyncValue<WriteAccess>;
  loadRules: () => Promise<ProvisionedAlertRule[]>;
  onError: (message: string) => void;
  onPlan: (request: { title: string; plan: SyncPlan; groupIntervalSeconds: number }) => void;
  busy: boolean;
}

/** How one kind of template rules is named on the page. */
interface WriterText {
  /** The button when none of these rules is in Grafana yet, and when some are. */
  write: string;
  update: string;
  /** The notice when there are none to write. */
  nothing: string;
  /** What the app's settings are read for, while they load. */
  reading: string;
  /** Beside the button when the person may write. */
  note: string;
  testId: string;
  groupIntervalSeconds: number;
}

const budgetText = (): WriterText => ({
  write: t('alerts.budget.write', 'Write budget rules'),
  update: t('alerts.budget.update', 'Update budget rules'),
  nothing: t('alerts.budget.nothing', 'No budget rules to write'),
  reading: t('alerts.budget.reading', 'Reading the monthly budget…'),
  note: t(
    'alerts.budget.note',
    'Labelled headroom_budget_level for routing; the control and circuit-break changes are printed by `headroom budget actions`, never applied by Headroom.'
  ),
  testId: 'headroom-budget',
  groupIntervalSeconds: TEMPLATE_GROUP_INTERVAL_SECONDS,
});

const queryText = (): WriterText => ({
  write: t('alerts.query-rules.write', 'Write rules on Headroom queries'),
  update: t('alerts.query-rules.update', 'Update rules on Headroom queries'),
  nothing: t('alerts.query-rules.nothing', 'No rules on Headroom queries to write'),
  reading: t('alerts.query-rules.reading', "Reading the data source and the app's settings…"),
  note: t(
    'alerts.query-rules.note',
    "Each rule runs a Headroom alert query on the data source's backend, then Grafana's reduce and threshold; labelled headroom_measure (and headroom_budget_level) for routing."
  ),
  testId: 'headroom-query-rules',
  groupIntervalSeconds: QUERY_TEMPLATE_GROUP_INTERVAL_SECONDS,
});

/**
 * The three budget guard rails (notify, control, circuit-break) for the monthly budget of the configuration page, and
 * the button that writes them through the same plan and review as every Headroom rule.
 */
export function BudgetRulesWriter(props: Props) {
  return <TemplateRulesWriter {...props} text={budgetText()} />;
}

/** The templates on Headroom's own alert queries, one per measure (and the budget's three levels), written the same way. */
export function QueryRulesWriter(props: Props) {
  return <TemplateRulesWriter {...props} text={queryText()} />;
}

function TemplateRulesWriter({ templates: budget, text, ...writer }: Props & { text: WriterText }) {
  const { rules, access, loadRules, onError, onPlan, busy } = writer;
  const styles = useStyles2(getStyles);
  if (budget.state === 'error') {
    return (
      <Alert severity="error" title={t('alerts.error.settings', "Cannot read the app's settings")}>
        {messageOf(budget.error)}
      </Alert>
    );
  }
  if (budget.state !== 'done') {
    return <p className={styles.note}>{text.reading}</p>;
  }
  if ('problem' in budget.value) {
    return (
      <Alert severity="info" title={text.nothing} data-testid={`${text.testId}-problem`}>
        {budget.value.problem}
      </Alert>
    );
  }
  const desired = budget.value.rules;
  const existing = rules.state === 'done' ? rules.value.filter((r) => desired.some((d) => d.uid === r.uid)) : [];
  const label = existing.length > 0 ? text.update : text.write;
  const refused = access.state === 'done' && !access.value.canWrite ? access.value.reason : undefined;

  async function plan() {
    try {
      onPlan({
        title: t('alerts.budget.plan-title', '{{action}} in the Headroom folder', {
          action: label,
          interpolation: { escapeValue: false },
        }),
        plan: planTemplates(desired, await loadRules()),
        groupIntervalSeconds: text.groupIntervalSeconds,
      });
    } catch (error) {
      onError(
        t('alerts.error.plan-read', "Cannot read Grafana's alert rules to plan the write: {{message}}", {
          message: messageOf(error),
          interpolation: { escapeValue: false },
        })
      );
    }
  }

  return (
    <div data-testid={`${text.testId}-writer`}>
      <ul className={styles.levels}>
        {desired.map((rule) => (
          <li key={rule.uid}>{rule.title.replace(/^Headroom: /, '')}</li>
        ))}
      </ul>
      <Stack direction="row" gap={2} alignItems="center">
        <Button
          icon="save"
          onClick={() => void plan()}
          disabled={rules.state !== 'done' || refused !== undefined || busy}
        >
          {label}
        </Button>
        <span className={styles.note}>{refused ?? text.note}</span>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  levels: css({ margin: theme.spacing(0, 0, 2, 2) }),
  note: css({ color: theme.colors.text.secondary }),
});
