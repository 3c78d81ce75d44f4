/**
 * Forecasting in the browser against two weeks of simulated fleet history in a real Prometheus: the Forecast panel
 * fed a Headroom capacity query, forecast in the plugin's Web Worker with the augurs WebAssembly, in both themes.
 */
import {
  canvasTexts,
  chartTooltip,
  hoverPlot,
  legendItems,
  plotArea,
  recordCanvasText,
  viewportScreenshot,
} from './chartReading';
import { regexEscape } from '../../src/prometheus/promql';
import { panel, problemsOf, waitForText } from './harness/assertions';
import { FORECAST_HISTORY } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';
import { calibrationText, exhaustionText, expectedAllocationForecast } from './expectedForecast';
import { modelLabel } from '../../src/engine/forecast/modelLabel';

const PANEL_ID = 'headroom-forecast-panel';
const TITLE = 'Allocated GPUs forecast';
const CAPACITY_QUERY = {
  queryType: 'capacity',
  target: 'gpus_allocated',
  // A day ahead: with 8 days of history every model gets its five backtest origins (longer horizons push the oldest
  // origin before the models' minimum history, and the engine then skips them).
  horizonHours: '24',
  capacity: 'gpu_capacity',
};

const context = harnessOverFleet(FORECAST_HISTORY);

/**
 * The background of Grafana's raised surfaces (tooltips) in each theme, as the browser reports it: `background.elevated`
 * is palette.gray15 (#22252b) in dark and palette.white in light (@grafana/data, themes/createColors.ts).
 */
const ELEVATED_BACKGROUND: Record<Theme, string> = { dark: 'rgb(34, 37, 43)', light: 'rgb(255, 255, 255)' };

describe.each(['dark', 'light'] as Theme[])('Forecast panel on a capacity query (%s theme)', (theme) => {
  it('shows the model, its backtest accuracy and when capacity runs out, drawn by uPlot with Grafana’s legend and tooltip', async () => {
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(
      `/panel/${PANEL_ID}`,
      {
        title: TITLE,
        ...context.fleet!.timeRange,
        query: JSON.stringify(CAPACITY_QUERY),
        height: '520',
        width: '1100',
      },
      theme
    );
    try {
      await recordCanvasText(watched.page);
      const shown = panel(watched.page, TITLE);
      const model = await waitForText(shown.getByTestId('headroom-forecast-model'), /Forecast: (.+)$/);
      await screenshot(watched.page, `forecast-panel-capacity-${theme}`);
      // The model auto picks in the page's worker is the one it picks in Node on the same history.
      const expected = await expectedAllocationForecast(
        context.fleet!.prometheusUrl,
        Number(context.fleet!.timeRange.to),
        Number(CAPACITY_QUERY.horizonHours)
      );
      // Named short (a combination by its rule and first members), with every member on hover.
      expect(model[1]).toBe(modelLabel(expected.model).short);
      // How often its intervals held over its own calibration backtest, as the engine measured it in Node.
      await waitForText(
        shown.getByTestId('headroom-forecast-calibration'),
        new RegExp(`^${regexEscape(calibrationText(expected))}$`)
      );
      const accuracy = await waitForText(
        shown.getByTestId('headroom-forecast-accuracy'),
        /WAPE (\d+(?:\.\d+)?) % · MASE (\d+\.\d+)/
      );
      // A fleet allocation forecast an hour-of-day model can follow: well under 50 % error on held-out days.
      expect(Number(accuracy[1])).toBeLessThan(50);
      expect(Number(accuracy[2])).toBeGreaterThan(0);
      // And so is when its mean first exceeds the fleet's GPUs (or that it does not).
      await waitForText(
        shown.getByTestId('headroom-forecast-exhaustion'),
        new RegExp(regexEscape(exhaustionText(expected, context.fleet!.truth.totalGpus)))
      );
      // The capacity legend carries the fleet size in GPUs, as the Overview counts it.
      await waitForText(
        shown.getByTestId('headroom-forecast-legend'),
        new RegExp(`Capacity ${context.fleet!.truth.totalGpus} GPUs`)
      );
      // uPlot's value axis labels carry the unit.
      expect(await canvasTexts(watched.page)).toContainEqual(expect.stringMatching(/^\d+\s+GPUs$/));

      // Grafana's legend: history, mean, bands narrow to wide, capacity; a click shows only that series, a second
      // click all of them again.
      const items = await legendItems(shown);
      expect(items.map((item) => item.label)).toEqual([
        expect.any(String),
        'Forecast mean',
        '80 % interval',
        '95 % interval',
        `Capacity ${context.fleet!.truth.totalGpus} GPUs`,
      ]);
      expect(items.every((item) => !item.disabled)).toBe(true);
      await shown.getByRole('button', { name: '80 % interval', exact: true }).click();
      expect((await legendItems(shown)).filter((item) => !item.disabled).map((item) => item.label)).toEqual([
        '80 % interval',
      ]);
      await shown.getByRole('button', { name: '80 % interval', exact: true }).click();
      expect((await legendItems(shown)).every((item) => !item.disabled)).toBe(true);

      // Hovering the forecast (the right end of the plot) shows Grafana's tooltip: the mean and both bands in GPUs,
      // on the theme's raised background.
      await hoverPlot(watched.page, plotArea(shown), 0.97);
      const tooltip = await waitForText(chartTooltip(watched.page), /Forecast mean\s+\d+(\.\d+)?\s+GPUs/);
      expect(tooltip.input).toMatch(/80 % interval\s+[\d.]+\s+GPUs – [\d.]+\s+GPUs/);
      expect(tooltip.input).toMatch(/95 % interval\s+[\d.]+\s+GPUs – [\d.]+\s+GPUs/);
      const background = await chartTooltip(watched.page).evaluate(
        (element) => getComputedStyle(element.parentElement!).backgroundColor
      );
      expect(background).toBe(ELEVATED_BACKGROUND[theme]);
      await viewportScreenshot(watched.page, `forecast-panel-tooltip-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });
});

describe('Forecast panel with the LSTM', () => {
  it('trains in the worker, then shows lstm, its backend and held-out accuracy (dark)', async () => {
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(
      `/panel/${PANEL_ID}`,
      {
        title: TITLE,
        ...context.fleet!.timeRange,
        query: JSON.stringify({ ...CAPACITY_QUERY, model: 'lstm' }),
        height: '520',
        width: '1100',
      },
      'dark'
    );
    // Worker console output does not reach the page's console listener; collect it too.
    const workerLogs: string[] = [];
    watched.page.on('worker', (worker) =>
      worker.on('console', (message) => workerLogs.push(`${message.type()}: ${message.text()}`))
    );
    try {
      const shown = panel(watched.page, TITLE);
      // The panel body appears with the first finished answer (scenes renders nothing while a first query loads), so
      // the epoch-by-epoch progress is checked in the unit tests; here, what the finished forecast says.
      // On the WebAssembly backend: the build ships its .wasm files beside the worker (the CPU backend is only the
      // fallback for when they cannot load).
      const model = await waitForText(
        shown.getByTestId('headroom-forecast-model'),
        /Forecast: lstm \(trained on (wasm)\)/
      );
      const accuracy = await waitForText(
        shown.getByTestId('headroom-forecast-accuracy'),
        /Backtest on the last 24 h: WAPE (\d+(?:\.\d+)?) % · MASE (\d+\.\d+)/
      );
      await screenshot(watched.page, 'forecast-panel-lstm-dark');
      console.info(`LSTM in the browser: backend ${model[1]}, WAPE ${accuracy[1]} %, MASE ${accuracy[2]}`);
      // An allocation series with a daily rhythm: a network trained on a week of it misses by well under half.
      expect(Number(accuracy[1])).toBeLessThan(50);
      await waitForText(shown.getByTestId('headroom-forecast-legend'), new RegExp(`TensorFlow.js ${model[1]} backend`));
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
      expect(workerLogs.filter((line) => line.startsWith('error'))).toEqual([]);
    } catch (error) {
      // What the panel showed instead, for whoever reads the failure.
      await screenshot(watched.page, 'forecast-panel-lstm-dark-failed');
      console.error(
        `The LSTM panel showed:\n${await watched.page.locator('body').innerText()}\nProblems: ` +
          `${problemsOf(watched, context.harness!.server.notFound).join('\n')}\nWorker: ${workerLogs.join('\n')}`
      );
      throw error;
    } finally {
      await watched.page.close();
    }
  });
});

it('shows Prometheus’ own message when the PromQL is invalid', async () => {
  const watched = await context.harness!.open(`/panel/${PANEL_ID}`, {
    title: TITLE,
    ...context.fleet!.timeRange,
    query: JSON.stringify({ queryType: 'forecast', target: 'expr', expr: 'sum(rate(' }),
  });
  try {
    await waitForText(
      panel(watched.page, TITLE).getByTestId('headroom-forecast-panel-error'),
      /The PromQL is invalid: Prometheus says "[^"]+"/
    );
    await screenshot(watched.page, 'forecast-panel-invalid-promql-dark');
  } finally {
    await watched.page.close();
  }
});
