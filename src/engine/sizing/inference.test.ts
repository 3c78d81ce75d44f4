/** @jest-environment node */
import { sizeInference } from './inference';
import { LLAMA2_70B, SERVING_EXAMPLE } from './llama2Testing';

const LLAMA2_SERVED = { ...LLAMA2_70B, ...SERVING_EXAMPLE };

describe('sizeInference', () => {
  it('Llama 2 70B in bf16, 32 sequences of 8192 tokens on 80 GiB GPUs: 4 GPUs a replica, and says why', () => {
    // Weights 1.4e11 bytes; KV 327,680 × 8192 × 32 = 85,899,345,920; per GPU at 4: 56,474,836,480 ≤ 77,309,411,328.
    const sizing = sizeInference(LLAMA2_SERVED);
    expect(sizing).toMatchObject({
      weightsBytes: 1.4e11,
      kvCacheBytesPerToken: 327_680,
      kvCacheBytes: 85_899_345_920,
      memoryPerReplicaBytes: 225_899_345_920,
      gpusPerReplica: 4,
    });
    expect(sizing.replicas).toBeUndefined();
    expect(sizing.notes).toEqual([
      'The weights (140.0 GB at 2 bytes per parameter) do not fit one GPU (77.3 GB usable): a replica needs ' +
        'tensor-parallel size 4.',
    ]);
  });

  it('Llama 2 7B fits one GPU without a note', () => {
    // 7e9 × 2 = 1.4e10 weights; 32 layers × 32 KV heads × 128 × 2 × 2 = 524,288 bytes a token × 4096 × 8 =
    // 17,179,869,184 KV; 31.2e9 ≤ 77.3e9 usable.
    const sizing = sizeInference({
      ...LLAMA2_SERVED,
      parameters: 7e9,
      layers: 32,
      kvHeads: 32,
      attentionHeads: 32,
      context: 4096,
      concurrency: 8,
    });
    expect(sizing.gpusPerReplica).toBe(1);
    expect(sizing.kvCacheBytes).toBe(17_179_869_184);
    expect(sizing.notes).toEqual([]);
  });

  it('sizes replicas for a rate with the GPUs per replica it found', () => {
    // 4 GPUs a replica (above); 20 requests/s × 400 tokens = 8,000 tokens/s; 500 tokens/s a GPU × 4 = 2,000 a
    // replica; ⌈8,000 / 2,000⌉ = 4 replicas, 16 GPUs.
    const sizing = sizeInference({
      ...LLAMA2_SERVED,
      rate: { requestsPerSecond: 20, tokensPerRequest: 400, tokensPerSecondPerGpu: 500, targetUtilisation: 1 },
    });
    expect(sizing.replicas).toEqual({ tokensPerSecond: 8000, replicas: 4, gpus: 16 });
  });
});
