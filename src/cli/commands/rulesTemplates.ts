/**
 * `headroom rules templates`: the fragmentation and waste-cost alert templates (and with `--monthly-budget` the three
 * budget guard rails), printed as Grafana provisioning API
 * rule objects (JSON) or as a Prometheus rule file (YAML), or written to Grafana through the same sync the Alerts page
 * and `headroom recalibrate` use: nothing a person edited is overwritten without `--confirm`, no other rule is deleted.
 */
import { applySync, createGrafanaProvisioningClient } from '../../alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../alerting/grafanaFetchTransport';
import { budgetRuleFile } from '../../alerting/templates/budgetRules';
import { fragmentationRuleFile } from '../../alerting/templates/fragmentationRules';
import {
  DEFAULT_GANG_GPUS,
  DEFAULT_WASTE_DOLLARS_PER_HOUR,
  grafanaTemplateRules,
  listPricesPerGpuHour,
  planTemplates,
  TEMPLATE_FOLDER,
  TEMPLATE_GROUP_INTERVAL_SECONDS,
  type TemplateOptions,
} from '../../alerting/templates/grafanaTemplates';
import { RUNBOOKS, runbookUrl } from '../../alerting/runbooks';
import { wasteCostRuleFile } from '../../alerting/templates/wasteCost';
import { BUDGET_LEVEL_NAMES, type BudgetLevelName, DEFAULT_BUDGET_SHARES } from '../../engine/budget';
import { checkTimeZone, DEFAULT_BUDGET_TIME_ZONE, priceCatalogOf, type PricingTier } from '../../engine/efficiency';
import { parseFlags, UsageError } from '../args';
import { grafanaToken, TOKEN_VARIABLE } from '../grafanaToken';
import { chooseCurrency, PRICE_FILE_FORMAT, readPriceList } from '../priceFile';
import { printSyncReport } from '../syncReport';

export const templatesUsage = () => `usage: headroom rules templates [--format grafana|prometheus] [options]

Prints the fragmentation and waste-cost alert rules (and the budget guard rails), or writes them to Grafana.
  --format F                   grafana (default): a JSON array of provisioning API rule objects;
                               prometheus: a rule file (YAML) with recording rules and alerts
  --prometheus-uid UID         your Prometheus data source's UID in Grafana (needed for grafana)
  --gang-gpus N                alert when an N-GPU job fits nowhere although N GPUs are free (default ${DEFAULT_GANG_GPUS})
  --waste-dollars-per-hour X   alert when idle GPUs held by pods cost more than X $/h (default ${DEFAULT_WASTE_DOLLARS_PER_HOUR});
                               GPUs are priced at the shipped on-demand list prices
Budget guard rails: three rules on the projected month-end GPU spend, labelled
headroom_budget_level=notify|control|circuit-break (docs/budget-guard-rails.md)
  --monthly-budget X           the month's GPU budget in the prices' currency (> 0)
  --budget-levels N,C,B        notify, control and circuit-break levels in % of the budget (default ${defaultLevels()})
  --time-zone ZONE             IANA time zone of the budget's calendar month (default ${DEFAULT_BUDGET_TIME_ZONE})
  --prices FILE                price list (default: the shipped on-demand list prices), JSON
                               ${PRICE_FILE_FORMAT}
  --pricing TIER               on-demand (default), reserved or spot: which price of --prices counts
  --currency CODE              ISO 4217 code of the budget and prices (default: the price file's, else USD)
  --runbook-url URL            your runbook, written as Grafana's runbook_url annotation
  --runbook-base-url URL       with --format prometheus: Grafana's URL (e.g. https://grafana.example.com), so each
                               alert's runbook_url links its runbook dashboard panel; without it, no runbook_url
  --grafana-url URL            write the rules to this Grafana (folder "${TEMPLATE_FOLDER.title}") with the token in ${TOKEN_VARIABLE}
  --dry-run                    with --grafana-url: print what would change, write nothing
  --confirm UID                with --grafana-url: overwrite this rule although a person edited it (repeatable)
`;

function defaultLevels(): string {
  return BUDGET_LEVEL_NAMES.map((name) => Math.round(DEFAULT_BUDGET_SHARES[name] * 100)).join(',');
}

const TIERS: Record<string, PricingTier> = { 'on-demand': 'onDemand', reserved: 'reserved', spot: 'spot' };
const BUDGET_FLAGS = ['budget-levels', 'time-zone', 'prices', 'pricing', 'currency', 'runbook-url'] as const;

type TemplateFlags = Record<string, string | boolean | string[] | undefined>;

/** `100,110,130` → shares of the budget per level; the engine checks they rise. */
function parseLevels(text: string | undefined): Record<BudgetLevelName, number> | undefined {
  if (text === undefined) {
    return undefined;
  }
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((n, i) => text.split(',')[i].trim() === '' || !Number.isFinite(n))) {
    throw new UsageError(`--budget-levels takes three percentages such as ${defaultLevels()}, got "${text}".`);
  }
  return { notify: parts[0] / 100, control: parts[1] / 100, 'circuit-break': parts[2] / 100 };
}

/** The budget options, or undefined without --monthly-budget (then no other budget flag may be given). */
function budgetOptions(values: TemplateFlags): TemplateOptions['budget'] {
  const text = values['monthly-budget'] as string | undefined;
  if (text === undefined) {
    const stray = BUDGET_FLAGS.find((flag) => values[flag] !== undefined);
    if (stray) {
      throw new UsageError(`--${stray} goes with --monthly-budget.`);
    }
    return undefined;
  }
  // Zero and negative budgets reach the engine, which says why they cannot be used.
  const monthlyBudget = parseNumberFlag('--monthly-budget', text, NaN, Number.isFinite);
  const tier = TIERS[(values.pricing as string | undefined) ?? 'on-demand'];
  if (!tier) {
    throw new UsageError(`--pricing is on-demand, reserved or spot, got "${values.pricing}".`);
  }
  const priceList = values.prices ? readPriceList(values.prices as string) : undefined;
  let timeZone: string;
  try {
    timeZone = checkTimeZone((values['time-zone'] as string | undefined) ?? DEFAULT_BUDGET_TIME_ZONE);
  } catch (error) {
    throw new UsageError(`--time-zone: ${(error as Error).message}`);
  }
  const catalog = priceList ? priceCatalogOf(priceList.rows) : undefined;
  return {
    monthlyBudget,
    timeZone,
    shares: parseLevels(values['budget-levels'] as string | undefined),
    currency: chooseCurrency(values.currency as string | undefined, priceList?.currency),
    writtenAtSeconds: Math.floor(Date.now() / 1000),
    runbookUrl: values['runbook-url'] as string | undefined,
    pricesPerGpuHour: catalog
      ? Object.fromEntries(
          Object.entries(catalog).flatMap(([model, prices]) =>
            prices[tier] === undefined ? [] : [[model, prices[tier]]]
          )
        )
      : undefined,
  };
}

function parseNumberFlag(flag: string, text: string | undefined, fallback: number, ok: (n: number) => boolean): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (text.trim() === '' || !ok(value)) {
    throw new UsageError(`${flag} "${text}" is not allowed: see the usage for what it takes.`);
  }
  return value;
}

/** `--runbook-base-url` checked as runbook links use it: a URL that is not absolute http(s) is a usage error. */
export function parseRunbookBaseUrl(text: string | undefined): string | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    runbookUrl(RUNBOOKS.band, text);
  } catch (error) {
    throw new UsageError(`--runbook-base-url: ${(error as Error).message}`);
  }
  return text;
}

/** `create UID title`, or `would create ...` in a dry run. */
export async function rulesTemplates(args: string[]): Promise<number> {
  const values = parseFlags(args, {
    format: { type: 'string', default: 'grafana' },
    'prometheus-uid': { type: 'string' },
    'gang-gpus': { type: 'string' },
    'waste-dollars-per-hour': { type: 'string' },
    'monthly-budget': { type: 'string' },
    'budget-levels': { type: 'string' },
    'time-zone': { type: 'string' },
    prices: { type: 'string' },
    pricing: { type: 'string' },
    currency: { type: 'string' },
    'runbook-url': { type: 'string' },
    'grafana-url': { type: 'string' },
    'runbook-base-url': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    confirm: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(templatesUsage());
    return 0;
  }
  const gangGpus = parseNumberFlag(
    '--gang-gpus',
    values['gang-gpus'],
    DEFAULT_GANG_GPUS,
    (n) => Number.isInteger(n) && n >= 1
  );
  const wasteDollarsPerHour = parseNumberFlag(
    '--waste-dollars-per-hour',
    values['waste-dollars-per-hour'],
    DEFAULT_WASTE_DOLLARS_PER_HOUR,
    (n) => Number.isFinite(n) && n >= 0
  );
  const budget = budgetOptions(values);
  if (values.format === 'prometheus') {
    if (values['grafana-url'] !== undefined || values['prometheus-uid'] !== undefined) {
      throw new UsageError('--grafana-url and --prometheus-uid are for --format grafana');
    }
    const grafanaUrl = parseRunbookBaseUrl(values['runbook-base-url']);
    const waste = wasteCostRuleFile({
      pricesPerGpuHour: listPricesPerGpuHour(),
      thresholdDollarsPerHour: wasteDollarsPerHour,
      grafanaUrl,
    });
    // One file, a group per template: the later files' `groups:` lines are dropped.
    const groupsOf = (file: string) => file.slice(file.indexOf('\n') + 1);
    // The guard rails link the shipped spend panel too, unless the person gave a runbook of their own.
    const linkedBudget =
      budget && grafanaUrl !== undefined && budget.runbookUrl === undefined
        ? { ...budget, runbookUrl: runbookUrl(RUNBOOKS.budget, grafanaUrl) }
        : budget;
    const guardRails = linkedBudget ? groupsOf(budgetRuleFile(listPricesPerGpuHour(), linkedBudget)) : '';
    process.stdout.write(fragmentationRuleFile({ gangGpus, grafanaUrl }) + groupsOf(waste) + guardRails);
    return 0;
  }
  if (values['runbook-base-url'] !== undefined) {
    throw new UsageError('--runbook-base-url is for --format prometheus: Grafana-managed rules link runbooks relative');
  }
  if (values.format !== 'grafana') {
    throw new UsageError(`--format must be grafana or prometheus, got "${values.format}"`);
  }
  const prometheusUid = values['prometheus-uid'];
  if (!prometheusUid) {
    throw new UsageError('--prometheus-uid is required: the UID of your Prometheus data source in Grafana');
  }
  // Every check (a budget of zero, no prices) runs here, before Grafana is asked anything.
  const desired = grafanaTemplateRules({ prometheusUid, gangGpus, wasteDollarsPerHour, budget });
  const grafanaUrl = values['grafana-url'];
  if (grafanaUrl === undefined) {
    process.stdout.write(`${JSON.stringify(desired, null, 2)}\n`);
    return 0;
  }
  const grafana = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafanaUrl, grafanaToken()));
  // Only these rules: other Headroom rules in the folder stay as they are.
  const plan = planTemplates(desired, await grafana.listRules());
  const dryRun = values['dry-run'];
  const result = await applySync(grafana, plan, {
    confirmEdited: values.confirm,
    dryRun,
    folder: TEMPLATE_FOLDER,
    groupIntervalSeconds: TEMPLATE_GROUP_INTERVAL_SECONDS,
  });
  const heldBack = printSyncReport(plan, result, dryRun);
  return heldBack ? 1 : 0;
}
