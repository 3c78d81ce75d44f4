import { runForecastTask } from './forecastTask';
import { forecastFrames, FORECAST_FRAMES } from './forecastFrames';
import { readHeadroomForecast } from '../../panels/forecast/forecastData';

const HOUR = 3600;
const START = Date.UTC(2025, 0, 6) / 1000; // a Monday, 00:00 UTC

/** Ten days of an hourly series with a daily rhythm: 20 GPUs at night, 40 at 14:00. */
function dailyRhythm(days: number) {
  const timestampsSeconds = Array.from({ length: days * 24 }, (_, h) => START + h * HOUR);
  const values = timestampsSeconds.map((t) => 30 + 10 * Math.sin((2 * Math.PI * (((t / HOUR) % 24) - 8)) / 24));
  return { timestampsSeconds, values };
}

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

  it('runs only the named model when one is chosen, and rejects unknown names', () => {
    const naive = runForecastTask({ ...history, stepSeconds: HOUR, horizonSteps: 6, levels: [80], model: 'naive' });
    expect(naive.model).toBe('naive');
    expect(naive.mean).toEqual(Array(6).fill(history.values[history.values.length - 1]));
    expect(() =>
      runForecastTask({ ...history, stepSeconds: HOUR, horizonSteps: 6, levels: [80], model: 'prophet' })
    ).toThrow('Unknown model "prophet"');
  });

  it('survives the round trip through data frames the Forecast panel reads', () => {
    const frames = forecastFrames(outcome, {
      refId: 'A',
      targetName: 'Allocated GPUs',
      unit: 'suffix: GPUs',
      history,
      notices: [],
    });
    expect(frames.map((f) => f.name)).toEqual([
      FORECAST_FRAMES.history,
      FORECAST_FRAMES.forecast,
      FORECAST_FRAMES.backtest,
    ]);
    expect(frames[1].fields.map((f) => f.name)).toEqual([
      'Time',
      'Mean',
      'Lower 80',
      'Upper 80',
      'Lower 95',
      'Upper 95',
    ]);
    const chart = readHeadroomForecast(frames)!;
    expect(chart.model).toBe(outcome.model);
    expect(chart.unit).toBe('suffix: GPUs');
    expect(chart.forecast.bands.map((b) => b.level)).toEqual(['95', '80']);
    expect(chart.forecast.timesMs[0]).toBe((START + 240 * HOUR) * 1000);
    expect(chart.exhaustionMs).toBeUndefined();
  });
});
