/**
 * The Plan page's "Serving a rate" over simulated fleet history in a real Prometheus: the tokens/s per GPU each served
 * model reached (Headroom's serving query, throughput view, over the page's time range), the model chooser, and the
 * replicas for the default rate worked out from the figure shown; an assumption typed replaces the measurement.
 */
import { defaultFleetSpec } from '../../src/simulator/defaultFleet';
import { problemsOf, waitForText } from './harness/assertions';
import { FLEET, FORECAST_HISTORY } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';

const PLAN_PATH = '/a/headroom-capacity-app/plan';
const context = harnessOverFleet(FORECAST_HISTORY);
const served = defaultFleetSpec(FLEET).inference;

describe.each(['dark', 'light'] as Theme[])('Plan page: measured tokens/s per GPU (%s theme)', (theme) => {
  it("offers the fleet's served models and sizes the rate at the one chosen", async () => {
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(PLAN_PATH, { ...context.fleet!.timeRange }, theme);
    const { page } = watched;
    try {
      // The chooser lists every model the simulated fleet serves (its spec, not the page's answer).
      for (const d of served) {
        await page.getByRole('radio', { name: d.servedModel, exact: true }).waitFor();
      }
      const model = served.find((d) => d.gpusPerReplica === 1)!;
      await page.getByRole('radio', { name: model.servedModel, exact: true }).check();
      const tokens = page.getByTestId('headroom-plan-tokens-per-gpu');
      const [, perGpuText] = await waitForText(tokens, /([\d,]+) measured/);
      const perGpu = Number(perGpuText.replace(/,/g, ''));
      expect(perGpu).toBeGreaterThan(0);
      await expect(tokens.innerText()).resolves.toMatch(
        new RegExp(`${model.servedModel}.*0\\.9 quantile of \\d+ serving hours`)
      );
      // Default rate 10 requests/s × 500 tokens = 5000 tokens/s; GPUs per replica from the default plan (1).
      const replicas = Math.ceil(5000 / perGpu);
      await waitForText(
        page.getByTestId('headroom-plan-rate-replicas'),
        new RegExp(`^Replicas\\s*${replicas} × 1 = ${replicas} GPUs`)
      );
      await page.getByRole('heading', { name: 'Serving a rate' }).scrollIntoViewIfNeeded();
      await screenshot(page, `plan-measured-${theme}`);
      // An assumption typed wins, and says it is one: 5000 ÷ 1000 = 5 replicas.
      await page.locator('#headroom-plan-rateTokensPerSecondPerGpu').fill('1000');
      await waitForText(tokens, /1,000 assumed/);
      await waitForText(page.getByTestId('headroom-plan-rate-replicas'), /5 × 1 = 5 GPUs/);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `plan-measured-${theme}-failed`);
      throw error;
    } finally {
      await page.close();
    }
  });
});
