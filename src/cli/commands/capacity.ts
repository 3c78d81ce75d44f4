/**
 * `headroom capacity`: forecast a demand series from Prometheus and turn it into a capacity plan — when capacity
 * runs out, GPUs needed per hour, when to scale out, and the cheapest reserved / on-demand / spot mix.
 */

import {
  calibrateThroughput,
  CapacityInputError,
  exhaustionRisk,
  gpusNeeded,
  reservedMix,
  scaleOutSchedule,
  unitCosts,
  type ExhaustionRisk,
  type ReservedMix,
  type ScaleStep,
  type ThroughputCalibration,
  type UnitCosts,
} from '../../engine/capacity';
import type { Interval } from '../../engine/forecast';
import { defaultForecasters, forecastRaw } from '../../engine/forecast/pipeline';
import { InsufficientHistoryError } from '../../engine/series';
import { createCatalog, type MetricCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { detectFamilies, type FamilyDetection } from '../../prometheus/detect';
import { PrometheusError } from '../../prometheus/errors';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import {
  FORECAST_TARGETS,
  forecastTarget,
  targetExpr,
  TargetUnavailableError,
  type ForecastTarget,
  type ForecastTargetId,
  type TargetFilters,
} from '../../prometheus/targets';
import type { PrometheusClient, PromSeries } from '../../prometheus/types';
import { isoSeconds, parseFlags, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { reportCommandError } from '../reportError';
import { loadAugursInNode } from '../augursInNode';

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 86400;
const FORECAST_LEVELS = [80, 95];

const USAGE = `usage: headroom capacity --prometheus URL [options]

Forecasts a demand series hour by hour and plans capacity for it: when the forecast (mean and interval bounds)
exceeds capacity, GPUs needed per hour = ceil(upper bound / (throughput per GPU × target utilisation)), a scale-out
schedule that starts one cold-start lead before each rise, and the reserved / on-demand / spot mix that minimises
cost (reserved = the 1 − reserved/on-demand quantile of the hourly GPUs needed).

options:
  --prometheus URL            Prometheus base URL, e.g. http://localhost:9090 (required)
  --target ID                 what to forecast (default gpus_allocated): ${FORECAST_TARGETS.map((t) => t.id).join(', ')}
  --expr PROMQL               forecast this expression instead (one series; its unit is GPUs unless
                              --throughput-per-gpu says how much of it one GPU serves)
  --namespace NAME            only this namespace (repeatable)
  --model NAME                only this vLLM served model, model_name (repeatable)
  --capacity N                capacity in the target's unit (default for GPU targets: the fleet's gpu_capacity)
  --horizon-hours H           forecast horizon (default 168)
  --history-days D            history to fit on (default 28)
  --end TIME                  end of the history, ISO 8601 or unix seconds (default: now)
  --level P                   interval level whose upper bound the plan provisions for: 80 or 95 (default 95)
  --target-utilisation U      share of each GPU the plan may use, in (0, 1] (default 0.8)
  --throughput-per-gpu X      demand one GPU serves, in the target's unit (default: 1 for GPU targets; for
                              tokens_per_second calibrated from tokens/s against busy GPUs)
  --cold-start-minutes M      time from requesting a GPU to it serving (default 15)
  --reserved-price R          price per reserved GPU-hour   } both needed
  --on-demand-price O         price per on-demand GPU-hour  } for the mix
  --spot-price S              price per spot GPU-hour
  --interruptible-share F     share of demand that can run on spot, in [0, 1] (default 0; needs --spot-price)
  --json                      print the plan as JSON (unknown values are null)
`;

export const capacityCommand: CliCommand = {
  summary: 'forecast demand and plan GPUs, scale-out and reserved / on-demand / spot mix',
  async run(args: string[]): Promise<number> {
    try {
      const options = parseOptions(args);
      if (options === 'help') {
        process.stdout.write(USAGE);
        return 0;
      }
      const plan = await buildPlan(options);
      process.stdout.write(
        options.json
          ? `${JSON.stringify(plan, (_, v: unknown) => (v === undefined ? null : v), 2)}\n`
          : formatPlan(plan)
      );
      for (const warning of plan.warnings) {
        process.stderr.write(`warning: ${warning}\n`);
      }
      return 0;
    } catch (error) {
      return reportCommandError('capacity', error, {
        usage: [CapacityInputError],
        input: [PrometheusError, TargetUnavailableError, InsufficientHistoryError],
      });
    }
  },
};

interface CapacityOptions {
  prometheusUrl: string;
  target?: ForecastTarget;
  expr?: string;
  filters: TargetFilters;
  capacity?: number;
  horizonHours: number;
  historyDays: number;
  endSeconds?: number;
  level: number;
  targetUtilisation: number;
  throughputPerGpu?: number;
  coldStartLeadSeconds: number;
  prices?: { reservedPerGpuHour: number; onDemandPerGpuHour: number; spotPerGpuHour?: number };
  interruptibleShare: number;
  json: boolean;
}

function parseOptions(args: string[]): CapacityOptions | 'help' {
  const values = parseFlags(args, {
    prometheus: { type: 'string' },
    target: { type: 'string' },
    expr: { type: 'string' },
    namespace: { type: 'string', multiple: true },
    model: { type: 'string', multiple: true },
    capacity: { type: 'string' },
    'horizon-hours': { type: 'string' },
    'history-days': { type: 'string' },
    end: { type: 'string' },
    level: { type: 'string' },
    'target-utilisation': { type: 'string' },
    'throughput-per-gpu': { type: 'string' },
    'cold-start-minutes': { type: 'string' },
    'reserved-price': { type: 'string' },
    'on-demand-price': { type: 'string' },
    'spot-price': { type: 'string' },
    'interruptible-share': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    return 'help';
  }
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
  const level = number('level', values.level, (x) => FORECAST_LEVELS.includes(x), 'one of 80, 95') ?? 95;
  const reserved = number('reserved-price', values['reserved-price'], nonNegative, 'a price ≥ 0');
  const onDemand = number('on-demand-price', values['on-demand-price'], positive, 'a positive price');
  const spot = number('spot-price', values['spot-price'], nonNegative, 'a price ≥ 0');
  if ((reserved === undefined) !== (onDemand === undefined)) {
    throw new UsageError('the mix needs both --reserved-price and --on-demand-price.');
  }
  const interruptibleShare =
    number('interruptible-share', values['interruptible-share'], (x) => x >= 0 && x <= 1, 'a share in [0, 1]') ?? 0;
  if (interruptibleShare > 0 && spot === undefined) {
    throw new UsageError('--interruptible-share runs on spot: give --spot-price too.');
  }
  return {
    prometheusUrl: values.prometheus,
    target,
    expr: values.expr,
    filters: { namespaces: values.namespace, servedModels: values.model },
    capacity: number('capacity', values.capacity, positive, 'a positive number'),
    horizonHours:
      number(
        'horizon-hours',
        values['horizon-hours'],
        (x) => Number.isInteger(x) && x > 0,
        'a whole number of hours > 0'
      ) ?? 168,
    historyDays: number('history-days', values['history-days'], positive, 'a positive number of days') ?? 28,
    endSeconds: parseTimeSeconds('--end', values.end),
    level,
    targetUtilisation:
      number('target-utilisation', values['target-utilisation'], (x) => x > 0 && x <= 1, 'a share in (0, 1]') ?? 0.8,
    throughputPerGpu: number('throughput-per-gpu', values['throughput-per-gpu'], positive, 'a positive number'),
    coldStartLeadSeconds:
      60 * (number('cold-start-minutes', values['cold-start-minutes'], nonNegative, 'minutes ≥ 0') ?? 15),
    prices:
      reserved === undefined || onDemand === undefined
        ? undefined
        : { reservedPerGpuHour: reserved, onDemandPerGpuHour: onDemand, spotPerGpuHour: spot },
    interruptibleShare,
    json: values.json ?? false,
  };
}

export interface CapacityPlan {
  target: { id: ForecastTargetId | 'expr'; label: string; unit: string; expr: string };
  history: {
    startSeconds: number;
    endSeconds: number;
    stepSeconds: number;
    lastSampleSeconds: number;
    samples: number;
  };
  forecast: { model: string; timestampsSeconds: number[]; mean: number[]; intervals: Record<string, Interval> };
  capacity?: { value: number; source: 'flag' | 'gpu_capacity' };
  exhaustion?: ExhaustionRisk;
  plan?: {
    level: number;
    throughputPerGpu: number;
    throughputSource: 'flag' | 'unit' | 'calibrated';
    calibration?: ThroughputCalibration;
    targetUtilisation: number;
    gpusNeeded: number[];
    peakGpus: number;
    coldStartLeadSeconds: number;
    schedule: ScaleStep[];
  };
  mix?: ReservedMix & { interruptibleShare: number } & UnitCosts;
  warnings: string[];
}

async function buildPlan(options: CapacityOptions): Promise<CapacityPlan> {
  const client = createPrometheusClient(createFetchTransport(options.prometheusUrl));
  const catalog = createCatalog();
  const endSeconds = Math.floor((options.endSeconds ?? Date.now() / 1000) / HOUR_SECONDS) * HOUR_SECONDS;
  const range = { startSeconds: endSeconds - options.historyDays * DAY_SECONDS, endSeconds, stepSeconds: HOUR_SECONDS };
  const detection = await detectFamilies(client, range, catalog);
  const warnings: string[] = [];
  const target = options.target;
  // Counters are averaged over the whole hour each forecast value stands for.
  const expr =
    options.expr ?? targetExpr(target!.id, catalog, detection, options.filters, { rateWindowSeconds: HOUR_SECONDS });
  const history = await oneSeries(client, expr, range, options.expr !== undefined);

  const forecast = forecastRaw(
    { timestampsSeconds: history.timestampsSeconds, values: history.values },
    { stepSeconds: HOUR_SECONDS, horizonSteps: options.horizonHours, levels: FORECAST_LEVELS },
    defaultForecasters(loadAugursInNode())
  );
  const lastSampleSeconds = history.timestampsSeconds[history.timestampsSeconds.length - 1];
  if (endSeconds - lastSampleSeconds > 2 * HOUR_SECONDS) {
    warnings.push(
      `the newest sample is from ${isoSeconds(lastSampleSeconds)}; the forecast starts after it, not at --end.`
    );
  }
  // Bucket k of the hourly grid starts at a whole hour; the forecast continues from the bucket after the last one.
  const lastBucketSeconds = Math.floor(lastSampleSeconds / HOUR_SECONDS) * HOUR_SECONDS;
  const timestampsSeconds = forecast.mean.map((_, h) => lastBucketSeconds + (h + 1) * HOUR_SECONDS);
  const unit = target?.unit ?? 'GPUs';
  const plan: CapacityPlan = {
    target: { id: target?.id ?? 'expr', label: target?.label ?? 'Custom expression', unit, expr },
    history: { ...range, lastSampleSeconds, samples: history.values.length },
    forecast: { model: forecast.model, timestampsSeconds, mean: forecast.mean, intervals: forecast.intervals },
    // Present even when unknown, so the JSON always has the same keys (null when unknown).
    capacity: undefined,
    exhaustion: undefined,
    plan: undefined,
    mix: undefined,
    warnings,
  };

  const capacity = await chooseCapacity(options, unit, client, catalog, detection, range);
  if (capacity) {
    plan.capacity = capacity;
    plan.exhaustion = exhaustionRisk(plan.forecast, capacity.value);
  } else {
    warnings.push(`no capacity for ${unit}: give --capacity to see when the forecast runs out.`);
  }

  const throughput = await chooseThroughput(options, unit, history, client, catalog, detection, range);
  if (!throughput) {
    warnings.push(`${plan.target.label} is in ${unit}, not GPUs: give --throughput-per-gpu to plan GPUs for it.`);
    return plan;
  }
  const needed = gpusNeeded(forecast.intervals[String(options.level)].upper, {
    throughputPerGpu: throughput.throughputPerGpu,
    targetUtilisation: options.targetUtilisation,
  });
  plan.plan = {
    level: options.level,
    ...throughput,
    targetUtilisation: options.targetUtilisation,
    gpusNeeded: needed,
    peakGpus: Math.max(...needed),
    coldStartLeadSeconds: options.coldStartLeadSeconds,
    schedule: scaleOutSchedule(timestampsSeconds, needed, options.coldStartLeadSeconds),
  };
  if (options.prices) {
    const mix = reservedMix(needed, options.prices, { interruptibleShare: options.interruptibleShare });
    const meanGpus = needed.reduce((s, g) => s + g, 0) / needed.length;
    const meanTokensPerSecond =
      unit === 'tokens/s' ? forecast.mean.reduce((s, v) => s + Math.max(0, v), 0) / forecast.mean.length : undefined;
    plan.mix = {
      ...mix,
      interruptibleShare: options.interruptibleShare,
      ...(meanGpus > 0
        ? unitCosts({ costPerHour: mix.expectedCostPerHour, gpus: meanGpus, tokensPerSecond: meanTokensPerSecond })
        : { costPerGpuHour: NaN }),
    };
  }
  return plan;
}

/** The expression's single series over the range; a custom expression that returns several is a usage error. */
async function oneSeries(
  client: PrometheusClient,
  expr: string,
  range: { startSeconds: number; endSeconds: number; stepSeconds: number },
  custom: boolean
): Promise<PromSeries> {
  const result = await client.queryRange(expr, range);
  if (result.series.length > 1 && custom) {
    throw new UsageError(`--expr returned ${result.series.length} series; aggregate it to one, e.g. sum(...).`);
  }
  const series = result.series[0];
  if (!series || series.values.length === 0) {
    throw new TargetUnavailableError(
      `${expr} has no samples between ${isoSeconds(range.startSeconds)} and ${isoSeconds(range.endSeconds)}; check --end and ` +
        '--history-days, and that the exporters are scraped.'
    );
  }
  return series;
}

async function chooseCapacity(
  options: CapacityOptions,
  unit: string,
  client: PrometheusClient,
  catalog: MetricCatalog,
  detection: FamilyDetection,
  range: { startSeconds: number; endSeconds: number; stepSeconds: number }
): Promise<CapacityPlan['capacity']> {
  if (options.capacity !== undefined) {
    return { value: options.capacity, source: 'flag' };
  }
  if (unit !== 'GPUs' || !detection.kubeStateMetrics) {
    return undefined;
  }
  // Whole-fleet capacity: the GPUs a namespace or a served model may grow into.
  const capacity = await oneSeries(client, targetExpr('gpu_capacity', catalog, detection), range, false);
  return { value: capacity.values[capacity.values.length - 1], source: 'gpu_capacity' };
}

async function chooseThroughput(
  options: CapacityOptions,
  unit: string,
  served: PromSeries,
  client: PrometheusClient,
  catalog: MetricCatalog,
  detection: FamilyDetection,
  range: { startSeconds: number; endSeconds: number; stepSeconds: number }
): Promise<
  Pick<NonNullable<CapacityPlan['plan']>, 'throughputPerGpu' | 'throughputSource' | 'calibration'> | undefined
> {
  if (options.throughputPerGpu !== undefined) {
    return { throughputPerGpu: options.throughputPerGpu, throughputSource: 'flag' };
  }
  if (unit === 'GPUs') {
    return { throughputPerGpu: 1, throughputSource: 'unit' };
  }
  if (unit !== 'tokens/s') {
    return undefined;
  }
  // Busy GPUs of the same namespaces; DCGM series carry no served-model label, so that filter cannot apply here.
  const busy = await oneSeries(
    client,
    targetExpr('gpus_busy', catalog, detection, { namespaces: options.filters.namespaces }),
    range,
    false
  );
  const busyAt = new Map(busy.timestampsSeconds.map((t, i) => [t, busy.values[i]]));
  const calibration = calibrateThroughput(
    served.values,
    served.timestampsSeconds.map((t) => busyAt.get(t) ?? NaN)
  );
  return { throughputPerGpu: calibration.throughputPerGpu, throughputSource: 'calibrated', calibration };
}

function formatPlan(plan: CapacityPlan): string {
  const { forecast, target } = plan;
  const first = forecast.timestampsSeconds[0];
  const last = forecast.timestampsSeconds[forecast.timestampsSeconds.length - 1];
  const lines = [
    `Capacity plan for ${target.label} (${target.unit}), ${isoSeconds(first)} – ${isoSeconds(last)}, model ${forecast.model}`,
    `  history: ${plan.history.samples} hourly samples up to ${isoSeconds(plan.history.lastSampleSeconds)}`,
    '',
  ];
  if (plan.capacity && plan.exhaustion) {
    const { exhaustion } = plan;
    const when = (t: number | undefined) => (t === undefined ? 'not within the horizon' : isoSeconds(t));
    lines.push(`Exhaustion of capacity ${number(plan.capacity.value)} (${plan.capacity.source})`);
    lines.push(`  mean forecast exceeds it:   ${when(exhaustion.meanCrossingSeconds)}`);
    for (const [level, t] of Object.entries(exhaustion.crossingSecondsByLevel)) {
      lines.push(`  ${level} % upper bound exceeds it: ${when(t)}`);
    }
    lines.push(
      `  highest hourly probability of exceeding it: ${percent(Math.max(...exhaustion.probabilityExceeding))}`
    );
    lines.push('');
  }
  if (plan.plan) {
    const p = plan.plan;
    const throughput =
      p.throughputSource === 'calibrated' && p.calibration
        ? `${number(p.throughputPerGpu)} ${target.unit} per GPU (calibrated, r² ${p.calibration.r2.toFixed(2)}, ` +
          `${p.calibration.samples} hours)`
        : p.throughputSource === 'flag'
          ? `${number(p.throughputPerGpu)} ${target.unit} per GPU (given)`
          : 'demand is in GPUs';
    const needed = p.gpusNeeded;
    lines.push(`GPUs needed for the ${p.level} % upper bound at ${percent(p.targetUtilisation)} utilisation`);
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
    lines.push(`Reserved / on-demand / spot mix over ${forecast.mean.length} hours`);
    lines.push(`  reserved GPUs: ${m.reservedGpus} (covers ${percent(m.quantile)} of hours in full)`);
    lines.push(`  on-demand GPU-hours: ${number(m.onDemandGpuHours)}; spot GPU-hours: ${number(m.spotGpuHours)}`);
    lines.push(
      `  cost per hour: ${money(m.expectedCostPerHour)} (all on-demand ${money(m.costAllOnDemandPerHour)}, ` +
        `saving ${money(m.savingsPerHour)})`
    );
    lines.push(
      `  per GPU-hour: ${money(m.costPerGpuHour)}` +
        (m.costPerMillionTokens === undefined ? '' : `; per million tokens: ${money(m.costPerMillionTokens)}`)
    );
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
