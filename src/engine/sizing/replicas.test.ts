/** @jest-environment node */
import { replicasForRate } from './replicas';

describe('replicasForRate', () => {
  it('10 requests/s of 500 tokens at 800 tokens/s a GPU, 4 GPUs a replica: 2 replicas, 8 GPUs', () => {
    // 10 × 500 = 5,000 tokens/s; a replica serves 800 × 4 = 3,200; ⌈5,000 / 3,200⌉ = ⌈1.5625⌉ = 2.
    expect(
      replicasForRate({
        requestsPerSecond: 10,
        tokensPerRequest: 500,
        tokensPerSecondPerGpu: 800,
        gpusPerReplica: 4,
        targetUtilisation: 1,
      })
    ).toEqual({ tokensPerSecond: 5000, replicas: 2, gpus: 8 });
  });

  it('a target utilisation leaves a buffer: at 0.8 the same rate needs ⌈5,000 / 2,560⌉ = 2, at 0.5 ⌈5,000 / 1,600⌉ = 4', () => {
    const base = { requestsPerSecond: 10, tokensPerRequest: 500, tokensPerSecondPerGpu: 800, gpusPerReplica: 4 };
    expect(replicasForRate({ ...base, targetUtilisation: 0.8 }).replicas).toBe(2);
    expect(replicasForRate({ ...base, targetUtilisation: 0.5 }).replicas).toBe(4);
  });

  it('an exact multiple is not rounded up by binary fractions: 0.3 requests/s × 1 token at 0.1 a GPU is 3', () => {
    // 0.3 / 0.1 is 2.9999999999999996 in binary.
    expect(
      replicasForRate({
        requestsPerSecond: 0.3,
        tokensPerRequest: 1,
        tokensPerSecondPerGpu: 0.1,
        gpusPerReplica: 1,
        targetUtilisation: 1,
      }).replicas
    ).toBe(3);
  });

  it.each([
    ['requestsPerSecond', { requestsPerSecond: 0 }],
    ['tokensPerSecondPerGpu', { tokensPerSecondPerGpu: -5 }],
    ['targetUtilisation', { targetUtilisation: 1.5 }],
  ])('refuses a bad %s', (field, bad) => {
    const base = {
      requestsPerSecond: 1,
      tokensPerRequest: 1,
      tokensPerSecondPerGpu: 1,
      gpusPerReplica: 1,
      targetUtilisation: 1,
    };
    expect(() => replicasForRate({ ...base, ...bad })).toThrow(expect.objectContaining({ field }));
  });
});
