import { rangeQueryOptions } from './queryRange';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('rangeQueryOptions', () => {
  it("uses Grafana's interval as the step and aligns the start to it", () => {
    // 6 h at a 60 s interval: start 1_700_000_000 s floors to 1_699_999_980 (28_333_333 × 60).
    const options = rangeQueryOptions({
      fromMs: 1_700_000_000_000,
      toMs: 1_700_000_000_000 + 6 * HOUR_MS,
      intervalMs: 60_000,
    });

    expect(options).toEqual({ startSeconds: 1_699_999_980, endSeconds: 1_700_021_600, stepSeconds: 60 });
  });

  it('never steps finer than 15 s, the usual scrape interval', () => {
    const options = rangeQueryOptions({ fromMs: 0, toMs: 5 * 60_000, intervalMs: 200 });

    expect(options.stepSeconds).toBe(15);
  });

  it('rounds a fractional interval up to whole seconds', () => {
    expect(rangeQueryOptions({ fromMs: 0, toMs: HOUR_MS, intervalMs: 20_500 }).stepSeconds).toBe(21);
  });

  it('coarsens the step when the interval would exceed 11,000 points', () => {
    // 90 days at 15 s is 518,401 points; 15 min gives 8,641, the first readable step under the limit (10 min: 12,961).
    const options = rangeQueryOptions({ fromMs: 0, toMs: 90 * DAY_MS, intervalMs: 15_000 });

    expect(options.stepSeconds).toBe(900);
  });

  it('lets the step default to 15 s when Grafana gives no interval', () => {
    expect(rangeQueryOptions({ fromMs: 0, toMs: HOUR_MS }).stepSeconds).toBe(15);
  });
});
