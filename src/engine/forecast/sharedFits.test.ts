/** @jest-environment node */
import { holdoutScores } from './holdout';
import { forecastRaw } from './pipeline';
import { fourierRegression } from './regression';
import { seasonalNaive } from './seasonalNaive';
import { DAY_SECONDS } from './seasons';
import { withSharedFits } from './sharedFits';
import type { Forecaster, ForecastInput } from './types';

const HOUR = 3600;
const START = Date.UTC(2025, 0, 6) / 1000; // a Monday, 00:00 UTC

/** A daily rhythm on a slow rise, 20 days hourly: no level shift, so auto adds no `@shift` variants. */
const history = (() => {
  const timestampsSeconds = Array.from({ length: 20 * 24 }, (_, h) => START + h * HOUR);
  const values = timestampsSeconds.map((t, h) => 100 + 0.05 * h + 10 * Math.sin((2 * Math.PI * (t / HOUR)) / 24));
  return { timestampsSeconds, values };
})();

/** The model, counting the fits it really makes. */
function counted(model: Forecaster): { model: Forecaster; fits: () => number } {
  let fits = 0;
  return {
    model: {
      name: model.name,
      minHistorySteps: (stepSeconds) => model.minHistorySteps(stepSeconds),
      forecast: (input) => {
        fits++;
        return model.forecast(input);
      },
    },
    fits: () => fits,
  };
}

const input = (values: number[]): ForecastInput => ({
  values,
  startSeconds: START,
  stepSeconds: HOUR,
  horizonSteps: 3,
});

describe('withSharedFits', () => {
  it('fits an input once and answers the same input again with its own copy', () => {
    const dayNaive = counted(seasonalNaive('seasonal_naive_day', DAY_SECONDS));
    const [shared] = withSharedFits([dayNaive.model]);
    const day = Array.from({ length: 24 }, (_, h) => h);
    const first = shared.forecast(input(day));
    first.mean[0] = -1;
    // Yesterday's value at the same hour: hours 0, 1, 2.
    expect(shared.forecast(input([...day])).mean).toEqual([0, 1, 2]);
    expect(dayNaive.fits()).toBe(1);
  });

  it('fits again when anything the model reads differs', () => {
    const dayNaive = counted(seasonalNaive('seasonal_naive_day', DAY_SECONDS));
    const [shared] = withSharedFits([dayNaive.model]);
    const day = Array.from({ length: 24 }, (_, h) => h);
    shared.forecast(input(day));
    shared.forecast(input([...day.slice(0, 23), 99]));
    shared.forecast({ ...input(day), startSeconds: START + HOUR });
    shared.forecast({ ...input(day), horizonSteps: 4 });
    shared.forecast({ ...input(day), events: [{ name: 'launch', startSeconds: START, endSeconds: START + HOUR }] });
    expect(dayNaive.fits()).toBe(5);
  });

  it('keeps no failed fit: the next run fails again', () => {
    let calls = 0;
    const [shared] = withSharedFits([
      {
        name: 'broken',
        minHistorySteps: () => 1,
        forecast: () => {
          calls++;
          throw new Error('no fit');
        },
      },
    ]);
    expect(() => shared.forecast(input([1, 2]))).toThrow('no fit');
    expect(() => shared.forecast(input([1, 2]))).toThrow('no fit');
    expect(calls).toBe(2);
  });

  it('lets the held-out check reuse the forecast’s fits, with the same numbers as separate fits', () => {
    const request = { stepSeconds: HOUR, horizonSteps: 48, levels: [80, 95] };
    const separate = counted(fourierRegression({ dailyHarmonics: 6, weeklyHarmonics: 3 }));
    const alone = [separate.model];
    const expectedForecast = forecastRaw(history, request, alone);
    const expectedCheck = holdoutScores(history, request, { name: 'auto', models: alone }, alone);

    const sharing = counted(fourierRegression({ dailyHarmonics: 6, weeklyHarmonics: 3 }));
    const shared = withSharedFits([sharing.model]);
    expect(forecastRaw(history, request, shared)).toEqual(expectedForecast);
    expect(holdoutScores(history, request, { name: 'auto', models: shared }, shared)).toEqual(expectedCheck);

    // 480 hourly steps, a day-long backtest window (auto.ts). The forecast: 5 selection origins 456, 432, …, 360,
    // 9 more calibration origins down to 144, the full history: 15 fits. The check holds out 48 steps and runs auto
    // twice on 432 (the method, then the model alone for the backtest table), 15 fits each when separate. Shared,
    // its origins 408 … 144 are the forecast's; new are the calibration origins 120 and 96 and the fit of all 432
    // steps for 48 ahead (the forecast fitted 432 steps for its 24-step window only).
    expect(separate.fits()).toBe(15 + 2 * 15);
    expect(sharing.fits()).toBe(15 + 3);
  });
});
