/**
 * Benchmark of forecasting in the browser: a dashboard of 100 Forecast panels, each with its own Headroom forecast
 * query (672 hourly points of simulated fleet history in a real Prometheus, 168-hour horizon, auto model), in
 * headless Chromium. Reports the main thread's long tasks (the browser's Long Tasks API, every task over 50 ms)
 * while the forecasts run, and how long the whole dashboard took.
 *   npm run build && npm run bench:forecast-browser [-- --panels 100 --runs 3 --layout flex|grid|lazy-grid]
 * Layouts: `flex` (default) mounts every panel at a fixed size in a wrapping row and runs all queries at once;
 * `grid` is a Grafana 12 dashboard's grid set to preload (all queries at once); `lazy-grid` is that grid as Grafana
 * 12 loads a dashboard by default, each panel querying once scrolled into view: the bench scrolls down a screen
 * whenever every panel in view has answered.
 * Target (issue 3): no main-thread task longer than 100 ms while the forecasts run.
 * `--profile` also samples the main thread with the DevTools CPU profiler and prints the functions that spent the
 * most time inside the long tasks of the forecasting phase (plugin code mapped back to its sources); `--trace`
 * records the DevTools timeline instead and prints what the longest tasks were made of (script, style, layout,
 * paint, garbage collection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { defaultFleetSpec } from '../src/simulator/defaultFleet';
import { writeOpenMetricsHistory } from '../src/simulator/history';
import { startPrometheus } from '../tests/kit/prometheus';
import { launchBrowser } from '../tests/browser/harness/browser';
import { buildHostBundle, REPO_ROOT } from '../tests/browser/harness/buildHost';
import { startHarnessServer } from '../tests/browser/harness/server';
import { startMainThreadProfile, type LongTaskWindow, type ProfileSummary } from './mainThreadProfile';
import { startMainThreadTrace, type TracedTask } from './mainThreadTrace';

const { values: flags } = parseArgs({
  options: {
    panels: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    layout: { type: 'string', default: 'flex' },
  },
});
const PANELS = Number(flags.panels);
const RUNS = Number(flags.runs);
const LONG_TASK_TARGET_MS = 100;
const LAYOUTS: Record<string, Record<string, string>> = {
  flex: { width: '280', height: '200' },
  grid: { layout: 'grid', lazy: '0' },
  'lazy-grid': { layout: 'grid', lazy: '1' },
};
const LAYOUT = LAYOUTS[flags.layout as string];
if (!LAYOUT) {
  throw new Error(`--layout must be one of ${Object.keys(LAYOUTS).join(', ')}`);
}
/** 28 days of hourly history (the 672 points a forecast query fits) plus a day of margin. */
const HISTORY = { endSeconds: Date.UTC(2025, 5, 2, 12, 0, 0) / 1000, days: 29, stepSeconds: 3600 };

/**
 * Installed before any page script runs: collects long tasks and the start of the first Prometheus range query,
 * so boot work (parsing the bundles, mounting 100 panels) is told apart from the forecasts themselves.
 */
function observeMainThread() {
  const record = {
    longTasks: [] as Array<{ startMs: number; durationMs: number }>,
    firstQueryMs: -1,
    /** Each Prometheus range query: waiting for a connection, the server's answer, the whole fetch. */
    queries: [] as Array<{ queuedMs: number; serverMs: number; totalMs: number }>,
  };
  (window as unknown as { __headroomBench: typeof record }).__headroomBench = record;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      record.longTasks.push({ startMs: entry.startTime, durationMs: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.name.includes('query_range')) {
        continue;
      }
      // Entries arrive as requests finish, not in the order they started.
      record.firstQueryMs = record.firstQueryMs < 0 ? entry.startTime : Math.min(record.firstQueryMs, entry.startTime);
      const timing = entry as PerformanceResourceTiming;
      record.queries.push({
        queuedMs: timing.requestStart - timing.startTime,
        serverMs: timing.responseStart - timing.requestStart,
        totalMs: timing.duration,
      });
    }
  }).observe({ type: 'resource', buffered: true });
}

interface RunResult {
  wallMs: number;
  bootMaxTaskMs: number;
  forecastMaxTaskMs: number;
  forecastTasksOver50: number;
  forecastTasksOverTarget: number;
  panelsDone: number;
  panelsFailed: number;
  queryQueuedMaxMs: number;
  queryServerMaxMs: number;
  queryTotalMaxMs: number;
  /** Error texts of the failed panels, and console errors of the page. */
  errors: string[];
  profile?: ProfileSummary;
  trace?: TracedTask[];
}

/** A panel showing its model, or Grafana's error status. */
const PANEL_FINISHED = '[data-testid="headroom-forecast-model"], [data-testid="data-testid Panel status error"]';

async function waitForPanels(page: Page, panels: number) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const { done, inViewDone } = await page.evaluate((finishedSelector) => {
      const items = [...document.querySelectorAll('[data-griditem-key]')];
      const inView = items.filter((item) => {
        const box = item.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight;
      });
      return {
        done: document.querySelectorAll(finishedSelector).length,
        inViewDone: inView.length > 0 && inView.every((item) => item.querySelector(finishedSelector) !== null),
      };
    }, PANEL_FINISHED);
    if (done >= panels) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`only ${done} of ${panels} panels finished within 10 minutes`);
    }
    if (inViewDone) {
      await page.evaluate(() => window.scrollBy(0, window.innerHeight));
    }
    await page.waitForTimeout(250);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const workDir = mkdtempSync(path.join(tmpdir(), 'headroom-bench-browser-'));
  const historyFile = path.join(workDir, 'history.om');
  console.error(`Backfilling ${HISTORY.days} days of hourly fleet history into Prometheus...`);
  const truth = await writeOpenMetricsHistory(defaultFleetSpec({ gpuCount: 24, seed: 7 }), HISTORY, historyFile);
  const prometheus = await startPrometheus({
    openMetricsFile: historyFile,
    lookbackDeltaSeconds: HISTORY.stepSeconds - 1,
  });
  const bundle = await buildHostBundle();
  const server = await startHarnessServer({
    distDir: path.join(REPO_ROOT, 'dist'),
    hostBundleDir: bundle.dir,
    prometheusUrl: prometheus.url,
  });
  const browser = await launchBrowser();
  await browser.context.addInitScript(observeMainThread);
  const results: RunResult[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // Every panel forecasts a different series (each a scaled fleet utilisation), as 100 panels on a dashboard.
      const query = {
        queryType: 'forecast',
        target: 'expr',
        expr: 'avg(DCGM_FI_DEV_GPU_UTIL) * (1 + {i} / 1000)',
        horizonHours: '168',
        model: 'auto',
      };
      const params = new URLSearchParams({
        title: 'Forecast',
        from: String((truth.lastSampleSeconds - 7 * 86_400) * 1000),
        to: String(truth.lastSampleSeconds * 1000),
        query: JSON.stringify(query),
        repeat: String(PANELS),
        ...LAYOUT,
      });
      const page = await browser.context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      const profiler = flags.profile ? await startMainThreadProfile(page, bundle.dir) : undefined;
      const tracer = flags.trace ? await startMainThreadTrace(page) : undefined;
      const startedMs = Date.now();
      await page.goto(`${server.url}/panel/headroom-forecast-panel?${params}`, { waitUntil: 'domcontentloaded' });
      // A panel is finished when it shows its model or an error; a lazy dashboard is scrolled a screen down each
      // time every panel in view has finished.
      await waitForPanels(page, PANELS);
      const wallMs = Date.now() - startedMs;
      const record = await page.evaluate(
        () =>
          (
            window as unknown as {
              __headroomBench: {
                longTasks: LongTaskWindow[];
                firstQueryMs: number;
                queries: Array<{ queuedMs: number; serverMs: number; totalMs: number }>;
              };
            }
          ).__headroomBench
      );
      const panelsDone = await page.locator('[data-testid="headroom-forecast-model"]').count();
      const panelErrors = await page.locator('[data-testid="headroom-forecast-panel-error"]').allInnerTexts();
      const boot = record.longTasks.filter((task) => task.startMs < record.firstQueryMs);
      const forecasting = record.longTasks.filter((task) => task.startMs >= record.firstQueryMs);
      const profile = await profiler?.stop(forecasting);
      const trace = (await tracer?.stop(50))?.filter((task) => task.startMs >= record.firstQueryMs);
      results.push({
        wallMs,
        bootMaxTaskMs: Math.max(0, ...boot.map((task) => task.durationMs)),
        forecastMaxTaskMs: Math.max(0, ...forecasting.map((task) => task.durationMs)),
        forecastTasksOver50: forecasting.length,
        forecastTasksOverTarget: forecasting.filter((task) => task.durationMs > LONG_TASK_TARGET_MS).length,
        panelsDone,
        panelsFailed: PANELS - panelsDone,
        queryQueuedMaxMs: Math.max(0, ...record.queries.map((q) => q.queuedMs)),
        queryServerMaxMs: Math.max(0, ...record.queries.map((q) => q.serverMs)),
        queryTotalMaxMs: Math.max(0, ...record.queries.map((q) => q.totalMs)),
        errors: [...panelErrors.map((text) => `panel: ${text.replace(/\s+/g, ' ')}`), ...consoleErrors],
        profile,
        trace,
      });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await prometheus.stop();
    rmSync(workDir, { recursive: true, force: true });
  }

  console.log(
    `Forecasting in the browser: ${PANELS} panels × 672 hourly points, 168 h horizon, auto model, ${flags.layout} layout`
  );
  console.log(
    `${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${RUNS} runs`
  );
  const rows: Array<[string, (r: RunResult) => number]> = [
    ['wall time until every panel shows its forecast (ms)', (r) => r.wallMs],
    ['longest main-thread task while forecasting (ms)', (r) => r.forecastMaxTaskMs],
    [`main-thread tasks over ${LONG_TASK_TARGET_MS} ms while forecasting`, (r) => r.forecastTasksOverTarget],
    ['main-thread tasks over 50 ms while forecasting', (r) => r.forecastTasksOver50],
    ['longest task before the first query (boot, mount) (ms)', (r) => r.bootMaxTaskMs],
    ...(flags.trace
      ? ([
          [
            'most CPU time in one main-thread task while forecasting (ms; a task takes longer only waiting for a core)',
            (r) => Math.max(0, ...(r.trace ?? []).map((task) => task.cpuMs)),
          ],
        ] as Array<[string, (r: RunResult) => number]>)
      : []),
    ['panels with a forecast', (r) => r.panelsDone],
    ['panels with an error', (r) => r.panelsFailed],
    ['slowest Prometheus query: waiting for a connection (ms)', (r) => r.queryQueuedMaxMs],
    ['slowest Prometheus query: server answer (ms)', (r) => r.queryServerMaxMs],
    ['slowest Prometheus query: whole fetch (ms)', (r) => r.queryTotalMaxMs],
  ];
  console.log('| measure | median | runs |');
  console.log('|---|---|---|');
  for (const [name, pick] of rows) {
    const values = results.map(pick);
    console.log(`| ${name} | ${median(values).toFixed(0)} | ${values.map((v) => v.toFixed(0)).join(', ')} |`);
  }
  results.forEach((result, run) => {
    const counts = new Map<string, number>();
    result.errors.forEach((text) => counts.set(text, (counts.get(text) ?? 0) + 1));
    counts.forEach((count, text) => console.log(`run ${run + 1} error ×${count}: ${text}`));
    if (result.profile) {
      printProfile(run, result.profile);
    }
    if (result.trace) {
      console.log(`\nrun ${run + 1}: the longest main-thread tasks while forecasting, by kind of work (self time):`);
      result.trace
        .slice(0, 10)
        .forEach((task) =>
          console.log(
            `- ${task.durationMs.toFixed(0)} ms (CPU ${task.cpuMs.toFixed(0)} ms) at ${task.startMs.toFixed(0)} ms: ` +
              task.parts.join(', ')
          )
        );
    }
  });
}

function printProfile(run: number, profile: ProfileSummary) {
  const ms = (us: number) => (us / 1000).toFixed(0);
  console.log(
    `\nrun ${run + 1}: CPU profile of the ${profile.tasks.length} long tasks while forecasting ` +
      `(${ms(profile.sampledUs)} ms sampled, ${ms(profile.pluginUs)} ms of it with Headroom's code on the stack); ` +
      'top functions by self time:'
  );
  console.log('| self (ms) | inclusive (ms) | function | where |');
  console.log('|---|---|---|---|');
  for (const f of profile.functions.slice(0, 25)) {
    console.log(`| ${ms(f.selfUs)} | ${ms(f.totalUs)} | ${f.name} | ${f.where} |`);
  }
  console.log('longest tasks, with the plugin or library function that spent most inside each (inclusive):');
  for (const task of profile.tasks.slice(0, 8)) {
    console.log(
      `- ${task.durationMs.toFixed(0)} ms at ${task.startMs.toFixed(0)} ms: ${task.native.join(', ')}; ${task.top.join('; ')}`
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
