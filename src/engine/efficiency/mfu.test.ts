/** @jest-environment node */
import { EfficiencyInputError } from './errors';
import { dcgmMfuEstimate, mfuHistogram, modelFlopsUtilisation } from './mfu';

describe('modelFlopsUtilisation', () => {
  it('reproduces PaLM 540B (appendix B): 46.2 % with attention, 45.7 % with 6N only', () => {
    const result = modelFlopsUtilisation({
      parameters: 540.35e9,
      layers: 118,
      heads: 48,
      headDim: 256,
      seqLen: 2048,
      tokensPerSecond: 238.3e3,
      chips: 6144,
      peakFlopsPerChip: 275e12,
    });
    // 6N = 3.2421e12, 12·118·48·256·2048 = 3.5635e10 FLOPs per token; × 238.3e3 / (6144 × 275e12) = 0.4623.
    expect(result.attentionFlopsPerToken).toBe(35_634_806_784);
    expect(Math.abs(result.mfu * 100 - 46.2)).toBeLessThan(0.1);
    expect(Math.abs(result.mfuDenseOnly * 100 - 45.7)).toBeLessThan(0.1);
    expect(result.source).toBe('palm-formula');
  });

  it('reproduces the MT-NLG 530B row of PaLM table 3: 30.2 %', () => {
    // MT-NLG (Smith et al. 2022): 105 layers, 128 heads of 160, sequence 2048; 280 DGX A100 nodes (2,240 GPUs at
    // 312e12 bf16) ran a batch of 1,920 sequences in 60.1 s, i.e. 1,920 × 2,048 / 60.1 = 65,430 tokens/s.
    const result = modelFlopsUtilisation({
      parameters: 530e9,
      layers: 105,
      heads: 128,
      headDim: 160,
      seqLen: 2048,
      tokensPerSecond: (1920 * 2048) / 60.1,
      chips: 2240,
      peakFlopsPerChip: 312e12,
    });
    // 12·105·128·160·2048 = 5.2848e10 FLOPs per token of attention on top of 6N = 3.18e12.
    expect(result.attentionFlopsPerToken).toBe(52_848_230_400);
    expect(Math.abs(result.mfu * 100 - 30.2)).toBeLessThan(0.1);
  });

  it('rejects a zero peak and negative throughput', () => {
    const ok = {
      parameters: 1,
      layers: 1,
      heads: 1,
      headDim: 1,
      seqLen: 1,
      tokensPerSecond: 1,
      chips: 1,
      peakFlopsPerChip: 1,
    };
    expect(() => modelFlopsUtilisation({ ...ok, peakFlopsPerChip: 0 })).toThrow(EfficiencyInputError);
    expect(() => modelFlopsUtilisation({ ...ok, tokensPerSecond: -1 })).toThrow('tokensPerSecond');
  });
});

describe('dcgmMfuEstimate', () => {
  it('scales tensor activity by SM clock over max clock and says it is an estimate', () => {
    // (0.5 × 1410/1410 + 0.4 × 705/1410) / 2 = (0.5 + 0.2) / 2 = 0.35.
    const result = dcgmMfuEstimate({ tensorActiveRatio: [0.5, 0.4], smClockMhz: [1410, 705], maxSmClockMhz: 1410 });
    expect(result.mfuEstimate).toBeCloseTo(0.35, 12);
    expect(result.source).toBe('dcgm-tensor-active-estimate');
  });

  it('rejects percentages passed as ratios and misaligned series', () => {
    expect(() => dcgmMfuEstimate({ tensorActiveRatio: [45], smClockMhz: [1410], maxSmClockMhz: 1410 })).toThrow(
      'not a percentage'
    );
    expect(() => dcgmMfuEstimate({ tensorActiveRatio: [0.4], smClockMhz: [], maxSmClockMhz: 1410 })).toThrow('aligned');
  });
});

describe('mfuHistogram', () => {
  it('counts values per tenth of peak, 1.0 in the top bucket and out-of-range values clamped', () => {
    expect(mfuHistogram([0, 0.05, 0.1, 0.35, 0.999, 1, 1.2, -0.1, NaN])).toEqual([3, 1, 0, 1, 0, 0, 0, 0, 0, 3]);
    expect(mfuHistogram([0.5], 2)).toEqual([0, 1]);
    expect(() => mfuHistogram([0.5], 0)).toThrow('bucket count');
  });
});
