import { requireCount, requirePositive, requireShare } from './errors';

export interface TrainingInput {
  /** N, the model's parameter count. */
  parameters: number;
  /** D, the tokens trained on. */
  tokens: number;
  /** One GPU's peak dense FLOP/s for the data type trained in (`gpuDatasheets.ts`). */
  peakFlopsPerGpu: number;
  /** Model FLOPs utilisation in (0, 1]: measured on the fleet (`headroom mfu`) or a stated assumption. */
  mfu: number;
  /** GPUs the job runs on; when given, the wall-clock days are worked out too. */
  gpus?: number;
}

export interface TrainingEstimate {
  /** 6·N·D. */
  flops: number;
  /** FLOPs ÷ (peak × MFU × 3600). */
  gpuHours: number;
  /** GPU-hours ÷ GPUs ÷ 24, when the GPU count is given. */
  days?: number;
}

const SECONDS_PER_HOUR = 3600;
const HOURS_PER_DAY = 24;

/**
 * Training compute as Kaplan et al. ("Scaling Laws for Neural Language Models", 2020, §2.1) count it: about 6 FLOPs
 * per parameter per token (2 forward, 4 backward), so 6·N·D; at a utilisation MFU of one GPU's peak that takes
 * 6·N·D ÷ (peak × MFU) GPU-seconds. Attention FLOPs are left out, as in the MFU that 6N-only reports quote.
 */
export function trainingEstimate(input: TrainingInput): TrainingEstimate {
  const parameters = requirePositive('parameters', input.parameters);
  const tokens = requirePositive('tokens', input.tokens);
  const peak = requirePositive('peakFlopsPerGpu', input.peakFlopsPerGpu);
  const mfu = requireShare('mfu', input.mfu);
  const flops = 6 * parameters * tokens;
  const gpuHours = flops / (peak * mfu * SECONDS_PER_HOUR);
  if (input.gpus === undefined) {
    return { flops, gpuHours };
  }
  const gpus = requireCount('gpus', input.gpus);
  return { flops, gpuHours, days: gpuHours / gpus / HOURS_PER_DAY };
}
