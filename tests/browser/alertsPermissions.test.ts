/**
 * The Alerts page for each kind of Grafana user, against the Grafana API double (which grants and checks permissions
 * as Grafana 12.4 does): an Editor and an Admin write rules, a Viewer is told what is missing, and a write Grafana
 * refuses although the permission list looked sufficient shows Grafana's reason.
 */
import type { Page } from 'playwright-core';
import { alertsPanelTitles } from '../../src/pages/Alerts/alertsText';
import { GrafanaDouble, type Role } from '../grafana-double/server';
import { panel, problemsOf, waitForText } from './harness/assertions';
import { screenshot } from './harness';
import { BACKFILL_TIMEOUT_MS, startAlertsSetup, type AlertsSetup } from './alertsSetup';

// English: these tests open the pages without a language (docs/i18n.md).
const TITLES = alertsPanelTitles();

const ALERTS_PATH = '/a/headroom-capacity-app/alerts';
const TOKEN = 'browser-session';
const HEADROOM_FOLDER = { uid: 'headroom', title: 'Headroom' };
/** The API answers a role may get on this page: the folder lookup's 404 before it exists, and Grafana's refusals. */
const EXPECTED_REFUSALS = /status of (403|404)|^HTTP (403|404): /;

const double = new GrafanaDouble({ token: TOKEN });
let setup: AlertsSetup | undefined;

beforeAll(async () => {
  setup = await startAlertsSetup(double, TOKEN);
}, BACKFILL_TIMEOUT_MS);

afterAll(() => setup?.stop());

beforeEach(() => {
  double.rules.clear();
  double.folders.clear();
  double.requests.length = 0;
});

/** Opens the page as `role` and waits until the rule writer has checked the permissions. */
async function openAs(role: Role) {
  double.role = role;
  setup!.harness.server.notFound.length = 0;
  const watched = await setup!.harness.open(
    ALERTS_PATH,
    { ...setup!.fleet.timeRange, watch: 'gpu_utilisation' },
    'dark'
  );
  try {
    await watched.page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor({ timeout: 60_000 });
    await panel(watched.page, TITLES.rules).getByTestId('headroom-rule-writer').waitFor({ timeout: 60_000 });
  } catch (error) {
    console.error(
      `Alerts page showed:\n${await watched.page.locator('body').innerText()}\nProblems: ${watched.problems.join('\n')}`
    );
    await watched.page.close();
    throw error;
  }
  return watched;
}

/** Writes the series' rules through the plan, as a person clicks it, and returns the outcome's text. */
async function writeRules(page: Page): Promise<string> {
  const rules = panel(page, TITLES.rules);
  const button = rules.getByRole('button', { name: 'Write rules' });
  await waitFor(async () => (await button.isEnabled()) || undefined);
  await button.click();
  await waitForText(page.getByTestId('headroom-sync-plan'), /create[\s\S]*create/);
  await page.getByRole('button', { name: 'Apply 2 changes' }).click();
  return (await waitForText(page.getByTestId('headroom-alerts-outcome'), /Wrote[^\n]*|Not written[\s\S]*/))[0];
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) {
      return value as T;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What the page and the harness reported, less the refusals this test provokes. */
const unexpectedProblems = (watched: Awaited<ReturnType<typeof openAs>>) =>
  problemsOf(watched, setup!.harness.server.notFound).filter((problem) => !EXPECTED_REFUSALS.test(problem));

describe('Alerts page permissions', () => {
  it('lets an Editor write: the Editor role has the rule permissions and provenance, not alert.provisioning:write', async () => {
    const watched = await openAs('Editor');
    try {
      expect(await writeRules(watched.page)).toMatch(/^Wrote 2 rules to Grafana: 2 created\./);
      expect(double.rules.size).toBe(2);
      expect(double.folders.get(HEADROOM_FOLDER.uid)?.createdByCaller).toBe(true);
      expect(await watched.page.getByText('Writing rules is not available to you').count()).toBe(0);
      expect(unexpectedProblems(watched)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });

  it('lets an Admin write through alert.provisioning:write', async () => {
    const watched = await openAs('Admin');
    try {
      expect(await writeRules(watched.page)).toMatch(/^Wrote 2 rules to Grafana: 2 created\./);
      expect(double.rules.size).toBe(2);
      expect(unexpectedProblems(watched)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });

  it('tells a Viewer what Grafana would need, and offers no write', async () => {
    // A Headroom folder someone else made, with Grafana's default permissions: Viewers may read it.
    double.folders.set(HEADROOM_FOLDER.uid, { ...HEADROOM_FOLDER });
    const watched = await openAs('Viewer');
    const { page } = watched;
    try {
      const rules = panel(page, TITLES.rules);
      await waitForText(
        rules,
        /Writing rules is not available to you[\s\S]*it lacks alert\.rules:create, alert\.rules:write, alert\.provisioning\.provenance:write\.[\s\S]*alert\.rules\.provisioning:write/
      );
      expect(await rules.getByRole('button', { name: 'Write rules' }).isDisabled()).toBe(true);
      await screenshot(page, 'alerts-page-viewer-dark');
      expect(double.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(unexpectedProblems(watched)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows Grafana's reason when it refuses a write the permission list allowed", async () => {
    // All the rule permissions, but no right to query the Prometheus data source the rules read.
    const watched = await openAs({
      custom: {
        'alert.rules:read': ['folders:*'],
        'alert.rules:create': ['folders:*'],
        'alert.rules:write': ['folders:*'],
        'alert.rules:delete': ['folders:*'],
        'alert.provisioning.provenance:write': [''],
        'folders:read': ['folders:*'],
        'folders:create': ['folders:uid:general'],
      },
    });
    const { page } = watched;
    try {
      const rules = panel(page, TITLES.rules);
      const button = rules.getByRole('button', { name: 'Write rules' });
      await waitFor(async () => (await button.isEnabled()) || undefined);
      await button.click();
      await page.getByRole('button', { name: 'Apply 2 changes' }).click();
      const refusal = await waitForText(
        page.getByTestId('headroom-sync-plan'),
        /Grafana refused the write[\s\S]*403 "user is not authorized to create a new alert rule '[^']+' \(needs action:datasources:query scopes:datasources:uid:prometheus\)"[\s\S]*/
      );
      expect(refusal[0]).toContain('In the app this is your own Grafana user');
      expect(double.rules.size).toBe(0);
      await screenshot(page, 'alerts-page-403-dark');
      expect(unexpectedProblems(watched)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
