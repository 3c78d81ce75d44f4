/**
 * `headroom efficiency`: allocated vs busy GPU-hours, idle and over-provisioned pods from utilisation CSV files.
 */
import { readFileSync } from 'node:fs';

import {
  analyseWaste,
  checkTimeZone,
  DEFAULT_BUDGET_TIME_ZONE,
  DEFAULT_WASTE_RULES,
  monthStartText,
  priceCatalogOf,
  type MonthToDateBurn,
  type PodUtilisation,
  type PriceCatalog,
  type PricingTier,
  type WasteReport,
  type WasteRules,
} from '../../engine/efficiency';
import type { MetricCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { detectFamilies } from '../../prometheus/detect';
import { findNewestSampleSeconds } from '../../prometheus/newestSample';
import { fetchMonthToDate } from '../../prometheus/monthToDate';
import { podWindowsText } from '../../frames/frameTexts';
import { fetchPodActivity } from '../../prometheus/podActivity';
import type { PrometheusClient } from '../../prometheus/types';
import { selector } from '../../prometheus/promql';
import { isoSeconds, metricOverrides, parseFlags, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { combineDuplicates, timestampUnit, type TimestampUnit } from '../csvTimestamps';
import { explainOutsideData, gpuProbes } from '../dataChecks';
import { chooseCurrency, PRICE_FILE_FORMAT, readPriceList } from '../priceFile';
import { reportCommandError } from '../reportError';

const USAGE = `usage: headroom efficiency --utilization FILE [--memory FILE] [--gpu-memory-gib N] [options] [--json]
       headroom efficiency --prometheus URL [--start T] [--end T] [options] [--json]

Allocated and busy GPU-hours per pod, idle pods, over-provisioned pods and pods that hold GPU memory while idle.
From CSV files each pod is taken to hold one GPU. CSV files have a header naming a timestamp column (timestamp or
timestamp_anon; unix seconds or milliseconds, told apart by size: from 1e11 on they are milliseconds, or say
--timestamp-unit), a pod column (pod, container_ip or container) and value; other columns are ignored, an optional
namespace column groups pods.

With --prometheus, pods, their GPUs (a MIG instance as its share: 3g = 3/7 of a GPU) and model, activity
(DCGM_FI_PROF_GR_ENGINE_ACTIVE × 100, else DCGM_FI_DEV_GPU_UTIL), memory (DCGM_FI_DEV_FB_USED) and GPU memory
(FB_USED + FB_FREE) come from the DCGM series that carry pod labels. With --prices, the month to date is read from the
start of the calendar month (in --time-zone), whatever --start says: GPU-equivalents held each hour × price, as the
Efficiency page's burn view.

options:
  --utilization FILE     GPU activity in % (e.g. DCGM_FI_DEV_GPU_UTIL) per pod
  --prometheus URL       read pods from Prometheus instead of CSV files
  --start T, --end T     range for --prometheus, ISO 8601 or unix seconds (default: the 24 h up to the newest DCGM
                         sample)
  --memory FILE          GPU memory used in bytes per pod
  --timestamp-unit U     s or ms: the unit of the CSV timestamps (default: detected; a file mixing both is refused).
                         Rows of a pod with the same timestamp are averaged into one, with a warning
  --gpu-memory-gib N     memory of one GPU in GiB (needed to judge over-provisioning)
  --gpu-model NAME       GPU model of every pod, to look up prices (default: unknown)
  --prices FILE          price catalog JSON ${PRICE_FILE_FORMAT},
                         optionally with "currency": "EUR" (ISO 4217) beside the models
  --currency CODE        currency of the prices, ISO 4217 (default: the price file's "currency", else USD)
  --pricing TIER         on-demand (default), reserved or spot
  --monthly-budget X     project this month's spend against X (needs --prices)
  --time-zone ZONE       IANA time zone of the budget's calendar month, e.g. Europe/Berlin (default UTC)
  --now SECONDS          end of the analysis (default: the newest sample)
  --max-gap-seconds S    a sample lasts to the next one when the gap is ≤ S, else one step (default 300)
  --idle-window-hours H  idle judged over the last H hours (default 6)
  --idle-activity-pct A  a sample under A % is idle (default 5)
  --idle-sample-share F  a pod is idle when ≥ F of its window samples are (default 0.9)
  --overprov-activity-pct A   over-provisioned: mean activity under A % (default 20) …
  --overprov-memory-share F   … and peak memory under F of the GPU memory (default 0.5)
  --out-of-range MODE    activity outside [0, 100] %: clamp (default, counted) or reject
  --json                 print the report as JSON
with --prometheus:
${metricOverrides.usage}`;

const TIERS: Record<string, PricingTier> = { 'on-demand': 'onDemand', reserved: 'reserved', spot: 'spot' };

/** Default range of --prometheus: a day, at the step the step chooser gives for it. */
const DEFAULT_SPAN_SECONDS = 86400;

interface EfficiencyOptions {
  /** Exactly one of the two sources. */
  utilizationPath?: string;
  prometheus?: { url: string; catalog: MetricCatalog; startSeconds?: number; endSeconds?: number };
  memoryPath?: string;
  timestampUnit?: TimestampUnit;
  gpuMemoryBytes?: number;
  gpuModel: string;
  prices?: PriceCatalog;
  currency: string;
  pricing: PricingTier;
  monthlyBudget?: number;
  timeZone: string;
  nowSeconds?: number;
  rules: Partial<WasteRules>;
  json: boolean;
}

export const efficiencyCommand: CliCommand = {
  summary: 'Allocated vs busy GPU-hours, idle and over-provisioned pods, cost',
  async run(args: string[]): Promise<number> {
    try {
      const options = parseOptions(args);
      if (options === 'help') {
        process.stdout.write(USAGE);
        return 0;
      }
      const client = options.prometheus && createPrometheusClient(createFetchTransport(options.prometheus.url));
      const { pods, nowSeconds, warnings } =
        options.prometheus && client
          ? await podsFromPrometheus(client, options.prometheus, options.pricing)
          : podsFromFiles(options);
      const analysed = analyseWaste(pods, {
        rules: options.rules,
        prices: options.prices,
        // From Prometheus the month is read on its own, from the month's start; from files the files are all there is.
        monthlyBudget: client ? undefined : options.monthlyBudget,
        timeZone: options.timeZone,
        nowSeconds: options.nowSeconds ?? nowSeconds,
      });
      const month =
        client && options.prices
          ? await fetchMonthToDate(client, options.prometheus!.catalog, {
              nowSeconds: analysed.nowSeconds,
              timeZone: options.timeZone,
              prices: options.prices,
              tier: options.pricing,
              monthlyBudget: options.monthlyBudget,
            })
          : undefined;
      const report = withMonth({ ...analysed, currency: options.currency }, month);
      report.warnings.push(...warnings);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      for (const warning of report.warnings) {
        process.stderr.write(`warning: ${warning}\n`);
      }
      return 0;
    } catch (error) {
      return reportCommandError('efficiency', error);
    }
  },
};

function podsFromFiles(options: EfficiencyOptions): {
  pods: PodUtilisation[];
  nowSeconds?: number;
  warnings: string[];
} {
  const warnings: string[] = [];
  const activity = readSeries(options.utilizationPath!, '--utilization', options.timestampUnit, warnings);
  const memory = options.memoryPath
    ? readSeries(options.memoryPath, '--memory', options.timestampUnit, warnings)
    : undefined;
  const pods: PodUtilisation[] = [...activity.entries()].map(([pod, series]) => ({
    pod,
    namespace: series.namespace,
    gpuModel: options.gpuModel,
    pricing: options.pricing,
    timestampsSeconds: series.timestampsSeconds,
    activityPercent: series.values,
    memoryTimestampsSeconds: memory?.get(pod)?.timestampsSeconds,
    memoryBytes: memory?.get(pod)?.values,
    gpuMemoryBytes: options.gpuMemoryBytes,
  }));
  const onlyMemory = memory ? [...memory.keys()].filter((pod) => !activity.has(pod)) : [];
  if (onlyMemory.length > 0) {
    warnings.push(`${onlyMemory.length} pod(s) have memory samples but no activity and were left out`);
  }
  if (options.gpuMemoryBytes === undefined || !memory) {
    warnings.push('over-provisioning needs --memory and --gpu-memory-gib; it was not judged');
  }
  return { pods, warnings };
}

/** The CLI's report: the engine's, its currency, and the month to date read from the month's start. */
type CliReport = WasteReport & { currency: string; monthToDate?: MonthSummary };

/** The month to date as the Efficiency page's burn view computes it, without its chart series. */
type MonthSummary = Omit<
  MonthToDateBurn,
  'timestampsSeconds' | 'monthToDate' | 'projectionTimestampsSeconds' | 'projection'
>;

function withMonth(report: WasteReport & { currency: string }, month: MonthToDateBurn | undefined): CliReport {
  if (!month) {
    return report;
  }
  const { timestampsSeconds, monthToDate, projectionTimestampsSeconds, projection, ...summary } = month;
  if (month.unpricedModels.length > 0) {
    report.warnings.push(
      `no price this month for ${month.unpricedModels.join(', ')}; those GPUs add nothing to the month to date`
    );
  }
  const budget =
    month.monthlyBudget === undefined
      ? undefined
      : {
          timeZone: month.timeZone,
          monthStartSeconds: month.monthStartSeconds,
          monthEndSeconds: month.monthEndSeconds,
          monthToDateCost: month.monthToDateCost,
          burnPerHour: month.burnPerHour,
          projectedMonthCost: month.projectedMonthCost,
          monthlyBudget: month.monthlyBudget,
          projectedShareOfBudget: month.projectedShareOfBudget!,
          observedShareOfElapsed: month.observedShareOfElapsed,
        };
  return { ...report, budget, monthToDate: summary };
}

/** Pods over --start … --end; without --end the range ends at the newest DCGM activity sample. */
async function podsFromPrometheus(
  client: PrometheusClient,
  source: NonNullable<EfficiencyOptions['prometheus']>,
  pricing: PricingTier
): Promise<{ pods: PodUtilisation[]; nowSeconds: number; warnings: string[] }> {
  const { catalog } = source;
  let endSeconds = source.endSeconds;
  for (const metric of ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'DCGM_FI_DEV_GPU_UTIL'] as const) {
    endSeconds ??= await findNewestSampleSeconds(client, selector(catalog.name(metric), []), Date.now() / 1000);
  }
  if (endSeconds === undefined) {
    throw new UsageError(`${source.url} holds no DCGM activity sample; pass --start and --end or check dcgm-exporter.`);
  }
  const startSeconds = source.startSeconds ?? endSeconds - DEFAULT_SPAN_SECONDS;
  if (startSeconds >= endSeconds) {
    throw new UsageError(`--start (${isoSeconds(startSeconds)}) must be before the end (${isoSeconds(endSeconds)}).`);
  }
  const detection = await detectFamilies(client, { startSeconds, endSeconds }, catalog);
  if (!detection.dcgm && !detection.dcgmProfiling) {
    const range = `The range ${isoSeconds(startSeconds)} – ${isoSeconds(endSeconds)}`;
    const outside = await explainOutsideData(client, gpuProbes(catalog).slice(1), { startSeconds, endSeconds }, range);
    if (outside) {
      throw outside;
    }
  }
  const result = await fetchPodActivity(client, catalog, { startSeconds, endSeconds });
  if (result.pods.length === 0) {
    throw new UsageError(
      `No DCGM series with a pod label between ${isoSeconds(startSeconds)} and ${isoSeconds(endSeconds)}: no pod ` +
        'held a GPU then.'
    );
  }
  if (result.windows) {
    // Not a warning: the totals are the same at any window, only the idle rule judges window means.
    process.stderr.write(`note: ${podWindowsText({ code: 'pod-windows', ...result.windows })}\n`);
  }
  return { pods: result.pods.map((p) => ({ ...p, pricing })), nowSeconds: endSeconds, warnings: result.warnings };
}

function parseOptions(args: string[]): EfficiencyOptions | 'help' {
  const values = parseFlags(args, {
    utilization: { type: 'string' },
    prometheus: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    memory: { type: 'string' },
    'timestamp-unit': { type: 'string' },
    'gpu-memory-gib': { type: 'string' },
    'gpu-model': { type: 'string', default: '' },
    prices: { type: 'string' },
    currency: { type: 'string' },
    pricing: { type: 'string', default: 'on-demand' },
    'monthly-budget': { type: 'string' },
    'time-zone': { type: 'string', default: DEFAULT_BUDGET_TIME_ZONE },
    now: { type: 'string' },
    'max-gap-seconds': { type: 'string' },
    'idle-window-hours': { type: 'string' },
    'idle-activity-pct': { type: 'string' },
    'idle-sample-share': { type: 'string' },
    'overprov-activity-pct': { type: 'string' },
    'overprov-memory-share': { type: 'string' },
    'out-of-range': { type: 'string', default: DEFAULT_WASTE_RULES.outOfRange },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...metricOverrides.flags,
  });
  if (values.help) {
    return 'help';
  }
  if (Boolean(values.utilization) === Boolean(values.prometheus)) {
    throw new UsageError('Give either --utilization FILE or --prometheus URL.');
  }
  const fileOnly = (['memory', 'gpu-memory-gib', 'gpu-model', 'timestamp-unit'] as const).filter(
    (flag) => values[flag]
  );
  if (values.prometheus && fileOnly.length > 0) {
    throw new UsageError(`--${fileOnly[0]} goes with --utilization; with --prometheus DCGM gives it.`);
  }
  if (values.utilization && (values.start || values.end || values['metric-override'] || values['metric-overrides'])) {
    throw new UsageError('--start, --end and the metric-name overrides go with --prometheus.');
  }
  const num = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) {
      return undefined;
    }
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw new UsageError(`--${flag} must be a positive number, got "${text}".`);
    }
    return value;
  };
  const pricing = TIERS[values.pricing ?? 'on-demand'];
  if (!pricing) {
    throw new UsageError(`--pricing is on-demand, reserved or spot, got "${values.pricing}".`);
  }
  const outOfRange = values['out-of-range'];
  if (outOfRange !== 'clamp' && outOfRange !== 'reject') {
    throw new UsageError(`--out-of-range is clamp or reject, got "${outOfRange}".`);
  }
  const unit = values['timestamp-unit'];
  if (unit !== undefined && unit !== 's' && unit !== 'ms') {
    throw new UsageError(`--timestamp-unit is s or ms, got "${unit}".`);
  }
  const gib = num('gpu-memory-gib', values['gpu-memory-gib']);
  const hours = num('idle-window-hours', values['idle-window-hours']);
  const rules: Partial<WasteRules> = {
    maxGapSeconds: num('max-gap-seconds', values['max-gap-seconds']),
    idleWindowSeconds: hours === undefined ? undefined : hours * 3600,
    idleActivityPercent: num('idle-activity-pct', values['idle-activity-pct']),
    idleSampleShare: num('idle-sample-share', values['idle-sample-share']),
    overProvisionedActivityPercent: num('overprov-activity-pct', values['overprov-activity-pct']),
    overProvisionedMemoryShare: num('overprov-memory-share', values['overprov-memory-share']),
    outOfRange,
  };
  const budget = num('monthly-budget', values['monthly-budget']);
  const priceList = values.prices ? readPriceList(values.prices) : undefined;
  const prices = priceList ? priceCatalogOf(priceList.rows) : undefined;
  const currency = chooseCurrency(values.currency, priceList?.currency);
  let timeZone: string;
  try {
    timeZone = checkTimeZone(values['time-zone'] ?? DEFAULT_BUDGET_TIME_ZONE);
  } catch (error) {
    throw new UsageError(`--time-zone: ${(error as Error).message}`);
  }
  if (budget !== undefined && !prices) {
    throw new UsageError('--monthly-budget needs --prices to turn GPU-hours into money.');
  }
  return {
    utilizationPath: values.utilization,
    prometheus: values.prometheus
      ? {
          url: values.prometheus,
          catalog: metricOverrides.catalog(values),
          startSeconds: parseTimeSeconds('--start', values.start),
          endSeconds: parseTimeSeconds('--end', values.end),
        }
      : undefined,
    memoryPath: values.memory,
    timestampUnit: unit,
    gpuMemoryBytes: gib === undefined ? undefined : gib * 2 ** 30,
    gpuModel: values['gpu-model'] ?? '',
    prices,
    currency,
    pricing,
    monthlyBudget: budget,
    timeZone,
    nowSeconds: num('now', values.now),
    rules: Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)),
    json: values.json ?? false,
  };
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${flag} ${path}: ${(error as Error).message}`);
  }
}

const TIMESTAMP_COLUMNS = ['timestamp', 'timestamp_anon', 'time'];
const POD_COLUMNS = ['pod', 'container_ip', 'container', 'pod_name'];

type PodSeries = { namespace?: string; timestampsSeconds: number[]; values: number[] };

/**
 * Per pod, its samples in time order, timestamps in seconds (milliseconds detected or given by --timestamp-unit) and
 * each once (rows sharing a timestamp averaged, with a warning); rows with an empty pod are rejected.
 */
function readSeries(
  path: string,
  flag: string,
  givenUnit: TimestampUnit | undefined,
  warnings: string[]
): Map<string, PodSeries> {
  const lines = readText(path, flag).split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim());
  const column = (names: string[]) => header.findIndex((h) => names.includes(h));
  const t = column(TIMESTAMP_COLUMNS);
  const p = column(POD_COLUMNS);
  const v = column(['value']);
  const ns = column(['namespace']);
  if (t < 0 || p < 0 || v < 0) {
    throw new UsageError(
      `${flag} ${path}: the header "${lines[0]}" needs a timestamp column (${TIMESTAMP_COLUMNS.join('/')}), a pod ` +
        `column (${POD_COLUMNS.join('/')}) and value.`
    );
  }
  const series = new Map<string, PodSeries>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') {
      continue;
    }
    const cells = lines[i].split(',');
    const pod = cells[p];
    if (!pod) {
      throw new UsageError(`${flag} ${path} line ${i + 1}: no pod in column "${header[p]}".`);
    }
    let s = series.get(pod);
    if (!s) {
      s = { namespace: ns >= 0 ? cells[ns] : undefined, timestampsSeconds: [], values: [] };
      series.set(pod, s);
    }
    // Empty cells become NaN, which the engine drops and counts.
    s.timestampsSeconds.push(cells[t] === '' ? NaN : Number(cells[t]));
    s.values.push(cells[v] === '' ? NaN : Number(cells[v]));
  }
  const unit = timestampUnit(
    [...series.values()].flatMap((s) => s.timestampsSeconds),
    givenUnit,
    `${flag} ${path}`
  );
  let duplicates = 0;
  let podsWithDuplicates = 0;
  for (const s of series.values()) {
    const scaled = unit === 'ms' ? s.timestampsSeconds.map((t) => t / 1000) : s.timestampsSeconds;
    const combined = combineDuplicates(scaled, s.values);
    s.timestampsSeconds = combined.timestampsSeconds;
    s.values = combined.values;
    duplicates += combined.duplicates;
    podsWithDuplicates += combined.duplicates > 0 ? 1 : 0;
  }
  if (unit === 'ms' && givenUnit === undefined) {
    warnings.push(`${flag} ${path}: timestamps are from 1e11 on, so they were read as milliseconds`);
  }
  if (duplicates > 0) {
    warnings.push(
      `${flag} ${path}: ${duplicates} row(s) repeated a timestamp already seen for the same pod (${podsWithDuplicates} ` +
        'pod(s)); the values at each such timestamp were averaged into one sample'
    );
  }
  return series;
}

function formatReport(report: CliReport): string {
  const f = (x: number | undefined, digits = 1) => (x === undefined ? 'n/a' : x.toFixed(digits));
  const money = (x: number | undefined) => (x === undefined ? 'n/a' : `${x.toFixed(2)} ${report.currency}`);
  const flag = (x: boolean | undefined) => (x === undefined ? 'n/a' : x ? 'yes' : 'no');
  const lines = [
    `Window ends ${new Date(report.nowSeconds * 1000).toISOString()} (idle judged over the last ${report.rules.idleWindowSeconds / 3600} h)`,
    `Allocated GPU-hours  ${f(report.allocatedGpuHours)}`,
    `Busy GPU-hours       ${f(report.busyGpuHours)} (${f((100 * report.busyGpuHours) / report.allocatedGpuHours)} %)`,
    `Wasted GPU-hours     ${f(report.wasteGpuHours)}`,
  ];
  if (report.allocatedCost !== undefined) {
    lines.push(`Cost in the window   ${money(report.allocatedCost)} (wasted ${money(report.wasteCost)})`);
  }
  lines.push(...monthLines(report, money));
  lines.push(
    `Idle pods            ${report.idlePods.length}`,
    `Over-provisioned     ${report.overProvisionedPods.length}`,
    `Memory held, idle    ${report.memoryHeldComputeIdlePods.length}`,
    '',
    'Pods by wasted GPU-hours'
  );
  const priced = report.allocatedCost !== undefined;
  const rows = [...report.pods]
    .sort((a, b) => b.wasteGpuHours - a.wasteGpuHours || a.pod.localeCompare(b.pod))
    .map((r) => [
      r.pod,
      f(r.allocatedGpuHours),
      f(r.busyGpuHours),
      f(r.wasteGpuHours),
      ...(priced ? [f(r.wasteCost, 2)] : []),
      f(r.meanActivityPercent),
      flag(r.idle),
      flag(r.overProvisioned),
      flag(r.memoryHeldComputeIdle),
    ]);
  const header = [
    'pod',
    'allocated h',
    'busy h',
    'wasted h',
    ...(priced ? [`wasted ${report.currency}`] : []),
    'mean %',
    'idle',
    'over-prov',
    'mem held idle',
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd();
  return `${[...lines, line(header), ...rows.map(line)].join('\n')}\n`;
}

/** Month to date since the month's start, how much of the month has data, and the projection against the budget. */
function monthLines(report: CliReport, money: (x: number | undefined) => string): string[] {
  const month = report.monthToDate ?? report.budget;
  if (!month) {
    return [];
  }
  // Below 10 % one decimal, so a few hours of data early in the month do not read as 0 %.
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
  const lines = [
    `Month to date        ${money(month.monthToDateCost)} since ${monthStartText(month.monthStartSeconds, month.timeZone)}` +
      `, data for ${pct(month.observedShareOfElapsed)} of the month so far` +
      (report.monthToDate
        ? ` (${f1(report.monthToDate.observedHours)} of ${f1(report.monthToDate.elapsedHours)} h)`
        : ''),
    `Projected month      ${money(month.projectedMonthCost)} at ${money(month.burnPerHour)} per hour`,
  ];
  if (report.budget) {
    lines.push(
      `Budget               ${money(report.budget.monthlyBudget)}: projected ${pct(report.budget.projectedShareOfBudget)}`
    );
  }
  return lines;
}

const f1 = (x: number) => x.toFixed(1);
