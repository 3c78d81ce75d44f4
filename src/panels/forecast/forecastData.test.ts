import { forecastFrames, FORECAST_FRAMES } from '../../datasource/forecast/forecastFrames';
import { runForecastTask } from '../../datasource/forecast/forecastTask';
import { readHeadroomForecast } from './forecastData';
import { dailyRhythm, HOUR_SECONDS as HOUR, MONDAY_SECONDS as START } from '../../datasource/testing/dailyRhythm';

describe('readHeadroomForecast', () => {
  const history = dailyRhythm(10);
  const outcome = runForecastTask({ ...history, stepSeconds: HOUR, horizonSteps: 24, levels: [80, 95], model: 'auto' });

  it('reads back the data frames the data source writes for a forecast', () => {
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
