/**
 * The launch what-if of a `capacity` query (its `whatIf` field, the text of engine/capacity/whatIfText.ts): the
 * scenario's forecast and plan as frames named like the baseline's with a `What-if ` prefix, so a page draws them with
 * the same panels, plus the hours whose GPUs change, the cost side by side and a summary for the sentence a person
 * reads. A launch that cannot be planned leaves the baseline whole and says why in the summary.
 */
import {
  CapacityInputError,
  parseLaunchEvents,
  planCapacity,
  whatIf,
  WhatIfRefusedError,
  type CapacityPlan,
  type CapacityPlanInput,
  type CostMix,
  type LaunchEvent,
  type PlanTotals,
  type WhatIfNote,
  type WhatIfRefusal,
  type WhatIfResult,
} from '../../engine/capacity';
import { whatIfValueText, withTexts, type WhatIfRow, type WhatIfValue } from '../frameTexts';
import type { Frame, FrameField } from '../types';
import { capacityFrames, GPU_UNIT } from './capacityFrames';
import { FORECAST_FIELDS } from './forecastFrames';

export const WHAT_IF_PREFIX = 'What-if ';
export const WHAT_IF_FRAMES = {
  summary: 'What-if summary',
  changedHours: 'What-if changed hours',
  costComparison: 'What-if cost comparison',
} as const;

/** `meta.custom` of the summary frame: the comparison, or why there is none. */
export type WhatIfSummaryMeta =
  | {
      headroom: 'what-if';
      events: LaunchEvent[];
      baseline: PlanTotals;
      scenario: PlanTotals;
      difference: WhatIfResult['difference'];
      /** Hours whose GPUs needed the launch raises, and lowers. */
      hoursMore: number;
      hoursFewer: number;
      /** The forecast's first and last hour, for a form checking an event against the horizon. */
      horizon: { startSeconds: number; endSeconds: number };
      notes: string[];
      /** The code of each note, in the same order (docs/i18n.md). */
      noteCodes: WhatIfNote[];
    }
  | { headroom: 'what-if'; error: string; refusal?: WhatIfRefusal };

/** The baseline plan, and the launch's comparison or why there is none (undefined: no launch asked for). */
export interface PlannedWhatIf {
  plan: CapacityPlan;
  whatIf?: WhatIfResult | { error: string; refusal?: WhatIfRefusal };
}

/** The baseline plan and, when `text` holds launch events, the scenario planned from the same input. */
export function planWithWhatIf(input: CapacityPlanInput, text: string | undefined): PlannedWhatIf {
  if (!text?.trim()) {
    return { plan: planCapacity(input) };
  }
  try {
    const result = whatIf(input, parseLaunchEvents([text]));
    return { plan: result.baseline.plan, whatIf: result };
  } catch (error) {
    if (!(error instanceof CapacityInputError)) {
      throw error;
    }
    // The launch is refused, the baseline stays: the summary says why.
    const refusal = error instanceof WhatIfRefusedError ? error.refusal : undefined;
    return { plan: planCapacity(input), whatIf: { error: error.message, refusal } };
  }
}

/**
 * The what-if's frames. `forecast` is the baseline's Forecast frame (capacity field included), whose fields the
 * scenario's copy keeps (time, capacity) or replaces (mean, bounds).
 */
export function whatIfFrames(outcome: PlannedWhatIf['whatIf'], forecast: Frame, refId: string, expr: string): Frame[] {
  if (!outcome) {
    return [];
  }
  if ('error' in outcome) {
    const meta: WhatIfSummaryMeta = { headroom: 'what-if', error: outcome.error, refusal: outcome.refusal };
    return [{ refId, name: WHAT_IF_FRAMES.summary, meta: { custom: { ...meta } }, fields: [] }];
  }
  const { baseline, scenario } = outcome;
  const prefixed = capacityFrames(scenario.plan, refId, expr).map((frame) => ({
    ...frame,
    name: WHAT_IF_PREFIX + frame.name,
  }));
  return [
    summaryFrame(outcome, refId),
    scenarioForecastFrame(forecast, outcome),
    ...prefixed,
    changedHoursFrame(outcome, refId),
    costComparisonFrame(baseline.plan.mix, scenario.plan.mix, baseline.totals, scenario.totals, refId),
  ];
}

function summaryFrame(result: WhatIfResult, refId: string): Frame {
  const base = result.baseline.plan.gpus?.gpusNeeded ?? [];
  const changed = result.scenario.plan.gpus?.gpusNeeded ?? [];
  const times = result.baseline.plan.timestampsSeconds;
  const meta: WhatIfSummaryMeta = {
    headroom: 'what-if',
    events: result.scenario.events,
    baseline: result.baseline.totals,
    scenario: result.scenario.totals,
    difference: result.difference,
    hoursMore: changed.filter((g, h) => g > base[h]).length,
    hoursFewer: changed.filter((g, h) => g < base[h]).length,
    horizon: { startSeconds: times[0], endSeconds: times[times.length - 1] },
    notes: result.notes,
    noteCodes: result.noteCodes,
  };
  return { refId, name: WHAT_IF_FRAMES.summary, meta: { custom: { ...meta } }, fields: [] };
}

/** The baseline's Forecast frame with the scenario's mean and bounds: the Forecast panel draws it unchanged. */
function scenarioForecastFrame(forecast: Frame, result: WhatIfResult): Frame {
  const { mean, intervals } = result.scenario.forecast;
  const valuesOf = (name: string): FrameField['values'] | undefined => {
    if (name === FORECAST_FIELDS.mean) {
      return mean;
    }
    const bound = /^(Lower|Upper) (.+)$/.exec(name);
    const band = bound && intervals[bound[2]];
    return band ? (bound[1] === 'Lower' ? band.lower : band.upper) : undefined;
  };
  return {
    ...forecast,
    name: WHAT_IF_PREFIX + forecast.name,
    fields: forecast.fields.map((field) => ({ ...field, values: valuesOf(field.name) ?? field.values })),
  };
}

/** Only the hours the launch changes: baseline GPUs, with the launch, and the difference. */
function changedHoursFrame(result: WhatIfResult, refId: string): Frame {
  const base = result.baseline.plan.gpus?.gpusNeeded ?? [];
  const changed = result.scenario.plan.gpus?.gpusNeeded ?? [];
  const hours = result.baseline.plan.timestampsSeconds.flatMap((t, h) =>
    changed[h] !== undefined && changed[h] !== base[h] ? [{ t, base: base[h], changed: changed[h] }] : []
  );
  const gpus = { unit: GPU_UNIT, decimals: 0 };
  return {
    refId,
    name: WHAT_IF_FRAMES.changedHours,
    fields: [
      { name: 'Time', type: 'time', values: hours.map((r) => r.t * 1000), config: { unit: 'time:YYYY-MM-DD HH:mm' } },
      { name: 'Baseline', type: 'number', values: hours.map((r) => r.base), config: gpus },
      { name: 'With the launch', type: 'number', values: hours.map((r) => r.changed), config: gpus },
      { name: 'Difference', type: 'number', values: hours.map((r) => r.changed - r.base), config: gpus },
    ],
  };
}

/** GPUs and GPU-hours are counted whole; money in cents. */
type Row = [row: WhatIfRow, kind: 'count' | 'usd', baseline: number | undefined, scenario: number | undefined];

/** Each row's label, in English, as the frame writes it (the unit in the label). */
export const WHAT_IF_ROWS = {
  'peak-gpus': 'Peak GPUs needed',
  'gpu-hours': 'GPU-hours',
  cost: 'Cost ($)',
  'expected-cost-per-hour': 'Expected cost ($ / h)',
  'reserved-gpus': 'Reserved GPUs',
  'on-demand-gpu-hours': 'On-demand GPU-hours',
  'spot-gpu-hours': 'Spot GPU-hours',
} as const;

const DECIMALS = { count: 0, usd: 2 } as const;

/** A cell's number as a code: its value rounded to the row's decimals, signed for a difference. */
function cellValue(value: number | undefined, kind: Row[1], signed = false): WhatIfValue | null {
  return value === undefined
    ? null
    : { code: 'what-if-value', value: Number(value.toFixed(DECIMALS[kind])), decimals: DECIMALS[kind], signed };
}

/**
 * The horizon's totals and the cost mix's, one row each (the unit in the label): baseline, with the launch,
 * difference. A Grafana table formats a whole column alike (one unit, one `decimals`) and these rows mix GPUs and
 * dollars, so each cell is written as text with its row's decimals and right-aligned like a number; a table with one
 * column per quantity would need eight columns in a half-width panel. The exact numbers stay in the summary frame.
 */
function costComparisonFrame(
  baseMix: CostMix | undefined,
  launchMix: CostMix | undefined,
  base: PlanTotals,
  launch: PlanTotals,
  refId: string
): Frame {
  const rows: Row[] = [
    ['peak-gpus', 'count', base.peakGpus, launch.peakGpus],
    ['gpu-hours', 'count', base.gpuHours, launch.gpuHours],
    ['cost', 'usd', base.cost, launch.cost],
    ['expected-cost-per-hour', 'usd', baseMix?.expectedCostPerHour, launchMix?.expectedCostPerHour],
    ['reserved-gpus', 'count', baseMix?.reservedGpus, launchMix?.reservedGpus],
    ['on-demand-gpu-hours', 'count', baseMix?.onDemandGpuHours, launchMix?.onDemandGpuHours],
    ['spot-gpu-hours', 'count', baseMix?.spotGpuHours, launchMix?.spotGpuHours],
  ];
  const known = rows.filter(([, , b, s]) => b !== undefined || s !== undefined);
  const cells = { noValue: '–', custom: { align: 'right' } };
  const baseline = known.map(([, kind, b]) => cellValue(b, kind));
  const withLaunch = known.map(([, kind, , s]) => cellValue(s, kind));
  const difference = known.map(([, kind, b, s]) =>
    b === undefined || s === undefined ? null : cellValue(s - b, kind, true)
  );
  const frame: Frame = {
    refId,
    name: WHAT_IF_FRAMES.costComparison,
    fields: [
      { name: 'Over the horizon', type: 'string', values: known.map(([row]) => WHAT_IF_ROWS[row]) },
      { name: 'Baseline', type: 'string', values: baseline.map(cellText), config: cells },
      { name: 'With the launch', type: 'string', values: withLaunch.map(cellText), config: cells },
      { name: 'Difference', type: 'string', values: difference.map(cellText), config: cells },
    ],
  };
  return withTexts(frame, {
    cells: {
      'Over the horizon': known.map(([row]) => ({ code: 'what-if-row', row })),
      Baseline: baseline,
      'With the launch': withLaunch,
      Difference: difference,
    },
  });
}

/** 16128 → "16,128"; a difference is signed ("+15", "−12.50", "±0") as the what-if sentence writes it. */
const cellText = (value: WhatIfValue | null): string | null => value && whatIfValueText(value);
