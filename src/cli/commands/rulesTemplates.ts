/**
 * `headroom rules templates`: the fragmentation and waste-cost alert templates, printed as Grafana provisioning API
 * rule objects (JSON) or as a Prometheus rule file (YAML), or written to Grafana through the same sync the Alerts page
 * and `headroom recalibrate` use: nothing a person edited is overwritten without `--confirm`, no other rule is deleted.
 */
import { applySync, createGrafanaProvisioningClient, planSync } from '../../alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../alerting/grafanaFetchTransport';
import { fragmentationRuleFile } from '../../alerting/templates/fragmentationRules';
import {
  DEFAULT_GANG_GPUS,
  DEFAULT_WASTE_DOLLARS_PER_HOUR,
  grafanaTemplateRules,
  listPricesPerGpuHour,
  TEMPLATE_FOLDER,
  TEMPLATE_GROUP_INTERVAL_SECONDS,
} from '../../alerting/templates/grafanaTemplates';
import { RUNBOOKS, runbookUrl } from '../../alerting/runbooks';
import { wasteCostRuleFile } from '../../alerting/templates/wasteCost';
import { parseFlags, UsageError } from '../args';
import { grafanaToken, TOKEN_VARIABLE } from '../grafanaToken';
import { printSyncReport } from '../syncReport';

export const templatesUsage = () => `usage: headroom rules templates [--format grafana|prometheus] [options]

Prints the fragmentation and waste-cost alert rules, or writes them to Grafana.
  --format F                   grafana (default): a JSON array of provisioning API rule objects;
                               prometheus: a rule file (YAML) with recording rules and alerts
  --prometheus-uid UID         your Prometheus data source's UID in Grafana (needed for grafana)
  --gang-gpus N                alert when an N-GPU job fits nowhere although N GPUs are free (default ${DEFAULT_GANG_GPUS})
  --waste-dollars-per-hour X   alert when idle GPUs held by pods cost more than X $/h (default ${DEFAULT_WASTE_DOLLARS_PER_HOUR});
                               GPUs are priced at the shipped on-demand list prices
  --runbook-base-url URL       with --format prometheus: Grafana's URL (e.g. https://grafana.example.com), so each
                               alert's runbook_url links its runbook dashboard panel; without it, no runbook_url
  --grafana-url URL            write the rules to this Grafana (folder "${TEMPLATE_FOLDER.title}") with the token in ${TOKEN_VARIABLE}
  --dry-run                    with --grafana-url: print what would change, write nothing
  --confirm UID                with --grafana-url: overwrite this rule although a person edited it (repeatable)
`;

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
    // One file, two groups: the second file's `groups:` line is dropped.
    process.stdout.write(fragmentationRuleFile({ gangGpus, grafanaUrl }) + waste.slice(waste.indexOf('\n') + 1));
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
  const desired = grafanaTemplateRules({ prometheusUid, gangGpus, wasteDollarsPerHour });
  const grafanaUrl = values['grafana-url'];
  if (grafanaUrl === undefined) {
    process.stdout.write(`${JSON.stringify(desired, null, 2)}\n`);
    return 0;
  }
  const grafana = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafanaUrl, grafanaToken()));
  // Only these rules: other Headroom rules in the folder stay as they are.
  const uids = new Set(desired.map((rule) => rule.uid));
  const existing = (await grafana.listRules()).filter(
    (rule) => rule.folderUID === TEMPLATE_FOLDER.uid && uids.has(rule.uid)
  );
  const plan = planSync(desired, existing);
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
