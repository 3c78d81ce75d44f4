/**
 * Forecasting in the browser against two weeks of simulated fleet history in a real Prometheus: the Forecast panel
 * fed a Headroom capacity query, forecast in the plugin's Web Worker with the augurs WebAssembly, in both themes.
 */
import { panel, problemsOf, waitForText } from './harness/assertions';
import { FORECAST_HISTORY } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';

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

describe.each(['dark', 'light'] as Theme[])('Forecast panel on a capacity query (%s theme)', (theme) => {
  it('shows the model, its backtest accuracy and when capacity runs out, without console errors', async () => {
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
      const shown = panel(watched.page, TITLE);
      const model = await waitForText(shown.getByTestId('headroom-forecast-model'), /Forecast: (\S+)/);
      await screenshot(watched.page, `forecast-panel-capacity-${theme}`);
      // Whichever model won this series' backtest, it is one the engine offers (or a blend of them).
      expect(model[1]).toMatch(/^(seasonal_naive_day|seasonal_naive_week|regression|mstl|naive|blend\(.+\))$/);
      const accuracy = await waitForText(
        shown.getByTestId('headroom-forecast-accuracy'),
        /WAPE (\d+(?:\.\d+)?) % · MASE (\d+\.\d+)/
      );
      // A fleet allocation forecast an hour-of-day model can follow: well under 50 % error on held-out days.
      expect(Number(accuracy[1])).toBeLessThan(50);
      expect(Number(accuracy[2])).toBeGreaterThan(0);
      await waitForText(
        shown.getByTestId('headroom-forecast-exhaustion'),
        /Capacity not exceeded within the horizon|Mean forecast exceeds capacity at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/
      );
      // The capacity legend carries the fleet size in GPUs, as the Overview counts it.
      await waitForText(
        shown.getByTestId('headroom-forecast-legend'),
        new RegExp(`Capacity ${context.fleet!.truth.totalGpus} GPUs`)
      );
      // Axis labels carry the unit.
      expect(await shown.locator('svg text').allTextContents()).toContainEqual(expect.stringMatching(/^\d+\s+GPUs$/));
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
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
