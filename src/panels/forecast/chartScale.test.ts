import { niceScale, timeTicks } from './chartScale';

describe('niceScale', () => {
  it('widens a range to round ticks', () => {
    expect(niceScale(3, 47, 5)).toEqual({ min: 0, max: 50, ticks: [0, 10, 20, 30, 40, 50] });
  });

  it('prints decimal steps without binary noise', () => {
    expect(niceScale(0.1, 0.9, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('gives a flat series a visible range around its value', () => {
    const scale = niceScale(24, 24);
    expect(scale.min).toBeLessThan(24);
    expect(scale.max).toBeGreaterThan(24);
  });
});

describe('timeTicks', () => {
  it('puts day ticks at UTC midnight across a week', () => {
    const from = Date.UTC(2025, 5, 1, 7);
    const ticks = timeTicks(from, from + 7 * 86_400_000, 8);
    expect(ticks[0]).toBe(Date.UTC(2025, 5, 2));
    expect(ticks).toHaveLength(7);
  });

  it('uses hours for a short span', () => {
    const from = Date.UTC(2025, 5, 1, 0, 30);
    expect(timeTicks(from, from + 6 * 3_600_000, 6)).toEqual([1, 2, 3, 4, 5, 6].map((h) => Date.UTC(2025, 5, 1, h)));
  });
});
