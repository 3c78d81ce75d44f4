/**
 * For tests only: Llama 2 70B (Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned Chat Models"; the shape
 * from meta-llama/Llama-2-70b-hf config.json): 80 layers, 64 attention heads of hidden 8192 / 64 = 128, grouped-query
 * attention with 8 key/value heads, served in bf16 (2 bytes a weight and a cached value).
 */
export const LLAMA2_70B = {
  parameters: 70e9,
  layers: 80,
  attentionHeads: 64,
  kvHeads: 8,
  headDim: 128,
  bytesPerParameter: 2,
  bytesPerValue: 2,
};

/** The serving example: 32 sequences of 8192 tokens on GPUs of 80 GiB, vLLM's default 0.9 of it usable. */
export const SERVING_EXAMPLE = { context: 8192, concurrency: 32, gpuMemoryBytes: 80 * 2 ** 30, usableFraction: 0.9 };
