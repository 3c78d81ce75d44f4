/**
 * The budget guard rails as the parts of three Grafana-managed rules on one query, the projected month-end GPU spend:
 * notify, control and circuit-break, each above its share of the monthly budget, each with its own routing labels
 * and runbook. grafanaTemplates.ts turns them into provisioning API rules beside the other templates.
 */
import {
  BudgetInputError,
  budgetLevels,
  type BudgetLevel,
  type BudgetLevelName,
  monthBoundaryOffsetsSeconds,
  percent,
} from '../../engine/budget';
import { checkTimeZone, DEFAULT_BUDGET_TIME_ZONE } from '../../engine/efficiency/calendarMonth';
import { projectedMonthSpendExpr } from './budgetSpend';

/** Routing label: `notify`, `control` or `circuit-break`. */
export const BUDGET_LEVEL_LABEL = 'headroom_budget_level';

export interface BudgetRuleOptions {
  /** Money per month, in the prices' currency. */
  monthlyBudget: number;
  /** IANA zone of the invoice month (default UTC). */
  timeZone?: string;
  /** Level → share of the budget (default 100 %, 110 %, 130 %). */
  shares?: Record<BudgetLevelName, number>;
  currency?: string;
  /** When the rules are written: its year's clock changes give the month boundaries' offsets. */
  writtenAtSeconds: number;
  /** Price per GPU-hour by DCGM model for the spend (default: the templates' prices). */
  pricesPerGpuHour?: Record<string, number>;
  /** Where a person's own runbook lives; written as Grafana's `runbook_url` annotation when given. */
  runbookUrl?: string;
}

export interface BudgetRulePart {
  level: BudgetLevel;
  title: string;
  expr: string;
  thresholdMoney: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** What each level asks of people; the PromQL and the query templates carry the same. */
export const BUDGET_RUNBOOK: Record<BudgetLevelName, string> = {
  notify:
    'Tell the tech lead and finance. Check the Efficiency page: which namespaces and GPU models drive the month, and ' +
    'idle or over-provisioned pods to reclaim first. No action on the cluster.',
  control:
    'Stop spot scale-out and lower the priority of non-critical namespaces: `headroom budget actions --level control` ' +
    'prints the patches (Karpenter NodePool limit, KEDA pause, PriorityClass); review, then kubectl apply them. ' +
    'Revert when the projection is back under the budget.',
  'circuit-break':
    "Scale the project's non-critical workloads to zero: `headroom budget actions --level circuit-break` prints the " +
    'Deployment patches (replicas 0, KEDA paused at 0). Needs the budget owner; Headroom applies nothing itself.',
};

const money = (amount: number, currency: string) => `${Number(amount.toPrecision(12))} ${currency}`;

/** Prices the spend can be counted with: at least one model, and not all free (the projection would stay 0). */
function checkPrices(prices: Record<string, number>): void {
  const usable = Object.values(prices).filter((price) => Number.isFinite(price) && price >= 0);
  if (usable.length === 0) {
    throw new BudgetInputError('prices', 'The budget rules need a price ≥ 0 per GPU-hour for at least one GPU model.');
  }
  if (usable.every((price) => price === 0)) {
    throw new BudgetInputError(
      'prices',
      'Every GPU price is 0: the projected spend would always be 0 and the budget rules could never fire; give ' +
        'the prices you pay.'
    );
  }
}

export function budgetRuleParts(templatePrices: Record<string, number>, options: BudgetRuleOptions): BudgetRulePart[] {
  const levels = budgetLevels(options.monthlyBudget, options.shares);
  const prices = options.pricesPerGpuHour ?? templatePrices;
  checkPrices(prices);
  const timeZone = checkTimeZone(options.timeZone ?? DEFAULT_BUDGET_TIME_ZONE);
  const year = new Date(options.writtenAtSeconds * 1000).getUTCFullYear();
  const expr = projectedMonthSpendExpr({
    pricesPerGpuHour: prices,
    monthBoundaryOffsetsSeconds: monthBoundaryOffsetsSeconds(timeZone, year),
  });
  const currency = options.currency ?? 'USD';
  const budget = money(options.monthlyBudget, currency);
  return levels.map((level) => {
    const threshold = options.monthlyBudget * level.shareOfBudget;
    return {
      level,
      title: `Headroom: GPU spend projected above ${percent(level.shareOfBudget)} of the monthly budget (${level.name})`,
      expr,
      thresholdMoney: Number(threshold.toPrecision(12)),
      labels: { [BUDGET_LEVEL_LABEL]: level.name, severity: level.severity },
      annotations: {
        summary:
          `Month-end GPU spend is projected at {{ printf "%.0f" $values.B.Value }} ${currency}, above ` +
          `${percent(level.shareOfBudget)} of the ${budget} budget (${level.name})`,
        description:
          `Projection = spend so far this month (${timeZone}) + current hourly GPU spend × hours left in the month; ` +
          `GPUs held by pods (DCGM), priced per GPU model. For: ${level.audience}.`,
        runbook: BUDGET_RUNBOOK[level.name],
        ...(options.runbookUrl ? { runbook_url: options.runbookUrl } : {}),
        headroom_monthly_budget: String(options.monthlyBudget),
        headroom_budget_time_zone: timeZone,
      },
    };
  });
}

/** The recording rule of the projection in the Prometheus rule file. */
export const BUDGET_RECORD = 'headroom:gpu_spend_projected_month';

const ALERT_NAMES: Record<BudgetLevelName, string> = {
  notify: 'HeadroomBudgetNotify',
  control: 'HeadroomBudgetControl',
  'circuit-break': 'HeadroomBudgetCircuitBreak',
};

/**
 * The guard rails as a Prometheus rule file (for Prometheus or Mimir rulers): the projection as a recording rule and
 * one alert per level on it, with the Grafana rules' labels and annotations (the summary in Prometheus' `$value`).
 */
export function budgetRuleFile(templatePrices: Record<string, number>, options: BudgetRuleOptions): string {
  const parts = budgetRuleParts(templatePrices, options);
  const quote = (text: string) => JSON.stringify(text);
  const currency = options.currency ?? 'USD';
  const alerts = parts.flatMap((part) => {
    const { summary: _grafanaSummary, ...annotations } = part.annotations;
    const summary =
      `Month-end GPU spend is projected at {{ $value | printf "%.0f" }} ${currency}, above ` +
      `${percent(part.level.shareOfBudget)} of the ${money(options.monthlyBudget, currency)} budget (${part.level.name})`;
    return [
      `      - alert: ${ALERT_NAMES[part.level.name]}`,
      `        expr: ${BUDGET_RECORD} > ${part.thresholdMoney}`,
      '        for: 30m',
      '        labels:',
      ...Object.entries({ managed_by: 'headroom', ...part.labels }).map(([k, v]) => `          ${k}: ${quote(v)}`),
      '        annotations:',
      ...Object.entries({ summary, ...annotations }).map(([k, v]) => `          ${k}: ${quote(v)}`),
    ];
  });
  return [
    'groups:',
    '  - name: "headroom_budget"',
    '    interval: 60s',
    '    rules:',
    `      - record: ${BUDGET_RECORD}`,
    '        expr: |',
    `          ${parts[0].expr.split('\n').join('\n          ')}`,
    ...alerts,
    '',
  ].join('\n');
}
