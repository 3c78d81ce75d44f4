/**
 * Templates on Headroom's own `alert` query type (frames/alert/alertQuery.ts), one per measure, as Grafana-managed
 * rules: query A on Headroom's data source (its backend answers it when Grafana evaluates the rule), B its last value
 * (`reduce`), C the threshold on B, both on Grafana's server (datasourceUid `__expr__`). With a monthly budget, the
 * budget ratio gets the three guard rails (notify, control, circuit-break), each labelled for routing like the PromQL
 * guard rails. Unlike the PromQL templates, these need no PromQL on the person's Prometheus data source: the forecast,
 * fragmentation and waste analyses run in Headroom's backend, so the rule and the panel beside it agree.
 *
 * They go to Headroom's folder in a group of their own with a longer interval: a forecast with `auto` backtests its
 * models on every evaluation.
 */
import { HEADROOM_DATASOURCE_TYPE, ROUTES } from '../../constants';
import { budgetLevels, percent, type BudgetLevelName } from '../../engine/budget';
import type { PricingTier } from '../../engine/efficiency';
import {
  expressionRuleData,
  HEADROOM_ALERT_QUERY_TYPE,
  type ProvisionedAlertRule,
  type ThresholdEvaluator,
} from '../grafanaRule';
import { RUNBOOKS, type RunbookPanel } from '../runbooks';
import { BUDGET_LEVEL_LABEL, BUDGET_RUNBOOK } from './budgetRules';
import {
  DEFAULT_GANG_GPUS,
  DEFAULT_WASTE_DOLLARS_PER_HOUR,
  templateRule,
  type HeadroomQueryTemplateName,
} from './grafanaTemplates';

export const QUERY_TEMPLATE_RULE_GROUP = 'headroom-query-templates';
/** Five minutes: capacity and demand move over hours, and each evaluation of a forecast measure fits models. */
export const QUERY_TEMPLATE_GROUP_INTERVAL_SECONDS = 300;
/** Label naming the measure a rule compares, for routing and silences. */
export const MEASURE_LABEL = 'headroom_measure';

/** The example: page when the chance of running out within 14 days passes 50 %. */
export const DEFAULT_WITHIN_DAYS = 14;
export const DEFAULT_EXHAUSTION_PROBABILITY = 0.5;
/** Alert when the upper 80 % forecast crosses capacity sooner than this (days); the default cold start allows it. */
export const DEFAULT_DAYS_TO_EXHAUSTION = 14;
/** The example: more than 60 % of the free GPUs are fragmented. */
export const DEFAULT_FRAGMENTED_SHARE = 0.6;
/** Any GPU a pod holds idle for the waste analysis' window is waste worth a look (severity info). */
export const DEFAULT_IDLE_GPUS = 0;

export interface HeadroomQueryTemplateOptions {
  /** UID of Headroom's data source in Grafana (it must run Headroom's backend: `backend` in its plugin.json). */
  headroomUid: string;
  withinDays?: number;
  exhaustionProbability?: number;
  daysToExhaustion?: number;
  fragmentedShare?: number;
  gangGpus?: number;
  idleGpus?: number;
  wasteDollarsPerHour?: number;
  /** US dollars a month: with it, the three budget guard rails on the budget ratio are written too. */
  monthlyBudget?: number;
  /** Level → share of the budget (default 100 %, 110 %, 130 %). */
  budgetShares?: Record<BudgetLevelName, number>;
  /**
   * The app's settings the measures read (GPU prices, business calendar, budget time zone), written into each rule's
   * query model as the data source sends them (`appSettings`): Grafana gives a data source's backend no app settings,
   * so a rule carries those of the time it was written. Without them the backend uses the shipped list prices.
   */
  appSettings?: Readonly<Record<string, unknown>> & { gpuPrices?: readonly unknown[] };
  /** Which price of each GPU model the idle cost and the budget count (default on-demand, as the pages do). */
  pricingTier?: PricingTier;
  /** Where `appSettings.gpuPrices` came from, for the rules' descriptions (default: the app's configuration). */
  pricesName?: string;
  /** ISO 4217 code of the budget and prices, for the budget rules' words (default USD, the app's currency). */
  currency?: string;
}

const TIER_WORDS: Record<PricingTier, string> = { onDemand: 'on-demand', reserved: 'reserved', spot: 'spot' };

/** The prices a rule's money figures come from, in words, for its description. */
function pricedAt(options: HeadroomQueryTemplateOptions): string {
  const source = options.appSettings?.gpuPrices?.length
    ? `${options.pricesName ?? "the app's GPU prices"} as of the rule's writing (write the rules again after changing them)`
    : 'the shipped list prices';
  return `the ${TIER_WORDS[options.pricingTier ?? 'onDemand']} price of each GPU model in ${source}`;
}

interface MeasureRule {
  template: HeadroomQueryTemplateName;
  measure: string;
  /** The alert query's own settings besides the measure. */
  settings?: Record<string, string>;
  /** Seconds before the evaluation the query's time range starts. */
  lookbackSeconds: number;
  evaluator: ThresholdEvaluator;
  title: string;
  summary: string;
  description: string;
  noDataState: ProvisionedAlertRule['noDataState'];
  page: ROUTES;
  runbook: RunbookPanel;
  labels: Record<string, string>;
}

const HOUR_SECONDS = 3600;

/** What each threshold may be; a value outside throws a RangeError naming it. */
const RULES = {
  withinDays: ['Within days', (n: number) => Number.isInteger(n) && n >= 1 && n <= 28, 'a whole number from 1 to 28'],
  share: ['A share', (n: number) => n >= 0 && n < 1, 'from 0 up to (not including) 1'],
  positive: ['A number of days', (n: number) => n > 0, 'above 0'],
  gang: ['Gang GPUs', (n: number) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'],
  nonNegative: ['A threshold', (n: number) => n >= 0, '≥ 0'],
} as const;

function checked(value: number, [name, ok, what]: (typeof RULES)[keyof typeof RULES]): number {
  if (!Number.isFinite(value) || !ok(value)) {
    throw new RangeError(`${name} must be ${what}, got ${value}.`);
  }
  return value;
}

/** Every measure's rule; bad input throws before any rule exists, so nothing is written. */
export function headroomQueryTemplateRules(options: HeadroomQueryTemplateOptions): ProvisionedAlertRule[] {
  const uid = options.headroomUid.trim();
  if (uid === '') {
    throw new RangeError('The Headroom data source UID must not be empty.');
  }
  const withinDays = checked(options.withinDays ?? DEFAULT_WITHIN_DAYS, RULES.withinDays);
  const probability = checked(options.exhaustionProbability ?? DEFAULT_EXHAUSTION_PROBABILITY, RULES.share);
  const days = checked(options.daysToExhaustion ?? DEFAULT_DAYS_TO_EXHAUSTION, RULES.positive);
  const share = checked(options.fragmentedShare ?? DEFAULT_FRAGMENTED_SHARE, RULES.share);
  const gang = checked(options.gangGpus ?? DEFAULT_GANG_GPUS, RULES.gang);
  const idle = checked(options.idleGpus ?? DEFAULT_IDLE_GPUS, RULES.nonNegative);
  const waste = checked(options.wasteDollarsPerHour ?? DEFAULT_WASTE_DOLLARS_PER_HOUR, RULES.nonNegative);
  const measures: MeasureRule[] = [
    {
      template: 'query-exhaustion-probability',
      measure: 'exhaustionProbability',
      settings: { withinDays: String(withinDays) },
      lookbackSeconds: HOUR_SECONDS,
      evaluator: { type: 'gt', params: [probability] },
      title: `Headroom: chance of running out of GPUs within ${withinDays} days above ${percent(probability)}`,
      summary: `The forecast gives a {{ humanizePercentage $values.B.Value }} chance that demand exceeds capacity within ${withinDays} days`,
      description:
        'Highest hourly probability that GPU demand exceeds capacity, from the forecast bands of the allocated GPUs ' +
        "(Headroom's capacity query). Open the Forecast page for the scale-out schedule.",
      noDataState: 'NoData',
      page: ROUTES.Forecast,
      runbook: RUNBOOKS.band,
      labels: { severity: 'warning' },
    },
    {
      template: 'query-days-to-exhaustion',
      measure: 'daysToExhaustion80',
      lookbackSeconds: HOUR_SECONDS,
      evaluator: { type: 'lt', params: [days] },
      title: `Headroom: upper 80 % forecast exceeds GPU capacity within ${days} days`,
      summary: 'The upper 80 % forecast exceeds capacity in {{ printf "%.1f" $values.B.Value }} days',
      description:
        "Days until the forecast's upper 80 % bound crosses capacity; no value (OK) when it does not within the " +
        'horizon. Order GPUs before then, counting their cold start.',
      noDataState: 'NoData',
      page: ROUTES.Forecast,
      runbook: RUNBOOKS.band,
      labels: { severity: 'warning' },
    },
    {
      template: 'query-fragmented-share',
      measure: 'fragmentedShare',
      lookbackSeconds: 24 * HOUR_SECONDS,
      evaluator: { type: 'gt', params: [share] },
      title: `Headroom: more than ${percent(share)} of the free GPUs are fragmented`,
      summary:
        '{{ humanizePercentage $values.B.Value }} of the free GPUs are where the jobs people submit cannot start',
      description:
        "Share of free GPUs on nodes where the learnt job mix cannot start (Headroom's fragmentation summary). " +
        'Open the Fragmentation page for the defragmentation plan.',
      noDataState: 'NoData',
      page: ROUTES.Fragmentation,
      runbook: RUNBOOKS.gangBlocked,
      labels: { severity: 'warning' },
    },
    {
      template: 'query-largest-gang',
      measure: 'largestGang',
      lookbackSeconds: 24 * HOUR_SECONDS,
      evaluator: { type: 'lt', params: [gang] },
      title: `Headroom: no node can place a ${gang}-GPU job`,
      summary: 'The largest job one node can take now is {{ $values.B.Value }} GPUs',
      description:
        `Most GPUs free on one node is below ${gang}: a ${gang}-GPU job waits. Open the Fragmentation page for the ` +
        'moves that make room.',
      noDataState: 'NoData',
      page: ROUTES.Fragmentation,
      runbook: RUNBOOKS.gangBlocked,
      labels: { severity: 'warning' },
    },
    {
      template: 'query-idle-gpus',
      measure: 'idleGpus',
      lookbackSeconds: 6 * HOUR_SECONDS,
      evaluator: { type: 'gt', params: [idle] },
      title: `Headroom: more than ${idle} GPUs held idle in a namespace`,
      summary: 'Pods in {{ $labels.namespace }} hold {{ printf "%.2f" $values.B.Value }} idle GPUs',
      description: "GPUs held by pods the waste analysis finds idle. See Headroom's Efficiency page for the pods.",
      // No pod holds a GPU idle: no series, which is fine.
      noDataState: 'OK',
      page: ROUTES.Efficiency,
      runbook: RUNBOOKS.idleGpuCost,
      labels: { severity: 'info' },
    },
    {
      template: 'query-idle-cost',
      measure: 'idleCostPerHour',
      settings: { pricingTier: options.pricingTier ?? 'onDemand' },
      lookbackSeconds: 6 * HOUR_SECONDS,
      evaluator: { type: 'gt', params: [waste] },
      title: `Headroom: idle GPUs cost more than ${waste} $/h in a namespace`,
      summary: 'Idle GPUs in {{ $labels.namespace }} cost {{ printf "%.2f" $values.B.Value }} $/h',
      description: `GPUs held by idle pods, priced at ${pricedAt(options)}. See Headroom's Efficiency page for the pods.`,
      noDataState: 'OK',
      page: ROUTES.Efficiency,
      runbook: RUNBOOKS.idleGpuCost,
      labels: { severity: 'warning' },
    },
    ...budgetMeasures(options),
  ];
  return measures.map((m) =>
    templateRule(
      m.template,
      uid,
      {
        title: m.title,
        data: expressionRuleData(
          {
            relativeTimeRange: { from: m.lookbackSeconds, to: 0 },
            datasourceUid: uid,
            model: {
              datasource: { type: HEADROOM_DATASOURCE_TYPE, uid },
              queryType: HEADROOM_ALERT_QUERY_TYPE,
              measure: m.measure,
              ...m.settings,
              ...(options.appSettings && { appSettings: options.appSettings }),
            },
          },
          m.evaluator
        ),
        noDataState: m.noDataState,
        annotations: { summary: m.summary, description: m.description },
      },
      m.page,
      m.runbook,
      { ...m.labels, [MEASURE_LABEL]: m.measure },
      QUERY_TEMPLATE_RULE_GROUP
    )
  );
}

function budgetMeasures(options: HeadroomQueryTemplateOptions): MeasureRule[] {
  if (options.monthlyBudget === undefined) {
    return [];
  }
  const budget = options.monthlyBudget;
  const currency = options.currency ?? 'USD';
  return budgetLevels(budget, options.budgetShares).map((level) => ({
    template: `query-budget-${level.name}`,
    measure: 'budgetRatio',
    settings: { monthlyBudget: String(budget), pricingTier: options.pricingTier ?? 'onDemand' },
    lookbackSeconds: HOUR_SECONDS,
    evaluator: { type: 'gt', params: [level.shareOfBudget] },
    title: `Headroom: GPU spend projected above ${percent(level.shareOfBudget)} of the monthly budget (${level.name}, Headroom query)`,
    summary:
      `Month-end GPU spend is projected at {{ humanizePercentage $values.B.Value }} of the ${budget} ${currency} budget, ` +
      `above ${percent(level.shareOfBudget)} (${level.name})`,
    description:
      "Projection of the month's GPU spend over the budget, from Headroom's efficiency analysis (the Efficiency " +
      `page's burn), priced at ${pricedAt(options)}. For: ${level.audience}. ${BUDGET_RUNBOOK[level.name]}`,
    // No held GPU gives a projection of 0, never no data.
    noDataState: 'OK',
    page: ROUTES.Efficiency,
    runbook: RUNBOOKS.budget,
    labels: { [BUDGET_LEVEL_LABEL]: level.name, severity: level.severity },
  }));
}
