/**
 * The fragmentation, waste-cost and (with a monthly budget) budget guard-rail templates as Grafana-managed alert rules (the provisioning API's
 * `ProvisionedAlertRule`): the PromQL on the person's Prometheus data source, reduced to its last value and compared
 * with a threshold on Grafana's server. They go to Headroom's folder, in a group of their own, with stable UIDs and the
 * `managed_by` label; they carry no `headroom_selector`, so recalibration and the Alerts page leave them alone.
 */
import { prefixRoute, ROUTES } from '../../constants';
import { PUBLISHED_GPU_PRICES } from '../../engine/efficiency/priceCatalog';
import { planSync, type GrafanaFolder, type SyncPlan } from '../grafanaClient';
import {
  ANNOTATIONS,
  grafanaDuration,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ruleFingerprint,
  shortHash,
  thresholdRuleData,
  type ProvisionedAlertRule,
} from '../grafanaRule';
import { RUNBOOK_URL_ANNOTATION, RUNBOOKS, runbookUrl, type RunbookPanel } from '../runbooks';
import { budgetRuleParts, type BudgetRuleOptions } from './budgetRules';
import { fragmentationExpressions } from './fragmentationRules';
import { wasteCostExpr } from './wasteCost';

/** The folder the Alerts page and `headroom recalibrate` use. */
export const TEMPLATE_FOLDER: GrafanaFolder = { uid: 'headroom', title: 'Headroom' };
export const TEMPLATE_RULE_GROUP = 'headroom-templates';
export const TEMPLATE_GROUP_INTERVAL_SECONDS = 60;
/** Label naming which template a rule comes from. */
export const TEMPLATE_LABEL = 'headroom_template';
/** Annotation with the Headroom page that explains what fired. */
export const PAGE_ANNOTATION = 'headroom_page';
export const DEFAULT_GANG_GPUS = 8;
export const DEFAULT_WASTE_DOLLARS_PER_HOUR = 10;

export type TemplateName =
  'gang-blocked' | 'idle-gpu-cost' | 'budget-notify' | 'budget-control' | 'budget-circuit-break';

/** The templates on Headroom's own `alert` queries (headroomQueryTemplates.ts). */
export type HeadroomQueryTemplateName =
  | 'query-exhaustion-probability'
  | 'query-days-to-exhaustion'
  | 'query-fragmented-share'
  | 'query-largest-gang'
  | 'query-idle-gpus'
  | 'query-idle-cost'
  | 'query-budget-notify'
  | 'query-budget-control'
  | 'query-budget-circuit-break';

export interface TemplateOptions {
  /** UID of the person's Prometheus data source in Grafana. */
  prometheusUid: string;
  gangGpus?: number;
  wasteDollarsPerHour?: number;
  /** $ per GPU-hour by DCGM `modelName`; default: the shipped on-demand list prices. */
  pricesPerGpuHour?: Record<string, number>;
  /** Those prices in words, for the idle-cost rule's description (default: on-demand list prices). */
  pricesName?: string;
  /** With a monthly budget, the three guard rails on the month-end projection are written too. */
  budget?: BudgetRuleOptions;
}

/** The refId of thresholdRuleData's condition. */
const CONDITION_REF = 'C';
const FOR_SECONDS = 1800;

/** Stable per template and data source: writing again updates the same rule. `headroom-` + 16 hex. */
export function templateUid(template: TemplateName | HeadroomQueryTemplateName, datasourceUid: string): string {
  return `headroom-${shortHash(`template\u0000${template}\u0000${datasourceUid}`)}`;
}

/** A template as a rule in Headroom's folder and template group, labelled and fingerprinted. */
export function templateRule(
  template: TemplateName | HeadroomQueryTemplateName,
  datasourceUid: string,
  rule: Pick<ProvisionedAlertRule, 'title' | 'data' | 'noDataState'> & { annotations: Record<string, string> },
  page: ROUTES,
  runbook: RunbookPanel,
  labels: Record<string, string> = { severity: 'warning' },
  ruleGroup = TEMPLATE_RULE_GROUP
): ProvisionedAlertRule {
  const written: ProvisionedAlertRule = {
    uid: templateUid(template, datasourceUid),
    ...rule,
    folderUID: TEMPLATE_FOLDER.uid,
    ruleGroup,
    condition: CONDITION_REF,
    execErrState: 'Error',
    for: grafanaDuration(FOR_SECONDS),
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [TEMPLATE_LABEL]: template, ...labels },
    isPaused: false,
    annotations: {
      ...rule.annotations,
      [PAGE_ANNOTATION]: prefixRoute(page),
      // A person's own runbook (budget rules' --runbook-url) wins over the shipped dashboard's panel.
      [RUNBOOK_URL_ANNOTATION]: rule.annotations[RUNBOOK_URL_ANNOTATION] ?? runbookUrl(runbook),
    },
  };
  return { ...written, annotations: { ...written.annotations, [ANNOTATIONS.fingerprint]: ruleFingerprint(written) } };
}

/** On-demand list prices by DCGM model name, as shipped (priceCatalog.ts says where they came from). */
export function listPricesPerGpuHour(): Record<string, number> {
  return Object.fromEntries(PUBLISHED_GPU_PRICES.map((p) => [p.gpuModel, p.onDemandPerGpuHour]));
}

/**
 * The templates as Grafana rules: a G-GPU job blocked by fragmentation, idle GPUs costing too much, and with a budget
 * its three guard rails. Bad input (no UID, a budget of zero) throws before any rule exists, so nothing is written.
 */
export function grafanaTemplateRules(options: TemplateOptions): ProvisionedAlertRule[] {
  const { prometheusUid } = options;
  if (prometheusUid.trim() === '') {
    throw new RangeError('The Prometheus data source UID must not be empty.');
  }
  const waste = options.wasteDollarsPerHour ?? DEFAULT_WASTE_DOLLARS_PER_HOUR;
  if (!(waste >= 0) || !Number.isFinite(waste)) {
    throw new RangeError(`The waste threshold must be ≥ 0 dollars per hour, got ${waste}.`);
  }
  const e = fragmentationExpressions({ gangGpus: options.gangGpus ?? DEFAULT_GANG_GPUS });
  // Recording rules do not exist for Grafana-managed rules: the per-node expression is inlined. The value is the
  // cluster's free GPUs while no node has a gang free, else 0; no kube-state-metrics series gives NoData.
  const clusterFree = `sum(${e.nodeFree})`;
  const gangBlocked = `(${clusterFree} >= bool ${e.gangGpus}) * (max(${e.nodeFree}) < bool ${e.gangGpus}) * ${clusterFree}`;
  const prices = options.pricesPerGpuHour ?? listPricesPerGpuHour();
  // No idle GPU gives no series; `or vector(0)` makes that 0 $/h, an ordinary OK.
  const idleCost = `(${wasteCostExpr({ pricesPerGpuHour: prices, thresholdDollarsPerHour: waste })}) or vector(0)`;
  const budget = options.budget
    ? budgetRuleParts(prices, options.budget).map((part) =>
        templateRule(
          `budget-${part.level.name}`,
          prometheusUid,
          {
            title: part.title,
            data: thresholdRuleData(prometheusUid, part.expr, part.thresholdMoney),
            // The projection is 0, never empty, without held GPUs.
            noDataState: 'OK',
            annotations: part.annotations,
          },
          ROUTES.Efficiency,
          RUNBOOKS.budget,
          part.labels
        )
      )
    : [];
  return [
    templateRule(
      'gang-blocked',
      prometheusUid,
      {
        title: `Headroom: a ${e.gangGpus}-GPU job cannot start although ${e.gangGpus} GPUs are free`,
        data: thresholdRuleData(prometheusUid, gangBlocked, 0),
        noDataState: 'NoData',
        annotations: {
          summary:
            `{{ $values.B.Value }} GPUs are free, but no node has ${e.gangGpus} free: a ${e.gangGpus}-GPU job ` +
            'cannot start',
          description:
            'Free GPUs are scattered across nodes (kube-state-metrics: allocatable minus the requests of bound ' +
            `pods, whole GPUs). Open Headroom's Fragmentation page for the defragmentation plan, or drain the node ` +
            `closest to ${e.gangGpus} free GPUs.`,
        },
      },
      ROUTES.Fragmentation,
      RUNBOOKS.gangBlocked
    ),
    templateRule(
      'idle-gpu-cost',
      prometheusUid,
      {
        title: `Headroom: idle GPUs held by pods cost more than ${waste} $/h`,
        data: thresholdRuleData(prometheusUid, idleCost, waste),
        noDataState: 'OK',
        annotations: {
          summary: 'Idle GPUs held by pods cost {{ printf "%.2f" $values.B.Value }} $/h',
          description:
            'GPUs held by pods with at least 90 % of the last 6 h under 5 % activity (DCGM), priced at ' +
            `${options.pricesName ?? 'on-demand list prices'}, cost more than ${waste} $/h. See Headroom's Efficiency page for the pods.`,
        },
      },
      ROUTES.Efficiency,
      RUNBOOKS.idleGpuCost
    ),
    ...budget,
  ];
}

/**
 * The sync plan for these template rules against Grafana's rules: only the same UIDs in Headroom's folder are
 * compared, so other Headroom rules there are never updated or deleted by writing templates (the command line and
 * the Alerts page both plan this way).
 */
export function planTemplates(
  desired: readonly ProvisionedAlertRule[],
  current: readonly ProvisionedAlertRule[]
): SyncPlan {
  const uids = new Set(desired.map((rule) => rule.uid));
  return planSync(
    desired,
    current.filter((rule) => rule.folderUID === TEMPLATE_FOLDER.uid && uids.has(rule.uid))
  );
}
