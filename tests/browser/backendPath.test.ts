/**
 * The app through Headroom's own backend: the Headroom data source has the Prometheus URL and basic authentication
 * in its own settings, Grafana (the harness) runs its backend process through the go-plugin handshake and routes the
 * data source's resource and health calls to it over gRPC, and there is no Prometheus data source to borrow. The
 * Prometheus itself is real and refuses requests without the right password (its web config).
 */
import type { Page } from 'playwright-core';

import { efficiencyPanelTitles } from '../../src/pages/Efficiency/efficiencyText';
import {
  dollars,
  panel,
  panelError,
  problemsOf,
  readNumber,
  waitForPanelsLoaded,
  waitForText,
} from './harness/assertions';
import { startSimulatedFleet, type SimulatedFleet } from './harness/fleet';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const APP_PATH = '/a/headroom-capacity-app';
const SETTINGS_PATH = '/connections/datasources/edit/headroom';
/** Counts of a fraction show with one decimal (the Overview test's tolerance). */
const DISPLAY_TOLERANCE = 0.05;

const USER = 'headroom';
const PASSWORD = 'grafana-knows-this';
/**
 * bcrypt of PASSWORD at cost 4, made with Python's crypt module (libxcrypt):
 * `crypt.crypt('grafana-knows-this', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))`.
 */
const PASSWORD_BCRYPT = '$2b$04$O9FmH971dyjESqLCGQRqMepfrIg7OKlsHSDGO22yruy.yQA.sCChO';
const WRONG_PASSWORD = 'not-the-password-7f3a';

/** The Headroom data source as stored in Grafana: URL, basic auth, and the secret in secureJsonData. */
function headroomSettings(prometheusUrl: string, password: string) {
  return {
    url: prometheusUrl,
    basicAuth: true,
    basicAuthUser: USER,
    jsonData: { ownConnection: true, timeout: 20 },
    secureJsonData: { basicAuthPassword: password },
  };
}

let fleet: SimulatedFleet | undefined;
const harnesses: Harness[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet(undefined, {
    basicAuth: { user: USER, bcryptHash: PASSWORD_BCRYPT, password: PASSWORD },
  });
}, 150_000);

afterAll(async () => {
  await Promise.allSettled(harnesses.map((harness) => harness.close()));
  await fleet?.stop();
});

async function harnessWith(password: string): Promise<Harness> {
  // No `prometheusUrl`: the harness has no Prometheus data source Headroom could borrow.
  const harness = await startHarness({ headroom: headroomSettings(fleet!.prometheusUrl, password) });
  harnesses.push(harness);
  return harness;
}

/** Every request the page made under Grafana's data source API, by data source uid, and to `/api/ds/query`. */
function dataSourceCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    const match = pathname.match(/^\/api\/datasources\/uid\/([^/]+)\/(resources|health)/);
    if (match) {
      calls.push(`${match[1]} ${match[2]}`);
    } else if (pathname === '/api/ds/query') {
      calls.push('ds query');
    }
  });
  return calls;
}

/**
 * The Prometheus queries (instant or range) the page asked Headroom's resource proxy for: the panels' data. Label
 * lookups for the page's variables (metricFindQuery) still go through the proxy; they are not queries the backend
 * answers.
 */
function headroomPrometheusQueries(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => {
    const match = new URL(request.url()).pathname.match(/^\/api\/datasources\/uid\/headroom\/resources\/(.*)$/);
    if (match && !/^api\/v1\/(label\/[^/]+\/values|labels|series)$/.test(match[1])) {
      paths.push(match[1]);
    }
  });
  return paths;
}

/** The query types the harness passed to the backend's QueryData since `from` (an index into dsQueries). */
function queryTypesSince(harness: Harness, from: number): string[] {
  return [...new Set(harness.server.dsQueries.slice(from).map((query) => query.queryType))].sort();
}

describe("Overview through Headroom's own backend", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await harnessWith(PASSWORD);
  }, 60_000);

  it("shows the fleet's numbers, answered by the backend's QueryData through /api/ds/query", async () => {
    harness.server.notFound.length = 0;
    const before = harness.server.dsQueries.length;
    const watched = await harness.open(`${APP_PATH}/overview`, fleet!.timeRange);
    const calls = dataSourceCalls(watched.page);
    const prometheusQueries = headroomPrometheusQueries(watched.page);
    try {
      const { truth } = fleet!;
      expect(await readNumber(panel(watched.page, 'Total GPUs'), 'GPUs')).toBe(truth.totalGpus);
      const allocated = await readNumber(panel(watched.page, 'Allocated GPUs'), 'GPUs');
      expect(Math.abs(allocated - truth.atEnd.allocatedGpuEquivalents)).toBeLessThanOrEqual(DISPLAY_TOLERANCE);
      await waitForPanelsLoaded(watched.page);
      await screenshot(watched.page, 'backend-path-overview-dark');
      // Every panel's query went to the backend, which read Prometheus itself: no Prometheus call from the browser.
      expect(calls).toContain('ds query');
      expect(prometheusQueries).toEqual([]);
      expect(queryTypesSince(harness, before)).toEqual(['inventory']);
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });

  it('shows the Fragmentation page from the backend: the free GPUs the simulator holds free', async () => {
    harness.server.notFound.length = 0;
    const before = harness.server.dsQueries.length;
    const watched = await harness.open(`${APP_PATH}/fragmentation`, fleet!.timeRange);
    const calls = dataSourceCalls(watched.page);
    const prometheusQueries = headroomPrometheusQueries(watched.page);
    try {
      const { page } = watched;
      const { truth } = fleet!;
      // As tests/browser/fragmentation.test.ts reads it on the browser path: whole GPUs not held by a running pod.
      const freeGpus = truth.allocatableWholeGpus - truth.atEnd.allocatedGpus;
      expect(await readNumber(panel(page, 'Free GPUs'), 'GPUs')).toBe(freeGpus);
      expect(await readNumber(panel(page, 'Fully free'), 'GPUs')).toBe(freeGpus);
      await waitForText(panel(page, 'Jobs that fit now'), /m\d+: \d+ GPUs?, \d+ cores/);
      await waitForPanelsLoaded(page);
      await screenshot(page, 'backend-path-fragmentation-dark');
      expect(calls).toContain('ds query');
      expect(prometheusQueries).toEqual([]);
      expect(queryTypesSince(harness, before)).toEqual(['fragmentation']);
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });

  it('shows a dashboard panel of the Fragmentation triage dashboard from the backend', async () => {
    harness.server.notFound.length = 0;
    const before = harness.server.dsQueries.length;
    const watched = await harness.open('/d/headroom-fragmentation-triage/x', fleet!.timeRange);
    const calls = dataSourceCalls(watched.page);
    const prometheusQueries = headroomPrometheusQueries(watched.page);
    try {
      const { page } = watched;
      await page.getByRole('heading', { name: 'Fragmentation triage', exact: true }).waitFor({ timeout: 120_000 });
      await waitForText(panel(page, 'Jobs that fit now'), /m\d+: \d+ GPUs?, \d+ cores/);
      await waitForPanelsLoaded(page);
      await screenshot(page, 'backend-path-dashboard-dark');
      expect(calls).toContain('ds query');
      // Panels on the Prometheus data source (per-node free GPUs) read it themselves; Headroom's went to QueryData.
      expect(prometheusQueries).toEqual([]);
      expect(queryTypesSince(harness, before)).toContain('fragmentation');
      // This Grafana has no Prometheus data source: the dashboard's Prometheus panel fails, and only it.
      const notPrometheusPanel = (problem: string) =>
        !/\/api\/datasources\/uid\/prometheus\/|status of 500 \(Internal Server Error\)|Unable to load datasource meta data/.test(
          problem
        );
      expect(problemsOf(watched, harness.server.notFound).filter(notPrometheusPanel)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });

  it.each<Theme>(['dark', 'light'])(
    "shows the backend's refusal to forecast from 12 hours of history as the forecast panel's error (%s theme)",
    async (theme) => {
      harness.server.notFound.length = 0;
      const before = harness.server.dsQueries.length;
      const watched = await harness.open(`${APP_PATH}/forecast`, fleet!.timeRange, theme);
      try {
        const { page } = watched;
        // The backend's message (frames/forecast/forecastQuery.ts), answered 400 for the query, 400 for the request.
        const shown = await panelError(
          page,
          'Demand forecast',
          /has \d+ hours of data in the 28 days before the end of the range; a forecast needs at least \d+/
        );
        expect(shown).toBeTruthy();
        await screenshot(page, `backend-path-forecast-error-${theme}`);
        expect(queryTypesSince(harness, before)).toContain('capacity');
        // The browser reports Grafana's 400 for the request itself; nothing else.
        expect(
          problemsOf(watched, harness.server.notFound).filter(
            (problem) =>
              !/^HTTP 400: POST http:\/\/127\.0\.0\.1:\d+\/api\/ds\/query/.test(problem) &&
              !/^console error: Failed to load resource: the server responded with a status of 400/.test(problem)
          )
        ).toEqual([]);
      } finally {
        await watched.page.close();
      }
    }
  );

  it("passes the backend's health check in Save & test, then looks for the GPU metrics through the backend", async () => {
    const watched = await harness.open(SETTINGS_PATH);
    const calls = dataSourceCalls(watched.page);
    try {
      await watched.page.getByRole('button', { name: 'Save & test' }).click();
      const alert = watched.page.getByLabel('Data source settings page Alert');
      // The health check looks at the last 6 hours before now; the simulated history ends in 2025, so the connection
      // works and the metric families are missing: the detection's answer, not a connection failure.
      const [shown] = await waitForText(alert, /.*the last 6 hours.*/);
      expect(shown).not.toMatch(/cannot read from Prometheus|401/);
      expect(calls[0]).toBe('headroom health');
      expect(new Set(calls.slice(1))).toEqual(new Set(['headroom resources']));
    } finally {
      await watched.page.close();
    }
  });

  it.each<Theme>(['dark', 'light'])(
    "shows the connection settings in Grafana's own components (%s theme)",
    async (theme) => {
      const watched = await harness.open(SETTINGS_PATH, {}, theme);
      try {
        const { page } = watched;
        const url = page.getByPlaceholder('http://prometheus:9090');
        await url.waitFor({ timeout: 60_000 });
        expect(await url.inputValue()).toBe(fleet!.prometheusUrl);
        await waitForText(page.locator('body'), /Basic Auth Details/);
        // The password is stored: the page shows that it is, never what it is.
        expect(await page.locator('body').innerText()).not.toContain(PASSWORD);
        await screenshot(page, `backend-path-settings-${theme}`);
        expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
      } finally {
        await watched.page.close();
      }
    }
  );
});

describe("the app's settings in the backend's answers", () => {
  const MONTHLY_BUDGET = 5000;

  it("measures the projected month against the app's monthly budget, which the browser sent with the query", async () => {
    const harness = await startHarness({
      headroom: headroomSettings(fleet!.prometheusUrl, PASSWORD),
      appJsonData: { monthlyBudget: MONTHLY_BUDGET },
    });
    harnesses.push(harness);
    const watched = await harness.open(`${APP_PATH}/efficiency`, fleet!.timeRange);
    try {
      const { page } = watched;
      const titles = efficiencyPanelTitles();
      const share = await readNumber(panel(page, titles.budgetShare), '%');
      const projected = dollars(await panel(page, titles.projected).innerText());
      await waitForPanelsLoaded(page);
      await screenshot(page, 'backend-path-efficiency-dark');
      // Only the budget sent with the query makes a share: the backend has no other way to the app's settings. The
      // stat shows a rounded projection, so the share agrees to within that rounding.
      expect(projected).toBeGreaterThan(0);
      expect(Math.abs(share - (projected / MONTHLY_BUDGET) * 100)).toBeLessThan(Math.max(1, share * 0.06));
      const efficiency = harness.server.dsQueries.filter((query) => query.queryType === 'efficiency');
      expect(efficiency.length).toBeGreaterThan(0);
      for (const query of efficiency) {
        expect(query.appSettings).toEqual({ monthlyBudget: MONTHLY_BUDGET });
      }
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });
});

describe('a wrong password', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await harnessWith(WRONG_PASSWORD);
  }, 60_000);

  it("fails Save & test with the health check's message naming the 401, and prints the password nowhere", async () => {
    const watched = await harness.open(SETTINGS_PATH);
    const calls = dataSourceCalls(watched.page);
    try {
      const { page } = watched;
      await page.getByRole('button', { name: 'Save & test' }).click();
      const alert = page.getByLabel('Data source settings page Alert');
      const [shown] = await waitForText(alert, /Headroom cannot read from Prometheus\..*/);
      expect(shown).toMatch(/HTTP 401/);
      expect(shown).toMatch(/credentials/);
      expect(calls).toEqual(['headroom health']);
      await screenshot(page, 'backend-path-wrong-password');
      const basicPair = Buffer.from(`${USER}:${WRONG_PASSWORD}`).toString('base64');
      for (const text of [await page.locator('body').innerText(), await page.content(), harness.server.backendLog()]) {
        expect(text).not.toContain(WRONG_PASSWORD);
        expect(text).not.toContain(basicPair);
      }
    } finally {
      await watched.page.close();
    }
  });
});

describe('settings that only name a Prometheus data source', () => {
  it.each<Theme>(['dark', 'light'])('offer to copy its URL (%s theme)', async (theme) => {
    const harness = await startHarness({ prometheusUrl: fleet!.prometheusUrl });
    harnesses.push(harness);
    const watched = await harness.open(SETTINGS_PATH, {}, theme);
    try {
      const { page } = watched;
      await page.getByText('Headroom reads Prometheus through the data source "Prometheus"').waitFor();
      await screenshot(page, `backend-path-migration-${theme}`);
      await page.getByRole('button', { name: /Copy URL from Prometheus/ }).click();
      await waitForText(page.locator('body'), /Basic auth/);
      // The copied URL lands in the input on a later render than the auth section's: wait for the value itself (a
      // loaded CI run read the input empty once).
      await page.waitForFunction(
        ([placeholder, url]) =>
          (document.querySelector(`input[placeholder="${placeholder}"]`) as HTMLInputElement | null)?.value === url,
        ['http://prometheus:9090', fleet!.prometheusUrl],
        { timeout: 15_000 }
      );
      expect(await page.getByPlaceholder('http://prometheus:9090').inputValue()).toBe(fleet!.prometheusUrl);
      // Copied: the notice is gone, the choice for alert rules stays; this build runs no backend (the harness's
      // plugin.json is the front-end-only one), so the page says the URL is not used yet.
      await page
        .getByText('Headroom reads Prometheus through the data source "Prometheus"')
        .waitFor({ state: 'detached' });
      await page.getByText('This build of Headroom has no backend for Grafana to run').waitFor();
      await screenshot(page, `backend-path-migration-copied-${theme}`);
      expect(await page.getByText('Prometheus data source for alert rules').count()).toBe(1);
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } finally {
      await watched.page.close();
    }
  });
});
