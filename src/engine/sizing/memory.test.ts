/** @jest-environment node */
import { LLAMA2_70B } from './llama2Testing';
import { kvCacheBytes, kvCacheBytesPerToken, weightsBytes } from './memory';

describe('inference memory', () => {
  it('weights: 70e9 parameters × 2 bytes = 1.4e11 bytes', () => {
    expect(weightsBytes(70e9, 2)).toBe(1.4e11);
    expect(weightsBytes(70e9, 0.5)).toBe(3.5e10);
  });

  it('KV cache of Llama 2 70B: 80·8·128·2·2 = 327,680 bytes a token; × 8192 × 32 = 85,899,345,920 bytes', () => {
    expect(kvCacheBytesPerToken(LLAMA2_70B)).toBe(327_680);
    expect(kvCacheBytes(LLAMA2_70B, 8192, 32)).toBe(85_899_345_920);
  });

  it('an fp8 KV cache (1 byte a value) is half', () => {
    expect(kvCacheBytes({ ...LLAMA2_70B, bytesPerValue: 1 }, 8192, 32)).toBe(42_949_672_960);
  });

  it.each([
    ['layers', { ...LLAMA2_70B, layers: 0 }, 8192, 32],
    ['kvHeads', { ...LLAMA2_70B, kvHeads: 7.5 }, 8192, 32],
    ['bytesPerValue', { ...LLAMA2_70B, bytesPerValue: Number.NaN }, 8192, 32],
    ['context', LLAMA2_70B, -8192, 32],
    ['concurrency', LLAMA2_70B, 8192, 0],
  ])('refuses a bad %s', (field, shape, context, concurrency) => {
    expect(() => kvCacheBytes(shape, context, concurrency)).toThrow(expect.objectContaining({ field }));
  });

  it.each([0, -1, Number.NaN])('refuses a parameter count of %p', (parameters) => {
    expect(() => weightsBytes(parameters, 2)).toThrow(expect.objectContaining({ field: 'parameters' }));
  });
});
