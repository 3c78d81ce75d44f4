import { forecastFrames, FORECAST_FRAMES } from './forecastFrames';
import type { ForecastOutcome } from './forecastTask';

const HOUR_SECONDS = 3600;

/** A two-step forecast whose auto method chose a six-model weighted median; the numbers play no part here. */
const outcome: ForecastOutcome = {
  model: 'wmedian(drift,naive,seasonal_naive_day,mstl,ets,regression@shift)',
  fallback: false,
  startSeconds: 0,
  stepSeconds: HOUR_SECONDS,
  mean: [1, 2],
  intervals: { '80': { lower: [0, 1], upper: [2, 3] } },
  skipped: [],
  trainingWindow: { startSeconds: -HOUR_SECONDS, endSeconds: 0 },
  accuracy: {
    model: 'auto → wmedian(drift,naive,seasonal_naive_day,mstl,ets,regression@shift)',
    wape: 0.1,
    mase: 0.5,
    coverage: { '80': 0.8 },
  },
  backtest: [{ model: 'naive', wape: 0.2, mase: 1, coverage: { '80': 0.7 } }],
  holdoutSteps: 1,
};

describe('backtest frame', () => {
  const [, , backtest] = forecastFrames(outcome, {
    refId: 'A',
    targetName: 'Allocated GPUs',
    history: { timestampsSeconds: [-HOUR_SECONDS], values: [1] },
    notices: [],
  });

  it('names a combination as the legend does, and keeps every member in the column description', () => {
    expect(backtest.name).toBe(FORECAST_FRAMES.backtest);
    const model = backtest.fields[0];
    expect(model.values).toEqual(['auto → weighted median of 6: drift, naive, seasonal_naive_day +3', 'naive']);
    expect(model.config?.description).toBe('Combined: drift, naive, seasonal_naive_day, mstl, ets, regression@shift');
  });
});

describe('history frame', () => {
  const options = {
    refId: 'A',
    targetName: 'Allocated GPUs',
    history: { timestampsSeconds: [-HOUR_SECONDS], values: [1] },
    notices: [],
  };

  it('carries the PromQL the history was read with, for the query inspector (a recorded series by its name)', () => {
    const [history] = forecastFrames(outcome, { ...options, executedQueryString: 'headroom:fleet_gpus_allocated:sum' });
    expect(history.meta?.executedQueryString).toBe('headroom:fleet_gpus_allocated:sum');
  });

  it('has no meta without it', () => {
    expect(forecastFrames(outcome, options)[0].meta).toBeUndefined();
  });
});
