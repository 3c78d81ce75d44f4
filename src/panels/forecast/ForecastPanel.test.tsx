// uPlot draws on a canvas, which jsdom lacks; Grafana's own panel tests use the same mock.
import 'jest-canvas-mock';
import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, createDataFrame } from '@grafana/data';
import { forecastFrames } from '../../datasource/forecast/forecastFrames';
import { PROGRESS_FRAME } from '../../datasource/forecast/forecastProgress';
import { runForecastTask } from '../../datasource/forecast/forecastTask';
import { dailyRhythm, HOUR_SECONDS } from '../../datasource/testing/dailyRhythm';
import { panelPropsForTest } from '../shared/panelPropsForTest';
import { ForecastPanel } from './ForecastPanel';
import { plugin } from './module';

const HOUR_MS = 3_600_000;
/** The panel's own forecast fits every model first; on a busy two-core machine that can take seconds. */
const FORECAST_WAIT = { timeout: 15_000 };

beforeAll(() => {
  // TooltipPlugin2 measures its tooltip; jsdom has no ResizeObserver.
  global.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

/** Ten days of a daily rhythm and its day-ahead seasonal-naive forecast, as the data source answers it. */
function dayAheadOfDailyRhythm() {
  const history = dailyRhythm(10);
  const outcome = runForecastTask({
    ...history,
    stepSeconds: HOUR_SECONDS,
    horizonSteps: 24,
    levels: [80, 95],
    model: 'seasonal_naive_day',
  });
  return { history, outcome };
}

describe('ForecastPanel', () => {
  it('is what Grafana renders from the module', () => {
    // Grafana imports module.js and renders plugin.panel with the query's frames.
    const Panel = plugin.panel!;
    render(<Panel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-forecast-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Forecast to fill it.'
    );
  });

  it('without data, says which Headroom query fills it', () => {
    render(<ForecastPanel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-forecast-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Forecast to fill it.'
    );
  });

  it('forecasts a plain series from another data source itself, with the capacity from its options', async () => {
    // Three days of a flat 24 GPUs: whichever model wins, the forecast stays at 24, under a capacity of 32.
    const times = Array.from({ length: 72 }, (_, h) => Date.UTC(2025, 5, 1) + h * HOUR_MS);
    const prometheus = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: times },
        { name: 'Value', type: FieldType.number, values: times.map(() => 24), config: { unit: 'suffix: GPUs' } },
      ],
    });
    const props = panelPropsForTest([prometheus]);

    render(<ForecastPanel {...props} options={{ horizonHours: 12, levels: '80, 95', capacity: 32 }} />);

    expect(await screen.findByTestId('headroom-forecast-exhaustion', {}, FORECAST_WAIT)).toHaveTextContent(
      'Capacity not exceeded within the horizon'
    );
    expect(screen.getByTestId('headroom-forecast-legend')).toHaveTextContent('Capacity 32 GPUs');
    expect(screen.getByTestId('headroom-forecast-model')).toHaveTextContent(/^Forecast: \S+/);
  }, 20_000);

  it('says when a series is too noisy to forecast closely, instead of hiding it', async () => {
    // Ten days jumping between 2 and 18 GPUs at random around a mean of 10: no model can follow it, so the held-out
    // error is near the 8-GPU spread, far above the 15 % planning target. The flat series above stays quiet.
    let state = 7;
    const coin = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) < 2 ** 30 ? 2 : 18);
    const times = Array.from({ length: 240 }, (_, h) => Date.UTC(2025, 5, 1) + h * HOUR_MS);
    const noisy = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: times },
        { name: 'Value', type: FieldType.number, values: times.map(coin) },
      ],
    });

    render(<ForecastPanel {...panelPropsForTest([noisy])} options={{ horizonHours: 24, levels: '80, 95' }} />);

    expect(await screen.findByTestId('headroom-forecast-noisy', {}, FORECAST_WAIT)).toHaveTextContent('noisy series');
    expect(screen.getByTestId('headroom-forecast-accuracy')).toHaveTextContent(/WAPE \d+\.\d %/);
  }, 20_000);

  it('shows how often each interval held on the held-out history, lowest level first', () => {
    const { history, outcome } = dayAheadOfDailyRhythm();
    // Coverage as a check of 20 held-out hours would measure it: 15 inside the 80 % band, 18 inside the 95 % band.
    const accuracy = { model: outcome.model, wape: 0.1, mase: 0.8, coverage: { '95': 18 / 20, '80': 15 / 20 } };
    const frames = forecastFrames(
      { ...outcome, accuracy },
      { refId: 'A', targetName: 'Allocated GPUs', unit: 'suffix: GPUs', history, notices: [] }
    );

    render(<ForecastPanel {...panelPropsForTest(frames)} />);

    expect(screen.getByTestId('headroom-forecast-coverage')).toHaveTextContent(
      '80 % interval held 75.0 %, 95 % interval held 90.0 %'
    );
  });

  it('shows how often the intervals held over the model’s own calibration backtest, passed through the frames', () => {
    const { history, outcome } = dayAheadOfDailyRhythm();
    // As 14 calibration origins after the oldest would measure it: 13 of 14 days inside 80 %, all inside 95 %.
    const frames = forecastFrames(
      { ...outcome, backtestCoverage: { '95': 1, '80': 13 / 14 } },
      { refId: 'A', targetName: 'Allocated GPUs', unit: 'suffix: GPUs', history, notices: [] }
    );

    render(<ForecastPanel {...panelPropsForTest(frames)} />);

    expect(screen.getByTestId('headroom-forecast-calibration')).toHaveTextContent(
      'Calibration backtest: 80 % interval held 92.9 %, 95 % interval held 100.0 %'
    );
  });

  it('says when the calibration backtest was too short to measure coverage, and shows nothing without one (LSTM)', () => {
    const { history, outcome } = dayAheadOfDailyRhythm();
    const options = { refId: 'A', targetName: 'Allocated GPUs', unit: 'suffix: GPUs', history, notices: [] };

    const { unmount } = render(
      <ForecastPanel {...panelPropsForTest(forecastFrames({ ...outcome, backtestCoverage: {} }, options))} />
    );
    expect(screen.getByTestId('headroom-forecast-calibration')).toHaveTextContent(
      'Calibration backtest: history too short to measure how often the intervals held'
    );
    unmount();

    render(
      <ForecastPanel {...panelPropsForTest(forecastFrames({ ...outcome, backtestCoverage: undefined }, options))} />
    );
    expect(screen.queryByTestId('headroom-forecast-calibration')).toBeNull();
  });

  it('names a combined forecast by its rule and first members, every member on hover', () => {
    const { history, outcome } = dayAheadOfDailyRhythm();
    const model = 'wmedian(naive,drift,mstl,regression,seasonal_naive_day)';
    const frames = forecastFrames(
      { ...outcome, model },
      { refId: 'A', targetName: 'Allocated GPUs', unit: 'suffix: GPUs', history, notices: [] }
    );

    render(<ForecastPanel {...panelPropsForTest(frames)} />);

    const shown = screen.getByTestId('headroom-forecast-model');
    expect(shown).toHaveTextContent('Forecast: weighted median of 5: naive, drift, mstl +2');
    expect(shown).toHaveAttribute('title', 'Combined: naive, drift, mstl, regression, seasonal_naive_day');
  });

  it('says there was no demand to score instead of "WAPE NaN %" when the held-out actuals are all zero', () => {
    const { history, outcome } = dayAheadOfDailyRhythm();
    // WAPE divides by the held-out actuals' sum: zero queued requests leave it undefined.
    const accuracy = { model: outcome.model, wape: NaN, mase: NaN, coverage: { '80': 1 } };
    const frames = forecastFrames(
      { ...outcome, accuracy },
      { refId: 'A', targetName: 'Queued requests', unit: 'short', history, notices: [] }
    );

    render(<ForecastPanel {...panelPropsForTest(frames)} />);

    const text = screen.getByTestId('headroom-forecast-accuracy').textContent ?? '';
    expect(text).toContain('WAPE – (no demand held out) · MASE –');
    expect(text).not.toContain('NaN');
  });

  it('shows the query error instead of an empty state', () => {
    const props = panelPropsForTest([]);
    props.data.errors = [{ message: 'The PromQL is invalid: Prometheus says "parse error"' }];

    render(<ForecastPanel {...props} />);

    expect(screen.getByTestId('headroom-forecast-panel-error')).toHaveTextContent('Prometheus says "parse error"');
  });

  it('keeps the last forecast on screen while a refresh loads, as Grafana’s time series does', () => {
    const { history, outcome } = dayAheadOfDailyRhythm();
    const frames = forecastFrames(outcome, {
      refId: 'A',
      targetName: 'Allocated GPUs',
      unit: 'suffix: GPUs',
      history,
      notices: [],
    });
    const done = panelPropsForTest(frames);
    const { rerender } = render(<ForecastPanel {...done} />);
    expect(screen.getByTestId('headroom-forecast-panel')).toBeInTheDocument();

    // A zoom asks again, with the LSTM: the data source's first packet carries only its training progress.
    const progress = createDataFrame({
      refId: 'A',
      name: PROGRESS_FRAME,
      fields: [],
      meta: { notices: [{ severity: 'info', text: 'Training the LSTM: epoch 1 of 5 (final fit), loss 0.1.' }] },
    });
    const refreshing = panelPropsForTest([progress]);
    refreshing.data.state = LoadingState.Loading;
    rerender(<ForecastPanel {...refreshing} />);
    expect(screen.getByTestId('headroom-forecast-panel')).toBeInTheDocument();
    expect(screen.queryByTestId('headroom-forecast-progress')).not.toBeInTheDocument();

    // A refresh that ends in an error shows the error, and the next refresh does not bring the old drawing back.
    const failed = panelPropsForTest([]);
    failed.data.errors = [{ message: 'The horizon is longer than the history' }];
    rerender(<ForecastPanel {...failed} />);
    expect(screen.queryByTestId('headroom-forecast-panel')).not.toBeInTheDocument();
    rerender(<ForecastPanel {...refreshing} />);
    expect(screen.queryByTestId('headroom-forecast-panel')).not.toBeInTheDocument();
    expect(screen.getByTestId('headroom-forecast-progress')).toHaveTextContent('Training the LSTM');
  });
});
