/**
 * The Alerts page of the built app against eight days of simulated fleet history in a real Prometheus and the
 * Grafana API double: pick a preset, read the band and backtest, make the rule more sensitive and see the numbers
 * move, write the rules as an Editor (the double validates every request as Grafana's code does), list them, and see
 * a person's edit refused with its diff until confirmed. What other roles see: alertsPermissions.test.ts.
 */
import type { Page } from 'playwright-core';
import { ruleUid } from '../../src/alerting/grafanaRule';
import { alertsPanelTitles, statusText } from '../../src/pages/Alerts/alertsText';
import { regexEscape } from '../../src/prometheus/promql';
import { GrafanaDouble } from '../grafana-double/server';
import {
  canvasTexts,
  chartTooltip,
  dragPlot,
  hoverPlot,
  legendItems,
  plotArea,
  recordCanvasText,
  viewportScreenshot,
} from './chartReading';
import { panel, problemsOf, waitForText } from './harness/assertions';
import type { SimulatedFleet } from './harness/fleet';
import { screenshot, type Harness, type Theme } from './harness';
import { BACKFILL_TIMEOUT_MS, startAlertsSetup } from './alertsSetup';
import { DEFAULT_SENSITIVITY } from '../../src/alerting/sensitivity';

// English: these tests open the pages without a language (docs/i18n.md).
const TITLES = alertsPanelTitles();
const STATUS = statusText();

const ALERTS_PATH = '/a/headroom-capacity-app/alerts';
const TOKEN = 'browser-session';
/** The fleet-wide utilisation preset's PromQL with the simulator's metrics (profiling activity present). */
const UTILISATION = 'avg(DCGM_FI_PROF_GR_ENGINE_ACTIVE{})';
/** Grafana answers 404 for a folder that does not exist yet; the page asks before creating it. */
const FOLDER_LOOKUP = /\/api\/folders\/headroom\b/;

let fleet: SimulatedFleet | undefined;
let harness: Harness | undefined;
let stop: (() => Promise<void>) | undefined;
const double = new GrafanaDouble({ token: TOKEN });

beforeAll(async () => {
  ({ fleet, harness, stop } = await startAlertsSetup(double, TOKEN));
}, BACKFILL_TIMEOUT_MS);

afterAll(() => stop?.());

async function openAlerts(params: Record<string, string>, theme: Theme = 'dark') {
  harness!.server.notFound.length = 0;
  const watched = await harness!.open(ALERTS_PATH, { ...fleet!.timeRange, ...params }, theme);
  await watched.page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
  return watched;
}

/** Adaptive starts per week and the whole backtest text, once the table shows them. */
async function readBacktest(page: Page): Promise<{ startsPerWeek: number; text: string }> {
  const match = await waitForText(
    panel(page, TITLES.backtest),
    /Headroom adaptive band\s+(\d+)\s+(\d+(?:\.\d+)?) \/week\s+(\d+(?:\.\d+)?) %/
  );
  return { startsPerWeek: Number(match[2]), text: await panel(page, TITLES.backtest).innerText() };
}

/**
 * The backtest once the debounced replay has caught up with every control change: different from `before` (when
 * given), its panel not loading (a replay in flight), and unchanged for 1.5 s (each control change may show its own
 * intermediate replay first; under load the next replay can take longer than 1.5 s).
 */
async function settledBacktest(page: Page, before?: string): Promise<{ startsPerWeek: number; text: string }> {
  const deadline = Date.now() + 60_000;
  const replaying = async () =>
    (await panel(page, TITLES.backtest).getByRole('status', { name: 'Panel loading bar' }).count()) > 0;
  let last = await readBacktest(page);
  let unchangedSince = Date.now();
  for (;;) {
    await page.waitForTimeout(250);
    const now = await readBacktest(page);
    if (now.text !== last.text || (await replaying())) {
      last = now;
      unchangedSince = Date.now();
    } else if ((last.text !== before && Date.now() - unchangedSince >= 1500) || Date.now() > deadline) {
      return last;
    }
  }
}

/** The backtest once it shows `expected` again, or whatever it shows after 30 s. */
async function backtestReturningTo(page: Page, expected: string): Promise<{ startsPerWeek: number; text: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await readBacktest(page);
    if (now.text === expected || Date.now() > deadline) {
      return now;
    }
    await page.waitForTimeout(250);
  }
}

/** Problems other than the expected ones; Chromium logs every 4xx answer as a console error without its URL. */
const unexpected = (problems: string[], allowed: RegExp[] = [FOLDER_LOOKUP]) => {
  const allowedStatuses = problems
    .filter((p) => allowed.some((pattern) => pattern.test(p)))
    .map((p) => /HTTP (\d+)/.exec(p)?.[1]);
  return problems.filter(
    (p) =>
      !allowed.some((pattern) => pattern.test(p)) &&
      !allowedStatuses.some((status) => status && p.includes(`status of ${status}`))
  );
};

/** Chromium reports a main-thread task as long from 50 ms on: a person feels the page stall. */
const LONG_TASK_MS = 50;
/**
 * How the debounced replay reaches the main thread, as Chromium names the script's invoker in a long animation frame:
 * the debounce timer (where the replay itself ran before the worker) and the worker's reply.
 */
const REPLAY_INVOKERS = /^(TimerHandler:setTimeout|Worker\.onmessage)$/;
const DAY_MS = 86_400_000;
/**
 * A daily wave with a faster ripple, computed by Prometheus over 4 weeks (the simulated fleet holds 8 days): the
 * 8,064 five-minute rows a rule learns from in use, where the replay on the main thread made a long task.
 */
const FOUR_WEEK_WAVE = '0.5 + 0.3 * sin(vector(2 * pi() * time() / 86400)) + 0.05 * sin(vector(time() / 337))';

interface MainThreadRecord {
  longTasks: Array<{ startMs: number; durationMs: number }>;
  /** Scripts that ran in long animation frames, with what invoked them. */
  scripts: Array<{ startMs: number; durationMs: number; invoker: string }>;
}

/**
 * Starts recording the page's main-thread long tasks (PerformanceObserver 'longtask', as bench/forecastBrowser.ts
 * does) and, to tell which of them the replay caused, the scripts of long animation frames; the returned function
 * gives what began since this call.
 */
async function recordMainThread(page: Page): Promise<() => Promise<MainThreadRecord>> {
  // Without long-animation-frame entries no script would be attributed, and the check below could not fail.
  expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes)).toEqual(
    expect.arrayContaining(['longtask', 'long-animation-frame'])
  );
  const sinceMs = await page.evaluate(() => {
    const holder = window as unknown as { __headroomMainThread?: MainThreadRecord };
    if (!holder.__headroomMainThread) {
      const record: MainThreadRecord = { longTasks: [], scripts: [] };
      holder.__headroomMainThread = record;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          record.longTasks.push({ startMs: entry.startTime, durationMs: entry.duration });
        }
      }).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) => {
        for (const frame of list.getEntries() as unknown as Array<{
          scripts: Array<{ startTime: number; duration: number; invoker: string }>;
        }>) {
          for (const script of frame.scripts) {
            record.scripts.push({ startMs: script.startTime, durationMs: script.duration, invoker: script.invoker });
          }
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    }
    return performance.now();
  });
  return () =>
    page.evaluate((since) => {
      const { longTasks, scripts } = (window as unknown as { __headroomMainThread: MainThreadRecord })
        .__headroomMainThread;
      return {
        longTasks: longTasks.filter((task) => task.startMs >= since),
        scripts: scripts.filter((script) => script.startMs >= since),
      };
    }, sinceMs);
}

interface WorkerMessages {
  /** Replay tasks posted to a Web Worker: which worker, the task's id and its sensitivity's width. */
  posted: Array<{ worker: number; id: number; widthMads: number }>;
  /** Replies that worker sent back: with an outcome, or an error. */
  replied: Array<{ worker: number; id: number; outcome: boolean }>;
}

/**
 * Records, from before the page's scripts run, every replay task the page posts to a Web Worker and every reply a
 * worker sends, by wrapping the page's Worker. Proof that the replay ran in a worker, whatever the durations.
 */
async function recordWorkerMessages(page: Page): Promise<() => Promise<WorkerMessages>> {
  await page.addInitScript(() => {
    const record: WorkerMessages = { posted: [], replied: [] };
    (window as unknown as { __headroomWorkers: WorkerMessages }).__headroomWorkers = record;
    let workers = 0;
    const Native = window.Worker;
    window.Worker = class extends Native {
      private readonly index = workers++;
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', (event: MessageEvent) => {
          const data = event.data as { id?: unknown; outcome?: unknown; error?: unknown };
          if (typeof data?.id === 'number' && ('outcome' in data || 'error' in data)) {
            record.replied.push({ worker: this.index, id: data.id, outcome: 'outcome' in data });
          }
        });
      }
      postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
        const request = message as { id?: number; task?: { sensitivity?: { widthMads: number } } };
        if (request?.task?.sensitivity) {
          record.posted.push({ worker: this.index, id: request.id!, widthMads: request.task.sensitivity.widthMads });
        }
        super.postMessage(message, transfer as Transferable[]);
      }
    };
  });
  await page.reload({ waitUntil: 'domcontentloaded' });
  return () => page.evaluate(() => (window as unknown as { __headroomWorkers: WorkerMessages }).__headroomWorkers);
}

/** The page with everything that loads on its own finished: the band, its backtest, and the managed rules' drift. */
async function settledPage(page: Page): Promise<{ startsPerWeek: number; text: string }> {
  await waitForText(panel(page, TITLES.managed), /\d+\.\d %|manages no alert rules yet/);
  return settledBacktest(page);
}

describe('Alerts page', () => {
  it('learns a band, tunes it live, writes rules, lists them, and refuses a person-edited rule until confirmed', async () => {
    const watched = await openAlerts({ watch: 'gpu_utilisation' });
    const { page } = watched;
    try {
      // The band and its backtest against the two baselines.
      const initial = await readBacktest(page);
      expect(initial.text).toMatch(/Static threshold \(warm-up q99\)\s+\d+\s+\d+\.\d\d \/week/);
      expect(initial.text).toMatch(/Mean ± 2σ, 1-day and 1-week bands\s+\d+\s+\d+\.\d\d \/week/);
      const chart = page.getByTestId('headroom-band-chart');
      await chart.waitFor();
      await waitForText(chart, /Alert start \(\d+\)/);
      // Legend and markers read in one go, so a redraw between two reads cannot make them disagree; uPlot places the
      // markers once its plot is ready, just after the legend appears.
      await page.waitForFunction(() => {
        const legend = document.querySelector('[data-testid="headroom-band-chart"]')?.textContent ?? '';
        const markers = document.querySelectorAll('[data-testid="headroom-alert-start"]').length;
        return markers === Number(/Alert start \((\d+)\)/.exec(legend)?.[1]);
      });

      // Most sensitive: narrowest band, no margin, fire at once. More alert starts than the default rule. The width
      // changes last: the band's model in words names the width of the replay shown, so once it reads 1 the table is
      // the last replay's, not one of the intermediate replays the first two changes start (one of those settled for
      // 1.5 s under load and read the default's starts).
      await page.locator('#headroom-alerts-margin').fill('0');
      await page.getByRole('radio', { name: '0', exact: true }).check({ force: true });
      await page.locator('#headroom-alerts-width').fill('1');
      await waitForText(page.getByTestId('headroom-alerts-model'), /median ± 1[·×]/);
      const sensitive = await settledBacktest(page, initial.text);
      expect(sensitive.startsPerWeek).toBeGreaterThan(initial.startsPerWeek);
      // Back to the defaults for writing (width 3, margin 10 %, for 5 minutes): the same replay as at first.
      await page.locator('#headroom-alerts-width').fill(String(DEFAULT_SENSITIVITY.widthMads));
      await page.locator('#headroom-alerts-margin').fill(String(DEFAULT_SENSITIVITY.minMarginPercent));
      await page.getByRole('radio', { name: '5 min', exact: true }).check({ force: true });
      const calm = await backtestReturningTo(page, initial.text);
      expect(calm.text).toBe(initial.text);
      // A wider band than the default to write, so the rules must carry the sensitivity chosen here.
      await page.locator('#headroom-alerts-width').fill('4');
      await waitForText(page.getByTestId('headroom-alerts-model'), /median ± 4[·×]/);
      await settledBacktest(page);

      // Write: the plan first, then the double receives valid requests.
      const rules = panel(page, TITLES.rules);
      await rules.getByRole('button', { name: 'Write rules' }).click();
      const plan = page.getByTestId('headroom-sync-plan');
      await waitForText(plan, /create[\s\S]*create/);
      await page.getByRole('button', { name: 'Apply 2 changes' }).click();
      await waitForText(page.getByTestId('headroom-alerts-outcome'), /Wrote 2 rules to Grafana: 2 created\./);
      const upperUid = ruleUid(UTILISATION, 'upper');
      const lowerUid = ruleUid(UTILISATION, 'lower');
      expect([...double.rules.keys()].sort()).toEqual([upperUid, lowerUid].sort());
      const posts = double.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/provisioning/alert-rules');
      expect(posts).toHaveLength(2);
      expect(posts.every((r) => r.headers['x-disable-provenance'] === 'true')).toBe(true);
      expect(double.rules.get(upperUid)).toMatchObject({
        folderUID: 'headroom',
        for: '5m',
        labels: { managed_by: 'headroom' },
      });
      expect(JSON.parse(double.rules.get(upperUid)!.annotations!.headroom_sensitivity)).toMatchObject({ widthMads: 4 });

      // Listed with status, calibration time and drift.
      const managed = panel(page, TITLES.managed);
      await waitForText(managed, new RegExp(`Above\\s+${STATUS.active}[\\s\\S]*Below\\s+${STATUS.active}`));
      await waitForText(managed, /\d{4}-\d\d-\d\d \d\d:\d\d\s+\d+\.\d\d \/week\s+\d+\.\d %/);
      await rules.getByRole('button', { name: 'Update rules' }).waitFor();
      // Grafana's alert state of each rule: not evaluated yet; then the upper one fires and the lower one fails.
      const upperState = page.getByTestId(`headroom-alert-state-${upperUid}`);
      const lowerState = page.getByTestId(`headroom-alert-state-${lowerUid}`);
      await waitForText(upperState, /Not evaluated yet/);
      double.evaluates(upperUid, { state: 'firing', health: 'ok', activeAt: '2025-06-02T10:05:00Z' });
      double.evaluates(lowerUid, { state: 'inactive', health: 'error', lastError: 'failed to execute query A: EOF' });
      await managed.getByRole('button', { name: 'Refresh' }).click();
      await waitForText(upperState, /Firing\s+since 2025-06-02 10:05 UTC/);
      await waitForText(lowerState, /Error\s+failed to execute query A: EOF/);
      await waitForText(managed, /\d+\.\d %/); // drift worked out
      await screenshot(page, 'alerts-page-dark');

      // A person lengthens `for` in Grafana's UI: the list says so, recalibration refuses it and shows the diff.
      double.personEdits(upperUid, (rule) => {
        rule.for = '30m0s';
      });
      await managed.getByRole('button', { name: 'Refresh' }).click();
      await waitForText(managed, new RegExp(`Above\\s+${STATUS.edited}`));
      await managed.getByRole('button', { name: `Recalibrate ${UTILISATION}` }).click();
      await waitForText(plan, /A person edited this rule since Headroom wrote it/);
      await waitForText(page.getByTestId('headroom-rule-diff').first(), /forSeconds: 1800 → 300/);
      await screenshot(page, 'alerts-page-refusal-dark');
      const writesBefore = double.requests.filter((r) => r.method !== 'GET').length;
      // Unconfirmed, only the unedited side would be written.
      await page.getByRole('button', { name: 'Apply 1 change' }).waitFor();
      await page.getByText('Overwrite the edited rule anyway').click();
      await page.getByRole('button', { name: 'Apply 2 changes' }).click();
      await waitForText(page.getByTestId('headroom-alerts-outcome'), /Wrote 2 rules to Grafana: 2 updated\./);
      const puts = double.requests
        .slice(writesBefore)
        .filter((r) => r.method === 'PUT' && r.path.startsWith('/api/v1/provisioning/alert-rules/'));
      expect(puts.map((r) => r.path).sort()).toEqual(
        [`/api/v1/provisioning/alert-rules/${upperUid}`, `/api/v1/provisioning/alert-rules/${lowerUid}`].sort()
      );
      expect(double.rules.get(upperUid)!.for).toBe('5m');
      // The group evaluates at the series' 5-minute step.
      expect(double.groupIntervals.get('headroom/headroom-adaptive')).toBe(300);
      await waitForText(managed, new RegExp(`Above\\s+${STATUS.active}`));
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } catch (error) {
      await screenshot(page, 'alerts-page-failed');
      console.error(
        `Alerts page showed:\n${await page.locator('body').innerText()}\nProblems: ${watched.problems.join('\n')}`
      );
      throw error;
    } finally {
      await page.close();
    }
  });

  it('shows the managed rules and the band in the light theme', async () => {
    const watched = await openAlerts({ watch: 'gpu_utilisation' }, 'light');
    const { page } = watched;
    try {
      await readBacktest(page);
      await waitForText(panel(page, TITLES.managed), /\d+\.\d %/);
      await screenshot(page, 'alerts-page-light');
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows Prometheus' own message for PromQL it rejects", async () => {
    const watched = await openAlerts({ watch: 'promql', promql: 'sum(rate(DCGM_FI_DEV_GPU_UTIL[5m])' });
    const { page } = watched;
    try {
      const problem = await waitForText(
        page.getByTestId('headroom-alerts-problem'),
        /Prometheus rejected the query[\s\S]*parse error/
      );
      expect(problem[0]).toContain('parse error');
      expect(
        unexpected(problemsOf(watched, harness!.server.notFound), [FOLDER_LOOKUP, /HTTP 400|status of 400/])
      ).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('replays the rule off the main thread: no long task attributable to the replay after a sensitivity change', async () => {
    const endMs = Number(fleet!.timeRange.to);
    const range = { from: String(endMs - 28 * DAY_MS), to: String(endMs) };
    const watched = await openAlerts({ ...range, watch: 'promql', promql: FOUR_WEEK_WAVE });
    const { page } = watched;
    try {
      const workerMessages = await recordWorkerMessages(page);
      const initial = await settledPage(page);
      const postedBefore = (await workerMessages()).posted.length;
      const mainThreadSince = await recordMainThread(page);
      await page.locator('#headroom-alerts-width').fill('1');
      const sensitive = await settledBacktest(page, initial.text);
      await page.locator('#headroom-alerts-width').fill('2');
      const calmer = await settledBacktest(page, sensitive.text);
      expect(new Set([initial.text, sensitive.text, calmer.text]).size).toBe(3);
      const { longTasks, scripts } = await mainThreadSince();
      const ms = (durations: number[]) => `[${durations.map(Math.round).join(', ')}] ms`;
      const replayScripts = scripts.filter((script) => REPLAY_INVOKERS.test(script.invoker));
      console.log(
        `Alerts page, 4 weeks at 5 min, two sensitivity changes: main-thread long tasks ` +
          `${ms(longTasks.map((t) => t.durationMs))}; replay scripts in long frames ` +
          `${ms(replayScripts.map((s) => s.durationMs))}`
      );
      expect(replayScripts.filter((script) => script.durationMs >= LONG_TASK_MS)).toEqual([]);
      // The replays of both widths went to a worker, and the last one shown came back from it with an outcome: a
      // replay that ran on the main thread would post nothing, one that failed in the worker would reply an error.
      const { posted, replied } = await workerMessages();
      const changes = posted.slice(postedBefore);
      expect(new Set(changes.map((task) => task.widthMads))).toEqual(new Set([1, 2]));
      const last = changes[changes.length - 1];
      expect(replied).toContainEqual({ worker: last.worker, id: last.id, outcome: true });
      expect(watched.warnings.filter((w) => /alert replays run on the main thread/.test(w))).toEqual([]);
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('replays on the main thread, with the same answer, where no Web Worker may start', async () => {
    const reference = await openAlerts({ watch: 'gpu_utilisation', width: '2' });
    const expected = await settledPage(reference.page).finally(() => reference.page.close());
    const watched = await openAlerts({ watch: 'gpu_utilisation', width: '2' });
    const { page } = watched;
    try {
      // As under a Content-Security-Policy without `worker-src blob:`: Chromium refuses in the constructor.
      await page.addInitScript(() => {
        window.Worker = class {
          constructor() {
            throw new DOMException('Refused to create a worker by the Content Security Policy.', 'SecurityError');
          }
        } as unknown as typeof Worker;
      });
      await page.reload({ waitUntil: 'domcontentloaded' });
      const fallback = await settledPage(page);
      expect(fallback.text).toBe(expected.text);
      expect(watched.warnings.some((w) => /alert replays run on the main thread/.test(w))).toBe(true);
      await screenshot(page, 'alerts-page-main-thread-replay-dark');
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says "Too little history" when the range holds less than two days, as the worker reported it', async () => {
    const endMs = Number(fleet!.timeRange.to);
    const watched = await openAlerts({
      from: String(endMs - 1.5 * DAY_MS),
      to: String(endMs),
      watch: 'gpu_utilisation',
    });
    const { page } = watched;
    try {
      const problem = page.getByTestId('headroom-alerts-problem');
      await waitForText(problem, /Too little history[\s\S]*values covering \d+\.\d h; a band needs at least 2 days/);
      expect(await problem.innerText()).toContain('Widen the time range');
      await screenshot(page, 'alerts-page-too-little-history-dark');
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// The band chart, drawn by uPlot as Grafana's time series panel draws: Grafana's legend and its toggles, a marker per
// alert start, the warm-up, the tooltip under the mouse, units on the value axis, and drag-to-zoom of the chart (not of
// the page's range, which is the history the band is learnt from), in both themes.
describe.each(['dark', 'light'] as Theme[])('Alerts backtest coverage and model (%s theme)', (theme) => {
  it('shows each method’s share of judged samples inside its band and the band’s model in words', async () => {
    const watched = await openAlerts({ watch: 'gpu_utilisation' }, theme);
    const { page } = watched;
    try {
      const backtest = panel(page, TITLES.backtest);
      // The last column: starts, starts per week, time in alert (share and duration), then the share inside.
      const row = (label: string) =>
        waitForText(
          backtest,
          new RegExp(`${regexEscape(label)}\\s+\\d+\\s+\\d+\\.\\d\\d /week\\s+[\\d.]+ % \\([^)]*\\)\\s+(\\d+\\.\\d) %`)
        );
      await waitForText(backtest, /Inside band/);
      for (const label of [
        'Headroom adaptive band',
        'Static threshold (warm-up q99)',
        'Mean ± 2σ, 1-day and 1-week bands',
      ]) {
        const share = Number((await row(label))[1]);
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(100);
      }
      // A band that alerts a few times a week holds most samples: the width is 3 robust standard deviations.
      expect(Number((await row('Headroom adaptive band'))[1])).toBeGreaterThan(90);
      // The model in words, the same in the backtest and in the rule writer's "Learnt from".
      const model = await waitForText(
        page.getByTestId('headroom-alerts-model'),
        new RegExp(
          `^Headroom's band: (median ± ${DEFAULT_SENSITIVITY.widthMads}·MAD, ` +
            '(?:per hour of week|per hour of day|one level for every hour \\(no rhythm kept\\)))$'
        )
      );
      await waitForText(page.getByTestId('headroom-rule-writer'), new RegExp(`\\(${regexEscape(model[1])}\\)`));
      await screenshot(page, `alerts-backtest-coverage-${theme}`);
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe.each(['dark', 'light'] as Theme[])('Alerts band chart (%s theme)', (theme) => {
  it('draws the band with uPlot: legend toggles, alert-start markers, tooltip, units, and zoom of the chart only', async () => {
    const watched = await openAlerts({ watch: 'gpu_utilisation' }, theme);
    const { page } = watched;
    try {
      await recordCanvasText(page);
      const chart = page.getByTestId('headroom-band-chart');
      await waitForText(panel(page, TITLES.backtest), /Headroom adaptive band/);
      const legend = await waitForText(chart, /Alert start \((\d+)\)/);
      const starts = Number(legend[1]);
      // A marker under the plot per alert start, and the warm-up shaded, once uPlot's plot is ready.
      await page.waitForFunction(
        (count) => document.querySelectorAll('[data-testid="headroom-alert-start"]').length === count,
        starts
      );
      await chart.getByTestId('headroom-band-warmup').waitFor();
      // Each marker sits under its time on the plot's time scale, which runs from the first to the last row of the
      // history (as the rules panel states them), also after the chart took the page's width.
      const learnt = await waitForText(
        panel(page, TITLES.rules),
        /Learnt from\s+(\d{4}-\d\d-\d\d) (\d\d:\d\d) to (\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC/
      );
      const rangeMs = {
        from: Date.parse(`${learnt[1]}T${learnt[2]}:00Z`),
        to: Date.parse(`${learnt[3]}T${learnt[4]}:00Z`),
      };
      const over = (await plotArea(chart).boundingBox())!;
      const placed = await chart.getByTestId('headroom-alert-start').evaluateAll((markers) =>
        markers.map((marker) => {
          const box = marker.getBoundingClientRect();
          return { title: marker.getAttribute('title') ?? '', centreX: box.left + box.width / 2 };
        })
      );
      for (const { title, centreX } of placed) {
        const timeMs = Date.parse(`${/\d{4}-\d\d-\d\d \d\d:\d\d/.exec(title)![0].replace(' ', 'T')}:00Z`);
        const expectedX = over.x + ((timeMs - rangeMs.from) / (rangeMs.to - rangeMs.from)) * over.width;
        expect(Math.abs(centreX - expectedX)).toBeLessThan(3);
      }
      expect(await legendItems(chart)).toEqual([
        { label: 'Watched series', disabled: false },
        { label: 'Learnt band (as deployed, recalibrated daily)', disabled: false },
        { label: `Alert start (${starts})`, disabled: false },
      ]);
      // The value axis in the preset's unit (a utilisation ratio shown in percent), and the warm-up labelled.
      const drawn = await canvasTexts(page);
      expect(drawn).toContainEqual(expect.stringMatching(/^\d+(\.\d+)?%$/));
      expect(drawn).toContain('warm-up');
      await screenshot(page, `alerts-band-chart-${theme}`);

      // Late in the range the band is deployed: the tooltip reads the series and the band there, in percent.
      await hoverPlot(page, plotArea(chart), 0.9);
      await waitForText(
        chartTooltip(page),
        /Watched series\s+\d+(\.\d+)?%[\s\S]*Band\s+(\d+(\.\d+)?% – \d+(\.\d+)?%|[≤≥])/
      );
      await viewportScreenshot(page, `alerts-band-chart-tooltip-${theme}`);

      // Ctrl-click on the alert starts hides their markers; again shows them.
      await chart.getByRole('button', { name: `Alert start (${starts})` }).click({ modifiers: ['Control'] });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="headroom-alert-start"]').length === 0);
      expect((await legendItems(chart)).map((item) => item.disabled)).toEqual([false, false, true]);
      await chart.getByRole('button', { name: `Alert start (${starts})` }).click({ modifiers: ['Control'] });
      await page.waitForFunction(
        (count) => document.querySelectorAll('[data-testid="headroom-alert-start"]').length === count,
        starts
      );

      // A drag zooms the chart, not the page: the URL's range (the band's history) stays, the axis shows hours.
      const urlBefore = page.url();
      const axisBefore = await canvasTexts(page);
      await dragPlot(page, plotArea(chart), 0.6, 0.7);
      const wholeRange = chart.getByRole('button', { name: 'Show the whole range' });
      await wholeRange.waitFor();
      expect(page.url()).toBe(urlBefore);
      // Eight days over the plot's width label days; a tenth of it (under a day) labels hours and minutes.
      const zoomedLabels = (await canvasTexts(page)).slice(axisBefore.length);
      expect(zoomedLabels).toContainEqual(expect.stringMatching(/^\d{2}:\d{2}$/));
      await screenshot(page, `alerts-band-chart-zoomed-${theme}`);
      await wholeRange.click();
      await wholeRange.waitFor({ state: 'detached' });
      expect(unexpected(problemsOf(watched, harness!.server.notFound))).toEqual([]);
    } catch (error) {
      await screenshot(page, `alerts-band-chart-${theme}-failed`);
      throw error;
    } finally {
      await page.close();
    }
  });
});
