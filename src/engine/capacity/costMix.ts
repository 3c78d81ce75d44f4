import { CapacityInputError } from './errors';
import { isoSeconds } from '../series/timeText';
import { reservedMix } from './reservedMix';

/** Prices per GPU-hour of one GPU model, and where they come from (a price list, a contract, a command-line flag). */
export interface GpuModelPrice {
  gpuModel: string;
  onDemandPerGpuHour: number;
  /** Absent, or not below on-demand, when no reserved price is known: then there is no reserved recommendation. */
  reservedPerGpuHour?: number;
  spotPerGpuHour?: number;
  source: string;
}

/** The GPU models the planned GPUs are priced as, with how many GPUs of each the fleet has (their weights). */
export interface FleetGpuModels {
  models: ReadonlyArray<{ gpuModel: string; gpus: number }>;
  /** How the models were found, for a person: "GPU capacity per model at 2025-02-03T00:00:00Z". */
  source: string;
  /** The same as a code and its figures, when the source is one of Headroom's own (fleetSourceText). */
  sourceCode?: FleetSource;
}

/** How the fleet's GPU models were found, as a code and its figures; an error's message has none. */
export type FleetSource =
  | { code: 'gpu-model-filter' }
  | { code: 'priced-as' }
  | { code: 'no-capacity-by-model'; gpuModelLabel: string; hostnameLabel: string }
  | { code: 'inventory'; atSeconds: number }
  | { code: 'no-inventory-capacity' };

/** The fleet source in English, as `FleetGpuModels.source` writes it. */
export function fleetSourceText(source: FleetSource): string {
  switch (source.code) {
    case 'gpu-model-filter':
      return 'the GPU model filter';
    case 'priced-as':
      return 'the model chosen in "Priced as"';
    case 'no-capacity-by-model':
      return (
        `no GPU capacity per model: it needs kube-state-metrics and DCGM series with the ` +
        `${source.gpuModelLabel} and ${source.hostnameLabel} labels`
      );
    case 'inventory':
      return `GPU capacity per model in the inventory, at ${isoSeconds(source.atSeconds)}`;
    case 'no-inventory-capacity':
      return 'no GPU capacity per model in the inventory in the day before the forecast';
  }
}

/** The fleet's models, found as `source` says. */
export function fleetFrom(
  models: FleetGpuModels['models'],
  source: FleetSource
): Required<Pick<FleetGpuModels, 'models' | 'source' | 'sourceCode'>> {
  return { models, source: fleetSourceText(source), sourceCode: source };
}

export interface CostMixInput {
  prices: readonly GpuModelPrice[];
  fleet: FleetGpuModels;
  /** Share of each hour's demand that tolerates interruption and runs on spot, in [0, 1]; default 0. */
  interruptibleShare?: number;
  /** How often spot GPUs are taken away and what each time costs; absent: interruptions are not costed. */
  spotInterruption?: SpotInterruptionCost;
}

export interface SpotInterruptionCost {
  /** Share of spot GPUs interrupted per day (`spotInterruptionRate`, from node churn). */
  sharePerDay: number;
  /** GPU-hours of work redone per interrupted GPU: half the checkpoint interval plus the restart, for example. */
  lostGpuHoursPerInterruption: number;
}

/** The mix for one GPU model's share of the planned GPUs. */
export interface ModelCostMix {
  gpuModel: string;
  /** This model's share of the fleet's GPUs, and so of the GPUs planned each hour. */
  share: number;
  /** Undefined when the price list has no row for the model: its share is not costed. */
  price?: GpuModelPrice;
  /** Undefined when no reserved price below on-demand is known: no recommendation, everything firm is on demand. */
  reservedGpus?: number;
  /** The newsvendor's critical ratio 1 − r/o; undefined without a reserved recommendation. */
  quantile?: number;
  expectedCostPerHour?: number;
  costAllOnDemandPerHour?: number;
  savingsPerHour?: number;
  onDemandGpuHours?: number;
  spotGpuHours?: number;
  /** Expected cost of redoing interrupted spot work, per hour (in expectedCostPerHour); with spotInterruption only. */
  interruptionCostPerHour?: number;
  /** Why a number is missing, for a person. */
  note?: string;
}

export interface CostMix {
  /** How the fleet's GPU models were found. */
  fleetSource: string;
  fleetSourceCode?: FleetSource;
  interruptibleShare: number;
  byModel: ModelCostMix[];
  /** Sums over the priced models; undefined where no model has the number. */
  reservedGpus?: number;
  expectedCostPerHour: number;
  costAllOnDemandPerHour: number;
  savingsPerHour: number;
  onDemandGpuHours: number;
  spotGpuHours: number;
  /** Sum over the priced models; undefined without spotInterruption. */
  interruptionCostPerHour?: number;
  /** Share of the planned GPUs that is priced (1 when every model has a price). */
  pricedShare: number;
}

/** What a model without a reserved price below on-demand shows instead of a reserved count. */
export const NO_RESERVED_PRICE_TEXT = 'no reserved price known';

/** Every number of a row, unknown until computed: a JSON rendering of any row has the same keys. */
const UNKNOWN_COSTS: Omit<ModelCostMix, 'gpuModel' | 'share'> = {
  price: undefined,
  reservedGpus: undefined,
  quantile: undefined,
  expectedCostPerHour: undefined,
  costAllOnDemandPerHour: undefined,
  savingsPerHour: undefined,
  onDemandGpuHours: undefined,
  spotGpuHours: undefined,
  interruptionCostPerHour: undefined,
  note: undefined,
};

/** Floating-point allowance when shares are summed back to one. */
const SHARE_TOLERANCE = 1e-9;

/**
 * The reserved / on-demand / spot mix of the GPUs planned each hour, priced as the fleet's GPU models
 * (docs/formulas.md, "Reserved vs on-demand"). A fleet of several models splits every hour's GPUs between them by
 * their share of the fleet's GPUs, and each model's share gets its own newsvendor decision at its own prices:
 * reserved = the (1 − r/o) quantile of that model's hourly demand. A model whose reserved price is unknown or not
 * below on-demand gets no reserved recommendation (reserving would save nothing, or nothing is known); its share
 * is costed all on demand. A model without a price row is left out of the costs, and its row says so.
 */
export function costMix(hourlyGpus: readonly number[], input: CostMixInput): CostMix | undefined {
  const interruptibleShare = input.interruptibleShare ?? 0;
  const totalGpus = input.fleet.models.reduce((sum, m) => sum + m.gpus, 0);
  input.fleet.models.forEach((m) => {
    if (!(Number.isFinite(m.gpus) && m.gpus >= 0)) {
      throw new CapacityInputError('fleet', `GPUs of model "${m.gpuModel}" must be zero or more, got ${m.gpus}.`);
    }
  });
  if (!(totalGpus > 0)) {
    return undefined;
  }
  const priceOf = new Map(input.prices.map((p) => [p.gpuModel.trim(), p]));
  const byModel = input.fleet.models
    .filter((m) => m.gpus > 0)
    .map((m): ModelCostMix => {
      const share = m.gpus / totalGpus;
      const price = priceOf.get(m.gpuModel.trim());
      if (!price) {
        return {
          ...UNKNOWN_COSTS,
          gpuModel: m.gpuModel,
          share,
          note: `no price for ${m.gpuModel}: its ${percent(share)} is not costed`,
        };
      }
      const demand = hourlyGpus.map((g) => g * share);
      const reservedKnown =
        price.reservedPerGpuHour !== undefined && price.reservedPerGpuHour < price.onDemandPerGpuHour;
      // Without a useful reserved price the mix is priced with reserved = on-demand: no GPU is reserved.
      const mix = reservedMix(
        demand,
        {
          reservedPerGpuHour: reservedKnown ? price.reservedPerGpuHour! : price.onDemandPerGpuHour,
          onDemandPerGpuHour: price.onDemandPerGpuHour,
          spotPerGpuHour: price.spotPerGpuHour,
        },
        { interruptibleShare }
      );
      const interruption =
        input.spotInterruption &&
        interruptionCostPerHour(mix.spotGpuHours, demand.length, price.spotPerGpuHour ?? 0, input.spotInterruption);
      const expected = mix.expectedCostPerHour + (interruption ?? 0);
      const costs = {
        expectedCostPerHour: expected,
        costAllOnDemandPerHour: mix.costAllOnDemandPerHour,
        savingsPerHour: mix.costAllOnDemandPerHour - expected,
        onDemandGpuHours: mix.onDemandGpuHours,
        spotGpuHours: mix.spotGpuHours,
        interruptionCostPerHour: interruption,
      };
      if (!reservedKnown) {
        return {
          ...UNKNOWN_COSTS,
          gpuModel: m.gpuModel,
          share,
          price,
          ...costs,
          note: `${NO_RESERVED_PRICE_TEXT} for ${m.gpuModel} (${reservedPriceText(price)}): no reserved recommendation`,
        };
      }
      return {
        ...UNKNOWN_COSTS,
        gpuModel: m.gpuModel,
        share,
        price,
        reservedGpus: mix.reservedGpus,
        quantile: mix.quantile,
        ...costs,
      };
    });
  const priced = byModel.filter((m) => m.price);
  if (priced.length === 0) {
    return undefined;
  }
  const sum = (
    key:
      'expectedCostPerHour' | 'costAllOnDemandPerHour' | 'onDemandGpuHours' | 'spotGpuHours' | 'interruptionCostPerHour'
  ) => priced.reduce((total, m) => total + m[key]!, 0);
  const recommended = priced.filter((m) => m.reservedGpus !== undefined);
  const pricedShare = priced.reduce((total, m) => total + m.share, 0);
  return {
    fleetSource: input.fleet.source,
    fleetSourceCode: input.fleet.sourceCode,
    interruptibleShare,
    byModel,
    reservedGpus: recommended.length > 0 ? recommended.reduce((total, m) => total + m.reservedGpus!, 0) : undefined,
    expectedCostPerHour: sum('expectedCostPerHour'),
    costAllOnDemandPerHour: sum('costAllOnDemandPerHour'),
    savingsPerHour: sum('costAllOnDemandPerHour') - sum('expectedCostPerHour'),
    onDemandGpuHours: sum('onDemandGpuHours'),
    spotGpuHours: sum('spotGpuHours'),
    interruptionCostPerHour: input.spotInterruption ? sum('interruptionCostPerHour') : undefined,
    pricedShare: Math.abs(pricedShare - 1) <= SHARE_TOLERANCE ? 1 : pricedShare,
  };
}

/**
 * Expected interruptions over the window = spot GPU-hours × share interrupted per day / 24; each redoes
 * `lostGpuHoursPerInterruption` GPU-hours on spot. Per hour of the window.
 */
function interruptionCostPerHour(
  spotGpuHours: number,
  hours: number,
  spotPerGpuHour: number,
  cost: SpotInterruptionCost
): number {
  const { sharePerDay, lostGpuHoursPerInterruption } = cost;
  if (!(Number.isFinite(sharePerDay) && sharePerDay >= 0)) {
    throw new CapacityInputError('spotInterruption', `The share interrupted per day must be ≥ 0, got ${sharePerDay}.`);
  }
  if (!(Number.isFinite(lostGpuHoursPerInterruption) && lostGpuHoursPerInterruption >= 0)) {
    throw new CapacityInputError(
      'spotInterruption',
      `The GPU-hours lost per interruption must be ≥ 0, got ${lostGpuHoursPerInterruption}.`
    );
  }
  return hours > 0 ? (spotGpuHours * (sharePerDay / 24) * lostGpuHoursPerInterruption * spotPerGpuHour) / hours : 0;
}

function reservedPriceText(price: GpuModelPrice): string {
  return price.reservedPerGpuHour === undefined
    ? 'the price list has none'
    : `reserved ${price.reservedPerGpuHour} is not below on-demand ${price.onDemandPerGpuHour} in ${price.source}`;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} % of the GPUs`;
}
