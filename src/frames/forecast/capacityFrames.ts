/**
 * The frames a `capacity` query adds to the forecast's: GPUs needed per hour, the scaling schedule, the
 * reserved / on-demand / spot mix per GPU model, and when capacity runs out, as plain values shared by the browser
 * data source and the backend. The plan itself is the engine's (engine/capacity/plan.ts), the same one the command
 * line prints.
 */
import {
  listPriceCitation,
  NO_RESERVED_PRICE_TEXT,
  type CapacityPlan,
  type PlanNote,
  type CostMix,
  type GpuPlan,
  type ModelCostMix,
} from '../../engine/capacity';
import { ENTERED_PRICE_SOURCE } from '../appSettings';
import {
  splitNotices,
  withTexts,
  type CodedNotice,
  type CostMixNote,
  type FrameText,
  type PriceSourceText,
} from '../frameTexts';
import type { Frame, FrameField, FrameFieldConfig, FrameNotice } from '../types';

export const CAPACITY_FRAMES = {
  gpusNeeded: 'GPUs needed',
  schedule: 'Scaling schedule',
  costMix: 'Cost mix',
  exhaustion: 'Exhaustion',
} as const;

/** Field added to the Forecast frame: capacity in the forecast's unit, so any time series panel draws it. */
export const CAPACITY_FIELD = 'Capacity';

export const GPU_UNIT = 'suffix: GPUs';
const USD = 'currencyUSD';

/** Cost mix row of all models together, when the fleet has several. */
export const COST_MIX_TOTAL = 'All priced models';

/** `meta.custom` of the Exhaustion frame. */
export interface ExhaustionFrameMeta {
  headroom: 'exhaustion';
  /** In the forecast's unit. */
  capacity: number;
  meanCrossingSeconds?: number;
  crossingSecondsByLevel: Record<string, number | undefined>;
}

/**
 * `meta.custom` of the GPUs needed frame: what `headroom plan export` reads from the plan besides the curve, so the
 * Forecast page builds the same objects from the answer it shows (engine/scaling/planManifests.ts).
 */
export interface GpuPlanFrameMeta {
  headroom: 'gpu-plan';
  label: string;
  level: string;
  /** The forecast's PromQL: the live signal of the KEDA prometheus trigger and the HPA. */
  expr: string;
  throughputPerGpu: number;
  targetUtilisation: number;
  coldStartLeadSeconds: number;
}

const ms = (seconds: number) => seconds * 1000;
/** Schedule steps fall on whole hours: seconds would only widen the two time columns past a half-width panel. */
const scheduleTime = { unit: 'time:YYYY-MM-DD HH:mm' };

/**
 * The plan's notes as frame notices, so the panel showing a missing part says why it is missing. Warnings: Grafana's
 * panel header shows one notice per severity (PanelHeaderNotices), and a missing part matters more than where the
 * GPU models came from (info).
 */
export function planNotices(plan: CapacityPlan): CodedNotice[] {
  return plan.notes.map((text, i) => ({ severity: 'warning', text, code: planNoteCode(plan, plan.noteCodes[i]) }));
}

function planNoteCode(plan: CapacityPlan, note: PlanNote): FrameText | undefined {
  if (note.code !== 'cost-mix') {
    return note;
  }
  const model = plan.mix?.byModel.find((m) => m.gpuModel === note.gpuModel);
  return model && { code: 'cost-mix-note', note: costMixNote(model) };
}

function costMixNote(m: ModelCostMix): CostMixNote['note'] {
  return m.price
    ? {
        code: 'no-reserved-price',
        gpuModel: m.gpuModel,
        reservedPerGpuHour: m.price.reservedPerGpuHour,
        onDemandPerGpuHour: m.price.onDemandPerGpuHour,
        source: m.price.source,
        sourceText: priceSourceText(m),
      }
    : noPrice(m);
}

/** A model without a price, with its share as the engine writes it in its note (engine/capacity/costMix.ts). */
function noPrice(m: ModelCostMix): Extract<PriceSourceText, { code: 'no-price' }> {
  return { code: 'no-price', gpuModel: m.gpuModel, sharePercent: Math.round(m.share * 1000) / 10 };
}

export function capacityFrames(plan: CapacityPlan, refId: string, expr: string): Frame[] {
  const gpus = { unit: GPU_UNIT, decimals: 0 };
  const { notices, texts } = splitNotices(planNotices(plan));
  const capacityGpus = plan.capacity?.gpus;
  const frames: Frame[] = [
    {
      refId,
      name: CAPACITY_FRAMES.gpusNeeded,
      meta: {
        notices,
        custom: { ...(plan.gpus ? gpuPlanMeta(plan, plan.gpus, expr) : {}), texts: { notices: texts } },
      },
      fields: plan.gpus
        ? [
            { name: 'Time', type: 'time', values: plan.timestampsSeconds.map(ms) },
            { name: 'GPUs needed', type: 'number', values: plan.gpus.gpusNeeded, config: gpus },
            ...(capacityGpus === undefined
              ? []
              : [
                  {
                    name: CAPACITY_FIELD,
                    type: 'number' as const,
                    values: plan.timestampsSeconds.map(() => capacityGpus),
                    config: gpus,
                  },
                ]),
          ]
        : [],
    },
    scheduleFrame(plan, refId, gpus),
    costMixFrame(plan.mix, refId, notices, texts),
  ];
  if (plan.capacity && plan.exhaustion) {
    frames.push(exhaustionFrame(plan, refId));
  }
  return frames;
}

function gpuPlanMeta(plan: CapacityPlan, gpus: GpuPlan, expr: string): GpuPlanFrameMeta {
  return {
    headroom: 'gpu-plan',
    label: plan.demand.label,
    level: plan.demand.level,
    expr,
    throughputPerGpu: gpus.throughputPerGpu,
    targetUtilisation: gpus.targetUtilisation,
    coldStartLeadSeconds: gpus.coldStartLeadSeconds,
  };
}

function scheduleFrame(plan: CapacityPlan, refId: string, gpus: FrameFieldConfig): Frame {
  const schedule = plan.gpus?.schedule ?? [];
  return {
    refId,
    name: CAPACITY_FRAMES.schedule,
    fields: [
      { name: 'Action', type: 'string', values: schedule.map((s) => s.action) },
      {
        name: 'Start scaling at',
        type: 'time',
        values: schedule.map((s) => ms(s.startAtSeconds)),
        config: scheduleTime,
      },
      {
        name: 'Needed at',
        type: 'time',
        values: schedule.map((s) => ms(s.neededAtSeconds)),
        config: scheduleTime,
      },
      { name: 'From', type: 'number', values: schedule.map((s) => s.fromGpus), config: gpus },
      { name: 'To', type: 'number', values: schedule.map((s) => s.toGpus), config: gpus },
    ],
  };
}

const USD_PER_HOUR = { unit: USD, decimals: 2, noValue: 'not costed' };
const GPU_HOURS = { decimals: 1 };
/** Columns a model's row and the total row both have, under the same key. */
const COST_COLUMNS: Array<[string, keyof CostMix & keyof ModelCostMix, FrameFieldConfig]> = [
  ['Expected cost / h', 'expectedCostPerHour', USD_PER_HOUR],
  ['All on-demand / h', 'costAllOnDemandPerHour', USD_PER_HOUR],
  ['Savings / h', 'savingsPerHour', USD_PER_HOUR],
  ['On-demand GPU-hours', 'onDemandGpuHours', GPU_HOURS],
  ['Spot GPU-hours', 'spotGpuHours', GPU_HOURS],
];

/** One row per GPU model priced, then the total when there are several; prices and their source beside each. */
function costMixFrame(
  mix: CostMix | undefined,
  refId: string,
  notices: FrameNotice[],
  noticeTexts: Record<string, FrameText>
): Frame {
  const rows = mix ? [...mix.byModel] : [];
  const total = mix && mix.byModel.length > 1 ? mix : undefined;
  // Missing values are null, which Grafana shows as the field's `noValue` and Arrow stores as a gap.
  const column = <T>(pick: (m: CostMix['byModel'][number]) => T | undefined, totalValue?: T) => [
    ...rows.map((m) => pick(m) ?? null),
    ...(total ? [totalValue ?? null] : []),
  ];
  const pricedFrom = mix && `GPU models priced from ${mix.fleetSource}.`;
  const frame: Frame = {
    refId,
    name: CAPACITY_FRAMES.costMix,
    meta: { notices: [...notices, ...(pricedFrom ? [{ severity: 'info' as const, text: pricedFrom }] : [])] },
    fields: [
      { name: 'GPU model', type: 'string', values: column((m) => m.gpuModel, COST_MIX_TOTAL) },
      {
        name: 'Share of GPUs',
        type: 'number',
        values: column((m) => m.share, total?.pricedShare),
        config: { unit: 'percentunit', decimals: 0 },
      },
      {
        name: 'Reserved GPUs',
        type: 'number',
        values: column((m) => m.reservedGpus, total?.reservedGpus),
        config: { unit: GPU_UNIT, decimals: 0, noValue: NO_RESERVED_PRICE_TEXT },
      },
      {
        name: 'Demand quantile',
        type: 'number',
        values: column((m) => m.quantile),
        config: { unit: 'percentunit', decimals: 0 },
      },
      ...COST_COLUMNS.map(([name, key, config]): FrameField => ({
        name,
        type: 'number',
        values: column((m) => m[key], total?.[key]),
        config,
      })),
      {
        name: 'On-demand / GPU-h',
        type: 'number',
        values: column((m) => m.price?.onDemandPerGpuHour),
        config: { unit: USD, decimals: 2, noValue: 'no price' },
      },
      {
        name: 'Reserved / GPU-h',
        type: 'number',
        values: column((m) => m.price?.reservedPerGpuHour),
        config: { unit: USD, decimals: 2, noValue: 'none' },
      },
      {
        name: 'Spot / GPU-h',
        type: 'number',
        values: column((m) => m.price?.spotPerGpuHour),
        config: { unit: USD, decimals: 2, noValue: 'none' },
      },
      { name: 'Price source', type: 'string', values: column((m) => m.price?.source ?? m.note) },
    ],
  };
  const source = mix?.fleetSourceCode;
  return withTexts(frame, {
    cells: { 'Price source': column(priceSourceText) },
    notices: pricedFrom && source ? { ...noticeTexts, [pricedFrom]: { code: 'priced-from', source } } : noticeTexts,
  });
}

/** The code of a row's Price source: a shipped or entered price, or the engine's note on a model without a price. */
function priceSourceText(m: ModelCostMix): PriceSourceText | null {
  if (!m.price) {
    return noPrice(m);
  }
  if (m.price.source === ENTERED_PRICE_SOURCE) {
    return { code: 'entered-price' };
  }
  const citation = listPriceCitation(m.price.source);
  return citation ? { code: 'list-price', citation } : null;
}

function exhaustionFrame(plan: CapacityPlan, refId: string): Frame {
  const exhaustion = plan.exhaustion!;
  const levels = Object.keys(exhaustion.crossingSecondsByLevel).sort((a, b) => Number(a) - Number(b));
  const crossings: Array<[string, number | undefined]> = [
    ['Mean forecast', exhaustion.meanCrossingSeconds],
    ...levels.map((level): [string, number | undefined] => [
      `Upper ${level} %`,
      exhaustion.crossingSecondsByLevel[level],
    ]),
  ];
  const meta: ExhaustionFrameMeta = {
    headroom: 'exhaustion',
    capacity: plan.capacity!.value,
    meanCrossingSeconds: exhaustion.meanCrossingSeconds,
    crossingSecondsByLevel: exhaustion.crossingSecondsByLevel,
  };
  return {
    refId,
    name: CAPACITY_FRAMES.exhaustion,
    meta: { custom: { ...meta } },
    fields: [
      { name: 'Forecast', type: 'string', values: crossings.map(([label]) => label) },
      {
        name: 'Exceeds capacity at',
        type: 'time',
        values: crossings.map(([, seconds]) => (seconds === undefined ? null : ms(seconds))),
        config: { noValue: 'not within horizon' },
      },
    ],
  };
}
