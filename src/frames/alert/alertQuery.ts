/**
 * The `alert` query type: one number per series for Grafana's alert rules (reduce and threshold expressions). Each
 * measure is read from the same answer the panels show (forecast and capacity plan, fragmentation summary, waste
 * analysis, month's burn), so an alert and the panel beside it never disagree.
 *
 * The frame is what Grafana's server-side expressions read as a set of numbers (pkg/expr/converter.go, "Numeric
 * Table"): one frame, no time field, one number field, and string fields whose values become each number's labels
 * (docs/grafana-compatibility.md, "Alerting on Headroom queries").
 */
import type { CapacityPlan } from '../../engine/capacity';
import {
  monthBurn,
  pricingTierOf,
  wasteAnalysis,
  type EfficiencyQueryContext,
  type EfficiencyRun,
  type PricingTier,
} from '../efficiency/runEfficiencyQuery';
import { MAX_HORIZON_HOURS } from '../forecast/forecastQuery';
import type { ForecastRun } from '../forecast/forecastTask';
import {
  answerForecastQuery,
  EXPR_TARGET,
  FORECAST_DEFAULTS,
  type ForecastQuery,
  type ForecastQueryContext,
} from '../forecast/runForecastQuery';
import { SUMMARY_FIELDS } from '../fragmentation/fragmentationFrames';
import { fragmentationFrames, type FragmentationRun } from '../fragmentation/fragmentationQuery';
import { splitNotices, type FrameTexts } from '../frameTexts';
import { CodedQueryModelError } from '../queryErrors';
import type { Frame, FrameFieldConfig, FrameNotice } from '../types';

/** What an alert query measures; each answers one number per series. */
export const ALERT_MEASURES = {
  exhaustionProbability: { name: 'Exhaustion probability', config: { unit: 'percentunit', decimals: 1 } },
  daysToExhaustion80: { name: 'Days until upper 80 % exceeds capacity', config: { unit: 'd', decimals: 1 } },
  fragmentedShare: { name: 'Fragmented share of free GPUs', config: { unit: 'percentunit', decimals: 1 } },
  largestGang: { name: 'Largest placeable gang', config: { unit: 'suffix: GPUs', decimals: 0 } },
  idleGpus: { name: 'Idle GPUs', config: { unit: 'suffix: GPUs', decimals: 2 } },
  idleCostPerHour: { name: 'Idle cost per hour', config: { unit: 'currencyUSD', decimals: 2 } },
  budgetRatio: { name: 'Projected month spend / budget', config: { unit: 'percentunit', decimals: 0 } },
} as const satisfies Record<string, { name: string; config: FrameFieldConfig }>;

export type AlertMeasure = keyof typeof ALERT_MEASURES;

/** The fields of a saved query (HeadroomQuery) the alert query type reads, besides the forecast's and filters. */
export interface AlertQuery extends ForecastQuery {
  measure?: string;
  /** Days ahead the exhaustion probability looks (default 14, at most the forecast's 28). */
  withinDays?: string;
  pricingTier?: PricingTier;
  /** US dollars a month; empty takes the app configuration's budget. */
  monthlyBudget?: string;
  workloadDays?: string;
}

export const DEFAULT_WITHIN_DAYS = 14;
/** The plan's notes about pricing: a model's cost mix, no price, GPU models unknown, where the models came from. */
const COST_NOTICE_CODES: string[] = ['cost-mix-note', 'no-prices', 'unknown-gpu-models', 'priced-from'];
const DAY_SECONDS = 86_400;

/** What every measure reads, and where each analysis runs (a Web Worker in the browser, in place in the backend). */
export interface AlertQueryContext extends Omit<EfficiencyQueryContext, 'run'> {
  runForecast: ForecastRun;
  runEfficiency: EfficiencyRun;
  runFragmentation: FragmentationRun;
}

const forecastContext = (context: AlertQueryContext): ForecastQueryContext => ({
  ...context,
  endMs: context.toMs,
  run: context.runForecast,
  // The measures read the forecast and the plan only, never its accuracy.
  scoreHoldout: false,
});

const efficiencyContext = (context: AlertQueryContext): EfficiencyQueryContext => ({
  ...context,
  run: context.runEfficiency,
});

interface Row {
  labels: Record<string, string>;
  value: number | null;
}

export async function alertFrames(query: AlertQuery, context: AlertQueryContext): Promise<Frame[]> {
  const measure = (query.measure ?? '').trim();
  if (!(measure in ALERT_MEASURES)) {
    throw new CodedQueryModelError({ code: 'unknown-measure-error', measure, allowed: Object.keys(ALERT_MEASURES) });
  }
  const { rows, notices } = await measureRows(measure as AlertMeasure, query, context);
  return [measureFrame(measure as AlertMeasure, rows, query.refId, notices)];
}

async function measureRows(
  measure: AlertMeasure,
  query: AlertQuery,
  context: AlertQueryContext
): Promise<{ rows: Row[]; notices: FrameNotice[] }> {
  switch (measure) {
    case 'exhaustionProbability':
    case 'daysToExhaustion80':
      return capacityRows(measure, query, context);
    case 'fragmentedShare':
    case 'largestGang':
      return fragmentationRows(measure, query, context);
    case 'idleGpus':
    case 'idleCostPerHour':
      return idleRows(measure, query, context);
    case 'budgetRatio':
      return budgetRows(query, context);
  }
}

function withinDaysOf(query: AlertQuery): number {
  const raw = (query.withinDays ?? '').trim();
  const days = raw === '' ? DEFAULT_WITHIN_DAYS : Number(raw);
  const maxDays = MAX_HORIZON_HOURS / 24;
  if (!Number.isInteger(days) || days < 1 || days > maxDays) {
    throw new CodedQueryModelError({ code: 'within-days-error', maxDays, got: raw });
  }
  return days;
}

/** The forecast's series, named by its preset (or `expr`): the label a rule routes on. */
function targetLabels(query: AlertQuery): Record<string, string> {
  return { target: query.target === EXPR_TARGET ? EXPR_TARGET : (query.target ?? FORECAST_DEFAULTS.target) };
}

async function capacityRows(
  measure: 'exhaustionProbability' | 'daysToExhaustion80',
  query: AlertQuery,
  context: AlertQueryContext
): Promise<{ rows: Row[]; notices: FrameNotice[] }> {
  const horizonHours = measure === 'exhaustionProbability' ? String(withinDaysOf(query) * 24) : query.horizonHours;
  // The settings reach these numbers only through the calendar: the plan's prices feed a cost mix the measures drop,
  // so without the calendar the app's settings are not read at all (no request to Grafana, no notice about them).
  const settingsUsed = query.useCalendar ? context.appSettings : () => Promise.resolve({});
  const answer = await answerForecastQuery(
    { ...query, queryType: 'capacity', horizonHours },
    { ...forecastContext(context), appSettings: settingsUsed }
  );
  const plan = planWithExhaustion(answer.plan);
  const noticed = answer.frames.find((frame) => frame.meta?.notices);
  // The cost mix's notices (prices missing, where prices came from) say nothing about running out of GPUs.
  const codes = (noticed?.meta?.custom?.texts as FrameTexts | undefined)?.notices ?? {};
  const notices = (noticed?.meta?.notices ?? []).filter(
    (notice) => !COST_NOTICE_CODES.includes(codes[notice.text]?.code ?? '')
  );
  if (measure === 'exhaustionProbability') {
    // The highest hourly probability within the days asked: what `headroom capacity` prints as the risk.
    return {
      rows: [{ labels: targetLabels(query), value: Math.max(0, ...plan.exhaustion.probabilityExceeding) }],
      notices,
    };
  }
  const crossingSeconds = plan.exhaustion.crossingSecondsByLevel['80'];
  // Not within the horizon: no value (Grafana reads NaN: `gt`/`lt` thresholds do not fire), not a made-up number of days.
  const days = crossingSeconds === undefined ? null : (crossingSeconds - context.toMs / 1000) / DAY_SECONDS;
  return { rows: [{ labels: targetLabels(query), value: days }], notices };
}

function planWithExhaustion(
  plan: CapacityPlan | undefined
): CapacityPlan & { exhaustion: NonNullable<CapacityPlan['exhaustion']> } {
  if (!plan?.capacity || !plan.exhaustion) {
    throw new CodedQueryModelError({ code: 'no-capacity-error' });
  }
  return plan as CapacityPlan & { exhaustion: NonNullable<CapacityPlan['exhaustion']> };
}

async function fragmentationRows(
  measure: 'fragmentedShare' | 'largestGang',
  query: AlertQuery,
  context: AlertQueryContext
): Promise<{ rows: Row[]; notices: FrameNotice[] }> {
  const [summary] = await fragmentationFrames(
    { refId: query.refId, fragmentationView: 'summary', workloadDays: query.workloadDays },
    context,
    context.runFragmentation
  );
  const name = measure === 'fragmentedShare' ? SUMMARY_FIELDS.fragmentedShare : SUMMARY_FIELDS.largestGang;
  const value = summary.fields.find((field) => field.name === name)?.values[0];
  return {
    rows: [{ labels: {}, value: typeof value === 'number' ? value : null }],
    notices: summary.meta?.notices ?? [],
  };
}

/** Idle GPUs (GPU-equivalents of the pods idle now) and what they cost an hour, per namespace. */
async function idleRows(
  measure: 'idleGpus' | 'idleCostPerHour',
  query: AlertQuery,
  context: AlertQueryContext
): Promise<{ rows: Row[]; notices: FrameNotice[] }> {
  const waste = await wasteAnalysis(query, efficiencyContext(context));
  const held = new Map(waste.pods.map((pod) => [pod.pod, pod.gpuCount ?? 1]));
  const byNamespace = new Map<string, number>();
  for (const pod of waste.report.pods) {
    // A pod without samples in the idle window no longer holds its GPUs.
    if (pod.idle === undefined) {
      continue;
    }
    const gpus = pod.idle ? held.get(pod.pod)! : 0;
    const price = waste.prices[pod.gpuModel]?.[waste.tier] ?? 0;
    const value = measure === 'idleGpus' ? gpus : gpus * price;
    byNamespace.set(pod.namespace, (byNamespace.get(pod.namespace) ?? 0) + value);
  }
  const rows = [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, value]) => ({ labels: { namespace }, value }));
  return { rows, notices: splitNotices(waste.notices).notices };
}

async function budgetRows(
  query: AlertQuery,
  context: AlertQueryContext
): Promise<{ rows: Row[]; notices: FrameNotice[] }> {
  const raw = (query.monthlyBudget ?? '').trim();
  const entered = raw === '' ? undefined : Number(raw);
  if (entered !== undefined && !(entered > 0 && Number.isFinite(entered))) {
    throw new CodedQueryModelError({ code: 'monthly-budget-error', got: raw });
  }
  const { burn, notices } = await monthBurn(
    pricingTierOf(query),
    Math.floor(context.toMs / 1000),
    efficiencyContext(context),
    entered
  );
  if (burn.projectedShareOfBudget === undefined) {
    throw new CodedQueryModelError({ code: 'no-monthly-budget-error' });
  }
  return { rows: [{ labels: {}, value: burn.projectedShareOfBudget }], notices };
}

/** One row per series: a string field per label, then the number (Grafana's numeric table). */
function measureFrame(measure: AlertMeasure, rows: Row[], refId: string, notices: FrameNotice[]): Frame {
  const labelNames = [...new Set(rows.flatMap((row) => Object.keys(row.labels)))].sort();
  const { name, config } = ALERT_MEASURES[measure];
  return {
    refId,
    name,
    meta: { custom: { headroom: 'alert', measure }, notices },
    fields: [
      ...labelNames.map((label) => ({
        name: label,
        type: 'string' as const,
        values: rows.map((row) => row.labels[label] ?? ''),
      })),
      { name, type: 'number', values: rows.map((row) => row.value), config },
    ],
  };
}
