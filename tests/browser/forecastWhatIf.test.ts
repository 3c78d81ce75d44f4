/**
 * The Forecast page's launch what-if in the built app, over simulated fleet history in a real Prometheus: enter a
 * launch, read the difference the page states and the hours it changes, reload and find the same scenario, and see a
 * bad input refused under its field without losing the scenario shown.
 */
import type { Page } from 'playwright-core';
import { WHAT_IF_PANEL_TITLES } from '../../src/pages/Forecast/forecastText';
import { WHAT_IF_TEST_IDS } from '../../src/pages/Forecast/whatIfTestIds';
import { regexEscape } from '../../src/prometheus/promql';
import { panel, problemsOf, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { FORECAST_HISTORY } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';
import { defaultPagePlan, expectedAllocationForecast } from './expectedForecast';

const FORECAST_PATH = '/a/headroom-capacity-app/forecast';
const HORIZON_HOURS = 24;
const HOUR = 3600;
/** Six forecast hours, the 6th to the 11th: inside a one-day horizon, away from its ends. */
const LAUNCH_FIRST_HOUR = 5;
const LAUNCH_HOURS = 6;
const MULTIPLIER = 2;

const context = harnessOverFleet(FORECAST_HISTORY);

/** `2025-06-02 18:00`, as the form takes a UTC time. */
const utc = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');

async function fillLaunch(page: Page, start: string, end: string, multiplier: string) {
  await page.getByLabel('Start (UTC)').fill(start);
  await page.getByLabel('End (UTC)').fill(end);
  await page.getByLabel('Traffic multiplier').fill(multiplier);
  await page.getByRole('button', { name: 'Plan the launch' }).click();
}

describe.each(['dark', 'light'] as Theme[])('Forecast page launch what-if (%s theme)', (theme) => {
  it('states what a launch changes, keeps it over a reload, and refuses a bad input under its field', async () => {
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(
      FORECAST_PATH,
      { ...context.fleet!.timeRange, 'var-target': 'gpus_allocated', 'var-horizon': String(HORIZON_HOURS) },
      theme
    );
    const { page } = watched;
    try {
      // The baseline the page plans, worked out in Node on the same history (tests/browser/expectedForecast.ts).
      const outcome = await expectedAllocationForecast(
        context.fleet!.prometheusUrl,
        Number(context.fleet!.timeRange.to),
        HORIZON_HOURS
      );
      const baseline = defaultPagePlan(outcome, context.fleet!.truth.totalGpus).gpus!.gpusNeeded;
      const startSeconds = outcome.startSeconds + LAUNCH_FIRST_HOUR * HOUR;
      const endSeconds = startSeconds + LAUNCH_HOURS * HOUR;
      // Hand calculation: the page plans the upper 80 % bound at 80 % utilisation, one GPU per allocated GPU, so an
      // hour needs ceil(upper / 0.8) GPUs; inside the launch the engine multiplies the bound by 2, so
      // ceil(2 · upper / 0.8); outside nothing changes.
      const upper = outcome.intervals['80'].upper;
      const launched = upper.map((u, h) =>
        h >= LAUNCH_FIRST_HOUR && h < LAUNCH_FIRST_HOUR + LAUNCH_HOURS ? Math.ceil((MULTIPLIER * u) / 0.8) : baseline[h]
      );
      // The baseline from the bound, by hand, agrees with the engine's baseline plan.
      expect(upper.map((u) => Math.ceil(u / 0.8))).toEqual(baseline);
      const changed = launched.flatMap((g, h) => (g !== baseline[h] ? [h] : []));
      expect(changed.length).toBeGreaterThan(0);
      const peakBefore = Math.max(...baseline);
      const peakAfter = Math.max(...launched);
      const extraGpuHours = launched.reduce((sum, g, h) => sum + g - baseline[h], 0);

      const whatIf = page.getByTestId(WHAT_IF_TEST_IDS.panel);
      await whatIf.waitFor();
      // The form checks the launch against the forecast's hours: wait for the baseline before entering it.
      await waitForText(panel(page, 'Scaling schedule'), /Action|No scale-out/);
      await fillLaunch(page, utc(startSeconds), utc(endSeconds), String(MULTIPLIER));

      const sentence = whatIf.getByTestId(WHAT_IF_TEST_IDS.sentence);
      const said = (await waitForText(sentence, /GPUs at peak/)).input!;
      const peakText = peakAfter === peakBefore ? '±0' : `+${peakAfter - peakBefore}`;
      expect(said).toContain(`${peakText} GPUs at peak (${peakBefore} → ${peakAfter})`);
      expect(said).toContain(`more for ${changed.length} hour`);
      expect(said).toContain(`+${extraGpuHours} GPU-hours`);
      // The launch adds GPU-hours, so it costs more: the amount is the cost mix's (list prices of the fleet's
      // models), and must be the difference the totals table shows, in whole dollars.
      const cost = said.match(/\+\$([\d,]+) over the horizon/);
      expect(cost).not.toBeNull();

      // The hours the launch changes: each with its baseline, launched and difference, as calculated above.
      const hours = await waitForText(panel(page, WHAT_IF_PANEL_TITLES.changedHours), /Difference[\s\S]*GPUs/);
      for (const h of changed) {
        const at = utc(outcome.startSeconds + h * HOUR);
        expect(hours.input).toMatch(
          new RegExp(`${at}\\s+${baseline[h]} GPUs\\s+${launched[h]} GPUs\\s+${launched[h] - baseline[h]} GPUs`)
        );
      }
      const totals = await waitForText(
        panel(page, WHAT_IF_PANEL_TITLES.totals),
        /Cost \(\$\)\s+([\d,.]+)\s+([\d,.]+)\s+\+([\d,.]+)/
      );
      // Dollars in cents, GPU-hours whole, thousands grouped; the difference signed.
      for (const dollars of totals.slice(1, 4)) {
        expect(dollars).toMatch(/^[\d,]+\.\d\d$/);
      }
      const number = (text: string) => Number(text.replace(/,/g, ''));
      expect(number(totals[3])).toBeCloseTo(number(totals[2]) - number(totals[1]), 1);
      expect(Math.round(number(totals[3]))).toBe(number(cost![1]));
      expect(totals.input).toMatch(new RegExp(`(^|\\n)GPU-hours\\s+[\\d,]+\\s+[\\d,]+\\s+\\+${extraGpuHours}\\b`));
      // Baseline and scenario side by side: both forecast charts and both schedules.
      for (const title of Object.values(WHAT_IF_PANEL_TITLES)) {
        await panel(page, title).waitFor();
      }

      // The scenario is in the URL: a reload shows the same sentence and fills the form with the launch.
      const url = new URL(page.url());
      expect(url.searchParams.get('var-whatif')).toBe(
        `start=${new Date(startSeconds * 1000).toISOString().replace('.000Z', 'Z')},` +
          `end=${new Date(endSeconds * 1000).toISOString().replace('.000Z', 'Z')},multiplier=2,name=launch`
      );
      await page.reload();
      await waitForText(page.getByTestId(WHAT_IF_TEST_IDS.sentence), new RegExp(regexEscape(said)));
      await expect(page.getByLabel('Start (UTC)').inputValue()).resolves.toBe(utc(startSeconds));
      await expect(page.getByLabel('Traffic multiplier').inputValue()).resolves.toBe('2');
      await waitForPanelsLoaded(page);
      await page.getByTestId(WHAT_IF_TEST_IDS.panel).scrollIntoViewIfNeeded();
      await screenshot(page, `forecast-whatif-${theme}`);

      // A bad input: an end before the start is said under the End field; the scenario shown and the URL stay.
      await fillLaunch(page, utc(endSeconds), utc(startSeconds), '0');
      await waitForText(page.getByTestId(WHAT_IF_TEST_IDS.panel), /The end must be after the start/);
      await waitForText(page.getByTestId(WHAT_IF_TEST_IDS.panel), /Enter a number above 0/);
      expect(new URL(page.url()).searchParams.get('var-whatif')).toBe(url.searchParams.get('var-whatif'));
      await expect(page.getByTestId(WHAT_IF_TEST_IDS.sentence).innerText()).resolves.toBe(said);
      await page.getByLabel('End (UTC)').scrollIntoViewIfNeeded();
      await screenshot(page, `forecast-whatif-error-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `forecast-whatif-${theme}-failed`);
      console.error(`Forecast page showed:\n${await page.locator('body').innerText()}`);
      throw error;
    } finally {
      await page.close();
    }
  });
});

it('says why a launch in the URL cannot be planned, and still shows the baseline', async () => {
  const watched = await context.harness!.open(
    FORECAST_PATH,
    {
      ...context.fleet!.timeRange,
      'var-target': 'gpus_allocated',
      'var-horizon': String(HORIZON_HOURS),
      // A year after the history: outside a one-day forecast.
      'var-whatif': 'start=2026-06-01T00:00:00Z,end=2026-06-02T00:00:00Z,multiplier=2',
    },
    'dark'
  );
  const { page } = watched;
  try {
    await waitForText(page.getByTestId(WHAT_IF_TEST_IDS.refused), /outside the forecast's horizon/);
    await waitForText(panel(page, 'Scaling schedule'), /Action|No scale-out/);
  } finally {
    await page.close();
  }
});
