/**
 * The `forecast` and `capacity` query types end to end: resolve the target to PromQL, fetch its hourly history,
 * forecast through the caller's runner (`run`: the browser's Web Worker, or in place in the backend), and for
 * `capacity` plan GPUs, schedule, cost mix and exhaustion on top.
 */
import {
  demandKind,
  fleetFrom,
  type CapacityInput,
  type CapacityPlan,
  type DemandKind,
  type FleetGpuModels,
  type ThroughputInput,
} from '../../engine/capacity';
import type { MetricCatalog } from '../../prometheus/catalog';
import { detectFamilies, type FamilyDetection } from '../../prometheus/detect';
import { fleetGpuModels } from '../../prometheus/fleetGpuModels';
import {
  FORECAST_TARGETS,
  forecastTarget,
  targetExpr,
  UNIT_RANGES,
  type ForecastTargetId,
  type TargetFilters,
} from '../../prometheus/targets';
import type { PrometheusClient } from '../../prometheus/types';
import { gpuPricesOf, type HeadroomAppSettings } from '../appSettings';
import { splitNotices, withTexts, type FrameTexts, type NumberField } from '../frameTexts';
import { CodedQueryError } from '../queryErrors';
import type { Frame } from '../types';
import { CAPACITY_FIELD, capacityFrames, planNotices } from './capacityFrames';
import { FORECAST_FRAMES, forecastTimestampsSeconds } from './forecastFrames';
import {
  FORECAST_STEP_SECONDS,
  fetchHistory,
  forecastAnswerFrames,
  forecastSeries,
  parseHorizonHours,
  type ForecastAnswer,
  type ResolvedTarget,
} from './forecastQuery';
import type { ForecastRun, RunForecastOptions } from './forecastTask';
import { planWithWhatIf, whatIfFrames } from './whatIfFrames';

export type DemandLevel = 'mean' | '80' | '95';

/** The fields of a saved query (HeadroomQuery) the forecast and capacity query types read. */
export interface ForecastQuery {
  refId: string;
  queryType?: string;
  /** A preset id from prometheus/targets.ts (`gpus_allocated`, ...), or `expr` for the PromQL in `expr`. */
  target?: string;
  /** PromQL returning one series, used when `target` is `expr`. */
  expr?: string;
  /** Hours to forecast. */
  horizonHours?: string;
  /** `auto`, or one model name of the forecast engine. */
  model?: string;
  /** Take the business calendar of the app's configuration into account. */
  useCalendar?: boolean;
  // Capacity only.
  /** GPUs available: a number, or `gpu_capacity` for the preset's latest value. */
  capacity?: string;
  /** Highest planned utilisation of a GPU, in percent. */
  targetUtilisationPercent?: string;
  /**
   * Demand one GPU serves at 100 %, in the target's unit, or `calibrated`. Empty: none for a GPU count, calibrated
   * for a throughput (tokens/s); a custom expression counts GPUs unless this is set.
   */
  throughputPerGpu?: string;
  /** Hours between asking for GPUs and serving with them (provisioning, image pull, model load). */
  coldStartHours?: string;
  /** Which forecast the GPUs are planned for: the mean or the upper bound of an interval. */
  demandLevel?: DemandLevel;
  /** GPU model whose prices (app configuration) price the cost mix. */
  priceGpuModel?: string;
  /**
   * Launch what-if: events `start=<ISO>,end=<ISO>,multiplier=<x>[,name=<text>]` separated by `;`
   * (engine/capacity/whatIfText.ts); the answer adds the scenario's frames (whatIfFrames.ts). Empty: none.
   */
  whatIf?: string;
}

export const FORECAST_DEFAULTS = {
  target: 'gpus_allocated',
  horizonHours: '168',
  model: 'auto',
  capacity: 'gpu_capacity',
  targetUtilisationPercent: '80',
  coldStartHours: '2',
  demandLevel: '80' as DemandLevel,
};

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
  /** Where the models run. */
  run: ForecastRun;
  /** False skips the held-out check of the forecast (ForecastTask.scoreHoldout). */
  scoreHoldout?: boolean;
}

/** What this Prometheus holds, looked up once per query however many presets it resolves. */
type Detect = () => Promise<FamilyDetection>;

/** A forecast or capacity query's frames, with the forecast and (capacity) the plan they show, for alert measures. */
export interface ForecastQueryAnswer {
  frames: Frame[];
  forecast: ForecastAnswer;
  plan?: CapacityPlan;
}

export async function runForecastQuery(query: ForecastQuery, context: ForecastQueryContext): Promise<Frame[]> {
  return (await answerForecastQuery(query, context)).frames;
}

export async function answerForecastQuery(
  query: ForecastQuery,
  context: ForecastQueryContext
): Promise<ForecastQueryAnswer> {
  // The query as saved is checked before Prometheus is asked anything.
  const horizonHours = parseHorizonHours(query.horizonHours, FORECAST_DEFAULTS.horizonHours);
  const endSeconds = Math.floor(context.endMs / 1000);
  let detection: Promise<FamilyDetection> | undefined;
  // Profiling activity or not, renamed labels: one day before the end is enough to see what exists.
  const detect: Detect = () =>
    (detection ??= detectFamilies(
      context.client,
      { startSeconds: endSeconds - 24 * FORECAST_STEP_SECONDS, endSeconds },
      context.catalog,
      context.signal
    ));
  const resolve = (id: string) => resolvePreset(id, context, detect);
  const target =
    query.target === EXPR_TARGET ? exprTarget(query.expr) : await resolve(query.target ?? FORECAST_DEFAULTS.target);
  const isCapacity = query.queryType === 'capacity';
  const settings = query.useCalendar || isCapacity ? await context.appSettings() : {};
  const events = query.useCalendar ? (settings.businessCalendar ?? []) : [];
  const throughputText = (query.throughputPerGpu ?? '').trim();
  const kind = demandKind(target.demandUnit, throughputText !== '');
  // The plan's capacity and GPU models do not depend on the forecast: read while it runs, awaited (and their errors
  // raised) after it, in the order they always were.
  const plansGpus = isCapacity && kind !== 'other';
  const capacity = plansGpus ? awaitedLater(capacityOf(query.capacity, context, resolve)) : undefined;
  const fleet = plansGpus ? awaitedLater(fleetOf(query, context, detect, endSeconds)) : undefined;
  const answer = await forecastSeries(context.client, target, {
    refId: query.refId,
    endMs: context.endMs,
    horizonHours,
    model: (query.model ?? '').trim() || FORECAST_DEFAULTS.model,
    events,
    onProgress: context.onProgress,
    signal: context.signal,
    run: context.run,
    scoreHoldout: context.scoreHoldout,
  });
  const frames = forecastAnswerFrames(answer, target, query.refId);
  if (!isCapacity) {
    return { frames, forecast: answer };
  }

  // A ratio or a queue length gets no GPU plan: nothing to compare it with in GPUs, nothing to price.
  const { plan, whatIf } = planWithWhatIf(
    {
      label: target.name,
      unit: target.demandUnit,
      forecast: {
        timestampsSeconds: forecastTimestampsSeconds(answer.outcome),
        mean: answer.outcome.mean,
        intervals: answer.outcome.intervals,
      },
      demandLevel: query.demandLevel ?? FORECAST_DEFAULTS.demandLevel,
      targetUtilisation:
        numberIn(
          query.targetUtilisationPercent,
          FORECAST_DEFAULTS.targetUtilisationPercent,
          'Target utilisation (%)',
          1,
          100
        ) / 100,
      coldStartLeadSeconds:
        numberIn(query.coldStartHours, FORECAST_DEFAULTS.coldStartHours, 'Cold-start lead (hours)', 0, 168) * 3600,
      throughput: await throughputOf(throughputText, kind, answer, context, resolve),
      capacity: await capacity,
      pricing: fleet && { prices: gpuPricesOf(settings), fleet: await fleet },
    },
    query.whatIf
  );
  const forecast = frames.find((frame) => frame.name === FORECAST_FRAMES.forecast)!;
  const plans = splitNotices(planNotices(plan));
  const forecastTexts = (forecast.meta?.custom?.texts ?? {}) as FrameTexts;
  Object.assign(
    forecast,
    withTexts(
      { ...forecast, meta: { ...forecast.meta, notices: [...(forecast.meta?.notices ?? []), ...plans.notices] } },
      { ...forecastTexts, notices: { ...forecastTexts.notices, ...plans.texts } }
    )
  );
  if (plan.capacity) {
    // The capacity in the forecast's unit, as a field of the forecast itself: any time series panel draws it as a line.
    const capacity = plan.capacity.value;
    forecast.fields.push({
      name: CAPACITY_FIELD,
      type: 'number',
      values: forecast.fields[0].values.map(() => capacity),
      config: forecast.fields[1].config,
    });
  }
  return {
    frames: [
      ...frames,
      ...capacityFrames(plan, query.refId, target.expr),
      ...whatIfFrames(whatIf, forecast, query.refId, target.expr),
    ],
    forecast: answer,
    plan,
  };
}

/** Work started now and awaited later: a rejection before the await is the awaiting code's, not an unhandled one. */
function awaitedLater<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}

/** The name a forecast of the query's own PromQL gives what it forecast (the panel shows it translated). */
export const PROMQL_TARGET_NAME = 'PromQL result';

function exprTarget(expr: string | undefined): ResolvedTarget {
  const text = (expr ?? '').trim();
  if (!text) {
    throw new Error('Enter a PromQL expression to forecast, or choose a preset target.');
  }
  return { expr: text, name: PROMQL_TARGET_NAME };
}

async function resolvePreset(id: string, context: ForecastQueryContext, detect: Detect): Promise<ResolvedTarget> {
  const target = forecastTarget(id);
  const filters = Object.fromEntries(
    Object.entries(context.filters).filter(
      ([key, values]) => values?.length && target.filters.includes(key as keyof TargetFilters)
    )
  );
  return {
    // Counters are averaged over the whole hour each forecast value stands for, as the command line does.
    expr: targetExpr(target.id, context.catalog, await detect(), filters, { rateWindowSeconds: FORECAST_STEP_SECONDS }),
    name: target.label,
    unit: GRAFANA_UNITS[target.unit],
    demandUnit: target.unit,
    range: UNIT_RANGES[target.unit],
  };
}

async function latestValue(target: ResolvedTarget, context: ForecastQueryContext): Promise<number> {
  const history = await fetchHistory(context.client, target, context.endMs, context.signal);
  const last = [...history.values].reverse().find((v): v is number => v !== null);
  if (last === undefined) {
    throw new CodedQueryError({ code: 'no-value-before-end-error', target: target.name });
  }
  return last;
}

async function capacityOf(
  text: string | undefined,
  context: ForecastQueryContext,
  resolve: (id: ForecastTargetId) => Promise<ResolvedTarget>
): Promise<CapacityInput> {
  const value = (text ?? '').trim() || FORECAST_DEFAULTS.capacity;
  if (value === CAPACITY_FROM_PRESET) {
    return { value: await latestValue(await resolve(CAPACITY_FROM_PRESET), context), unit: 'gpus', source: value };
  }
  return {
    value: numberIn(value, FORECAST_DEFAULTS.capacity, 'Capacity (GPUs)', Number.MIN_VALUE, Infinity),
    unit: 'gpus',
    source: 'entered',
  };
}

/**
 * Throughput per GPU for a throughput demand: a number from a benchmark, or (empty or `calibrated`) calibrated from
 * history, served throughput (the target itself) against busy GPUs at the same hours. A GPU count needs none.
 */
async function throughputOf(
  text: string,
  kind: DemandKind,
  served: ForecastAnswer,
  context: ForecastQueryContext,
  resolve: (id: ForecastTargetId) => Promise<ResolvedTarget>
): Promise<ThroughputInput | undefined> {
  if (text !== '' && text !== CALIBRATED) {
    return { perGpu: numberIn(text, '', 'Throughput per GPU', Number.MIN_VALUE, Infinity) };
  }
  if (kind === 'gpus' && text === CALIBRATED) {
    // The engine explains that a GPU count takes no throughput per GPU.
    return { unavailable: 'a GPU count is not calibrated.' };
  }
  if (kind !== 'throughput') {
    return undefined;
  }
  try {
    const busy = await fetchHistory(context.client, await resolve('gpus_busy'), context.endMs, context.signal);
    return { calibrateFrom: { served: served.history, busyGpus: busy } };
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}

/** The GPU models the plan is priced as: the one chosen in the query, else the fleet's (engine/capacity/costMix.ts). */
async function fleetOf(
  query: ForecastQuery,
  context: ForecastQueryContext,
  detect: Detect,
  endSeconds: number
): Promise<FleetGpuModels> {
  const chosen = (query.priceGpuModel ?? '').trim();
  if (chosen) {
    return fleetFrom([{ gpuModel: chosen, gpus: 1 }], { code: 'priced-as' });
  }
  const { nodes, gpuModels } = context.filters;
  try {
    return await fleetGpuModels(
      context.client,
      context.catalog,
      await detect(),
      { nodes, gpuModels },
      endSeconds,
      context.signal
    );
  } catch (error) {
    return { models: [], source: error instanceof Error ? error.message : String(error) };
  }
}

function numberIn(text: string | undefined, fallback: string, label: NumberField, min: number, max: number): number {
  const raw = (text ?? '').trim() || fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new CodedQueryError({ code: 'number-field-error', label, min, max: max === Infinity ? null : max, got: raw });
  }
  return value;
}

/** Presets offered by editors and the page: every target except capacity itself. */
export const FORECASTABLE_TARGETS = FORECAST_TARGETS.filter((t) => t.id !== CAPACITY_FROM_PRESET);
