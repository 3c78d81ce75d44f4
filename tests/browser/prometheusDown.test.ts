/**
 * The app when the Prometheus behind Headroom is down: the harness's data source points at a closed port, so every
 * resource call gets Grafana 12.4's answer for it, HTTP 500 `plugin.requestFailureError`. Each panel must say what
 * happened and where to look, in both themes, and nothing else may break.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

import { panel, waitForText } from './harness/assertions';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const APP_PATH = '/a/headroom-capacity-app';
/** Any fixed range: nothing answers. */
const TIME_RANGE = { from: String(Date.UTC(2025, 5, 2, 6)), to: String(Date.UTC(2025, 5, 2, 12)) };
const OVERVIEW_PANELS = [
  'Total GPUs',
  'Allocated GPUs',
  'Busy GPUs',
  'Free GPUs',
  'Fleet over time',
  'GPUs by model',
  'Allocated GPUs by namespace',
  'Nodes',
];
const NO_ANSWER =
  /Grafana could not get an answer from Prometheus for the data source "Prometheus" \(uid prometheus\): Prometheus is unreachable or slower than the data source's timeout \(30 s\)\. The cause is in Grafana's server log/;
/**
 * What the page reports and a test should not fail on: the 500s themselves (Chromium logs each as a console error
 * without its URL) and scenes logging the variables' query errors, which carry the message above.
 */
const EXPECTED_PROBLEMS = [
  /^HTTP 500: GET http:\/\/127\.0\.0\.1:\d+\/api\/datasources\/uid\/prometheus\/resources\/api\/v1\//,
  /^console error: Failed to load resource: the server responded with a status of 500/,
  /^console error: SceneVariableSet updateAndValidate error .*Grafana could not get an answer from Prometheus/,
];

let harness: Harness | undefined;

beforeAll(async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  harness = await startHarness({ prometheusUrl: `http://127.0.0.1:${port}` });
});

afterAll(() => harness?.close());

/** The message behind a panel's error badge, as a person reads it: by pointing at the badge. */
async function panelError(page: Page, title: string): Promise<string> {
  const badge = panel(page, title).getByTestId('data-testid Panel status error');
  await badge.waitFor();
  await badge.hover();
  const tooltip = page.getByRole('tooltip');
  const [shown] = await waitForText(tooltip, NO_ANSWER);
  return `${shown}${(await tooltip.innerText()).slice(shown.length)}`;
}

describe.each<Theme>(['dark', 'light'])('Overview with Prometheus down (%s theme)', (theme) => {
  it('says in every panel that Grafana got no answer from Prometheus and where the cause is, and nothing else breaks', async () => {
    harness!.server.notFound.length = 0;
    const watched = await harness!.open(`${APP_PATH}/overview`, TIME_RANGE, theme);
    const { page } = watched;
    try {
      const message = await panelError(page, 'Total GPUs');
      await screenshot(page, `prometheus-down-overview-${theme}`);
      expect(message).toMatch(/Check that Prometheus is running and reachable from the Grafana server/);
      for (const title of OVERVIEW_PANELS.slice(1)) {
        await panelError(page, title);
      }
      // The page around the panels still works: its links lead on.
      for (const link of ['Forecast', 'Fragmentation', 'Efficiency', 'Alerts']) {
        expect(await page.getByRole('link', { name: link, exact: true }).count()).toBe(1);
      }
      expect(watched.problems.filter((problem) => !EXPECTED_PROBLEMS.some((p) => p.test(problem)))).toEqual([]);
      expect(harness!.server.notFound).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
