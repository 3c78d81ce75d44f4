/** @jest-environment node */
import { duration, historySteps, horizonTooLong, MAX_HORIZON_STEPS, maxHorizonSteps } from './horizon';

const HOUR = 3600;

describe('horizon bounds', () => {
  it('allow at most the history, and never more than a year of hourly steps', () => {
    expect(maxHorizonSteps(169)).toBe(169);
    expect(maxHorizonSteps(100_000)).toBe(8760);
    expect(MAX_HORIZON_STEPS).toBe(365 * 24);
    expect(horizonTooLong(169, 169, HOUR)).toBeUndefined();
  });

  it('say which bound a horizon breaks and why', () => {
    // 8,760 hours on 169 hourly samples (7 days and an hour): the history is the bound.
    const history = horizonTooLong(8760, 169, HOUR)!;
    expect(history.limit).toBe('history');
    expect(history.maxSteps).toBe(169);
    expect(history.message).toBe(
      'the horizon of 8,760 steps (365 days) is longer than the history of 169 steps (7 days): a forecast looks at ' +
        'most as far ahead as its history looks back, because beyond that its backtest cannot say how wrong it ' +
        'gets. Ask for at most 169 steps, or give more history.'
    );
    // A billion steps on two years of hours: the absolute bound.
    const absolute = horizonTooLong(1e9, 2 * 8760, HOUR)!;
    expect(absolute.limit).toBe('absolute');
    expect(absolute.maxSteps).toBe(8760);
    expect(absolute.message).toMatch(/^the horizon of 1,000,000,000 steps .* is more than 8,760 steps \(365 days\)/);
  });

  it('measure the history from the first value to the last timestamp on the step grid', () => {
    // First finite value at 7,200 s (bucket 2), last timestamp 36,000 s (bucket 10), even with a null there: 9 steps.
    const raw = { timestampsSeconds: [0, 3600, 7300, 20000, 36000], values: [null, Number.NaN, 1, 2, null] };
    expect(historySteps(raw, HOUR)).toBe(9);
    expect(historySteps({ timestampsSeconds: [0], values: [null] }, HOUR)).toBe(0);
  });

  it('write durations as a person reads them', () => {
    expect(duration(45 * 60)).toBe('45 min');
    expect(duration(36 * HOUR)).toBe('36 h');
    expect(duration(169 * HOUR)).toBe('7 days');
    expect(duration(36 * 24 * HOUR)).toBe('36 days');
    expect(duration(60 * HOUR)).toBe('2.5 days');
    expect(duration(1e9 * HOUR)).toBe('41,666,666.7 days');
  });
});
