/** @jest-environment node */
import fc from 'fast-check';

import { LLAMA2_70B, SERVING_EXAMPLE } from './llama2Testing';
import { bytesPerGpu, tensorParallelSize, VLLM_GPU_MEMORY_UTILIZATION } from './tensorParallel';

// Llama 2 70B in bf16 with 32 sequences of 8192 tokens (memory.test.ts): 1.4e11 weights, 85,899,345,920 KV cache.
const LLAMA2_70B_REPLICA = {
  weightsBytes: 1.4e11,
  kvCacheBytes: 85_899_345_920,
  kvHeads: LLAMA2_70B.kvHeads,
  attentionHeads: LLAMA2_70B.attentionHeads,
  gpuMemoryBytes: SERVING_EXAMPLE.gpuMemoryBytes,
  usableFraction: VLLM_GPU_MEMORY_UTILIZATION,
};

describe('tensorParallelSize', () => {
  it('Llama 2 70B, 32 × 8192 tokens on 80 GiB GPUs needs 4', () => {
    // Usable: 80 × 2^30 × 0.9 = 77,309,411,328 bytes. Size 2: 7e10 + 42,949,672,960 = 112,949,672,960 > usable;
    // size 4: 3.5e10 + 21,474,836,480 = 56,474,836,480 ≤ usable.
    expect(tensorParallelSize(LLAMA2_70B_REPLICA)).toEqual({
      size: 4,
      bytesPerGpu: 56_474_836_480,
      usableBytesPerGpu: 77_309_411_328,
      acceptedSizes: [1, 2, 4, 8],
    });
  });

  it('only sizes that divide the attention heads: 20 heads skip 8', () => {
    // Needs more than 4 GPUs' worth: 3.2e11 weights / 4 = 8e10 > 72e9 usable of 80e9.
    const fit = () =>
      tensorParallelSize({
        ...LLAMA2_70B_REPLICA,
        weightsBytes: 3.2e11,
        kvCacheBytes: 1e9,
        attentionHeads: 20,
        gpuMemoryBytes: 80e9,
      });
    expect(fit).toThrow(/do not fit even on 4 GPUs .*\(20 attention heads allow tensor-parallel sizes 1, 2, 4 only\)/);
    expect(
      tensorParallelSize({ ...LLAMA2_70B_REPLICA, weightsBytes: 3.2e11, kvCacheBytes: 1e9, gpuMemoryBytes: 80e9 }).size
    ).toBe(8);
  });

  it('a replica that fits no size up to 8 says so, with the GPUs of memory it would need', () => {
    // Llama 3.1 405B in bf16: 8.1e11 weights + 1e10 KV = 8.2e11 bytes; 8 × 72e9 usable = 5.76e11 is too little;
    // ⌈8.2e11 / 7.2e10⌉ = 12 GPUs of memory.
    expect(() =>
      tensorParallelSize({ ...LLAMA2_70B_REPLICA, weightsBytes: 8.1e11, kvCacheBytes: 1e10, gpuMemoryBytes: 80e9 })
    ).toThrow(
      'Weights 810.0 GB + KV cache 10.0 GB = 820.0 GB per replica do not fit even on 8 GPUs of 80.0 GB (72.0 GB usable ' +
        'each, 102.5 GB needed per GPU); the replica needs the memory of at least 12 such GPUs.'
    );
  });

  it('replicates KV heads once the size exceeds them (vLLM get_num_kv_heads)', () => {
    // 2 KV heads at size 8: each GPU holds one of them, half the cache, not an eighth.
    expect(bytesPerGpu({ ...LLAMA2_70B_REPLICA, kvHeads: 2, weightsBytes: 8e9, kvCacheBytes: 4e9 }, 8)).toBe(1e9 + 2e9);
    expect(bytesPerGpu({ ...LLAMA2_70B_REPLICA, kvHeads: 8, weightsBytes: 8e9, kvCacheBytes: 4e9 }, 8)).toBe(
      1e9 + 0.5e9
    );
  });

  it('more KV cache (longer context, more sequences) never means fewer GPUs per replica', () => {
    const sizeOrNone = (kvCacheBytes: number) => {
      try {
        return tensorParallelSize({ ...LLAMA2_70B_REPLICA, weightsBytes: 2e10, kvCacheBytes }).size;
      } catch {
        return Number.POSITIVE_INFINITY;
      }
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4 }), (context, factor) => {
        const perToken = 327_680 * 16;
        expect(sizeOrNone(perToken * context * factor)).toBeGreaterThanOrEqual(sizeOrNone(perToken * context));
      })
    );
  });

  it.each([0, 1.1, Number.NaN])('refuses a usable fraction of %p', (usableFraction) => {
    expect(() => tensorParallelSize({ ...LLAMA2_70B_REPLICA, usableFraction })).toThrow(
      expect.objectContaining({ field: 'usableFraction' })
    );
  });
});
