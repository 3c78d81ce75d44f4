import { quantileOfSorted, sortedCopy } from '../thresholds/robust';
import { SizingInputError } from './errors';

/**
 * The quantile of serving hours sized at. Capacity must hold when the service is busy, and a GPU's tokens/s grows with
 * the batch it is given: the mean over all hours reads the quiet night's small batches and would ask for too many GPUs;
 * the single best hour may be a burst the latency target did not survive. The 0.9 quantile is the throughput the
 * fleet reached in its busiest tenth of hours, a stated choice (not tuned on data).
 */
export const BUSY_HOUR_QUANTILE = 0.9;

/** One hour of a served model's history: generation tokens/s (hourly mean) and the GPUs its vLLM pods held. */
export interface ServingHour {
  tokensPerSecond: number;
  gpus: number;
}

export interface MeasuredThroughput {
  tokensPerSecondPerGpu: number;
  /** Hours that served tokens on held GPUs, of which the quantile is taken. */
  servingHours: number;
  quantile: number;
}

/**
 * Tokens/s per GPU as the fleet's vLLM history shows it: each serving hour's tokens/s ÷ GPUs held, then the
 * `quantile` of those hours. Hours with no tokens or no GPUs are not serving hours and are left out.
 */
export function measuredTokensPerSecondPerGpu(
  hours: readonly ServingHour[],
  quantile = BUSY_HOUR_QUANTILE
): MeasuredThroughput {
  const perGpu = hours
    .filter((h) => h.gpus > 0 && h.tokensPerSecond > 0 && Number.isFinite(h.tokensPerSecond / h.gpus))
    .map((h) => h.tokensPerSecond / h.gpus);
  if (perGpu.length === 0) {
    throw new SizingInputError(
      'tokensPerSecondPerGpu',
      'The vLLM history holds no hour with generated tokens on GPUs held: give --tokens-per-second-per-gpu.'
    );
  }
  return {
    tokensPerSecondPerGpu: quantileOfSorted(sortedCopy(perGpu), quantile),
    servingHours: perGpu.length,
    quantile,
  };
}
