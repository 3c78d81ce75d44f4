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
