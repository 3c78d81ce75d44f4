import { EfficiencyInputError } from './errors';

export interface MfuInput {
  /** N, the model's parameter count. */
  parameters: number;
  /** L, H, Q: layers, attention heads, head dimension. */
  layers: number;
  heads: number;
  headDim: number;
  /** T, the sequence length trained or served at. */
  seqLen: number;
  /** Tokens processed per second by the whole job. */
  tokensPerSecond: number;
  chips: number;
  /** Peak FLOP/s of one chip for the dtype actually used (e.g. 989e12 for H100 SXM dense BF16). */
  peakFlopsPerChip: number;
}

export interface MfuResult {
  /** Model FLOPs utilisation with the attention term: tokens/s × (6N + 12·L·H·Q·T) / (chips × peak). */
  mfu: number;
  /** The same with 6N only, the figure many reports quote; lower because attention FLOPs are left out. */
  mfuDenseOnly: number;
  flopsPerToken: number;
  attentionFlopsPerToken: number;
  /** Always 'palm-formula': the number is computed from the model, not estimated from counters. */
  source: 'palm-formula';
}

/**
 * MFU as PaLM (Chowdhery et al. 2022, appendix B) defines it: observed tokens/s times the model FLOPs per token,
 * 6N for the matmuls of forward and backward plus 12·L·H·Q·T for self-attention, over the chips' peak FLOP/s.
 */
export function modelFlopsUtilisation(input: MfuInput): MfuResult {
  for (const field of ['parameters', 'layers', 'heads', 'headDim', 'seqLen', 'chips', 'peakFlopsPerChip'] as const) {
    if (!(Number.isFinite(input[field]) && input[field] > 0)) {
      throw new EfficiencyInputError(field, `${field} must be a positive number, got ${String(input[field])}.`);
    }
  }
  if (!(Number.isFinite(input.tokensPerSecond) && input.tokensPerSecond >= 0)) {
    throw new EfficiencyInputError(
      'tokensPerSecond',
      `tokensPerSecond must be a number ≥ 0, got ${String(input.tokensPerSecond)}.`
    );
  }
  const denseFlopsPerToken = 6 * input.parameters;
  const attentionFlopsPerToken = 12 * input.layers * input.heads * input.headDim * input.seqLen;
  const flopsPerToken = denseFlopsPerToken + attentionFlopsPerToken;
  const peakFlops = input.chips * input.peakFlopsPerChip;
  return {
    mfu: (input.tokensPerSecond * flopsPerToken) / peakFlops,
    mfuDenseOnly: (input.tokensPerSecond * denseFlopsPerToken) / peakFlops,
    flopsPerToken,
    attentionFlopsPerToken,
    source: 'palm-formula',
  };
}

export interface DcgmMfuEstimate {
  /** Mean over samples of tensor-pipe activity × SM clock / max SM clock, in [0, 1]. */
  mfuEstimate: number;
  samples: number;
  /** Always 'dcgm-tensor-active-estimate': an estimate from counters, not the model-FLOPs MFU. */
  source: 'dcgm-tensor-active-estimate';
}

/**
 * MFU estimated without model details (docs/formulas.md, "MFU"): DCGM_FI_PROF_PIPE_TENSOR_ACTIVE is the share of peak tensor
 * throughput at the current clock, so scaling by SM clock / max SM clock refers it to the peak the MFU denominator
 * uses. It counts every tensor op (recomputation, padding included), so it reads above the model-FLOPs MFU.
 */
export function dcgmMfuEstimate(input: {
  tensorActiveRatio: readonly number[];
  smClockMhz: readonly number[];
  maxSmClockMhz: number;
}): DcgmMfuEstimate {
  const { tensorActiveRatio, smClockMhz, maxSmClockMhz } = input;
  if (!(maxSmClockMhz > 0)) {
    throw new EfficiencyInputError('maxSmClockMhz', `The maximum SM clock must be > 0 MHz, got ${maxSmClockMhz}.`);
  }
  if (tensorActiveRatio.length !== smClockMhz.length || tensorActiveRatio.length === 0) {
    throw new EfficiencyInputError(
      'tensorActiveRatio',
      `Tensor activity (${tensorActiveRatio.length} samples) and SM clock (${smClockMhz.length}) must be aligned, ` +
        'non-empty series.'
    );
  }
  let sum = 0;
  tensorActiveRatio.forEach((ratio, i) => {
    const clock = smClockMhz[i];
    if (!(ratio >= 0 && ratio <= 1) || !(clock >= 0 && clock <= maxSmClockMhz)) {
      throw new EfficiencyInputError(
        'tensorActiveRatio',
        `Sample ${i}: tensor activity ${ratio} must be a ratio in [0, 1] and SM clock ${clock} MHz in [0, ` +
          `${maxSmClockMhz}]; DCGM reports PIPE_TENSOR_ACTIVE as a ratio, not a percentage.`
      );
    }
    sum += (ratio * clock) / maxSmClockMhz;
  });
  return {
    mfuEstimate: sum / tensorActiveRatio.length,
    samples: tensorActiveRatio.length,
    source: 'dcgm-tensor-active-estimate',
  };
}

/**
 * How many MFU values fall in each of `bucketCount` equal buckets of [0, 1] (0–10 %, 10–20 %, … by default); a value
 * of exactly 1 counts in the last bucket, values outside [0, 1] are clamped into the end buckets.
 */
export function mfuHistogram(mfuValues: readonly number[], bucketCount = 10): number[] {
  if (!(Number.isInteger(bucketCount) && bucketCount > 0)) {
    throw new EfficiencyInputError('bucketCount', `The bucket count must be a whole number ≥ 1, got ${bucketCount}.`);
  }
  const counts = new Array<number>(bucketCount).fill(0);
  for (const value of mfuValues) {
    if (Number.isFinite(value)) {
      counts[Math.min(bucketCount - 1, Math.max(0, Math.floor(value * bucketCount)))]++;
    }
  }
  return counts;
}
