/**
 * The Alerts page's "Budget guard rails" panel in the built app, with a monthly budget on the configuration page, the
 * Grafana API double and simulated fleet history in a real Prometheus: the three levels listed, written through the
 * same plan and review as every Headroom rule, and stored in Grafana (the double validates each request as Grafana's
 * code does) with their routing label and threshold.
 */
import { alertsPanelTitles } from '../../src/pages/Alerts/alertsText';
import { GrafanaDouble } from '../grafana-double/server';
import { panel, problemsOf } from './harness/assertions';
import type { SimulatedFleet } from './harness/fleet';
import { screenshot, type Harness, type Theme } from './harness';
import { BACKFILL_TIMEOUT_MS, startAlertsSetup } from './alertsSetup';

// English: these tests open the pages without a language (docs/i18n.md).
const TITLES = alertsPanelTitles();

const ALERTS_PATH = '/a/headroom-capacity-app/alerts';
const TOKEN = 'browser-session';
const MONTHLY_BUDGET = 18_000;
/** Grafana answers 404 for a folder that does not exist yet; the page asks before creating it. */
const FOLDER_LOOKUP = /\/api\/folders\/headroom\b/;

let fleet: SimulatedFleet | undefined;
let harness: Harness | undefined;
let stop: (() => Promise<void>) | undefined;
const double = new GrafanaDouble({ token: TOKEN });

beforeAll(async () => {
  ({ fleet, harness, stop } = await startAlertsSetup(double, TOKEN, {
    monthlyBudget: MONTHLY_BUDGET,
    budgetTimeZone: 'Europe/Berlin',
  }));
}, BACKFILL_TIMEOUT_MS);

afterAll(() => stop?.());

describe.each(['dark', 'light'] as Theme[])('Alerts page: Budget guard rails (%s theme)', (theme) => {
  it('lists notify, control and circuit-break for the budget and writes them with their levels and thresholds', async () => {
    harness!.server.notFound.length = 0;
    const watched = await harness!.open(ALERTS_PATH, { ...fleet!.timeRange }, theme);
    const { page } = watched;
    try {
      const rails = panel(page, TITLES.budget);
      const writer = rails.getByTestId('headroom-budget-writer');
      await writer.waitFor();
      // The default levels: 100, 110 and 130 % of the budget (docs/budget-guard-rails.md).
      const items = await writer.getByRole('listitem').allInnerTexts();
      expect(items).toEqual([
        expect.stringMatching(/above 100\s?% of the monthly budget \(notify\)$/),
        expect.stringMatching(/above 110\s?% of the monthly budget \(control\)$/),
        expect.stringMatching(/above 130\s?% of the monthly budget \(circuit-break\)$/),
      ]);
      await rails.scrollIntoViewIfNeeded();
      await screenshot(page, `alerts-budget-guard-rails-${theme}`);
      if (theme === 'dark') {
        // Written once (the dark run comes first); the light run finds them in Grafana and offers an update.
        await writer.getByRole('button', { name: 'Write budget rules' }).click();
        await page.getByRole('button', { name: /^Apply \d+ changes?$/ }).click();
      }
      await writer.getByRole('button', { name: 'Update budget rules' }).waitFor();
      const stored = [...double.rules.values()].filter((rule) => rule.labels?.headroom_budget_level !== undefined);
      const byLevel = Object.fromEntries(stored.map((rule) => [rule.labels!.headroom_budget_level, rule]));
      expect(Object.keys(byLevel).sort()).toEqual(['circuit-break', 'control', 'notify']);
      // Thresholds: 18,000 × 1.0, × 1.1 and × 1.3.
      const thresholds = { notify: 18_000, control: 19_800, 'circuit-break': 23_400 };
      for (const [level, threshold] of Object.entries(thresholds)) {
        expect(JSON.stringify(byLevel[level].data)).toContain(`[${threshold}]`);
        expect(byLevel[level].annotations?.runbook).toBeTruthy();
      }
      expect(
        problemsOf(watched, harness!.server.notFound).filter((p) => !FOLDER_LOOKUP.test(p) && !/status of 404/.test(p))
      ).toEqual([]);
    } catch (error) {
      await screenshot(page, `alerts-budget-guard-rails-${theme}-failed`);
      throw error;
    } finally {
      await page.close();
    }
  });
});
