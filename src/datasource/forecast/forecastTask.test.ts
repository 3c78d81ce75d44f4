import { runForecastTask } from './forecastTask';
import { dailyRhythm, HOUR_SECONDS as HOUR, MONDAY_SECONDS as START } from '../testing/dailyRhythm';

describe('runForecastTask', () => {
  const history = dailyRhythm(10);
  const outcome = runForecastTask({ ...history, stepSeconds: HOUR, horizonSteps: 24, levels: [80, 95], model: 'auto' });

  it('forecasts from the hour after the last sample, with a band per level', () => {
    expect(outcome.startSeconds).toBe(START + 240 * HOUR);
    expect(outcome.mean).toHaveLength(24);
    expect(Object.keys(outcome.intervals)).toEqual(['80', '95']);
    expect(outcome.fallback).toBe(false);
  });

  it('follows a clean daily rhythm and says so in its held-out accuracy', () => {
    // 14:00 on the first forecast day is hour 14 of the forecast.
    expect(outcome.mean[14]).toBeCloseTo(40, 0);
    expect(outcome.holdoutSteps).toBe(24);
    expect(outcome.accuracy?.wape).toBeLessThan(0.02);
    expect(outcome.backtest.map((row) => row.model)).toContain('seasonal_naive_day');
  });

  it('without the held-out check (alert measures): the same forecast, no accuracy or backtest rows', () => {
    const quick = runForecastTask({
      ...history,
      stepSeconds: HOUR,
      horizonSteps: 24,
      levels: [80, 95],
      model: 'auto',
      scoreHoldout: false,
    });
    expect(quick.mean).toEqual(outcome.mean);
    expect(quick.intervals).toEqual(outcome.intervals);
    expect(quick.model).toBe(outcome.model);
    expect(quick.accuracy).toBeUndefined();
    expect(quick.backtest).toEqual([]);
    expect(quick.holdoutSteps).toBe(0);
  });

  it('runs only the named model when one is chosen, and rejects unknown names', () => {
    const naive = runForecastTask({ ...history, stepSeconds: HOUR, horizonSteps: 6, levels: [80], model: 'naive' });
    expect(naive.model).toBe('naive');
    expect(naive.mean).toEqual(Array(6).fill(history.values[history.values.length - 1]));
    expect(() =>
      runForecastTask({ ...history, stepSeconds: HOUR, horizonSteps: 6, levels: [80], model: 'prophet' })
    ).toThrow('Unknown model "prophet"');
  });
});
