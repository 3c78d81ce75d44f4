/**
 * The frames a `capacity` query adds to the forecast's: GPUs needed per hour, the scaling schedule, the
 * reserved / on-demand / spot mix, and when capacity runs out.
 */
import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { ScaleStep } from '../../engine/capacity';

export const CAPACITY_FRAMES = {
  gpusNeeded: 'GPUs needed',
  schedule: 'Scaling schedule',
  costMix: 'Cost mix',
  exhaustion: 'Exhaustion',
} as const;

/** Field added to the Forecast frame: capacity in the forecast's unit, so any time series panel draws it. */
export const CAPACITY_FIELD = 'Capacity';

export const GPU_UNIT = 'suffix: GPUs';
const PER_HOUR_USD = 'currencyUSD';

/** `meta.custom` of the Exhaustion frame. */
export interface ExhaustionFrameMeta {
  headroom: 'exhaustion';
  /** In the forecast's unit. */
  capacity: number;
  meanCrossingSeconds?: number;
  crossingSecondsByLevel: Record<string, number | undefined>;
}

export interface CapacityPlan {
  timestampsSeconds: number[];
  gpusNeeded: number[];
  capacityGpus: number;
  schedule: ScaleStep[];
  mix: {
    gpuModel: string;
    reservedGpus: number;
    quantile: number;
    expectedCostPerHour: number;
    onDemandGpuHours: number;
    spotGpuHours: number;
    costAllOnDemandPerHour: number;
    savingsPerHour: number;
  };
  exhaustion: ExhaustionFrameMeta;
}

const ms = (seconds: number) => seconds * 1000;
/** Schedule steps fall on whole hours: seconds would only widen the two time columns past a half-width panel. */
const scheduleTime = { unit: 'time:YYYY-MM-DD HH:mm' };

export function capacityFrames(plan: CapacityPlan, refId: string): DataFrame[] {
  const gpus = { unit: GPU_UNIT, decimals: 0 };
  const usd = { unit: PER_HOUR_USD, decimals: 2 };
  const levels = Object.keys(plan.exhaustion.crossingSecondsByLevel).sort((a, b) => Number(a) - Number(b));
  const crossings: Array<[string, number | undefined]> = [
    ['Mean forecast', plan.exhaustion.meanCrossingSeconds],
    ...levels.map((level): [string, number | undefined] => [
      `Upper ${level} %`,
      plan.exhaustion.crossingSecondsByLevel[level],
    ]),
  ];
  return [
    createDataFrame({
      refId,
      name: CAPACITY_FRAMES.gpusNeeded,
      fields: [
        { name: 'Time', type: FieldType.time, values: plan.timestampsSeconds.map(ms) },
        { name: 'GPUs needed', type: FieldType.number, values: plan.gpusNeeded, config: gpus },
        {
          name: CAPACITY_FIELD,
          type: FieldType.number,
          values: plan.timestampsSeconds.map(() => plan.capacityGpus),
          config: gpus,
        },
      ],
    }),
    createDataFrame({
      refId,
      name: CAPACITY_FRAMES.schedule,
      fields: [
        { name: 'Action', type: FieldType.string, values: plan.schedule.map((s) => s.action) },
        {
          name: 'Start scaling at',
          type: FieldType.time,
          values: plan.schedule.map((s) => ms(s.startAtSeconds)),
          config: scheduleTime,
        },
        {
          name: 'Needed at',
          type: FieldType.time,
          values: plan.schedule.map((s) => ms(s.neededAtSeconds)),
          config: scheduleTime,
        },
        { name: 'From', type: FieldType.number, values: plan.schedule.map((s) => s.fromGpus), config: gpus },
        { name: 'To', type: FieldType.number, values: plan.schedule.map((s) => s.toGpus), config: gpus },
      ],
    }),
    createDataFrame({
      refId,
      name: CAPACITY_FRAMES.costMix,
      fields: [
        { name: 'GPU model', type: FieldType.string, values: [plan.mix.gpuModel] },
        { name: 'Reserved GPUs', type: FieldType.number, values: [plan.mix.reservedGpus], config: gpus },
        {
          name: 'Demand quantile',
          type: FieldType.number,
          values: [plan.mix.quantile],
          config: { unit: 'percentunit', decimals: 0 },
        },
        { name: 'Expected cost / h', type: FieldType.number, values: [plan.mix.expectedCostPerHour], config: usd },
        { name: 'All on-demand / h', type: FieldType.number, values: [plan.mix.costAllOnDemandPerHour], config: usd },
        { name: 'Savings / h', type: FieldType.number, values: [plan.mix.savingsPerHour], config: usd },
        {
          name: 'On-demand GPU-hours',
          type: FieldType.number,
          values: [plan.mix.onDemandGpuHours],
          config: { decimals: 1 },
        },
        { name: 'Spot GPU-hours', type: FieldType.number, values: [plan.mix.spotGpuHours], config: { decimals: 1 } },
      ],
    }),
    createDataFrame({
      refId,
      name: CAPACITY_FRAMES.exhaustion,
      meta: { custom: { ...plan.exhaustion } },
      fields: [
        { name: 'Forecast', type: FieldType.string, values: crossings.map(([label]) => label) },
        {
          name: 'Exceeds capacity at',
          type: FieldType.time,
          values: crossings.map(([, seconds]) => (seconds === undefined ? null : ms(seconds))),
          config: { noValue: 'not within horizon' },
        },
      ],
    }),
  ];
}
