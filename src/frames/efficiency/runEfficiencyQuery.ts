/**
 * The `efficiency` query end to end: per-pod series from Prometheus (aggregated by pod in PromQL), the analysis
 * through the caller's runner (`run`: a Web Worker in the browser, in place in the backend), and frames for the chosen
 * view. The range is the dashboard's; its end is "now" for idle windows and the month's burn, so a dashboard looking
 * at last month shows last month's waste.
 */
import {
  DEFAULT_BUDGET_TIME_ZONE,
  monthStartText,
  priceCatalogOf,
  type BurnSeries,
  type PodUtilisation,
  type PriceCatalog,
  type WasteReport,
} from '../../engine/efficiency';
import type { MetricCatalog } from '../../prometheus/catalog';
import { fetchFleetState } from '../../prometheus/fleetState';
import { fetchMonthToDate } from '../../prometheus/monthToDate';
import { fetchPodActivity, fetchPodTensorActivity, type PodWindows } from '../../prometheus/podActivity';
import { fetchSpotChurn } from '../../prometheus/spotChurn';
import { chooseStepSeconds } from '../../prometheus/step';
import type { FleetFilters, PrometheusClient } from '../../prometheus/types';
import { gpuPricesOf, type HeadroomAppSettings } from '../appSettings';
import { CodedQueryError, CodedQueryModelError } from '../queryErrors';
import { podWindowsText, type ChoiceField, type CodedNotice } from '../frameTexts';
import type { Frame, FrameNotice } from '../types';
import { burnFrames, disagreementFrames, mfuFrames, spotFrames, wasteFrames } from './efficiencyFrames';
import type { EfficiencyOutcome, EfficiencyTask } from './efficiencyTask';

/** Which part of the efficiency analysis a query returns. */
export type EfficiencyView = 'waste' | 'mfu' | 'burn' | 'disagreements' | 'spot';

/** Rows of the waste table: one per pod, or pods summed by namespace or GPU model. */
export type WasteGroupBy = 'pod' | 'namespace' | 'gpuModel';

/** Which price of the catalog (app configuration) the GPU-hours are charged at. */
export type PricingTier = 'onDemand' | 'reserved' | 'spot';

/** The fields of a saved query (HeadroomQuery) the efficiency query type reads. */
export interface EfficiencyQuery {
  refId: string;
  queryType?: string;
  efficiencyView?: EfficiencyView;
  wasteGroupBy?: WasteGroupBy;
  pricingTier?: PricingTier;
}

/** Runs one analysis task: in a Web Worker in the browser, in place in the backend. */
export type EfficiencyRun = (task: EfficiencyTask) => Promise<EfficiencyOutcome>;

/** Points per pod series: a week at 5 minutes. Finer steps only repeat samples and grow the answer past tens of MB. */
export const MAX_POINTS_PER_POD = 2016;
/** Never finer than a minute: DCGM exporters scrape every 15–60 s and the idle rule counts samples, not scrapes. */
const MIN_STEP_SECONDS = 60;
const TIER_NAMES: Record<PricingTier, string> = { onDemand: 'on-demand', reserved: 'reserved', spot: 'spot' };

export interface EfficiencyQueryContext {
  client: PrometheusClient;
  catalog: MetricCatalog;
  filters: FleetFilters;
  fromMs: number;
  toMs: number;
  appSettings: () => Promise<HeadroomAppSettings>;
  /** Where the analysis runs. */
  run: EfficiencyRun;
  /** Aborts the Prometheus reads when whoever asked stops waiting (a cancelled call, a closed panel). */
  signal?: AbortSignal;
}

const warningsAsNotices = (warnings: string[]): FrameNotice[] =>
  warnings.map((text) => ({ severity: 'warning', text }));

/** Shown when the per-pod queries were read in windows: the step in use and why. */
const windowsNotices = (windows: PodWindows | undefined): CodedNotice[] => {
  if (!windows) {
    return [];
  }
  const code = { code: 'pod-windows' as const, ...windows };
  return [{ severity: 'info', text: podWindowsText(code), code }];
};

function rangeOf(context: EfficiencyQueryContext) {
  const range = { startSeconds: Math.floor(context.fromMs / 1000), endSeconds: Math.floor(context.toMs / 1000) };
  const stepSeconds = chooseStepSeconds(range, { minStepSeconds: MIN_STEP_SECONDS, maxPoints: MAX_POINTS_PER_POD });
  return { ...range, stepSeconds, filters: context.filters };
}

export function pricingTierOf(query: Pick<EfficiencyQuery, 'pricingTier'>): PricingTier {
  return oneOf<PricingTier>(query.pricingTier, Object.keys(TIER_NAMES) as PricingTier[], 'onDemand', 'pricing');
}

export async function runEfficiencyQuery(query: EfficiencyQuery, context: EfficiencyQueryContext): Promise<Frame[]> {
  const request = rangeOf(context);
  const range = { startSeconds: request.startSeconds, endSeconds: request.endSeconds };
  const view = query.efficiencyView ?? 'waste';
  const tier = pricingTierOf(query);
  const { client, catalog, signal } = context;

  if (view === 'waste') {
    const waste = await wasteAnalysis(query, context);
    return wasteFrames(waste.report, {
      refId: query.refId,
      groupBy: oneOf<WasteGroupBy>(query.wasteGroupBy, ['pod', 'namespace', 'gpuModel'], 'pod', 'rows'),
      activitySource: waste.activitySource,
      notices: waste.notices,
    });
  }

  if (view === 'mfu') {
    const tensor = await fetchPodTensorActivity(client, catalog, request, signal);
    if (tensor.pods.length === 0) {
      throw new CodedQueryError({ code: 'no-tensor-pods-error' });
    }
    const outcome = await context.run({
      kind: 'mfu',
      pods: tensor.pods,
      observedMaxSmClockMhz: tensor.observedMaxSmClockMhz,
    });
    if (outcome.kind !== 'mfu') {
      throw new Error('The efficiency worker answered an MFU task with another result.');
    }
    return mfuFrames(outcome.pods, {
      refId: query.refId,
      notices: [...windowsNotices(tensor.windows), ...warningsAsNotices([...tensor.warnings, ...outcome.warnings])],
    });
  }

  if (view === 'burn') {
    const { burn, notices } = await monthBurn(tier, range.endSeconds, context);
    return burnFrames(burn, { refId: query.refId, notices });
  }

  if (view === 'disagreements') {
    const state = await fetchFleetState(client, catalog, range.endSeconds, signal);
    return disagreementFrames(state.disagreements, query.refId);
  }
  if (view === 'spot') {
    const churn = await fetchSpotChurn(client, catalog, { ...range, stepSeconds: request.stepSeconds }, signal);
    return spotFrames(churn, query.refId);
  }
  throw new CodedQueryModelError({
    code: 'unknown-view-error',
    queryType: 'efficiency',
    view: String(view),
    allowed: ['waste', 'mfu', 'burn', 'disagreements', 'spot'],
  });
}

/** A choice typed into a query or set by a template variable; empty means the default. */
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, field: ChoiceField): T {
  const text = (value ?? '').trim();
  if (text === '') {
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(text)) {
    throw new CodedQueryModelError({ code: 'choice-error', field, allowed: [...allowed], got: text });
  }
  return text as T;
}

function pricesOf(settings: HeadroomAppSettings): PriceCatalog {
  return priceCatalogOf(gpuPricesOf(settings));
}

/** The waste analysis of the pods that held GPUs in the range, with the pods as analysed and the prices used. */
export interface WasteAnalysis {
  report: WasteReport;
  /** The pods as analysed, each with its GPU-equivalents and pricing tier. */
  pods: PodUtilisation[];
  prices: PriceCatalog;
  tier: PricingTier;
  activitySource: string;
  notices: CodedNotice[];
}

export async function wasteAnalysis(
  query: Pick<EfficiencyQuery, 'pricingTier'>,
  context: EfficiencyQueryContext
): Promise<WasteAnalysis> {
  const request = rangeOf(context);
  const tier = pricingTierOf(query);
  const [settings, activity] = await Promise.all([
    context.appSettings(),
    fetchPodActivity(context.client, context.catalog, request, context.signal),
  ]);
  if (activity.pods.length === 0) {
    throw new CodedQueryError({ code: 'no-gpu-pods-error' });
  }
  const pods = activity.pods.map((pod) => ({ ...pod, pricing: tier }));
  const prices = pricesOf(settings);
  const outcome = await context.run({ kind: 'waste', pods, options: { prices, nowSeconds: request.endSeconds } });
  if (outcome.kind !== 'waste') {
    throw new Error('The efficiency worker answered a waste task with another result.');
  }
  const notices: CodedNotice[] = [
    ...windowsNotices(activity.windows),
    {
      severity: 'info',
      text: settings.gpuPrices?.length
        ? `GPU-hours priced at ${TIER_NAMES[tier]} prices from the app configuration.`
        : `GPU-hours priced at the shipped ${TIER_NAMES[tier]} list prices.`,
    },
    ...warningsAsNotices([...activity.warnings, ...outcome.report.warnings]),
  ];
  return { report: outcome.report, pods, prices, tier, activitySource: activity.activitySource, notices };
}

/**
 * GPU-equivalents held per model each hour since the month began, priced, summed and projected to the month's end;
 * measured against `monthlyBudget` when given, else the app configuration's budget.
 */
export async function monthBurn(
  tier: PricingTier,
  nowSeconds: number,
  context: EfficiencyQueryContext,
  monthlyBudget?: number
): Promise<{ burn: BurnSeries; notices: FrameNotice[] }> {
  const settings = await context.appSettings();
  const budget = monthlyBudget ?? settings.monthlyBudget;
  const timeZone = settings.budgetTimeZone || DEFAULT_BUDGET_TIME_ZONE;
  const burn = await fetchMonthToDate(
    context.client,
    context.catalog,
    {
      nowSeconds,
      timeZone,
      filters: context.filters,
      prices: pricesOf(settings),
      tier,
      monthlyBudget: budget,
    },
    context.signal
  );
  const notices: FrameNotice[] = [
    {
      severity: 'info',
      text:
        `GPUs held by pods each hour since ${monthStartText(burn.monthStartSeconds, timeZone)} (a MIG instance as ` +
        `its share of a GPU), at ${TIER_NAMES[tier]} prices; the projection carries the observed rate to the ` +
        "month's end.",
    },
  ];
  if (burn.observedShareOfElapsed < 0.99) {
    notices.push({
      severity: 'warning',
      text:
        `Prometheus holds data for ${(burn.observedShareOfElapsed * 100).toFixed(0)} % of this month's hours so far: ` +
        'the month-to-date counts only those, the projection assumes the same rate for the rest.',
    });
  }
  if (burn.unpricedModels.length > 0) {
    notices.push({
      severity: 'warning',
      text: `No ${TIER_NAMES[tier]} price for ${burn.unpricedModels.join(', ')}: add it in the app configuration.`,
    });
  }
  if (budget === undefined) {
    notices.push({ severity: 'info', text: 'No monthly budget set: enter one in the app configuration.' });
  }
  return { burn, notices };
}
