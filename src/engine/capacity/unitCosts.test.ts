/** @jest-environment node */
import { CapacityInputError } from './errors';
import { unitCosts } from './unitCosts';

describe('unitCosts', () => {
  it('divides an hour of cost by an hour of GPUs and of tokens', () => {
    // $100/h over 8 GPUs = $12.50 per GPU-hour; 5,000 tokens/s = 18 M tokens/h → $100 / 18 = $5.556 per M tokens.
    const costs = unitCosts({ costPerHour: 100, gpus: 8, tokensPerSecond: 5000 });
    expect(costs.costPerGpuHour).toBe(12.5);
    expect(costs.costPerMillionTokens).toBeCloseTo(100 / 18, 12);
    expect(unitCosts({ costPerHour: 100, gpus: 8 }).costPerMillionTokens).toBeUndefined();
    expect(unitCosts({ costPerHour: 100, gpus: 8, tokensPerSecond: 0 }).costPerMillionTokens).toBeUndefined();
  });

  it('rejects inputs without a meaning', () => {
    expect(() => unitCosts({ costPerHour: 1, gpus: 0 })).toThrow(CapacityInputError);
    expect(() => unitCosts({ costPerHour: -1, gpus: 1 })).toThrow(/cost per hour/);
    expect(() => unitCosts({ costPerHour: 1, gpus: 1, tokensPerSecond: NaN })).toThrow(/Tokens per second/);
  });
});
