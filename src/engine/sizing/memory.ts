import { requireCount, requirePositive } from './errors';

/** Weights in memory: parameters × bytes per parameter (2 for bf16/fp16, 1 for fp8/int8, 0.5 for 4-bit). */
export function weightsBytes(parameters: number, bytesPerParameter: number): number {
  return requirePositive('parameters', parameters) * requirePositive('bytesPerParameter', bytesPerParameter);
}

export interface KvCacheShape {
  layers: number;
  /** Key/value heads (fewer than the attention heads under grouped-query attention, e.g. 8 for Llama 2 70B). */
  kvHeads: number;
  headDim: number;
  /** Bytes per cached value: 2 for bf16/fp16, 1 for vLLM's `--kv-cache-dtype fp8`. */
  bytesPerValue: number;
}

/** One token's keys and values over every layer: layers × kv-heads × head-dim × 2 (K and V) × bytes. */
export function kvCacheBytesPerToken(shape: KvCacheShape): number {
  return (
    requireCount('layers', shape.layers) *
    requireCount('kvHeads', shape.kvHeads) *
    requireCount('headDim', shape.headDim) *
    2 *
    requirePositive('bytesPerValue', shape.bytesPerValue)
  );
}

/** The KV cache of `concurrency` sequences of `context` tokens each, all held at once. */
export function kvCacheBytes(shape: KvCacheShape, context: number, concurrency: number): number {
  return kvCacheBytesPerToken(shape) * requireCount('context', context) * requireCount('concurrency', concurrency);
}
