/**
 * The runbook dashboards the app ships, each opened at `/d/<uid>/<slug>` over eight days of simulated fleet history in
 * a real Prometheus and screenshot in both themes. The harness's DashboardHost stands in for Grafana's dashboard
 * loader (what it does and does not do: its header comment, and docs/development.md "Browser tests").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RUNBOOKS, runbookUrl } from '../../src/alerting/runbooks';
import type { DashboardJson } from '../kit/dashboardJson';
import { regexEscape } from '../../src/prometheus/promql';
import { panel, problemsOf, waitForText } from './harness/assertions';
import { REPO_ROOT } from './harness/buildHost';
import { FORECAST_HISTORY } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';

const app = JSON.parse(readFileSync(path.join(REPO_ROOT, 'src/plugin.json'), 'utf8')) as {
  includes: Array<{ type: string; path: string }>;
};
const DASHBOARDS = app.includes
  .filter((include) => include.type === 'dashboard')
  .map((include) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'src', include.path), 'utf8')) as DashboardJson);
/** What Grafana shows when a panel crashes, cannot be loaded or its query fails. */
const FAILURE_TEXT =
  /An unexpected error happened|query failed|Unable to render data|Panel plugin not found|Error loading|not known to the browser harness|Datasource .* was not found/i;

const context = harnessOverFleet(FORECAST_HISTORY);

describe.each(DASHBOARDS.flatMap((dashboard) => (['dark', 'light'] as Theme[]).map((theme) => ({ dashboard, theme }))))(
  '$dashboard.title ($theme theme)',
  ({ dashboard, theme }) => {
    it('shows every panel with its data and no failure', async () => {
      context.harness!.server.notFound.length = 0;
      const watched = await context.harness!.open(`/d/${dashboard.uid}/x`, context.fleet!.timeRange, theme);
      const { page } = watched;
      try {
        // The host page is a large bundle: on a loaded machine its first render can take longer than 30 s.
        await page.getByRole('heading', { name: dashboard.title, exact: true }).waitFor({ timeout: 120_000 });
        // Every panel drew something below its title (a chart, a table, its text, or its no-data message) ...
        for (const { title } of dashboard.panels) {
          await waitForText(panel(page, title), new RegExp(`${regexEscape(title)}\\s*\\S`));
        }
        // ... and no query is still running (forecasts run in Web Workers after their query answers).
        await page.waitForFunction(() => !document.querySelector('[aria-label="Panel loading bar"]'), undefined, {
          timeout: 120_000,
        });
        await screenshot(page, `dashboard-${dashboard.uid}-${theme}`);
        for (const { title } of dashboard.panels) {
          const text = await panel(page, title).innerText();
          expect({ title, failure: text.match(FAILURE_TEXT)?.[0] }).toEqual({ title, failure: undefined });
        }
        expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
);

describe('an alert’s runbook link', () => {
  it('opens the runbook panel of its dashboard on its own', async () => {
    const url = new URL(runbookUrl(RUNBOOKS.gangBlocked), 'http://harness');
    const watched = await context.harness!.open(url.pathname, {
      ...Object.fromEntries(url.searchParams),
      ...context.fleet!.timeRange,
    });
    const { page } = watched;
    try {
      const dashboard = DASHBOARDS.find((d) => d.uid === RUNBOOKS.gangBlocked.dashboardUid)!;
      const runbook = dashboard.panels.find((p) => p.id === RUNBOOKS.gangBlocked.panelId)!;
      await panel(page, runbook.title).waitFor({ timeout: 120_000 });
      await screenshot(page, `dashboard-runbook-link-dark`);
      expect(await page.getByRole('region').count()).toBe(1);
      expect(await panel(page, runbook.title).innerText()).toMatch(/Defragmentation plan/);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
