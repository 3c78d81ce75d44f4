/**
 * `headroom rules export`: calibrates the deployed alert rule on one series and prints it as a
 * Prometheus rule file (threshold recording rules + alerting rule), for people who run Prometheus
 * or Mimir rules rather than Grafana-managed ones. `headroom rules templates` is in rulesTemplates.ts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { calibrateSeries } from '../../alerting/calibrate';
import { fetchTrainingSeries } from '../../alerting/recalibration';
import { thresholdRuleFile } from '../../alerting/prometheusRules';
import { DEFAULT_ALERT_RULE, type ValueRange } from '../../engine/thresholds';
import { DAY_SECONDS } from '../../engine/thresholds/slots';
import { createCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { detectFamilies } from '../../prometheus/detect';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { targetExpr } from '../../prometheus/targets';
import { InputError, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { checkRuleFileWithPromtool, checkSelectorWithPrometheus, PROMTOOL_VARIABLE } from '../promqlCheck';
import { reportCommandError } from '../reportError';
import { recordingUsage, rulesRecording } from './rulesRecording';
import { parseRunbookBaseUrl, rulesTemplates, templatesUsage } from './rulesTemplates';

const USAGE = `usage: headroom rules export --name NAME (--series FILE --selector PROMQL | --prometheus URL --expr PROMQL) [--at TIME]
                             [--min N] [--max N] [--runbook-base-url URL]

Learns the adaptive band of one series and prints a Prometheus rule file.
  --name NAME        rule name: letters, digits and underscores
  --series FILE      JSON {"timestamps": [unix seconds], "values": [number|null]}
  --selector PROMQL  the series the rule watches (with --series); checked by promtool check rules before the file is
                     printed (promtool on the PATH, or ${PROMTOOL_VARIABLE}); refused when it does not parse
  --prometheus URL   read the last 4 weeks of --expr, which must give one series, from Prometheus, which first
                     checks that the rule's expression parses
  --at TIME          calibration time, ISO 8601 or unix seconds; the band learns from data strictly before it
                     (default: one step after the newest sample with --series, now with --prometheus)
  --min N, --max N   what the metric can take (0 for a count, 0 and 1 for a ratio, 100 for a percentage, the
                     fleet's GPUs for busy or allocated GPUs): the thresholds are clamped into it
  --max fleet-gpus   with --prometheus: the fleet's GPU capacity at the calibration time (kube-state-metrics
                     allocatable, MIG GPUs counted once), for an expression counting busy or allocated GPUs
  --runbook-base-url URL  Grafana's URL (e.g. https://grafana.example.com): the alert's runbook_url links the GPU
                     capacity runbook dashboard; without it, no runbook_url
The history must hold at least 2 days and 48 samples with values (refused below, exit 2); under a week it is
used with a warning on stderr.
`;

/** A series file or query that does not give the one series a rule watches: bad input, exit code 2. */
export class SeriesInputError extends InputError {}

function readSeriesFile(path: string): { timestamps: number[]; values: Array<number | null> } {
  let parsed: { timestamps?: unknown; values?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeriesInputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const { timestamps, values } = parsed ?? {};
  if (!Array.isArray(timestamps) || !timestamps.every((t) => typeof t === 'number')) {
    throw new SeriesInputError(`${path}: "timestamps" must be an array of unix seconds`);
  }
  if (
    !Array.isArray(values) ||
    values.length !== timestamps.length ||
    !values.every((v) => v === null || typeof v === 'number')
  ) {
    throw new SeriesInputError(`${path}: "values" must be numbers or nulls, as many as the timestamps`);
  }
  return { timestamps, values };
}

const FLEET_GPUS = 'fleet-gpus';

/** The fleet's GPU capacity at `atSeconds` (the inventory's capacity: allocatable GPUs, a MIG GPU once). */
async function fleetGpus(prometheus: ReturnType<typeof createPrometheusClient>, atSeconds: number): Promise<number> {
  const catalog = createCatalog();
  const detection = await detectFamilies(
    prometheus,
    { startSeconds: atSeconds - DAY_SECONDS, endSeconds: atSeconds },
    catalog
  );
  const expr = targetExpr('gpu_capacity', catalog, detection);
  const capacity = (await prometheus.queryInstant(expr, atSeconds)).series[0]?.values[0];
  if (capacity === undefined || !(capacity > 0)) {
    throw new SeriesInputError(`Prometheus knows no GPU capacity at the calibration time (${expr}); give --max N`);
  }
  return capacity;
}

/** `--min` / `--max` as a value range; undefined when neither is given. */
export function parseValueRange(min: string | undefined, max: string | undefined): ValueRange | undefined {
  const end = (flag: string, text: string | undefined) => {
    if (text === undefined) {
      return undefined;
    }
    const x = Number(text);
    if (text.trim() === '' || !Number.isFinite(x)) {
      throw new UsageError(`${flag} "${text}" is not a number`);
    }
    return x;
  };
  const range = { min: end('--min', min), max: end('--max', max) };
  if (range.min !== undefined && range.max !== undefined && !(range.min < range.max)) {
    throw new UsageError(`--min ${range.min} must be below --max ${range.max}`);
  }
  if (range.min === undefined && range.max === undefined) {
    return undefined;
  }
  return {
    ...(range.min !== undefined ? { min: range.min } : {}),
    ...(range.max !== undefined ? { max: range.max } : {}),
  };
}

/** `parseArgs` whose complaints (unknown flag, missing value) are usage errors, exit code 2. */
export function parseFlags<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  args: string[],
  options: T
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function exportRules(args: string[]): Promise<number> {
  const values = parseFlags(args, {
    name: { type: 'string' },
    series: { type: 'string' },
    selector: { type: 'string' },
    prometheus: { type: 'string' },
    expr: { type: 'string' },
    at: { type: 'string' },
    min: { type: 'string' },
    max: { type: 'string' },
    'runbook-base-url': { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.name) {
    throw new UsageError('--name is required');
  }
  const grafanaUrl = parseRunbookBaseUrl(values['runbook-base-url']);
  const fleetMax = values.max === FLEET_GPUS;
  if (fleetMax && values.prometheus === undefined) {
    throw new UsageError(`--max ${FLEET_GPUS} needs --prometheus, which knows the fleet`);
  }
  let valueRange = parseValueRange(values.min, fleetMax ? undefined : values.max);
  let selector: string;
  let history: { timestamps: number[]; values: Array<number | null> };
  let atSeconds = parseTimeSeconds('--at', values.at);
  if (values.series !== undefined && values.selector !== undefined && values.prometheus === undefined) {
    selector = values.selector;
    history = readSeriesFile(values.series);
  } else if (values.prometheus !== undefined && values.expr !== undefined && values.series === undefined) {
    selector = values.expr;
    atSeconds ??= Math.floor(Date.now() / 1000);
    const prometheus = createPrometheusClient(createFetchTransport(values.prometheus));
    // Before four weeks are read: Prometheus says whether the rule built on the expression parses.
    await checkSelectorWithPrometheus(prometheus, selector, atSeconds);
    history = await fetchTrainingSeries(prometheus, selector, atSeconds);
    if (fleetMax) {
      valueRange = { ...valueRange, max: await fleetGpus(prometheus, atSeconds) };
      if (valueRange.min !== undefined && !(valueRange.min < valueRange.max!)) {
        throw new UsageError(`--min ${valueRange.min} must be below the fleet's ${valueRange.max} GPUs`);
      }
    }
  } else {
    throw new UsageError('give either --series FILE with --selector PROMQL, or --prometheus URL with --expr PROMQL');
  }
  if (atSeconds === undefined) {
    // One step after the newest sample, so every sample in the file is learnt from.
    const newest = Math.max(...history.timestamps);
    const sorted = [...history.timestamps].sort((a, b) => a - b);
    atSeconds = newest + (sorted.length > 1 ? sorted[sorted.length - 1] - sorted[sorted.length - 2] : 1);
  }
  const config = valueRange ? { ...DEFAULT_ALERT_RULE, band: { ...DEFAULT_ALERT_RULE.band, valueRange } } : undefined;
  const { calibration, timing, warnings } = calibrateSeries(history.timestamps, history.values, atSeconds, config);
  for (const warning of warnings) {
    process.stderr.write(`headroom rules export: warning: ${warning}\n`);
  }
  const ruleFile = thresholdRuleFile({
    name: values.name,
    selector,
    band: calibration.band,
    forSeconds: timing.forSeconds,
    keepFiringForSeconds: timing.keepFiringForSeconds,
    evaluationIntervalSeconds: calibration.stepSeconds,
    grafanaUrl,
  });
  if (values.prometheus === undefined && checkRuleFileWithPromtool(ruleFile, selector) === 'unavailable') {
    process.stderr.write(
      'headroom rules export: warning: promtool was not found, so the rule file was not checked; run ' +
        `\`promtool check rules\` on it, or set ${PROMTOOL_VARIABLE} to promtool's path\n`
    );
  }
  process.stdout.write(ruleFile);
  return 0;
}

export const rulesCommand: CliCommand = {
  summary:
    'alert rules: export the adaptive rule of one series (Prometheus rule file); templates for fragmentation, waste cost and budget guard rails; recording rules for the inventory sums',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'templates') {
      try {
        return await rulesTemplates(rest);
      } catch (error) {
        return reportCommandError('rules templates', error, { usage: [RangeError] });
      }
    }
    if (sub === 'recording') {
      try {
        return rulesRecording(rest);
      } catch (error) {
        return reportCommandError('rules recording', error, { usage: [RangeError] });
      }
    }
    if (sub !== 'export') {
      const help = sub === '--help' || sub === '-h';
      (help ? process.stdout : process.stderr).write(`${USAGE}
${templatesUsage()}
${recordingUsage()}`);
      return help ? 0 : 2;
    }
    try {
      return await exportRules(rest);
    } catch (error) {
      return reportCommandError('rules export', error, { usage: [RangeError] });
    }
  },
};
