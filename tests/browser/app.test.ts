/**
 * The built app in headless Chromium, loaded the way Grafana 12 loads it, reading a real Prometheus filled with
 * simulator history. The Overview must show the simulator's ground truth; the other pages their "what's coming" text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultFleetSpec } from '../../src/simulator/defaultFleet';
import { writeOpenMetricsHistory, type HistorySummary } from '../../src/simulator/history';
import { COMING_SOON_PAGES } from '../../src/pages/ComingSoon/comingSoonPages';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { panel, problemsOf, readNumber, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const APP_PATH = '/a/headroom-capacity-app';
// A fixed end keeps dates in screenshots stable; 12 hours of 5-minute samples backfill in a few seconds.
const HISTORY_END_SECONDS = Date.UTC(2025, 5, 2, 12, 0, 0) / 1000;
const HISTORY = { endSeconds: HISTORY_END_SECONDS, days: 0.5, stepSeconds: 300 };
const FLEET = { gpuCount: 24, seed: 7 };
/**
 * Busy GPUs are shown with one decimal, so the shown value is within 0.05 of the true sum. The page's range ends
 * exactly on the last sample and spans a whole number of any step Headroom picks, so the last point the stat
 * reduces to is the sample at the end itself: no step-alignment or averaging error to allow for.
 */
const BUSY_DISPLAY_TOLERANCE = 0.05;

let workDir: string;
let truth: HistorySummary;
let prometheus: RunningPrometheus | undefined;
let harness: Harness | undefined;

/** The page's time range: the whole backfilled history, in epoch milliseconds as scenes writes it to the URL. */
const timeRange = () => ({
  from: String((truth.lastSampleSeconds - HISTORY.days * 86_400) * 1000),
  to: String(truth.lastSampleSeconds * 1000),
});

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'headroom-browser-'));
  const historyFile = path.join(workDir, 'history.om');
  truth = await writeOpenMetricsHistory(defaultFleetSpec(FLEET), HISTORY, historyFile);
  prometheus = await startPrometheus({ openMetricsFile: historyFile });
  harness = await startHarness({ prometheusUrl: prometheus.url });
});

afterAll(async () => {
  await harness?.close();
  await prometheus?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function openApp(page: string, theme: Theme) {
  harness!.server.notFound.length = 0;
  const started = Date.now();
  const watched = await harness!.open(`${APP_PATH}/${page}`, timeRange(), theme);
  return { ...watched, started };
}

describe.each<Theme>(['dark', 'light'])('Overview (%s theme)', (theme) => {
  it('shows the simulated fleet', async () => {
    const { page, problems, warnings, started } = await openApp('overview', theme);
    try {
      const total = await readNumber(panel(page, 'Total GPUs'), 'GPUs');
      const readyMs = Date.now() - started;
      const allocated = await readNumber(panel(page, 'Allocated GPUs'), 'GPUs');
      const busy = await readNumber(panel(page, 'Busy GPUs'), 'GPUs');
      const free = await readNumber(panel(page, 'Free GPUs'), 'GPUs');
      const nodesTable = panel(page, 'Nodes');
      for (const node of truth.nodes) {
        await waitForText(nodesTable, new RegExp(node.name));
      }
      await waitForPanelsLoaded(page);
      await screenshot(page, `overview-${theme}`);

      // "Total GPUs" is allocatable whole GPUs (kube-state-metrics); GPUs in MIG mode are allocated as instances.
      expect(total).toBe(truth.allocatableWholeGpus);
      expect(allocated).toBe(truth.atEnd.allocatedGpus);
      expect(Math.abs(busy - truth.atEnd.grEngineActiveSum)).toBeLessThanOrEqual(BUSY_DISPLAY_TOLERANCE);
      expect(free).toBe(truth.allocatableWholeGpus - truth.atEnd.allocatedGpus);
      expect(problemsOf({ page, problems, warnings }, harness!.server.notFound)).toEqual([]);
      console.info(`Overview (${theme}) ready in ${readyMs} ms; console warnings: ${JSON.stringify(warnings)}`);
    } finally {
      await page.close();
    }
  });
});

describe.each(COMING_SOON_PAGES.flatMap((text) => (['dark', 'light'] as Theme[]).map((theme) => ({ ...text, theme }))))(
  '$title page ($theme theme)',
  ({ route, title, question, detail, theme }) => {
    it("shows what's coming", async () => {
      const { page, problems, warnings } = await openApp(route, theme);
      try {
        await page.getByRole('heading', { name: title, exact: true }).waitFor();
        await page.getByText(question, { exact: true }).waitFor();
        await page.getByText(detail, { exact: true }).waitFor();
        await screenshot(page, `${route}-${theme}`);
        expect(problemsOf({ page, problems, warnings }, harness!.server.notFound)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
);
