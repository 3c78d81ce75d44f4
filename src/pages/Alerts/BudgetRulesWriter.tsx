import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Stack, useStyles2 } from '@grafana/ui';
import type { SyncPlan } from '../../alerting/grafanaClient';
import type { ProvisionedAlertRule } from '../../alerting/grafanaRule';
import { planTemplates, TEMPLATE_GROUP_INTERVAL_SECONDS } from '../../alerting/templates/grafanaTemplates';
import type { WriteAccess } from './alertPermissions';
import type { BudgetRules } from './budgetGuardRails';
import { messageOf, type AsyncValue } from './useKeyedAsync';

interface Props {
  /** The guard rails for the app's budget, or why there are none. */
  budget: AsyncValue<BudgetRules>;
  rules: AsyncValue<ProvisionedAlertRule[]>;
  access: AsyncValue<WriteAccess>;
  loadRules: () => Promise<ProvisionedAlertRule[]>;
  onError: (message: string) => void;
  onPlan: (request: { title: string; plan: SyncPlan; groupIntervalSeconds: number }) => void;
  busy: boolean;
}

/**
 * The three budget guard rails (notify, control, circuit-break) for the monthly budget of the configuration page, and
 * the button that writes them through the same plan and review as every Headroom rule.
 */
export function BudgetRulesWriter({ budget, rules, access, loadRules, onError, onPlan, busy }: Props) {
  const styles = useStyles2(getStyles);
  if (budget.state === 'error') {
    return (
      <Alert severity="error" title="Cannot read the app's settings">
        {messageOf(budget.error)}
      </Alert>
    );
  }
  if (budget.state !== 'done') {
    return <p className={styles.note}>Reading the monthly budget…</p>;
  }
  if ('problem' in budget.value) {
    return (
      <Alert severity="info" title="No budget rules to write" data-testid="headroom-budget-problem">
        {budget.value.problem}
      </Alert>
    );
  }
  const desired = budget.value.rules;
  const existing = rules.state === 'done' ? rules.value.filter((r) => desired.some((d) => d.uid === r.uid)) : [];
  const label = existing.length > 0 ? 'Update budget rules' : 'Write budget rules';
  const refused = access.state === 'done' && !access.value.canWrite ? access.value.reason : undefined;

  async function plan() {
    try {
      onPlan({
        title: `${label} in the Headroom folder`,
        plan: planTemplates(desired, await loadRules()),
        groupIntervalSeconds: TEMPLATE_GROUP_INTERVAL_SECONDS,
      });
    } catch (error) {
      onError(`Cannot read Grafana's alert rules to plan the write: ${messageOf(error)}`);
    }
  }

  return (
    <div data-testid="headroom-budget-writer">
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
        <span className={styles.note}>
          {refused ??
            'Labelled headroom_budget_level for routing; the control and circuit-break changes are printed by ' +
              '`headroom budget actions`, never applied by Headroom.'}
        </span>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  levels: css({ margin: theme.spacing(0, 0, 2, 2) }),
  note: css({ color: theme.colors.text.secondary }),
});
