/**
 * The capacity plan of a demand forecast, in one place for the command line and the data source: GPUs needed per
 * hour with the demand's unit handled, the scaling schedule, when capacity (in the demand's own unit) is exceeded,
 * and the reserved / on-demand / spot mix priced as the fleet's GPU models. The parts that cannot be computed for
 * this demand are left out, and `notes` says why.
 */
import { calibrateThroughputAt, type ThroughputCalibration, type TimedValues } from './calibrate';
import { costMix, type CostMix, type CostMixInput, type FleetSource } from './costMix';
import { CapacityInputError } from './errors';
import { insufficientHistoryTextOf, type InsufficientHistoryText } from '../series/errors';
import { exhaustionRisk, type ExhaustionRisk, type ForecastBands } from './exhaustion';
import { gpusNeeded } from './gpusNeeded';
import { scaleOutSchedule, type ScaleStep } from './schedule';
import { unitCosts, type UnitCosts } from './unitCosts';

/** The unit of demand that is already a GPU count. */
export const GPU_COUNT_UNIT = 'GPUs';
/** Units of served work, which GPUs turn out at some rate per GPU. */
const THROUGHPUT_UNITS: ReadonlySet<string> = new Set(['tokens/s']);
const TOKENS_PER_SECOND = 'tokens/s';

/**
 * How a demand relates to GPUs: a GPU count needs no conversion, a throughput needs a throughput per GPU, and
 * anything else (a ratio, a queue length) cannot be turned into GPUs at all.
 */
export type DemandKind = 'gpus' | 'throughput' | 'other';

/**
 * The kind of a demand from its unit. A custom expression has no known unit: it counts GPUs unless a throughput
 * per GPU is given for it (entered, or asked to be calibrated), which makes it a throughput.
 */
export function demandKind(unit: string | undefined, throughputPerGpuGiven: boolean): DemandKind {
  if (unit === undefined) {
    return throughputPerGpuGiven ? 'throughput' : 'gpus';
  }
  if (unit === GPU_COUNT_UNIT) {
    return 'gpus';
  }
  return THROUGHPUT_UNITS.has(unit) ? 'throughput' : 'other';
}

/** Throughput per GPU entered from a benchmark, or served throughput and busy GPUs to calibrate it from. */
export type ThroughputInput =
  | { perGpu: number }
  | { calibrateFrom: { served: TimedValues; busyGpus: TimedValues } }
  /** The histories could not be read (e.g. no DCGM series); the reason is passed on to the notes. */
  | { unavailable: string };

/** Capacity as a person or the fleet gives it: a GPU count, or an amount in the demand's own unit. */
export interface CapacityInput {
  value: number;
  unit: 'gpus' | 'demand';
  /** Where the value comes from, shown beside it: "entered", "gpu_capacity". */
  source: string;
}

export interface CapacityPlanInput {
  /** What is forecast, for notes: "Generated tokens/s". */
  label: string;
  /** `GPUs`, `tokens/s`, `ratio`, `requests`; undefined for a custom expression (see demandKind). */
  unit?: string;
  forecast: ForecastBands;
  /** The forecast the GPUs are planned for: `mean`, or an interval level whose upper bound is used ("95"). */
  demandLevel: string;
  /** Share of each GPU the plan may use, in (0, 1]. */
  targetUtilisation: number;
  coldStartLeadSeconds: number;
  throughput?: ThroughputInput;
  capacity?: CapacityInput;
  pricing?: CostMixInput;
}

export interface GpuPlan {
  /** Demand one fully busy GPU serves, in the demand's unit (1 for a GPU count). */
  throughputPerGpu: number;
  throughputSource: 'unit' | 'entered' | 'calibrated';
  calibration?: ThroughputCalibration;
  targetUtilisation: number;
  gpusNeeded: number[];
  peakGpus: number;
  coldStartLeadSeconds: number;
  schedule: ScaleStep[];
}

export interface CapacityPlan {
  demand: { label: string; unit: string; kind: DemandKind; level: string };
  timestampsSeconds: number[];
  /** Capacity in the demand's unit, and in GPUs where that is known. */
  capacity?: { value: number; gpus?: number; source: string };
  exhaustion?: ExhaustionRisk;
  gpus?: GpuPlan;
  mix?: CostMix;
  /** Cost per GPU-hour, and per million tokens for a tokens/s demand, of the mix. */
  unitCosts?: UnitCosts;
  /** Why a part of the plan is missing, or what it had to assume, for a person. */
  notes: string[];
  /** The same notes as codes and their figures, in the same order (planNoteText writes each note). */
  noteCodes: PlanNote[];
}

/** A note of the plan as a code and its figures. */
export type PlanNote =
  | { code: 'not-gpus'; label: string; unit: string; capacityInGpus: boolean }
  | { code: 'no-throughput'; label: string }
  /**
   * `reason`: why the histories could not be read or the calibration failed, as that error wrote it; `reasonText`:
   * the calibration's too short history as its code, for other languages.
   */
  | { code: 'throughput-not-calibrated'; label: string; reason: string; reasonText?: InsufficientHistoryText }
  /** `unit` undefined: a custom expression's. */
  | { code: 'capacity-not-convertible'; gpus: number; unit?: string }
  | { code: 'unknown-gpu-models'; source: string; sourceCode?: FleetSource }
  | { code: 'no-prices'; gpuModels: string[] }
  /** `note`: the model's own note in the cost mix (ModelCostMix.note). */
  | { code: 'cost-mix'; gpuModel: string; note: string };

/** The note in English, as `notes` writes it. */
export function planNoteText(note: PlanNote): string {
  const cannot = (label: string) => `${label} is a throughput, so GPUs are planned from a throughput per GPU`;
  switch (note.code) {
    case 'not-gpus':
      return (
        `${note.label} is measured in ${note.unit}, not in GPUs or a throughput: no GPUs are planned for it` +
        (note.capacityInGpus ? ', and a capacity in GPUs cannot be compared with it' : '') +
        '. Forecast allocated or busy GPUs, or generated tokens/s, to plan GPUs.'
      );
    case 'no-throughput':
      return `${cannot(note.label)}; none was entered or calibrated. Enter one from a benchmark.`;
    case 'throughput-not-calibrated':
      return `${cannot(note.label)}, and it could not be calibrated: ${note.reason} Enter one from a benchmark.`;
    case 'capacity-not-convertible':
      return (
        `The capacity of ${note.gpus} GPUs cannot be turned into ${note.unit ?? "the expression's unit"} without a ` +
        'throughput per GPU, so when it runs out is not shown.'
      );
    case 'unknown-gpu-models':
      return `The fleet's GPU models are unknown (${note.source}): the cost mix needs the model to price.`;
    case 'no-prices':
      return `No price for ${note.gpuModels.join(', ')} in the price list: the cost mix is not shown. Add the model's prices.`;
    case 'cost-mix':
      return `Cost mix: ${note.note}.`;
  }
}

export function planCapacity(input: CapacityPlanInput): CapacityPlan {
  const { forecast } = input;
  const kind = demandKind(input.unit, input.throughput !== undefined);
  const notes: PlanNote[] = [];
  const demand = demandSeries(forecast, input.demandLevel);
  const throughput = throughputOf(input, kind, notes);
  const capacity = input.capacity && capacityInDemandUnit(input, kind, throughput?.throughputPerGpu, notes);
  const plan: CapacityPlan = {
    demand: { label: input.label, unit: input.unit ?? GPU_COUNT_UNIT, kind, level: input.demandLevel },
    timestampsSeconds: [...forecast.timestampsSeconds],
    capacity,
    exhaustion: capacity ? exhaustionRisk(forecast, capacity.value) : undefined,
    // Every part named, unknown ones undefined, so a JSON rendering always has the same keys.
    gpus: undefined,
    mix: undefined,
    unitCosts: undefined,
    notes: [],
    noteCodes: notes,
  };
  if (!throughput) {
    return withNotes(plan);
  }
  const needed = gpusNeeded(demand, {
    throughputPerGpu: throughput.throughputPerGpu,
    targetUtilisation: input.targetUtilisation,
  });
  plan.gpus = {
    ...throughput,
    targetUtilisation: input.targetUtilisation,
    gpusNeeded: needed,
    peakGpus: Math.max(...needed),
    coldStartLeadSeconds: input.coldStartLeadSeconds,
    schedule: scaleOutSchedule(forecast.timestampsSeconds, needed, input.coldStartLeadSeconds),
  };
  if (input.pricing) {
    plan.mix = costMix(needed, input.pricing);
    notes.push(...pricingNotes(input.pricing, plan.mix));
    plan.unitCosts =
      plan.mix && unitCostsOf(plan.mix, needed, input.unit === TOKENS_PER_SECOND ? forecast.mean : undefined);
  }
  return withNotes(plan);
}

/** The plan with its notes written in English from their codes. */
function withNotes(plan: CapacityPlan): CapacityPlan {
  return { ...plan, notes: plan.noteCodes.map(planNoteText) };
}

function demandSeries(forecast: ForecastBands, level: string): number[] {
  const demand = level === 'mean' ? forecast.mean : forecast.intervals[level]?.upper;
  if (!demand) {
    throw new CapacityInputError(
      'demandLevel',
      `The forecast has no ${level} % interval to plan for; choose the mean or one of ` +
        `${Object.keys(forecast.intervals).join(', ')} %.`
    );
  }
  return demand;
}

type ThroughputChoice = Pick<GpuPlan, 'throughputPerGpu' | 'throughputSource' | 'calibration'>;

function throughputOf(input: CapacityPlanInput, kind: DemandKind, notes: PlanNote[]): ThroughputChoice | undefined {
  const given = input.throughput;
  const label = input.label;
  if (kind === 'other') {
    // A demand of another kind has a unit (demandKind).
    notes.push({ code: 'not-gpus', label, unit: input.unit!, capacityInGpus: input.capacity?.unit === 'gpus' });
    return undefined;
  }
  if (kind === 'gpus') {
    if (given && !('perGpu' in given && given.perGpu === 1)) {
      throw new CapacityInputError(
        'throughputPerGpu',
        `${input.label} is already counted in GPUs: a throughput per GPU applies to throughput targets (tokens/s) ` +
          'and custom expressions. Leave it empty.'
      );
    }
    return { throughputPerGpu: 1, throughputSource: 'unit' };
  }
  if (given && 'perGpu' in given) {
    return { throughputPerGpu: given.perGpu, throughputSource: 'entered' };
  }
  if (!given) {
    notes.push({ code: 'no-throughput', label });
    return undefined;
  }
  if ('unavailable' in given) {
    notes.push({ code: 'throughput-not-calibrated', label, reason: given.unavailable });
    return undefined;
  }
  try {
    const calibration = calibrateThroughputAt(given.calibrateFrom.served, given.calibrateFrom.busyGpus);
    return { throughputPerGpu: calibration.throughputPerGpu, throughputSource: 'calibrated', calibration };
  } catch (error) {
    const reasonText = insufficientHistoryTextOf(error);
    notes.push({
      code: 'throughput-not-calibrated',
      label,
      reason: (error as Error).message,
      ...(reasonText && { reasonText }),
    });
    return undefined;
  }
}

function capacityInDemandUnit(
  input: CapacityPlanInput,
  kind: DemandKind,
  throughputPerGpu: number | undefined,
  notes: PlanNote[]
): CapacityPlan['capacity'] {
  const given = input.capacity!;
  if (given.unit === 'demand') {
    return {
      value: given.value,
      gpus: throughputPerGpu === undefined ? undefined : given.value / throughputPerGpu,
      source: given.source,
    };
  }
  if (kind === 'gpus') {
    return { value: given.value, gpus: given.value, source: given.source };
  }
  if (kind === 'throughput' && throughputPerGpu !== undefined) {
    // What the fleet serves with every GPU flat out: the utilisation target is a planning buffer, not a limit.
    return { value: given.value * throughputPerGpu, gpus: given.value, source: given.source };
  }
  if (kind === 'throughput') {
    notes.push({ code: 'capacity-not-convertible', gpus: given.value, unit: input.unit });
  }
  return undefined;
}

function pricingNotes(pricing: CostMixInput, mix: CostMix | undefined): PlanNote[] {
  const { fleet } = pricing;
  if (fleet.models.length === 0) {
    return [{ code: 'unknown-gpu-models', source: fleet.source, sourceCode: fleet.sourceCode }];
  }
  if (!mix) {
    return [{ code: 'no-prices', gpuModels: fleet.models.map((m) => m.gpuModel) }];
  }
  return mix.byModel.flatMap((m) =>
    m.note ? [{ code: 'cost-mix' as const, gpuModel: m.gpuModel, note: m.note }] : []
  );
}

function unitCostsOf(mix: CostMix, needed: number[], tokensPerSecond: number[] | undefined): UnitCosts | undefined {
  const meanGpus = (needed.reduce((s, g) => s + g, 0) / needed.length) * mix.pricedShare;
  if (!(meanGpus > 0)) {
    return undefined;
  }
  // Tokens are served by every GPU: per-token cost only when every GPU is priced.
  const meanTokens =
    tokensPerSecond && mix.pricedShare === 1
      ? tokensPerSecond.reduce((s, v) => s + Math.max(0, v), 0) / tokensPerSecond.length
      : undefined;
  return unitCosts({ costPerHour: mix.expectedCostPerHour, gpus: meanGpus, tokensPerSecond: meanTokens });
}
