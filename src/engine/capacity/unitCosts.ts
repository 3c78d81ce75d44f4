import { CapacityInputError } from './errors';

export interface UnitCostsInput {
  costPerHour: number;
  /** GPUs the cost pays for, on average over the same hours. */
  gpus: number;
  /** Tokens served per second on average over the same hours; omit when the fleet serves no tokens. */
  tokensPerSecond?: number;
}

export interface UnitCosts {
  costPerGpuHour: number;
  /** Undefined without a token rate (or with a rate of zero, when a token has no finite price). */
  costPerMillionTokens?: number;
}

const SECONDS_PER_HOUR = 3600;
const TOKENS_PER_MILLION = 1e6;

/** Cost per GPU-hour and per million tokens: one hour's cost over one hour's GPUs and one hour's tokens. */
export function unitCosts(input: UnitCostsInput): UnitCosts {
  const { costPerHour, gpus, tokensPerSecond } = input;
  if (!(Number.isFinite(costPerHour) && costPerHour >= 0)) {
    throw new CapacityInputError('costPerHour', `The cost per hour must be zero or positive, got ${costPerHour}.`);
  }
  if (!(Number.isFinite(gpus) && gpus > 0)) {
    throw new CapacityInputError('gpus', `Unit costs need a positive number of GPUs, got ${gpus}.`);
  }
  if (tokensPerSecond !== undefined && !(Number.isFinite(tokensPerSecond) && tokensPerSecond >= 0)) {
    throw new CapacityInputError(
      'tokensPerSecond',
      `Tokens per second must be zero or positive, got ${tokensPerSecond}.`
    );
  }
  const tokensPerHour = (tokensPerSecond ?? 0) * SECONDS_PER_HOUR;
  return {
    costPerGpuHour: costPerHour / gpus,
    costPerMillionTokens: tokensPerHour > 0 ? (costPerHour / tokensPerHour) * TOKENS_PER_MILLION : undefined,
  };
}
