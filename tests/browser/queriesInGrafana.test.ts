/**
 * Headroom's queries as Grafana's runtime runs them, against simulated history in a real Prometheus: a panel with two
 * Headroom queries goes through the harness's copy of Grafana's runRequest (packets merged by key), and the Overview's
 * variables are interpolated by Grafana's own scenes copy, as Grafana 12.4's TemplateSrv does, or by the plugin's.
 */
import type { Request, Route } from 'playwright-core';
import { panel, problemsOf, readNumber, waitForPanelsLoaded } from './harness/assertions';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot } from './harness';

const context = harnessOverFleet({ endSeconds: Date.UTC(2025, 5, 2, 12, 0, 0) / 1000, days: 0.5, stepSeconds: 300 });

/** How long the network must be quiet, A's held request aside, before B counts as answered. */
const QUIET_MS = 2000;
/** What @grafana/ui's legend names each series by (e2e selector VizLegend.seriesName). */
const LEGEND_ITEM = /^data-testid VizLegend series /;

describe('a time series panel with two Headroom queries', () => {
  it('shows each series once, also when the second query answers first', async () => {
    const { truth, timeRange } = context.fleet!;
    const node = truth.nodes.find((n) => !n.mig)!;
    const models = Object.keys(truth.gpusByModel);
    const queries = [
      { refId: 'A', queryType: 'inventory', inventoryView: 'fleet', node: node.name },
      { refId: 'B', queryType: 'inventory', inventoryView: 'byModel' },
    ];
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open('/panel/timeseries', {
      ...timeRange,
      title: 'Two queries',
      queries: JSON.stringify(queries),
    });
    const { page } = watched;
    // A's queries are the only ones naming the node. Holding one of them holds A (it answers once all its queries
    // have) until B has answered, the order that duplicated B's frames: B's answer cannot be seen on the panel,
    // which scenes draws only once the query is no longer Loading, so B counts as answered when all other requests
    // have finished and none followed for QUIET_MS.
    let held: Route | undefined;
    const inFlight = new Set<Request>();
    let lastChangeMs = Date.now();
    const settled = (request: Request) => {
      if (inFlight.delete(request)) {
        lastChangeMs = Date.now();
      }
    };
    await page.route('**/api/datasources/uid/*/resources/**', (route) => {
      const promql = new URL(route.request().url()).searchParams.get('query') ?? '';
      if (!held && promql.includes(node.name)) {
        held = route;
        return;
      }
      inFlight.add(route.request());
      lastChangeMs = Date.now();
      route.continue().catch(() => settled(route.request()));
    });
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    try {
      await page.reload({ waitUntil: 'domcontentloaded' });
      while (!held || inFlight.size > 0 || Date.now() - lastChangeMs < QUIET_MS) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await held.continue();
      const legend = panel(page, 'Two queries').getByTestId(LEGEND_ITEM);
      // A's fleet adds Capacity, Allocated, Busy and Free.
      await legend.nth(3 * models.length + 3).waitFor();
      await waitForPanelsLoaded(page);
      const labels = await legend.evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')));
      expect(labels).toHaveLength(4 + 3 * models.length);
      expect(new Set(labels).size).toBe(labels.length);
      await screenshot(page, 'two-queries-panel');
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, 'two-queries-panel-failed');
      const shown = await panel(page, 'Two queries')
        .getByTestId(LEGEND_ITEM)
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')));
      console.error(
        `The panel's legend: ${JSON.stringify(shown)}; held a request: ${held !== undefined}\n` +
          `Problems: ${problemsOf(watched, context.harness!.server.notFound).join('\n')}`
      );
      throw error;
    } finally {
      await page.close();
    }
  });
});

describe.each(['core', 'plugin'])('Overview variables interpolated by the %s scenes copy', (scenes) => {
  it('counts the GPUs of the node chosen in the node variable, and of the whole fleet for All', async () => {
    const { truth, timeRange } = context.fleet!;
    const node = truth.nodes.find((n) => !n.mig)!;
    context.harness!.server.notFound.length = 0;
    const open = (variables: Record<string, string>) =>
      context.harness!.open('/a/headroom-capacity-app/overview', { ...timeRange, ...variables, harnessScenes: scenes });

    const one = await open({ 'var-node': node.name });
    try {
      expect(await readNumber(panel(one.page, 'Total GPUs'), 'GPUs')).toBe(node.gpuCount);
      await waitForPanelsLoaded(one.page);
      expect(problemsOf(one, context.harness!.server.notFound)).toEqual([]);
    } finally {
      await one.page.close();
    }
    const all = await open({ 'var-node': '$__all' });
    try {
      expect(await readNumber(panel(all.page, 'Total GPUs'), 'GPUs')).toBe(truth.totalGpus);
      expect(problemsOf(all, context.harness!.server.notFound)).toEqual([]);
    } finally {
      await all.page.close();
    }
  });
});
