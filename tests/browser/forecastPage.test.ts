/**
 * The Forecast page of the built app against eight days of simulated fleet history in a real Prometheus: one
 * capacity query drawn as the forecast chart, GPUs needed, the scale-out schedule, the cost mix and the backtest.
 */
import { NO_RESERVED_PRICE_TEXT } from '../../src/engine/capacity';
import { NO_SCALE_OUT_TEXT } from '../../src/pages/Forecast/forecastText';
import { chartTooltip, dragPlot, hoverPlot, plotArea } from './chartReading';
import { regexEscape } from '../../src/prometheus/promql';
import { panel, problemsOf, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { FORECAST_HISTORY } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';
import { calibrationText, defaultPagePlan, expectedAllocationForecast } from './expectedForecast';
import { modelLabel } from '../../src/engine/forecast/modelLabel';

const FORECAST_PATH = '/a/headroom-capacity-app/forecast';
const HORIZON_HOURS = 24;

const context = harnessOverFleet(FORECAST_HISTORY);

describe.each(['dark', 'light'] as Theme[])('Forecast page (%s theme)', (theme) => {
  it('shows the chosen model, its backtest accuracy and the scale-out schedule, without console errors', async () => {
    context.harness!.server.notFound.length = 0;
    // A day ahead, as in the panel test: with 8 days of history every model gets its backtest origins. The
    // horizon is a URL variable, as a shared link would carry it.
    const watched = await context.harness!.open(
      FORECAST_PATH,
      { ...context.fleet!.timeRange, 'var-target': 'gpus_allocated', 'var-horizon': String(HORIZON_HOURS) },
      theme
    );
    const { page } = watched;
    try {
      await page.getByRole('heading', { name: 'Forecast', exact: true }).waitFor();
      // What the page should show, from the engine in Node on the same history (tests/browser/expectedForecast.ts).
      const expected = await expectedAllocationForecast(
        context.fleet!.prometheusUrl,
        Number(context.fleet!.timeRange.to),
        HORIZON_HOURS
      );
      const model = await waitForText(
        panel(page, 'Demand forecast').getByTestId('headroom-forecast-model'),
        /Forecast: (.+)$/
      );
      expect(model[1]).toBe(modelLabel(expected.model).short);
      // The series' own calibration-backtest coverage per interval, as the engine measured it in Node.
      await waitForText(
        panel(page, 'Demand forecast').getByTestId('headroom-forecast-calibration'),
        new RegExp(`^${regexEscape(calibrationText(expected))}$`)
      );

      // The backtest table lists the chosen method's held-out score first ("auto → " the model it picked from the
      // history before the held-out hours, short as the legend names a combination), with its WAPE as a percentage.
      const accuracy = expected.accuracy!;
      await waitForText(
        panel(page, 'Backtest'),
        new RegExp(`${regexEscape(modelLabel(accuracy.model).short)}\\s+${regexEscape((accuracy.wape * 100).toFixed(1))}\\s*%`)
      );
      expect(accuracy.wape).toBeLessThan(0.5);

      // The schedule's first step (action and start, UTC as the harness's browser runs), or that there is none.
      const [first] = defaultPagePlan(expected, context.fleet!.truth.totalGpus).gpus!.schedule;
      const start = first && new Date(first.startAtSeconds * 1000).toISOString();
      await waitForText(
        panel(page, 'Scaling schedule'),
        new RegExp(
          first ? `${first.action}\\s+${start.slice(0, 10)} ${start.slice(11, 16)}` : regexEscape(NO_SCALE_OUT_TEXT)
        )
      );
      // The cost mix prices each GPU model of the fleet; its A100 80GB list row has no 1-year price, so that model
      // gets no reserved recommendation rather than "0 reserved".
      const mix = await waitForText(panel(page, 'Cost mix'), /All priced models[\s\S]*\$\d/);
      const models = Object.keys(context.fleet!.truth.gpusByModel);
      expect(models).toContain('NVIDIA A100-SXM4-80GB');
      for (const gpuModel of models) {
        expect(mix.input).toContain(gpuModel);
      }
      expect(mix.input).toContain(NO_RESERVED_PRICE_TEXT);
      await waitForPanelsLoaded(page);
      await screenshot(page, `forecast-page-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      // What the page showed instead, for whoever reads the failure.
      await screenshot(page, `forecast-page-${theme}-failed`);
      console.error(
        `Forecast page showed:\n${await page.locator('body').innerText()}\nProblems: ${problemsOf(watched, context.harness!.server.notFound).join('\n')}`
      );
      throw error;
    } finally {
      await page.close();
    }
  });
});

it('forecasts with the LSTM when the URL picks it, and compares it with the other models in the backtest', async () => {
  context.harness!.server.notFound.length = 0;
  const watched = await context.harness!.open(
    FORECAST_PATH,
    { ...context.fleet!.timeRange, 'var-target': 'gpus_allocated', 'var-horizon': '24', 'var-model': 'lstm' },
    'dark'
  );
  const { page } = watched;
  try {
    await waitForText(
      panel(page, 'Demand forecast').getByTestId('headroom-forecast-model'),
      /Forecast: lstm \(trained on wasm\)/
    );
    // The LSTM's held-out row first (no coverage: its intervals are calibrated on that same window), then the others.
    const backtest = await waitForText(panel(page, 'Backtest'), /lstm\s+(\d+(?:\.\d+)?)\s*%[\s\S]*seasonal_naive_day/);
    expect(Number(backtest[1])).toBeLessThan(50);
    await waitForPanelsLoaded(page);
    await screenshot(page, 'forecast-page-lstm-dark');
    expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
  } finally {
    await page.close();
  }
});

/** A time as the page's URL carries it: epoch milliseconds, or an ISO date once scenes wrote it. */
const urlTimeMs = (value: string | null) => (value && /^\d+$/.test(value) ? Number(value) : Date.parse(value ?? ''));

it('zooms the page’s time range to a drag across the history of the forecast chart, as Grafana’s time series does', async () => {
  const watched = await context.harness!.open(
    FORECAST_PATH,
    { ...context.fleet!.timeRange, 'var-target': 'gpus_allocated', 'var-horizon': '24' },
    'dark'
  );
  const { page } = watched;
  try {
    const chart = panel(page, 'Demand forecast');
    await waitForText(chart.getByTestId('headroom-forecast-model'), /Forecast: \S+/);
    const before = { from: Number(context.fleet!.timeRange.from), to: Number(context.fleet!.timeRange.to) };
    // The plot spans the 8 days of history and the day of forecast after them; 10–40 % of it is history.
    await dragPlot(page, plotArea(chart), 0.1, 0.4);
    await page.waitForURL((url) => urlTimeMs(url.searchParams.get('to')) !== before.to, { timeout: 30_000 });
    const url = new URL(page.url());
    const zoomed = { from: urlTimeMs(url.searchParams.get('from')), to: urlTimeMs(url.searchParams.get('to')) };
    const plotSpanMs = before.to + 24 * 3_600_000 - before.from;
    expect(zoomed.from).toBeGreaterThan(before.from);
    expect(zoomed.to).toBeLessThan(before.to);
    // 30 % of the plot's span, give or take the hour the history starts on and the mouse's pixel.
    expect((zoomed.to - zoomed.from) / plotSpanMs).toBeCloseTo(0.3, 1);
    // The panel answers for the new range: the history drawn now starts where the selection started (read under the
    // mouse at the plot's left edge, until the new answer replaces the old one).
    const deadline = Date.now() + 30_000;
    let firstShownMs = NaN;
    // The chart is redrawn when the new answer arrives (uPlot builds a new plot when the data's shape changes), which
    // closes its tooltip: hover again, once the plot is back, until the tooltip shows.
    while (!(Math.abs(firstShownMs - zoomed.from) <= 3_600_000) && Date.now() < deadline) {
      await page.mouse.move(0, 0);
      const hovered = await hoverPlot(page, plotArea(chart), 0.005).then(
        () => true,
        () => false // the plot was being rebuilt: it is not on screen for a moment
      );
      if (!hovered) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      // Wait briefly for the tooltip, then read what is on screen without waiting: a rebuild between the two would
      // otherwise leave the read waiting for a tooltip that only a new hover brings back.
      await chartTooltip(page)
        .first()
        .waitFor({ timeout: 2_000 })
        .catch(() => undefined);
      const [shown = ''] = await chartTooltip(page).allInnerTexts();
      const first = shown.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d)/);
      if (first) {
        firstShownMs = Date.parse(`${first[1]}T${first[2]}:00Z`);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(Math.abs(firstShownMs - zoomed.from)).toBeLessThanOrEqual(3_600_000);
    await page.mouse.move(0, 0);
    await screenshot(page, 'forecast-page-zoomed-dark');
    expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
  } finally {
    await page.close();
  }
});
