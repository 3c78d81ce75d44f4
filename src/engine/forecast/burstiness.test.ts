/** @jest-environment node */
import fc from 'fast-check';
import { burstiness, isBursty } from './burstiness';

const TEN_MINUTES = 600;
const DAY = 144;

describe('burstiness', () => {
  it('calls a series of zeros with rare spikes bursty (lumpy: long gaps, sizes that vary)', () => {
    // 10 days of 10-minute steps, a spike every 43 steps (~7 h), alternately 50 and 5 GPUs.
    const values = Array.from({ length: 10 * DAY }, (_, t) => (t % 43 === 0 ? (t % 86 === 0 ? 50 : 5) : 0));
    const b = burstiness(values, TEN_MINUTES);
    // 1,440 steps hold 34 spikes: ADI = 1440 / 34 ≈ 42.4 ≥ 1.32.
    expect(b.adi).toBeCloseTo(1440 / 34, 6);
    expect(b.zeroShare).toBeCloseTo(1 - 34 / 1440, 6);
    expect(b.demandClass === 'lumpy' || b.demandClass === 'intermittent').toBe(true);
    expect(isBursty(values, TEN_MINUTES)).toBe(true);
  });

  it('does not call a strong but regular daily rhythm bursty', () => {
    // 10 GPUs at night, 200 by day, every day: plainly CV² = 95² / 105² ≈ 0.82 > 0.49, but about each time of day's
    // mean it is 0: the rhythm is predictable.
    const values = Array.from({ length: 7 * DAY }, (_, t) => (t % DAY < DAY / 2 ? 10 : 200));
    const b = burstiness(values, TEN_MINUTES);
    expect(b.cv2).toBe(0);
    expect(b.demandClass).toBe('smooth');
    expect(isBursty(values, TEN_MINUTES)).toBe(false);
  });

  it('uses the plain CV² of the non-zero values when there is no daily season to remove', () => {
    // Under two days: [1, 10, 1, 10], mean 5.5, Σ(v − 5.5)² = 4 · 20.25 = 81, sample variance 81 / 3 = 27,
    // CV² = 27 / 5.5² ≈ 0.893 ≥ 0.49 with no zeros (ADI 1): erratic.
    const b = burstiness([1, 10, 1, 10], TEN_MINUTES);
    expect(b.cv2).toBeCloseTo(27 / 30.25, 10);
    expect(b.adi).toBe(1);
    expect(b.demandClass).toBe('erratic');
  });

  it('uses the published cut-offs: ADI 1.32 (demand every other step is intermittent)', () => {
    // [0, 4, 0, 4, …]: ADI = 2, the non-zero sizes are all 4 (CV² 0): intermittent.
    expect(burstiness([0, 4, 0, 4, 0, 4], TEN_MINUTES).demandClass).toBe('intermittent');
    // One zero in four steps: ADI = 4/3 ≈ 1.333 ≥ 1.32; one in five: 1.25 < 1.32.
    expect(burstiness([0, 4, 4, 4], TEN_MINUTES).demandClass).toBe('intermittent');
    expect(burstiness([0, 4, 4, 4, 4], TEN_MINUTES).demandClass).toBe('smooth');
  });

  it('keeps hourly and coarser series on the usual models, and a series with negative values is not demand', () => {
    const spikes = Array.from({ length: 500 }, (_, t) => (t % 20 === 0 ? 30 : 0));
    expect(isBursty(spikes, 3600)).toBe(false);
    expect(isBursty(spikes, 60)).toBe(true);
    expect(burstiness([-1, 5, 0, 0, 0, 9], TEN_MINUTES).demandClass).toBe('smooth');
  });

  it('never calls a constant positive series bursty', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 3 * DAY }), (c, n) => {
        expect(isBursty(new Array<number>(n).fill(c), TEN_MINUTES)).toBe(false);
      })
    );
  });
});
