/**
 * Each Headroom panel on its own, as a dashboard holds it: with an empty result it shows its empty state (both
 * themes); fed a real Headroom inventory query, which it is not made to draw, it says so instead of failing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness/buildHost';
import { panel, problemsOf, waitForText } from './harness/assertions';
import { startSimulatedFleet, type SimulatedFleet } from './harness/fleet';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

interface PanelJson {
  id: string;
  name: string;
}

const PANELS = ['forecast', 'fragmentation', 'efficiency'].map(
  (folder) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'src/panels', folder, 'plugin.json'), 'utf8')) as PanelJson
);
/** What Grafana shows when a panel crashes or cannot be loaded. */
const FAILURE_TEXT = /An unexpected error happened|Unable to render data|Panel plugin not found|Error loading/i;

let fleet: SimulatedFleet | undefined;
let harness: Harness | undefined;

beforeAll(async () => {
  fleet = await startSimulatedFleet();
  harness = await startHarness({ prometheusUrl: fleet.prometheusUrl });
});

afterAll(async () => {
  await harness?.close();
  await fleet?.stop();
});

async function openPanel(id: string, title: string, theme: Theme, query?: object) {
  harness!.server.notFound.length = 0;
  const params = { title, ...fleet!.timeRange, ...(query ? { query: JSON.stringify(query) } : {}) };
  return harness!.open(`/panel/${id}`, params, theme);
}

describe.each(PANELS.flatMap((meta) => (['dark', 'light'] as Theme[]).map((theme) => ({ ...meta, theme }))))(
  '$name ($theme theme)',
  ({ id, name, theme }) => {
    it('shows its empty state when the query returns nothing', async () => {
      const watched = await openPanel(id, name, theme);
      try {
        const notice = panel(watched.page, name).getByTestId(`${id}-empty`);
        // The notice says what the panel will draw and which query fills it.
        await waitForText(notice, /\S[\s\S]*Add a Headroom query of type \w+/);
        await screenshot(watched.page, `panel-${id}-${theme}`);
        expect(await panel(watched.page, name).innerText()).not.toMatch(FAILURE_TEXT);
        expect(problemsOf(watched, harness!.server.notFound)).toEqual([]);
      } finally {
        await watched.page.close();
      }
    });
  }
);

// The forecast panel forecasts any time series it is given, so it is exercised in forecast.test.ts instead.
describe.each(PANELS.filter((meta) => meta.id !== 'headroom-forecast-panel'))(
  '$name fed a Headroom inventory query',
  ({ id, name }) => {
    it('says which data it received and cannot draw', async () => {
      const watched = await openPanel(id, name, 'dark', { queryType: 'inventory', inventoryView: 'fleet' });
      try {
        const notice = panel(watched.page, name).getByTestId(`${id}-unrecognised`);
        // The fleet view's fields, as the Headroom data source names them.
        await waitForText(notice, /cannot draw the data it received \(1 data frame with fields Time, Capacity/);
        await screenshot(watched.page, `panel-${id}-inventory-dark`);
        expect(problemsOf(watched, harness!.server.notFound)).toEqual([]);
      } finally {
        await watched.page.close();
      }
    });
  }
);
