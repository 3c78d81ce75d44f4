/**
 * The `forecast` and `capacity` query types end to end: resolve the target to PromQL, fetch its hourly history,
 * forecast in the worker, and for `capacity` plan GPUs, schedule, cost mix and exhaustion on top.
 */
import { FieldType, type DataFrame } from '@grafana/data';
import { calibrateThroughput } from '../../engine/capacity';
import type { MetricCatalog } from '../../prometheus/catalog';
import { detectFamilies } from '../../prometheus/detect';
import {
  FORECAST_TARGETS,
  forecastTarget,
  targetExpr,
  type ForecastTargetId,
  type TargetFilters,
} from '../../prometheus/targets';
import type { PrometheusClient } from '../../prometheus/types';
import { gpuPricesOf, type HeadroomAppSettings } from '../appSettings';
import { FORECAST_DEFAULTS, type HeadroomQuery } from '../types';
import type { RunForecastOptions } from './forecastRunner';
import { CAPACITY_FIELD, capacityFrames } from './capacityFrames';
import { planCapacity } from './capacityPlan';
import { FORECAST_FRAMES } from './forecastFrames';
import {
  FORECAST_STEP_SECONDS,
  fetchHistory,
  forecastAnswerFrames,
  forecastSeries,
  parseHorizonHours,
  type ResolvedTarget,
} from './forecastQuery';

/** Sentinel `target` value: forecast the PromQL in `expr`. */
export const EXPR_TARGET = 'expr';
/** Sentinel `capacity` and `throughputPerGpu` values. */
export const CAPACITY_FROM_PRESET = 'gpu_capacity';
export const CALIBRATED = 'calibrated';

const GRAFANA_UNITS: Record<string, string> = {
  GPUs: 'suffix: GPUs',
  ratio: 'percentunit',
  'tokens/s': 'suffix: tokens/s',
  requests: 'suffix: requests',
};

export interface ForecastQueryContext extends RunForecastOptions {
  client: PrometheusClient;
  catalog: MetricCatalog;
  filters: TargetFilters;
  endMs: number;
  /** Loaded only when the query needs the business calendar or prices. */
  appSettings: () => Promise<HeadroomAppSettings>;
}

export async function runForecastQuery(query: HeadroomQuery, context: ForecastQueryContext): Promise<DataFrame[]> {
  const endSeconds = Math.floor(context.endMs / 1000);
  const resolve = (id: string) => resolvePreset(id, context, endSeconds);
  const target =
    query.target === EXPR_TARGET ? exprTarget(query.expr) : await resolve(query.target ?? FORECAST_DEFAULTS.target);
  const isCapacity = query.queryType === 'capacity';
  const settings = query.useCalendar || isCapacity ? await context.appSettings() : {};
  const events = query.useCalendar ? (settings.businessCalendar ?? []) : [];
  const answer = await forecastSeries(context.client, target, {
    refId: query.refId,
    endMs: context.endMs,
    horizonHours: parseHorizonHours(query.horizonHours, FORECAST_DEFAULTS.horizonHours),
    model: (query.model ?? '').trim() || FORECAST_DEFAULTS.model,
    events,
    onProgress: context.onProgress,
    signal: context.signal,
  });
  const frames = forecastAnswerFrames(answer, target, query.refId);
  if (!isCapacity) {
    return frames;
  }

  const capacityGpus = await capacityOf(query.capacity, context, resolve);
  const throughputPerGpu = await throughputOf(query.throughputPerGpu, target, answer.history.values, context, resolve);
  const price = priceFor(query.priceGpuModel, settings);
  const plan = planCapacity(answer.outcome, {
    capacityGpus,
    throughputPerGpu,
    targetUtilisation:
      numberIn(
        query.targetUtilisationPercent,
        FORECAST_DEFAULTS.targetUtilisationPercent,
        'Target utilisation (%)',
        1,
        100
      ) / 100,
    coldStartSeconds:
      numberIn(query.coldStartHours, FORECAST_DEFAULTS.coldStartHours, 'Cold-start lead (hours)', 0, 168) * 3600,
    demandLevel: query.demandLevel ?? FORECAST_DEFAULTS.demandLevel,
    price,
  });
  // The capacity in the forecast's unit, as a field of the forecast itself: any time series panel draws it as a line.
  const forecast = frames.find((frame) => frame.name === FORECAST_FRAMES.forecast)!;
  forecast.fields.push({
    name: CAPACITY_FIELD,
    type: FieldType.number,
    values: forecast.fields[0].values.map(() => plan.exhaustion.capacity),
    config: forecast.fields[1].config,
  });
  return [...frames, ...capacityFrames(plan, query.refId)];
}

function exprTarget(expr: string | undefined): ResolvedTarget {
  const text = (expr ?? '').trim();
  if (!text) {
    throw new Error('Enter a PromQL expression to forecast, or choose a preset target.');
  }
  return { expr: text, name: 'PromQL result' };
}

async function resolvePreset(id: string, context: ForecastQueryContext, endSeconds: number): Promise<ResolvedTarget> {
  const target = forecastTarget(id);
  // What this Prometheus holds decides the expression (profiling activity or not, renamed labels); one day is enough to see it.
  const detection = await detectFamilies(
    context.client,
    { startSeconds: endSeconds - 24 * FORECAST_STEP_SECONDS, endSeconds },
    context.catalog
  );
  const filters = Object.fromEntries(
    Object.entries(context.filters).filter(
      ([key, values]) => values?.length && target.filters.includes(key as keyof TargetFilters)
    )
  );
  return {
    expr: targetExpr(target.id, context.catalog, detection, filters),
    name: target.label,
    unit: GRAFANA_UNITS[target.unit],
  };
}

async function latestValue(target: ResolvedTarget, context: ForecastQueryContext): Promise<number> {
  const history = await fetchHistory(context.client, target, context.endMs);
  const last = [...history.values].reverse().find((v): v is number => v !== null);
  if (last === undefined) {
    throw new Error(`${target.name} has no value before the end of the range.`);
  }
  return last;
}

async function capacityOf(
  text: string | undefined,
  context: ForecastQueryContext,
  resolve: (id: ForecastTargetId) => Promise<ResolvedTarget>
): Promise<number> {
  const value = (text ?? '').trim() || FORECAST_DEFAULTS.capacity;
  if (value === CAPACITY_FROM_PRESET) {
    return latestValue(await resolve(CAPACITY_FROM_PRESET), context);
  }
  return numberIn(value, FORECAST_DEFAULTS.capacity, 'Capacity (GPUs)', Number.MIN_VALUE, Infinity);
}

/**
 * A number from a benchmark, or calibrated from history: served throughput (the target itself) regressed on busy
 * GPUs at the same hours.
 */
async function throughputOf(
  text: string | undefined,
  target: ResolvedTarget,
  served: Array<number | null>,
  context: ForecastQueryContext,
  resolve: (id: ForecastTargetId) => Promise<ResolvedTarget>
): Promise<number> {
  const value = (text ?? '').trim() || FORECAST_DEFAULTS.throughputPerGpu;
  if (value !== CALIBRATED) {
    return numberIn(value, FORECAST_DEFAULTS.throughputPerGpu, 'Throughput per GPU', Number.MIN_VALUE, Infinity);
  }
  const busy = await fetchHistory(context.client, await resolve('gpus_busy'), context.endMs);
  // Both histories end on the same hour; align them from the end.
  const n = Math.min(served.length, busy.values.length);
  const pairs = served.slice(-n).map((s, i) => [s, busy.values.slice(-n)[i]] as const);
  const usable = pairs.filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[1] !== null);
  const calibration = calibrateThroughput(
    usable.map(([s]) => s),
    usable.map(([, b]) => b)
  );
  if (!(calibration.throughputPerGpu > 0)) {
    throw new Error(
      `Calibrating throughput per GPU from ${target.name} and busy GPUs gave ${calibration.throughputPerGpu.toFixed(2)} ` +
        `(r² ${calibration.r2.toFixed(2)}); enter a benchmark number instead.`
    );
  }
  return calibration.throughputPerGpu;
}

function priceFor(gpuModel: string | undefined, settings: HeadroomAppSettings) {
  const prices = gpuPricesOf(settings);
  const wanted = (gpuModel ?? '').trim();
  const price = wanted ? prices.find((p) => p.gpuModel === wanted) : prices[0];
  if (!price) {
    throw new Error(
      `No prices for GPU model "${wanted}" in the app configuration; it has ${prices.map((p) => p.gpuModel).join(', ')}.`
    );
  }
  return price;
}

function numberIn(text: string | undefined, fallback: string, label: string, min: number, max: number): number {
  const raw = (text ?? '').trim() || fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? 'a positive number' : `a number from ${min} to ${max}`;
    throw new Error(`${label} must be ${range}, got "${raw}".`);
  }
  return value;
}

/** Presets offered by editors and the page: every target except capacity itself. */
export const FORECASTABLE_TARGETS = FORECAST_TARGETS.filter((t) => t.id !== CAPACITY_FROM_PRESET);
