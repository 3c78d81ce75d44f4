/**
 * `headroom capacity`: forecast a demand series from Prometheus and turn it into a capacity plan — when capacity
 * runs out, GPUs needed per hour, when to scale out, and the cheapest reserved / on-demand / spot mix. The plan is
 * the engine's (engine/capacity/plan.ts), the one the data source's capacity query returns.
 */

import {
  CapacityInputError,
  demandKind,
  listPrices,
  planCapacity,
  type CapacityInput,
  type CapacityPlan,
  type CostMixInput,
  type DemandKind,
  type GpuModelPrice,
  type SpotInterruptionCost,
  type ThroughputInput,
  type WhatIfResult,
  whatIf,
  type LaunchEvent,
} from '../../engine/capacity';
import { clampToRange, type Forecaster, type Interval } from '../../engine/forecast';
import {
  ABSOLUTE_BOUND_REASON,
  duration,
  HISTORY_BOUND_REASON,
  HorizonTooLongError,
  MAX_HORIZON_STEPS,
} from '../../engine/forecast/horizon';
import { defaultForecasters, forecastRaw } from '../../engine/forecast/pipeline';
import type { MetricCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { detectFamilies, type FamilyDetection } from '../../prometheus/detect';
import { PrometheusError } from '../../prometheus/errors';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { fleetGpuModels } from '../../prometheus/fleetGpuModels';
import { queryRangePreferringRecords } from '../../prometheus/inventoryRecords';
import { fetchSpotChurn, SPOT_NODE_LABELS } from '../../prometheus/spotChurn';
import { chooseStepSeconds } from '../../prometheus/step';
import {
  FORECAST_TARGETS,
  forecastTarget,
  targetExpr,
  TargetUnavailableError,
  UNIT_RANGES,
  type ForecastTarget,
  type ForecastTargetId,
  type TargetFilters,
} from '../../prometheus/targets';
import type { PrometheusClient, PromSeries } from '../../prometheus/types';
import type { ParseArgsOptionsConfig } from 'node:util';
import { isoSeconds, metricOverrides, parseFlags, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { forecastTable, formatForecastTable, type ForecastTable } from '../forecastTable';
import { PRICE_FILE_FORMAT, readPriceFile } from '../priceFile';
import { reportCommandError } from '../reportError';
import { explainOutsideData, FILTER_FLAGS, gpuProbes, NoMatchError, requireFilterMatches } from '../dataChecks';
import { loadAugursInNode } from '../augursInNode';
import { formatWhatIf, parseWhatIf, WHAT_IF_FORMAT } from '../whatIf';

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 86400;
const FORECAST_LEVELS = [80, 95];
const AUTO_MODEL = 'auto';
const CALIBRATED = 'calibrated';
/** The one "model" that --reserved-price and --on-demand-price price: every GPU the plan needs. */
const EVERY_GPU_MODEL = 'every GPU model';

/** The options of `headroom capacity`, which `headroom plan export` takes too. */
export const CAPACITY_OPTIONS_USAGE = `  --prometheus URL            Prometheus base URL, e.g. http://localhost:9090 (required)
  --target ID                 what to forecast (default gpus_allocated): ${FORECAST_TARGETS.map((t) => t.id).join(', ')}
  --expr PROMQL               forecast this expression instead (one series; its unit is GPUs unless
                              --throughput-per-gpu says how much of it one GPU serves)
  --namespace NAME            only this namespace (repeatable)
  --model NAME                only this vLLM served model, model_name (repeatable)
  --node NAME                 only this node (repeatable)
  --gpu-model NAME            only this GPU model, as DCGM's modelName says it (repeatable); one also prices the mix
  --forecast-model NAME       ${AUTO_MODEL} (default: backtest every model and combine the best) or one model's name
  --capacity N                capacity in the target's unit (default for GPU and tokens/s targets: the fleet's
                              gpu_capacity in GPUs, times the throughput per GPU for tokens/s)
  --horizon-hours H           forecast horizon (default 168): at most the history (--history-days × 24, and the
                              hours Prometheus holds) and at most ${MAX_HORIZON_STEPS} (a year); the forecast of the
                              first hours is the same whatever the horizon
  --history-days D            history to fit on (default 28)
  --end TIME                  end of the history, ISO 8601 or unix seconds (default: now)
  --level L                   forecast the plan provisions for: the upper bound of the 80 or 95 % interval, or
                              mean (default 95)
  --target-utilisation U      share of each GPU the plan may use, in (0, 1] (default 0.8)
  --throughput-per-gpu X      demand one GPU serves, in the target's unit, or ${CALIBRATED} (default for tokens/s:
                              calibrated from tokens/s against busy GPUs; GPU counts take none)
  --cold-start-minutes M      time from requesting a GPU to it serving (default 15)
  --prices FILE               prices per GPU model, JSON ${PRICE_FILE_FORMAT}
                              (default: the published cloud list prices)
  --price-gpu-model NAME      price every GPU as this model (default: the fleet's GPU models, each for its share)
  --reserved-price R          one price per reserved GPU-hour     } both: price every GPU
  --on-demand-price O         one price per on-demand GPU-hour    } at these, whatever its
  --spot-price S              one price per spot GPU-hour         } model
  --interruptible-share F     share of demand that can run on spot, in [0, 1] (default 0; needs spot prices)
  --spot-lost-gpu-hours H     GPU-hours of work redone per interrupted spot GPU (half the checkpoint interval plus
                              the restart): costs spot interruptions into the mix
  --spot-interruptions-per-day F
                              share of spot GPUs interrupted per day (default: measured from kube-state-metrics
                              spot node churn over the history; docs/formulas.md, "Spot interruptions")
  --json                      print the plan as JSON (unknown values are null)
${metricOverrides.usage}`;

const USAGE = `usage: headroom capacity --prometheus URL [options]

Forecasts a demand series hour by hour and plans capacity for it: when the forecast (mean and interval bounds)
exceeds capacity, GPUs needed per hour = ceil(upper bound / (throughput per GPU × target utilisation)), a scale-out
schedule that starts one cold-start lead before each rise, and the reserved / on-demand / spot mix that minimises
cost (reserved = the 1 − reserved/on-demand quantile of the hourly GPUs needed), priced as the fleet's GPU models.
GPU counts need no throughput per GPU; tokens/s need one (calibrated from history unless given); ratios and queue
lengths get no GPU plan. The data source's capacity query computes the same plan.

The forecast is printed first: expected value, 80 and 95 % intervals and capacity, one row an hour up to 48 hours,
else one row per block of hours with the block's highest expected value, lowest lower and highest upper bound;
"above capacity" names the smallest statistic above it (mean, 80 % upper, 95 % upper). --json holds every hour
(forecast) and the table's rows (forecastTable).

A --namespace, --model, --node or --gpu-model value that matches no series in the history is an error (exit code 2)
that lists the values that exist; so is a history (--end, --history-days) entirely outside the data.

With --what-if, the plan is made twice: as forecast (the baseline), and with the forecast (mean and interval
bounds) multiplied by each event's multiplier inside [start, end) (the scenario); overlapping events multiply.
The text adds both side by side; --json prints {"baseline", "scenario", "difference", "notes"} beside the target
and history. An event outside the forecast's horizon, a negative multiplier or an end before the start is refused.

options:
${CAPACITY_OPTIONS_USAGE}
  --what-if ${WHAT_IF_FORMAT}
                              a launch: traffic × multiplier (≥ 0) from start to end (repeatable)`;

export const capacityCommand: CliCommand = {
  summary: 'forecast demand and plan GPUs, scale-out and reserved / on-demand / spot mix',
  async run(args: string[]): Promise<number> {
    try {
      const options = parseOptions(args);
      if (options === 'help') {
        process.stdout.write(USAGE);
        return 0;
      }
      const report = await buildReport(options);
      process.stdout.write(
        options.json
          ? `${JSON.stringify(jsonOf(report), (_, v: unknown) => (v === undefined ? null : v), 2)}\n`
          : formatReport(report) + (report.whatIf ? formatWhatIf(report.whatIf, report.target.unit).join('\n') : '')
      );
      for (const note of [...report.plan.notes, ...(report.whatIf?.notes ?? [])]) {
        process.stderr.write(`note: ${note}\n`);
      }
      for (const warning of report.warnings) {
        process.stderr.write(`warning: ${warning}\n`);
      }
      return 0;
    } catch (error) {
      return reportCommandError('capacity', error, {
        usage: [CapacityInputError],
      });
    }
  },
};

export interface CapacityOptions {
  prometheusUrl: string;
  catalog: MetricCatalog;
  target?: ForecastTarget;
  expr?: string;
  filters: TargetFilters;
  forecasters: Forecaster[];
  capacity?: number;
  horizonHours: number;
  historyDays: number;
  endSeconds?: number;
  level: string;
  targetUtilisation: number;
  /** A number, `calibrated`, or undefined for the unit's default. */
  throughputPerGpu?: number | typeof CALIBRATED;
  coldStartLeadSeconds: number;
  /** Undefined: the published list prices. */
  prices?: GpuModelPrice[];
  priceGpuModel?: string;
  interruptibleShare: number;
  /** With lostGpuHours: interruptions costed at this share per day, or measured from node churn (undefined). */
  spotInterruption?: { lostGpuHours: number; sharePerDay?: number };
  json: boolean;
  /** `--what-if` launches, `headroom capacity` only: the plan is made with and without them. */
  whatIf?: LaunchEvent[];
}

/** The flags of `headroom capacity`; `headroom plan export` takes them too, to plan the same way. */
export const CAPACITY_FLAGS = {
  prometheus: { type: 'string' },
  target: { type: 'string' },
  expr: { type: 'string' },
  namespace: { type: 'string', multiple: true },
  model: { type: 'string', multiple: true },
  node: { type: 'string', multiple: true },
  'gpu-model': { type: 'string', multiple: true },
  'forecast-model': { type: 'string' },
  capacity: { type: 'string' },
  'horizon-hours': { type: 'string' },
  'history-days': { type: 'string' },
  end: { type: 'string' },
  level: { type: 'string' },
  'target-utilisation': { type: 'string' },
  'throughput-per-gpu': { type: 'string' },
  'cold-start-minutes': { type: 'string' },
  prices: { type: 'string' },
  'price-gpu-model': { type: 'string' },
  'reserved-price': { type: 'string' },
  'on-demand-price': { type: 'string' },
  'spot-price': { type: 'string' },
  'interruptible-share': { type: 'string' },
  'spot-lost-gpu-hours': { type: 'string' },
  'spot-interruptions-per-day': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
  ...metricOverrides.flags,
} as const satisfies ParseArgsOptionsConfig;

export type CapacityFlagValues = ReturnType<typeof parseFlags<typeof CAPACITY_FLAGS>>;

function parseOptions(args: string[]): CapacityOptions | 'help' {
  const values = parseFlags(args, CAPACITY_COMMAND_FLAGS);
  if (values.help) {
    return 'help';
  }
  return { ...capacityOptions(values), whatIf: parseWhatIf(values['what-if']) };
}

/** The flags of `headroom capacity` alone: what-if launches. */
const CAPACITY_COMMAND_FLAGS = {
  ...CAPACITY_FLAGS,
  'what-if': { type: 'string', multiple: true },
} as const satisfies ParseArgsOptionsConfig;

/** The plan's options from the flags' values, checked; a bad value is a usage error naming its flag. */
export function capacityOptions(values: CapacityFlagValues): CapacityOptions {
  if (!values.prometheus) {
    throw new UsageError('--prometheus URL is required, e.g. --prometheus http://localhost:9090.');
  }
  if (values.target !== undefined && values.expr !== undefined) {
    throw new UsageError('give either --target or --expr, not both.');
  }
  let target: ForecastTarget | undefined;
  if (values.expr === undefined) {
    try {
      target = forecastTarget(values.target ?? 'gpus_allocated');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const number = (flag: string, text: string | undefined, ok: (x: number) => boolean, what: string) => {
    if (text === undefined) {
      return undefined;
    }
    const x = Number(text);
    if (text.trim() === '' || !ok(x)) {
      throw new UsageError(`--${flag} must be ${what}, got "${text}".`);
    }
    return x;
  };
  const positive = (x: number) => Number.isFinite(x) && x > 0;
  const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  const level = values.level ?? '95';
  if (level !== 'mean' && !FORECAST_LEVELS.map(String).includes(level)) {
    throw new UsageError(`--level must be one of 80, 95, mean, got "${level}".`);
  }
  const horizonHours =
    number(
      'horizon-hours',
      values['horizon-hours'],
      (x) => Number.isInteger(x) && x > 0,
      'a whole number of hours > 0'
    ) ?? 168;
  const historyDays = number('history-days', values['history-days'], positive, 'a positive number of days') ?? 28;
  checkHorizonFlag(horizonHours, historyDays);
  const interruptibleShare =
    number('interruptible-share', values['interruptible-share'], (x) => x >= 0 && x <= 1, 'a share in [0, 1]') ?? 0;
  const throughputText = values['throughput-per-gpu'];
  return {
    prometheusUrl: values.prometheus,
    catalog: metricOverrides.catalog(values),
    target,
    expr: values.expr,
    filters: {
      namespaces: values.namespace,
      servedModels: values.model,
      nodes: values.node,
      gpuModels: values['gpu-model'],
    },
    forecasters: forecastersNamed(values['forecast-model'] ?? AUTO_MODEL),
    capacity: number('capacity', values.capacity, positive, 'a positive number'),
    horizonHours,
    historyDays,
    endSeconds: parseTimeSeconds('--end', values.end),
    level,
    targetUtilisation:
      number('target-utilisation', values['target-utilisation'], (x) => x > 0 && x <= 1, 'a share in (0, 1]') ?? 0.8,
    throughputPerGpu:
      throughputText === CALIBRATED
        ? CALIBRATED
        : number('throughput-per-gpu', throughputText, positive, `a positive number or ${CALIBRATED}`),
    coldStartLeadSeconds:
      60 * (number('cold-start-minutes', values['cold-start-minutes'], nonNegative, 'minutes ≥ 0') ?? 15),
    ...pricesOf(values, number, interruptibleShare),
    interruptibleShare,
    spotInterruption: spotInterruptionOf(values, number),
    json: values.json ?? false,
  };
}

/** `--spot-lost-gpu-hours` turns interruption costing on; `--spot-interruptions-per-day` alone is refused. */
function spotInterruptionOf(
  values: Record<string, string | boolean | string[] | undefined>,
  number: NumberFlag
): CapacityOptions['spotInterruption'] {
  const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  const lost = number(
    'spot-lost-gpu-hours',
    values['spot-lost-gpu-hours'] as string | undefined,
    nonNegative,
    'GPU-hours ≥ 0'
  );
  const share = number(
    'spot-interruptions-per-day',
    values['spot-interruptions-per-day'] as string | undefined,
    nonNegative,
    'a share ≥ 0'
  );
  if (lost === undefined) {
    if (share !== undefined) {
      throw new UsageError('--spot-interruptions-per-day costs interruptions only with --spot-lost-gpu-hours.');
    }
    return undefined;
  }
  return { lostGpuHours: lost, sharePerDay: share };
}

/**
 * The horizon's bounds (engine/forecast/horizon.ts) checked on the flags, before Prometheus is asked: at most the
 * history asked for and at most a year of hours. The history Prometheus really holds is checked once it is read.
 */
function checkHorizonFlag(horizonHours: number, historyDays: number): void {
  const historyHours = Math.floor(historyDays * 24);
  if (horizonHours > MAX_HORIZON_STEPS) {
    throw new UsageError(
      `--horizon-hours ${horizonHours} is more than ${MAX_HORIZON_STEPS} hours, ${ABSOLUTE_BOUND_REASON}.`
    );
  }
  if (horizonHours > historyHours) {
    throw new UsageError(
      `--horizon-hours ${horizonHours} is longer than the history, --history-days ${historyDays} (${historyHours} h): ` +
        `${HISTORY_BOUND_REASON}. Use --horizon-hours ${historyHours} or less, or more --history-days.`
    );
  }
}

/** The history Prometheus holds is shorter than the horizon: said in the command's flags. */
function horizonBeyondHistory(error: HorizonTooLongError, samples: number, firstSeconds: number): UsageError {
  return new UsageError(
    `--horizon-hours ${error.horizonSteps} is longer than the history Prometheus holds, ${error.maxSteps} h ` +
      `(${duration(error.maxSteps * HOUR_SECONDS)}, ${samples} hourly samples from ${isoSeconds(firstSeconds)}): ` +
      `${HISTORY_BOUND_REASON}. Use --horizon-hours ${error.maxSteps} or less, or an --end with more history before it.`
  );
}

/** The models `--forecast-model` names: all of them for auto, else the one. */
function forecastersNamed(name: string): Forecaster[] {
  const all = defaultForecasters(loadAugursInNode());
  if (name === AUTO_MODEL) {
    return all;
  }
  const chosen = all.filter((model) => model.name === name);
  if (chosen.length === 0) {
    throw new UsageError(
      `--forecast-model must be ${AUTO_MODEL} or one of ${all.map((m) => m.name).join(', ')}, got "${name}".`
    );
  }
  return chosen;
}

type NumberFlag = (
  flag: string,
  text: string | undefined,
  ok: (x: number) => boolean,
  what: string
) => number | undefined;

/** The price list: --prices, one price for every GPU from the price flags, or (undefined) the list prices. */
function pricesOf(
  values: Record<string, string | boolean | string[] | undefined>,
  number: NumberFlag,
  interruptibleShare: number
): Pick<CapacityOptions, 'prices' | 'priceGpuModel'> {
  const text = (flag: string) => values[flag] as string | undefined;
  const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  const reserved = number('reserved-price', text('reserved-price'), nonNegative, 'a price ≥ 0');
  const onDemand = number(
    'on-demand-price',
    text('on-demand-price'),
    (x) => nonNegative(x) && x > 0,
    'a positive price'
  );
  const spot = number('spot-price', text('spot-price'), nonNegative, 'a price ≥ 0');
  const flagged = reserved !== undefined || onDemand !== undefined || spot !== undefined;
  if (flagged && onDemand === undefined) {
    throw new UsageError(
      'the price flags need --on-demand-price (with --reserved-price for a reserved recommendation).'
    );
  }
  if (flagged && (text('prices') !== undefined || text('price-gpu-model') !== undefined)) {
    throw new UsageError(
      '--reserved-price, --on-demand-price and --spot-price price every GPU: drop --prices and --price-gpu-model.'
    );
  }
  if (interruptibleShare > 0 && flagged && spot === undefined) {
    throw new UsageError('--interruptible-share runs on spot: give --spot-price too.');
  }
  if (flagged) {
    const source = 'the command line (--on-demand-price, --reserved-price, --spot-price)';
    return {
      prices: [
        {
          gpuModel: EVERY_GPU_MODEL,
          onDemandPerGpuHour: onDemand!,
          reservedPerGpuHour: reserved,
          spotPerGpuHour: spot,
          source,
        },
      ],
      priceGpuModel: EVERY_GPU_MODEL,
    };
  }
  return {
    prices: text('prices') === undefined ? undefined : readPriceFile(text('prices')!),
    priceGpuModel: text('price-gpu-model')?.trim() || undefined,
  };
}

/** What `--json` prints: the forecast and its provenance, then the engine's plan. */
export interface CapacityReport {
  target: { id: ForecastTargetId | 'expr'; label: string; unit: string; expr: string };
  history: {
    startSeconds: number;
    endSeconds: number;
    stepSeconds: number;
    lastSampleSeconds: number;
    samples: number;
  };
  forecast: { model: string; timestampsSeconds: number[]; mean: number[]; intervals: Record<string, Interval> };
  /** The forecast as the text output's table shows it: hourly, or the envelope of each block of hours. */
  forecastTable: ForecastTable;
  plan: CapacityPlan;
  /** With --what-if: the baseline (the same plan as `plan`) and the scenario side by side. */
  whatIf?: WhatIfResult;
  warnings: string[];
}

/** The report, or with --what-if the comparison beside the target and history. */
function jsonOf(report: CapacityReport): object {
  if (!report.whatIf) {
    return report;
  }
  const { baseline, scenario, difference, notes } = report.whatIf;
  const { target, history, warnings } = report;
  return { target, history, baseline, scenario, difference, notes, warnings };
}

type Range = { startSeconds: number; endSeconds: number; stepSeconds: number };

export async function buildReport(options: CapacityOptions): Promise<CapacityReport> {
  const client = createPrometheusClient(createFetchTransport(options.prometheusUrl));
  const { catalog } = options;
  const endSeconds = Math.floor((options.endSeconds ?? Date.now() / 1000) / HOUR_SECONDS) * HOUR_SECONDS;
  const range = { startSeconds: endSeconds - options.historyDays * DAY_SECONDS, endSeconds, stepSeconds: HOUR_SECONDS };
  const detection = await detectFamilies(client, range, catalog);
  const target = options.target;
  const warnings = options.expr === undefined ? await checkInput(client, catalog, detection, options, range) : [];
  // Counters are averaged over the whole hour each forecast value stands for.
  // The report names the PromQL read: a shipped record's series when it covers the history (docs/scale.md).
  const raw =
    options.expr ?? targetExpr(target!.id, catalog, detection, options.filters, { rateWindowSeconds: HOUR_SECONDS });
  const filtered = filterFlags(options.filters);
  const { series: history, expr } = await oneSeries(
    client,
    raw,
    range,
    options.expr === undefined ? target!.label : '--expr'
  ).catch((error: unknown) => {
    // Each filter value exists (checkInput): together they select nothing. A filtered query never reads a record.
    if (filtered && options.expr === undefined && error instanceof TargetUnavailableError) {
      throw new NoMatchError(
        `${filtered} together select no ${target!.label} between ${isoSeconds(range.startSeconds)} and ` +
          `${isoSeconds(range.endSeconds)}, although each value exists; drop one of them.\nquery: ${raw}`
      );
    }
    throw error;
  });

  // A preset's quantity has a known range (never below 0 GPUs, a ratio within [0, 1]); an --expr can be anything.
  const forecast = clampToRange(forecastOrExplain(history, options), target && UNIT_RANGES[target.unit]);
  const lastSampleSeconds = history.timestampsSeconds[history.timestampsSeconds.length - 1];
  if (endSeconds - lastSampleSeconds > 2 * HOUR_SECONDS) {
    warnings.push(
      `the newest sample is from ${isoSeconds(lastSampleSeconds)}; the forecast starts after it, not at --end.`
    );
  }
  // Bucket k of the hourly grid starts at a whole hour; the forecast continues from the bucket after the last one.
  const lastBucketSeconds = Math.floor(lastSampleSeconds / HOUR_SECONDS) * HOUR_SECONDS;
  const timestampsSeconds = forecast.mean.map((_, h) => lastBucketSeconds + (h + 1) * HOUR_SECONDS);
  const kind = demandKind(target?.unit, options.throughputPerGpu !== undefined);
  const fleet = { client, catalog, detection, range, filters: options.filters };
  const planInput = {
    label: target?.label ?? 'Custom expression',
    unit: target?.unit,
    forecast: { timestampsSeconds, mean: forecast.mean, intervals: forecast.intervals },
    demandLevel: options.level,
    targetUtilisation: options.targetUtilisation,
    coldStartLeadSeconds: options.coldStartLeadSeconds,
    throughput: await throughputOf(options.throughputPerGpu, kind, history, fleet),
    capacity: await capacityOf(options.capacity, kind, fleet),
    pricing: kind === 'other' ? undefined : await pricingOf(options, fleet, warnings),
  };
  const comparison = options.whatIf?.length ? whatIf(planInput, options.whatIf) : undefined;
  const plan = comparison?.baseline.plan ?? planCapacity(planInput);
  return {
    target: { id: target?.id ?? 'expr', label: target?.label ?? 'Custom expression', unit: plan.demand.unit, expr },
    history: { ...range, lastSampleSeconds, samples: history.values.length },
    forecast: { model: forecast.model, timestampsSeconds, mean: forecast.mean, intervals: forecast.intervals },
    forecastTable: forecastTable({ timestampsSeconds, ...forecast }, plan.capacity?.value),
    plan,
    // Only with --what-if, so the plain report's JSON keeps its keys.
    ...(comparison && { whatIf: comparison }),
    warnings,
  };
}

function forecastOrExplain(history: PromSeries, options: CapacityOptions) {
  try {
    return forecastRaw(
      { timestampsSeconds: history.timestampsSeconds, values: history.values },
      { stepSeconds: HOUR_SECONDS, horizonSteps: options.horizonHours, levels: FORECAST_LEVELS },
      options.forecasters
    );
  } catch (error) {
    if (error instanceof HorizonTooLongError && error.limit === 'history') {
      const first = history.timestampsSeconds.find((_, i) => history.values[i] !== null);
      throw horizonBeyondHistory(error, history.values.filter((v) => v !== null).length, first!);
    }
    throw error;
  }
}

/**
 * Before any forecast: a history entirely outside the data is told where the data is, and a filter value no series
 * carries is refused naming what exists (a value beside others that exist is a warning, returned).
 */
async function checkInput(
  client: PrometheusClient,
  catalog: MetricCatalog,
  detection: FamilyDetection,
  options: CapacityOptions,
  range: Range
): Promise<string[]> {
  if (
    !detection.dcgm &&
    !detection.dcgmProfiling &&
    !detection.vllm &&
    !detection.present.includes('kube_node_status_allocatable')
  ) {
    const outside = await explainOutsideData(
      client,
      gpuProbes(catalog),
      range,
      `The history ${isoSeconds(range.startSeconds)} – ${isoSeconds(range.endSeconds)} (--end, --history-days)`
    );
    if (outside) {
      throw outside;
    }
  }
  return requireFilterMatches(client, catalog, options.filters, range, detection);
}

/** `--namespace "a" --node "b"`: the filters given, as flags; empty without any. */
function filterFlags(filters: TargetFilters): string {
  return (Object.keys(FILTER_FLAGS) as Array<keyof typeof FILTER_FLAGS>)
    .flatMap((dimension) => (filters[dimension] ?? []).map((v) => `${FILTER_FLAGS[dimension]} ${JSON.stringify(v)}`))
    .join(' ');
}

/**
 * The expression's single series over the range (a shipped record's where it holds samples) and the PromQL read; a
 * custom expression that returns several is a usage error. `what` names the series for people; the PromQL follows on
 * a line of its own.
 */
async function oneSeries(
  client: PrometheusClient,
  raw: string,
  range: Range,
  what: string
): Promise<{ series: PromSeries; expr: string }> {
  const { result, expr } = await queryRangePreferringRecords(client, raw, range);
  const custom = what === '--expr';
  if (result.series.length > 1 && custom) {
    throw new UsageError(`--expr returned ${result.series.length} series; aggregate it to one, e.g. sum(...).`);
  }
  const series = result.series[0];
  if (!series || series.values.length === 0) {
    throw new TargetUnavailableError(
      `${what} has no samples between ${isoSeconds(range.startSeconds)} and ${isoSeconds(range.endSeconds)}; check ` +
        `--end and --history-days, and that the exporters are scraped.\nquery: ${expr}`
    );
  }
  return { series, expr };
}

interface Fleet {
  client: PrometheusClient;
  catalog: MetricCatalog;
  detection: FamilyDetection;
  range: Range;
  filters: TargetFilters;
}

/** --capacity in the target's unit; by default the fleet's GPUs, for demands a GPU count relates to. */
async function capacityOf(
  given: number | undefined,
  kind: DemandKind,
  fleet: Fleet
): Promise<CapacityInput | undefined> {
  if (given !== undefined) {
    return { value: given, unit: 'demand', source: 'flag' };
  }
  if (kind === 'other' || !fleet.detection.kubeStateMetrics) {
    return undefined;
  }
  // Whole-fleet capacity: the GPUs a namespace or a served model may grow into.
  const { nodes, gpuModels } = fleet.filters;
  const { series: capacity } = await oneSeries(
    fleet.client,
    targetExpr('gpu_capacity', fleet.catalog, fleet.detection, { nodes, gpuModels }),
    fleet.range,
    'GPU capacity'
  );
  return { value: capacity.values[capacity.values.length - 1], unit: 'gpus', source: 'gpu_capacity' };
}

/** The entered throughput, or for a throughput demand the histories to calibrate it from. */
async function throughputOf(
  given: CapacityOptions['throughputPerGpu'],
  kind: DemandKind,
  served: PromSeries,
  fleet: Fleet
): Promise<ThroughputInput | undefined> {
  if (typeof given === 'number') {
    return { perGpu: given };
  }
  if (kind === 'gpus' && given === CALIBRATED) {
    // The engine explains that a GPU count takes no throughput per GPU.
    return { unavailable: 'a GPU count is not calibrated.' };
  }
  if (kind !== 'throughput') {
    return undefined;
  }
  // Busy GPUs of the same namespaces and nodes; DCGM series carry no served-model label, so that filter cannot apply.
  const { namespaces, nodes, gpuModels } = fleet.filters;
  try {
    const { series: busy } = await oneSeries(
      fleet.client,
      targetExpr('gpus_busy', fleet.catalog, fleet.detection, { namespaces, nodes, gpuModels }),
      fleet.range,
      'Busy GPUs'
    );
    return { calibrateFrom: { served, busyGpus: busy } };
  } catch (error) {
    if (error instanceof TargetUnavailableError) {
      return { unavailable: error.message };
    }
    throw error;
  }
}

/** Prices (--prices, the price flags or the list prices) and the GPU models they apply to. */
async function pricingOf(options: CapacityOptions, fleet: Fleet, warnings: string[]): Promise<CostMixInput> {
  const prices = options.prices ?? listPrices();
  const common = {
    prices,
    interruptibleShare: options.interruptibleShare,
    spotInterruption: await spotInterruptionCost(options, fleet, warnings),
  };
  if (options.priceGpuModel) {
    const chosenBy = options.priceGpuModel === EVERY_GPU_MODEL ? 'the price flags' : '--price-gpu-model';
    return { ...common, fleet: { models: [{ gpuModel: options.priceGpuModel, gpus: 1 }], source: chosenBy } };
  }
  const { nodes, gpuModels } = fleet.filters;
  try {
    return {
      ...common,
      fleet: await fleetGpuModels(
        fleet.client,
        fleet.catalog,
        fleet.detection,
        { nodes, gpuModels },
        fleet.range.endSeconds
      ),
    };
  } catch (error) {
    if (error instanceof PrometheusError) {
      throw error;
    }
    return { ...common, fleet: { models: [], source: (error as Error).message } };
  }
}

/**
 * The interruption rate the mix is costed with: the flag's, else the churn of spot GPU nodes over the history (every
 * 5 minutes or coarser, within Prometheus' points limit). No spot node found: not costed, with a warning.
 */
async function spotInterruptionCost(
  options: CapacityOptions,
  fleet: Fleet,
  warnings: string[]
): Promise<SpotInterruptionCost | undefined> {
  const wanted = options.spotInterruption;
  if (!wanted) {
    return undefined;
  }
  if (wanted.sharePerDay !== undefined) {
    return { sharePerDay: wanted.sharePerDay, lostGpuHoursPerInterruption: wanted.lostGpuHours };
  }
  const { startSeconds, endSeconds } = fleet.range;
  const stepSeconds = chooseStepSeconds({ startSeconds, endSeconds }, { minStepSeconds: 300 });
  const churn = await fetchSpotChurn(fleet.client, fleet.catalog, { startSeconds, endSeconds, stepSeconds });
  if (churn.sharePerDay === undefined) {
    warnings.push(
      'no spot GPU node in kube-state-metrics over the history (kube_node_labels with ' +
        `${SPOT_NODE_LABELS.map((l) => `${l.label}="${l.value}"`).join(', ')}; kube-state-metrics exports a node label ` +
        'only when --metric-labels-allowlist names it): spot interruptions are not costed; give ' +
        '--spot-interruptions-per-day.'
    );
    return undefined;
  }
  warnings.push(
    `spot interruptions: ${churn.interruptedGpus} of the spot GPUs gone over ${number(churn.spotGpuDays)} spot ` +
      `GPU-days = ${number(churn.sharePerDay * 100)} % per day (node churn; scale-in counts too, so an upper bound).`
  );
  return { sharePerDay: churn.sharePerDay, lostGpuHoursPerInterruption: wanted.lostGpuHours };
}

function formatReport(report: CapacityReport): string {
  const { forecast, target, plan } = report;
  const first = forecast.timestampsSeconds[0];
  const last = forecast.timestampsSeconds[forecast.timestampsSeconds.length - 1];
  const lines = [
    `Capacity plan for ${target.label} (${target.unit}), ${isoSeconds(first)} – ${isoSeconds(last)}, model ${forecast.model}`,
    `  history: ${report.history.samples} hourly samples up to ${isoSeconds(report.history.lastSampleSeconds)}`,
    '',
    ...formatForecastTable(report.forecastTable, target.unit, isoSeconds),
    '',
  ];
  if (plan.capacity && plan.exhaustion) {
    const { exhaustion, capacity } = plan;
    const when = (t: number | undefined) => (t === undefined ? 'not within the horizon' : isoSeconds(t));
    const gpus = capacity.gpus === undefined || target.unit === 'GPUs' ? '' : ` = ${number(capacity.gpus)} GPUs`;
    lines.push(`Exhaustion of capacity ${number(capacity.value)} ${target.unit}${gpus} (${capacity.source})`);
    lines.push(`  mean forecast exceeds it:   ${when(exhaustion.meanCrossingSeconds)}`);
    for (const [level, t] of Object.entries(exhaustion.crossingSecondsByLevel)) {
      lines.push(`  ${level} % upper bound exceeds it: ${when(t)}`);
    }
    lines.push(
      `  highest hourly probability of exceeding it: ${percent(Math.max(...exhaustion.probabilityExceeding))}`
    );
    lines.push('');
  }
  if (plan.gpus) {
    const p = plan.gpus;
    const throughput =
      p.throughputSource === 'calibrated' && p.calibration
        ? `${number(p.throughputPerGpu)} ${target.unit} per GPU (calibrated, r² ${p.calibration.r2.toFixed(2)}, ` +
          `${p.calibration.samples} hours)`
        : p.throughputSource === 'entered'
          ? `${number(p.throughputPerGpu)} ${target.unit} per GPU (given)`
          : 'demand is in GPUs';
    const needed = p.gpusNeeded;
    const forecastPlanned =
      plan.demand.level === 'mean' ? 'the mean forecast' : `the ${plan.demand.level} % upper bound`;
    lines.push(`GPUs needed for ${forecastPlanned} at ${percent(p.targetUtilisation)} utilisation`);
    lines.push(`  throughput: ${throughput}`);
    lines.push(
      `  per hour: min ${Math.min(...needed)}, mean ${number(needed.reduce((s, g) => s + g, 0) / needed.length)}, ` +
        `peak ${p.peakGpus}`
    );
    lines.push('');
    lines.push(`Scale-out schedule (cold start ${number(p.coldStartLeadSeconds / 60)} min)`);
    lines.push(
      ...(p.schedule.length === 0
        ? ['  (no change)']
        : p.schedule.map(
            (s) =>
              `  ${isoSeconds(s.startAtSeconds)}  ${s.toGpus > s.fromGpus ? 'scale out' : 'scale in '} ${s.fromGpus} → ` +
              `${s.toGpus} GPUs${s.toGpus > s.fromGpus ? `, serving by ${isoSeconds(s.neededAtSeconds)}` : ''}`
          ))
    );
    lines.push('');
  }
  if (plan.mix) {
    const m = plan.mix;
    lines.push(`Reserved / on-demand / spot mix over ${forecast.mean.length} hours, priced as ${m.fleetSource}`);
    for (const model of m.byModel) {
      const price = model.price;
      lines.push(
        `  ${model.gpuModel} (${percent(model.share)} of the GPUs): ` +
          (price
            ? `on-demand ${money(price.onDemandPerGpuHour)}, reserved ` +
              `${price.reservedPerGpuHour === undefined ? 'none' : money(price.reservedPerGpuHour)} per GPU-hour ` +
              `from ${price.source}`
            : 'no price')
      );
      if (price) {
        lines.push(
          `    reserved GPUs: ${model.reservedGpus === undefined ? 'no reserved price known' : `${model.reservedGpus} (covers ${percent(model.quantile!)} of hours in full)`}` +
            `; cost per hour ${money(model.expectedCostPerHour!)}`
        );
      }
    }
    lines.push(`  on-demand GPU-hours: ${number(m.onDemandGpuHours)}; spot GPU-hours: ${number(m.spotGpuHours)}`);
    if (m.interruptionCostPerHour !== undefined) {
      lines.push(`  spot interruptions (work redone), in the cost: ${money(m.interruptionCostPerHour)} per hour`);
    }
    lines.push(
      `  cost per hour: ${money(m.expectedCostPerHour)} (all on-demand ${money(m.costAllOnDemandPerHour)}, ` +
        `saving ${money(m.savingsPerHour)})`
    );
    const unit = plan.unitCosts;
    if (unit) {
      lines.push(
        `  per GPU-hour: ${money(unit.costPerGpuHour)}` +
          (unit.costPerMillionTokens === undefined ? '' : `; per million tokens: ${money(unit.costPerMillionTokens)}`)
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function number(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function money(x: number): string {
  return x.toFixed(2);
}
