/**
 * `headroom rules templates`: the fragmentation and waste-cost alert templates (and with `--monthly-budget` the three
 * budget guard rails), in PromQL on the person's Prometheus data source and/or (`--headroom-uid`) on Headroom's own
 * `alert` queries, printed as Grafana provisioning API
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
  planTemplates,
  TEMPLATE_FOLDER,
  TEMPLATE_GROUP_INTERVAL_SECONDS,
  type TemplateOptions,
} from '../../alerting/templates/grafanaTemplates';
import {
  DEFAULT_DAYS_TO_EXHAUSTION,
  DEFAULT_EXHAUSTION_PROBABILITY,
  DEFAULT_FRAGMENTED_SHARE,
  DEFAULT_IDLE_GPUS,
  DEFAULT_WITHIN_DAYS,
  headroomQueryTemplateRules,
  QUERY_TEMPLATE_GROUP_INTERVAL_SECONDS,
} from '../../alerting/templates/headroomQueryTemplates';
import { RUNBOOKS, runbookUrl } from '../../alerting/runbooks';
import { wasteCostRuleFile } from '../../alerting/templates/wasteCost';
import { BUDGET_LEVEL_NAMES, type BudgetLevelName, DEFAULT_BUDGET_SHARES } from '../../engine/budget';
import { listPrices } from '../../engine/capacity';
import { checkTimeZone, DEFAULT_BUDGET_TIME_ZONE, priceCatalogOf, type PricingTier } from '../../engine/efficiency';
import { parseFlags, UsageError } from '../args';
import { grafanaToken, TOKEN_VARIABLE } from '../grafanaToken';
import { chooseCurrency, DEFAULT_CURRENCY, PRICE_FILE_FORMAT, readPriceList } from '../priceFile';
import { printSyncReport } from '../syncReport';
import {
  savedAppSettings,
  templateAppSettings,
  type SettingsFlags,
  type TemplateAppSettings,
} from '../templateAppSettings';

export const templatesUsage = () => `usage: headroom rules templates [--format grafana|prometheus] [options]

Prints the fragmentation and waste-cost alert rules (and the budget guard rails), or writes them to Grafana.
  --format F                   grafana (default): a JSON array of provisioning API rule objects;
                               prometheus: a rule file (YAML) with recording rules and alerts
  --prometheus-uid UID         your Prometheus data source's UID in Grafana: the PromQL templates
  --headroom-uid UID           Headroom's data source UID in Grafana: templates on Headroom's alert queries, one per
                               measure, answered by its backend (grafana needs one of the two UIDs, or both)
  --gang-gpus N                alert when an N-GPU job fits nowhere although N GPUs are free (default ${DEFAULT_GANG_GPUS})
  --waste-dollars-per-hour X   alert when idle GPUs held by pods cost more than X $/h (default ${DEFAULT_WASTE_DOLLARS_PER_HOUR});
                               GPUs priced as --prices and --pricing say (default: the shipped on-demand list
                               prices; the Headroom query template: below)
Thresholds of the Headroom query templates (--headroom-uid; --gang-gpus and --waste-dollars-per-hour apply too):
  --within-days N              exhaustion probability within N days (default ${DEFAULT_WITHIN_DAYS})
  --exhaustion-probability P   alert above P, 0 to 1 (default ${DEFAULT_EXHAUSTION_PROBABILITY})
  --days-to-exhaustion D       alert when the upper 80 % forecast crosses capacity within D days (default ${DEFAULT_DAYS_TO_EXHAUSTION})
  --fragmented-share S         alert above this share of free GPUs fragmented, 0 to 1 (default ${DEFAULT_FRAGMENTED_SHARE})
  --idle-gpus N                alert when a namespace holds more than N idle GPUs (default ${DEFAULT_IDLE_GPUS})
Prices, budget and calendar of the Headroom query templates: each rule carries them (appSettings), as the Alerts page
writes them. With --grafana-url: the app's settings read from Grafana (GPU prices, business calendar, monthly
budget and its time zone; the token needs plugins.app:access) with --prices, --pricing, --monthly-budget, --time-zone
and --currency on top. Printed: the flags alone (without --prices, the shipped list prices). Each rule's
description says which prices it carries.
  --no-app-settings            with --grafana-url: do not read the app's settings, use the flags alone
Budget guard rails: three rules on the projected month-end GPU spend, labelled
headroom_budget_level=notify|control|circuit-break (docs/budget-guard-rails.md), in PromQL and (--headroom-uid,
also with the app's budget) on Headroom's queries
  --monthly-budget X           the month's GPU budget in the prices' currency (> 0)
  --budget-levels N,C,B        notify, control and circuit-break levels in % of the budget (default ${defaultLevels()})
  --time-zone ZONE             IANA time zone of the budget's calendar month (default ${DEFAULT_BUDGET_TIME_ZONE})
  --prices FILE                price list of every template that prices GPUs (default: the shipped list prices), JSON
                               ${PRICE_FILE_FORMAT}
  --pricing TIER               on-demand (default), reserved or spot: which price of --prices, the list prices or
                               (Headroom query templates) the app's prices counts
  --currency CODE              ISO 4217 code of the budget and prices (default: the price file's, else USD; the
                               app's settings are in USD)
  (--time-zone and --currency go with --monthly-budget or --headroom-uid)
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
const BUDGET_FLAGS = ['budget-levels', 'runbook-url'] as const;
/** Flags of the budget and, for the Headroom query templates, of the app's settings too. */
const BUDGET_OR_QUERY_FLAGS = ['time-zone', 'currency'] as const;

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

/** The price and budget flags, checked: one meaning for the PromQL templates and the Headroom query templates. */
function settingsFlags(values: TemplateFlags): SettingsFlags {
  const text = values['monthly-budget'] as string | undefined;
  if (text === undefined) {
    const stray = BUDGET_FLAGS.find((flag) => values[flag] !== undefined);
    if (stray) {
      throw new UsageError(`--${stray} goes with --monthly-budget.`);
    }
    const strayPrice = BUDGET_OR_QUERY_FLAGS.find((flag) => values[flag] !== undefined);
    if (strayPrice && values['headroom-uid'] === undefined) {
      throw new UsageError(`--${strayPrice} goes with --monthly-budget or --headroom-uid.`);
    }
  }
  const pricingTier = TIERS[(values.pricing as string | undefined) ?? 'on-demand'];
  if (!pricingTier) {
    throw new UsageError(`--pricing is on-demand, reserved or spot, got "${values.pricing}".`);
  }
  const pricesPath = values.prices as string | undefined;
  const priceList = pricesPath ? readPriceList(pricesPath) : undefined;
  let timeZone: string | undefined;
  try {
    timeZone = values['time-zone'] === undefined ? undefined : checkTimeZone(values['time-zone'] as string);
  } catch (error) {
    throw new UsageError(`--time-zone: ${(error as Error).message}`);
  }
  const currency = values.currency as string | undefined;
  return {
    priceList,
    pricesPath,
    // Zero and negative budgets reach the checks (the engine's, the configuration page's), which say why not.
    monthlyBudget: text === undefined ? undefined : parseNumberFlag('--monthly-budget', text, NaN, Number.isFinite),
    timeZone,
    pricingTier,
    currency:
      currency === undefined && priceList?.currency === undefined
        ? undefined
        : chooseCurrency(currency, priceList?.currency),
  };
}

/** Money per GPU-hour by DCGM model at the chosen tier: of --prices, else of the shipped list prices. */
function tierPricesPerGpuHour(flags: SettingsFlags): Record<string, number> {
  const catalog = priceCatalogOf(flags.priceList?.rows ?? listPrices());
  return Object.fromEntries(
    Object.entries(catalog).flatMap(([model, prices]) =>
      prices[flags.pricingTier] === undefined ? [] : [[model, prices[flags.pricingTier]]]
    )
  );
}

/** The PromQL waste template's prices, in words, for its description. */
function promqlPricesName(flags: SettingsFlags): string {
  const tier = Object.keys(TIERS).find((name) => TIERS[name] === flags.pricingTier);
  return flags.priceList ? `the ${tier} prices of --prices ${flags.pricesPath}` : `${tier} list prices`;
}

/** The PromQL budget options, or undefined without --monthly-budget. */
function budgetOptions(values: TemplateFlags, flags: SettingsFlags): TemplateOptions['budget'] {
  if (flags.monthlyBudget === undefined) {
    return undefined;
  }
  return {
    monthlyBudget: flags.monthlyBudget,
    timeZone: flags.timeZone ?? DEFAULT_BUDGET_TIME_ZONE,
    shares: parseLevels(values['budget-levels'] as string | undefined),
    currency: flags.currency ?? DEFAULT_CURRENCY,
    writtenAtSeconds: Math.floor(Date.now() / 1000),
    runbookUrl: values['runbook-url'] as string | undefined,
    pricesPerGpuHour: tierPricesPerGpuHour(flags),
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
    'headroom-uid': { type: 'string' },
    'within-days': { type: 'string' },
    'exhaustion-probability': { type: 'string' },
    'days-to-exhaustion': { type: 'string' },
    'fragmented-share': { type: 'string' },
    'idle-gpus': { type: 'string' },
    'no-app-settings': { type: 'boolean', default: false },
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
  const flags = settingsFlags(values);
  const budget = budgetOptions(values, flags);
  checkQueryFlags(values);
  if (values.format === 'prometheus') {
    if (values['grafana-url'] !== undefined || values['prometheus-uid'] !== undefined) {
      throw new UsageError('--grafana-url and --prometheus-uid are for --format grafana');
    }
    if (values['headroom-uid'] !== undefined) {
      throw new UsageError("--headroom-uid is for --format grafana: Prometheus cannot run Headroom's queries");
    }
    const grafanaUrl = parseRunbookBaseUrl(values['runbook-base-url']);
    const waste = wasteCostRuleFile({
      pricesPerGpuHour: tierPricesPerGpuHour(flags),
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
    const guardRails = linkedBudget ? groupsOf(budgetRuleFile(tierPricesPerGpuHour(flags), linkedBudget)) : '';
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
  const headroomUid = values['headroom-uid'];
  if (!prometheusUid && !headroomUid) {
    throw new UsageError(
      '--prometheus-uid is required (the UID of your Prometheus data source in Grafana), or --headroom-uid for the ' +
        "templates on Headroom's own queries"
    );
  }
  const grafanaUrl = values['grafana-url'];
  const readApp = headroomUid !== undefined && grafanaUrl !== undefined && !values['no-app-settings'];
  if (values['no-app-settings'] && (headroomUid === undefined || grafanaUrl === undefined)) {
    throw new UsageError('--no-app-settings goes with --headroom-uid and --grafana-url: only then is the app read.');
  }
  // Every check (a budget of zero, no prices, a price the configuration page refuses) runs here, before Grafana is
  // asked anything.
  const promqlRules = prometheusUid
    ? grafanaTemplateRules({
        prometheusUid,
        gangGpus,
        wasteDollarsPerHour,
        budget,
        pricesPerGpuHour: tierPricesPerGpuHour(flags),
        pricesName: promqlPricesName(flags),
      })
    : [];
  const queryRulesWith = (settings: TemplateAppSettings | undefined) =>
    headroomUid
      ? headroomQueryTemplateRules(queryTemplateOptions(headroomUid, values, budget, flags.pricingTier, settings))
      : [];
  const printedQueryRules = queryRulesWith(headroomUid ? templateAppSettings(flags, undefined) : undefined);
  if (grafanaUrl === undefined) {
    process.stdout.write(`${JSON.stringify([...promqlRules, ...printedQueryRules], null, 2)}\n`);
    return 0;
  }
  const grafana = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafanaUrl, grafanaToken()));
  const queryRules = readApp
    ? queryRulesWith(templateAppSettings(flags, await savedAppSettings(grafana)))
    : printedQueryRules;
  const current = await grafana.listRules();
  const dryRun = values['dry-run'];
  let heldBack = false;
  // A group each, with its own interval; only these rules: other Headroom rules in the folder stay as they are.
  for (const [desired, groupIntervalSeconds] of [
    [promqlRules, TEMPLATE_GROUP_INTERVAL_SECONDS],
    [queryRules, QUERY_TEMPLATE_GROUP_INTERVAL_SECONDS],
  ] as const) {
    if (desired.length === 0) {
      continue;
    }
    const plan = planTemplates(desired, current);
    const result = await applySync(grafana, plan, {
      confirmEdited: values.confirm,
      dryRun,
      folder: TEMPLATE_FOLDER,
      groupIntervalSeconds,
    });
    heldBack = printSyncReport(plan, result, dryRun) || heldBack;
  }
  return heldBack ? 1 : 0;
}

const QUERY_THRESHOLD_FLAGS = [
  'within-days',
  'exhaustion-probability',
  'days-to-exhaustion',
  'fragmented-share',
  'idle-gpus',
] as const;

/**
 * The Headroom query templates' thresholds and settings; the budget's levels are shared with the PromQL guard rails,
 * and the budget is the flag's, else the app's.
 */
function queryTemplateOptions(
  headroomUid: string,
  values: TemplateFlags,
  budget: TemplateOptions['budget'],
  pricingTier: PricingTier,
  settings: TemplateAppSettings | undefined
) {
  const number = (flag: string) => {
    const text = values[flag] as string | undefined;
    return text === undefined ? undefined : parseNumberFlag(`--${flag}`, text, NaN, Number.isFinite);
  };
  return {
    headroomUid,
    withinDays: number('within-days'),
    exhaustionProbability: number('exhaustion-probability'),
    daysToExhaustion: number('days-to-exhaustion'),
    fragmentedShare: number('fragmented-share'),
    idleGpus: number('idle-gpus'),
    gangGpus: number('gang-gpus'),
    wasteDollarsPerHour: number('waste-dollars-per-hour'),
    monthlyBudget: budget?.monthlyBudget ?? settings?.appSettings.monthlyBudget,
    budgetShares: budget?.shares,
    appSettings: settings?.appSettings,
    pricesName: settings?.pricesName,
    currency: settings?.currency,
    pricingTier,
  };
}

/** Headroom query thresholds without --headroom-uid would silently do nothing. */
function checkQueryFlags(values: TemplateFlags): void {
  const stray = QUERY_THRESHOLD_FLAGS.find((flag) => values[flag] !== undefined);
  if (stray && values['headroom-uid'] === undefined) {
    throw new UsageError(`--${stray} goes with --headroom-uid.`);
  }
}
