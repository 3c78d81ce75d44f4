/**
 * The built app in headless Chromium, loaded the way Grafana 12 loads it, reading a real Prometheus filled with
 * simulator history. The Overview must show the simulator's ground truth and link to every page, keeping its time
 * range (each page has its own test file).
 */
import { pageLinks } from '../../src/pages/shared/pageLinks';
import { panel, problemsOf, readNumber, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { startSimulatedFleet, type SimulatedFleet } from './harness/fleet';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const APP_PATH = '/a/headroom-capacity-app';
/**
 * Busy GPUs are shown with one decimal, so the shown value is within 0.05 of the true sum. The page's range ends
 * exactly on the last sample and spans a whole number of any step Headroom picks, so the last point the stat
 * reduces to is the sample at the end itself: no step-alignment or averaging error to allow for.
 */
const BUSY_DISPLAY_TOLERANCE = 0.05;

let fleet: SimulatedFleet | undefined;
let harness: Harness | undefined;
const truth = () => fleet!.truth;

beforeAll(async () => {
  fleet = await startSimulatedFleet();
  harness = await startHarness({ prometheusUrl: fleet.prometheusUrl });
});

afterAll(async () => {
  console.info(`Icons answered with a placeholder: ${JSON.stringify([...(harness?.server.placeholderIcons ?? [])])}`);
  await harness?.close();
  await fleet?.stop();
});

async function openApp(page: string, theme: Theme) {
  harness!.server.notFound.length = 0;
  const started = Date.now();
  const watched = await harness!.open(`${APP_PATH}/${page}`, fleet!.timeRange, theme);
  return { ...watched, started };
}

describe('Overview', () => {
  let overview: Awaited<ReturnType<typeof openApp>>;

  beforeAll(async () => {
    overview = await openApp('overview', 'dark');
    await readNumber(panel(overview.page, 'Total GPUs'), 'GPUs');
    const readyMs = Date.now() - overview.started;
    await waitForPanelsLoaded(overview.page);
    await screenshot(overview.page, 'overview-dark');
    console.info(
      `Overview ready in ${readyMs} ms (host bundle build: ${harness!.hostBuildMs} ms); ` +
        `console warnings: ${JSON.stringify([...new Set(overview.warnings)])}`
    );
  });

  afterAll(() => overview?.page.close());

  it('shows total, allocated and free GPUs of the simulated fleet at the end of the range', async () => {
    const { page } = overview;
    // Counts are GPU-equivalents: physical GPUs, MIG GPUs included; a held MIG instance counts as its share of a GPU.
    // Fractions show with at most one decimal (Grafana's automatic decimals), hence the rounding to 0.05.
    const allocated = truth().atEnd.allocatedGpuEquivalents;
    expect(await readNumber(panel(page, 'Total GPUs'), 'GPUs')).toBe(truth().totalGpus);
    expect(Math.abs((await readNumber(panel(page, 'Allocated GPUs'), 'GPUs')) - allocated)).toBeLessThanOrEqual(
      BUSY_DISPLAY_TOLERANCE
    );
    expect(
      Math.abs((await readNumber(panel(page, 'Free GPUs'), 'GPUs')) - (truth().totalGpus - allocated))
    ).toBeLessThanOrEqual(BUSY_DISPLAY_TOLERANCE);
  });

  it('shows busy GPUs as the activity of the whole fleet in GPU-equivalents', async () => {
    const busy = await readNumber(panel(overview.page, 'Busy GPUs'), 'GPUs');
    expect(Math.abs(busy - truth().atEnd.busyGpuEquivalents)).toBeLessThanOrEqual(BUSY_DISPLAY_TOLERANCE);
  });

  it('lists every simulated node in the Nodes table', async () => {
    const nodesTable = panel(overview.page, 'Nodes');
    const shown = await waitForText(nodesTable, new RegExp(`^${truth().nodes[0].name}$`, 'm'));
    const missing = truth().nodes.filter((node) => !new RegExp(`^${node.name}$`, 'm').test(shown.input ?? ''));
    expect(missing.map((node) => `${node.name}${node.mig ? ' (MIG)' : ''}`)).toEqual([]);
  });

  it('loads without console errors, page errors or 404s', () => {
    expect(problemsOf(overview, harness!.server.notFound)).toEqual([]);
  });
});

it('renders the Overview in the light theme', async () => {
  const watched = await openApp('overview', 'light');
  try {
    expect(await readNumber(panel(watched.page, 'Total GPUs'), 'GPUs')).toBe(truth().totalGpus);
    await waitForPanelsLoaded(watched.page);
    await screenshot(watched.page, 'overview-light');
    expect(problemsOf(watched, harness!.server.notFound)).toEqual([]);
  } finally {
    await watched.page.close();
  }
});

/** Scenes writes a time as epoch milliseconds or as an ISO timestamp. */
function epochMs(time: string | null): number {
  return /^\d+$/.test(time ?? '') ? Number(time) : Date.parse(time ?? '');
}

it('links from the Overview to every page, keeping the time range', async () => {
  const watched = await openApp('overview', 'dark');
  const { page } = watched;
  try {
    const links = page.getByTestId('headroom-overview-links');
    await links.waitFor();
    for (const { route, title } of pageLinks()) {
      const href = await links.getByRole('link', { name: title, exact: true }).getAttribute('href');
      const url = new URL(href ?? '', 'http://headroom.invalid');
      expect(url.pathname).toBe(`${APP_PATH}/${route}`);
      expect(epochMs(url.searchParams.get('from'))).toBe(Number(fleet!.timeRange.from));
      expect(epochMs(url.searchParams.get('to'))).toBe(Number(fleet!.timeRange.to));
    }
    await links.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
  } finally {
    await page.close();
  }
});
