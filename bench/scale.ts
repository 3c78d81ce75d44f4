/**
 * Headroom at 10,000 GPUs (issue 16, part 4): a simulated fleet of 1,250 nodes × 8 GPUs backfilled into Prometheus
 * (promtool) and VictoriaMetrics (import API); each page opened in headless Chromium through a recording proxy, so
 * the queries measured are the ones the pages' own code sent; those requests replayed with each store's statistics,
 * without and with the recording rules of rules/headroom-recording.yml.
 *   npm run bench:scale -- [--days 2] [--step-seconds 600] [--work DIR] [--repeats 5] [--stores prometheus,victoriametrics]
 *     [--reuse-renders | --renders-only] [--path borrowed|own] [--backend-executable FILE] [--pages overview,forecast]
 *     [--profile]   (each page's main thread by function, from a sampled CPU profile)
 *     [--navigate]  (Grafana open first, then each page reached in the app, as a person moves between them)
 * `--renders-only` opens the pages on the first store and prints their table, without the replay: to compare builds.
 * `--path own` gives the Headroom data source its own URL (the recording proxy), so Grafana (the harness) runs its
 * backend, which reads the store and analyses while the browser only receives frames; the default `borrowed` reads
 * through a Prometheus data source from the browser. The backend starts from source (tsx) unless
 * `--backend-executable` names the built one (`npm run build:backend`).
 * Steps already done in --work (history, TSDB, VictoriaMetrics data, rule blocks) are reused. docs/scale.md has the
 * results and what they mean.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import YAML from 'yaml';
import { inventoryRecordingRuleFile, MAX_RECORDING_INTERVAL_SECONDS } from '../src/alerting/recordingRules';
import { INVENTORY_RECORDS, inventoryRecordExpressions } from '../src/prometheus/inventoryRecords';
import { planOpenMetricsHistory } from '../src/simulator';
import { screenshot, startHarness } from '../tests/browser/harness';
import type { WatchedPage } from '../tests/browser/harness/browser';
import { buildHostBundle } from '../tests/browser/harness/buildHost';
import { startPrometheus, type RunningPrometheus } from '../tests/kit/prometheus';
import { startVictoriaMetrics } from '../tests/kit/victoriaMetrics';
import { cpuMsOf, memoryOf, resetPeakMemory } from './procStats';
import { SCALE_FAMILIES, scaleFleetSpec } from './scaleFleet';
import { startMainThreadProfile, type ProfileSummary } from './mainThreadProfile';
import { startRecordingProxy, type RecordedRequest } from './scaleProxy';
import {
  percentile,
  recordsMissing,
  replay,
  withRecordedSeries,
  withRuleExpressions,
  type ReplayResult,
  type StoreKind,
} from './scaleReplay';

const run = promisify(execFile);
const { values: flags } = parseArgs({
  options: {
    days: { type: 'string', default: '2' },
    'step-seconds': { type: 'string', default: '600' },
    work: { type: 'string', default: '/tmp/headroom-scale' },
    repeats: { type: 'string', default: '5' },
    stores: { type: 'string', default: 'prometheus,victoriametrics' },
    'reuse-renders': { type: 'boolean' },
    'renders-only': { type: 'boolean' },
    path: { type: 'string', default: 'borrowed' },
    'backend-executable': { type: 'string' },
    pages: { type: 'string' },
    profile: { type: 'boolean' },
    navigate: { type: 'boolean' },
  },
});
const DAYS = Number(flags.days);
const STEP_SECONDS = Number(flags['step-seconds']);
const REPEATS = Number(flags.repeats);
const WORK = flags.work!;
const END_SECONDS = 1_748_736_000; // 2025-06-01T00:00:00Z, as the other benchmarks: every run simulates the same fleet.
const HOUR_MS = 3_600_000;
const PROFILE_LINES = 15;
/** The loading bar @grafana/ui's PanelChrome draws while a panel's query runs. */
const PANEL_LOADING_BAR = '[aria-label="Panel loading bar"]';
/**
 * Each page at its default time range (`*_DEFAULT_RANGE` in src/pages/<Page>/<page>Scene.ts). The Forecast page's
 * default horizon (7 days) is refused on a history of 2 days (a forecast looks at most as far ahead as its history
 * looks back): it forecasts 24 hours, so that the page does its work.
 */
const PAGES: Array<{ page: string; rangeHours: number; params?: Record<string, string> }> = [
  { page: 'overview', rangeHours: 24 },
  { page: 'forecast', rangeHours: 7 * 24, params: { 'var-horizon': '24' } },
  { page: 'fragmentation', rangeHours: 24 },
  { page: 'efficiency', rangeHours: 24 },
];
const CHOSEN_PAGES = flags.pages ? PAGES.filter(({ page }) => flags.pages!.split(',').includes(page)) : PAGES;
if (CHOSEN_PAGES.length === 0) {
  throw new Error(`--pages ${flags.pages}: none of ${PAGES.map(({ page }) => page).join(', ')}`);
}
const DATA_SOURCE_PATH = flags.path!;
if (DATA_SOURCE_PATH !== 'borrowed' && DATA_SOURCE_PATH !== 'own') {
  throw new Error(`--path ${DATA_SOURCE_PATH}: borrowed or own`);
}
/** The backend as Grafana starts it (the built executable), or from source: the harness's default. */
const BACKEND_COMMAND = flags['backend-executable'] ? [path.resolve(flags['backend-executable'])] : undefined;
const BACKEND = BACKEND_COMMAND ? `executable ${BACKEND_COMMAND[0]}` : 'from source (tsx)';
/** Series one VictoriaMetrics query may touch: above the fleet's ~600,000 series in two days. */
const VM_MAX_UNIQUE_SERIES = 5_000_000;
const PAGE_TIMEOUT_MS = 300_000;
const QUIET_MS = 2_000;

const work = (...parts: string[]) => path.join(WORK, ...parts);
const log = (text: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

async function timed<T>(what: string, action: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  log(`${what}...`);
  const started = performance.now();
  const value = await action();
  const seconds = (performance.now() - started) / 1000;
  log(`${what}: ${seconds.toFixed(1)} s`);
  return { value, seconds };
}

async function mebibytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-sk', dir]);
  return Number(stdout.split('\t')[0]) / 1024;
}

interface Timings {
  [step: string]: number;
}

async function history(timings: Timings): Promise<{ file: string; firstSeconds: number; lastSeconds: number }> {
  const file = work('history.om');
  // Simulating 10,000 GPUs takes minutes before a byte is written: skipped when the history is there.
  if (!existsSync(file)) {
    const plan = (
      await timed('simulating the fleet', async () =>
        planOpenMetricsHistory(scaleFleetSpec(), {
          endSeconds: END_SECONDS,
          days: DAYS,
          stepSeconds: STEP_SECONDS,
          families: SCALE_FAMILIES,
        })
      )
    ).value;
    const { seriesCount, sampleCount, bytes } = plan.estimate;
    log(`history: ${seriesCount} series, ${sampleCount} samples, ${(bytes / 2 ** 30).toFixed(2)} GiB`);
    timings.generateSeconds = (await timed('writing the history', () => plan.write(file))).seconds;
  }
  const lastSeconds = Math.floor(END_SECONDS / STEP_SECONDS) * STEP_SECONDS;
  return { file, firstSeconds: lastSeconds - DAYS * 86_400, lastSeconds };
}

/** promtool's backfill into one block per history (much faster than 2-hour blocks, docs/simulator.md). */
async function prometheusData(file: string, timings: Timings): Promise<string> {
  const dataDir = work('prometheus');
  if (!existsSync(dataDir)) {
    const blockHours = Math.ceil(DAYS) * 24;
    timings.promtoolBackfillSeconds = (
      await timed('promtool backfill', () =>
        run(
          'promtool',
          ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${blockHours}h`, file, dataDir],
          {
            maxBuffer: 64 << 20,
          }
        )
      )
    ).seconds;
  }
  timings.prometheusTsdbMiB = await mebibytes(dataDir);
  return dataDir;
}

interface PageRender {
  page: string;
  requests: RecordedRequest[];
  readySeconds: number;
  /**
   * Page open until its first request: by URL, the harness's boot (Grafana's own frontend in a real Grafana) and the
   * plugin's module loading; reached in the app, the route change (and the module's loading, on the first page).
   */
  firstRequestSeconds: number;
  /** How the page was reached: its URL opened in a new tab, or a route change in a Grafana already open. */
  reached: 'url' | 'in-app';
  /** Page open until the store's last answer: the rest of the first render is analysis and drawing. */
  storeDoneSeconds: number;
  heapMiB: number;
  /** The heap still reachable after a forced garbage collection: what the page (and pages it keeps) holds. */
  liveHeapMiB: number;
  taskSeconds: number;
  scriptSeconds: number;
  /** Panels showing an error badge when the page was ready: the same on both paths (a refusal is no HTTP error in the browser). */
  panelErrors: number;
  problems: string[];
  /**
   * Own path only: the backend process's resident memory when the page was opened and its peak while the page
   * rendered (not below the first: the process keeps what earlier pages made it take), and its CPU time meanwhile.
   */
  backend?: { rssAtOpenMiB: number; peakRssMiB: number; cpuSeconds: number };
}

async function cdpMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/**
 * The errors in the backend's answers to `/api/ds/query` (each query's `error`), which the page shows only as a
 * panel's error badge and the browser as an HTTP 400.
 */
function backendErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname === '/api/ds/query' && response.status() >= 400) {
      const body: { results?: Record<string, { error?: string }> } = await response.json().catch(() => ({}));
      for (const [refId, result] of Object.entries(body.results ?? {})) {
        if (result.error) {
          errors.push(`backend answered ${refId}: ${result.error}`);
        }
      }
    }
  });
  return errors;
}

/** Where the page's main thread spent its time, by function: the top of the sampled CPU profile (`--profile`). */
function logProfile(profile: ProfileSummary): void {
  const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
  log(
    `  main thread sampled ${ms(profile.sampledUs)}, plugin code on the stack ${ms(profile.pluginUs)}; by self time:`
  );
  [...profile.functions]
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, PROFILE_LINES)
    .forEach((f) => log(`    ${ms(f.selfUs)} self, ${ms(f.totalUs)} total  ${f.name}  ${f.where}`));
}

/** Opens each page through the recording proxy; a page is ready when its panels stopped loading and nothing is in flight. */
async function renderPages(storeUrl: string, lastSeconds: number): Promise<PageRender[]> {
  const proxy = await startRecordingProxy(storeUrl);
  // Own path as tests/browser/backendPath.test.ts sets it up: the data source's own URL, and no Prometheus data
  // source the browser could read.
  const harness = await startHarness(
    DATA_SOURCE_PATH === 'own'
      ? { headroom: { url: proxy.url, jsonData: { ownConnection: true } }, backendCommand: BACKEND_COMMAND }
      : { prometheusUrl: proxy.url }
  );
  const backendPid = harness.server.backendPid;
  const hostBundleDir = (await buildHostBundle()).dir;
  const renders: PageRender[] = [];
  let open: { watched: WatchedPage; cdp: CDPSession; errors: string[] } | undefined;
  const openTab = async (pathname: string, search: Record<string, string>) => {
    const watched = await harness.open(pathname, search);
    const cdp = await watched.page.context().newCDPSession(watched.page);
    await cdp.send('Performance.enable');
    return { watched, cdp, errors: backendErrors(watched.page) };
  };
  try {
    if (flags.navigate) {
      // Grafana already open, as when a person picks Headroom in its navigation: the host boots on Grafana's home path,
      // a stand-in that serves no dashboard (Grafana's home sends its own requests), and every page, the first
      // included, is then a route change (the plugin's module loads on the first).
      open = await openTab('/', {});
      await open.watched.page.waitForLoadState('networkidle');
    }
    for (const { page, rangeHours, params } of CHOSEN_PAGES) {
      proxy.take();
      if (backendPid) {
        resetPeakMemory(backendPid);
      }
      const backendRss = backendPid ? memoryOf(backendPid).rss : 0;
      const backendCpuMs = backendPid ? cpuMsOf(backendPid) : 0;
      const toMs = lastSeconds * 1000;
      const search = { from: String(toMs - rangeHours * HOUR_MS), to: String(toMs), ...params };
      const pathname = `/a/headroom-capacity-app/${page}`;
      const started = performance.now();
      const reached = flags.navigate ? 'in-app' : 'url';
      if (open && reached === 'in-app') {
        // As a link in Grafana's navigation does: locationService.push (the harness exposes its instance).
        open.watched.problems.length = 0;
        open.errors.length = 0;
        await open.watched.page.evaluate(
          (url) => {
            (window as unknown as { harnessLocationService: { push(url: string): void } }).harnessLocationService.push(
              url
            );
          },
          `${pathname}?${new URLSearchParams(search)}`
        );
      } else {
        open = await openTab(pathname, search);
      }
      const { watched, cdp, errors } = open;
      const before = reached === 'in-app' ? await cdpMetrics(cdp) : { TaskDuration: 0, ScriptDuration: 0 };
      const profiler = flags.profile ? await startMainThreadProfile(watched.page, hostBundleDir) : undefined;
      const requests: RecordedRequest[] = [];
      let lastChange = performance.now();
      let readyAt = started;
      let waitingFor = '';
      while (performance.now() - started < PAGE_TIMEOUT_MS) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const taken = proxy.take();
        // A CSS attribute query: Playwright's getByRole computes the accessibility role of every element, 10 times a
        // second, on the page's own main thread (seconds of main-thread time on a 10,000-cell grid).
        const loading = await watched.page.locator(PANEL_LOADING_BAR).count();
        requests.push(...taken);
        waitingFor = `${loading} panels loading, ${proxy.inFlight()} requests in flight`;
        if (taken.length > 0 || loading > 0 || proxy.inFlight() > 0) {
          lastChange = performance.now();
          readyAt = lastChange;
        } else if (requests.length > 0 && performance.now() - lastChange > QUIET_MS) {
          waitingFor = '';
          break;
        }
      }
      if (waitingFor) {
        watched.problems.unshift(`not ready after ${PAGE_TIMEOUT_MS / 1000} s: ${waitingFor}`);
      }
      const metrics = await cdpMetrics(cdp);
      // Collected after the page's measures: the next page reached in this tab starts from a collected heap.
      await cdp.send('HeapProfiler.collectGarbage');
      const liveHeapBytes = (await cdpMetrics(cdp)).JSHeapUsedSize;
      if (profiler) {
        logProfile(await profiler.stop([{ startMs: 0, durationMs: Number.MAX_SAFE_INTEGER }]));
      }
      const panelErrors = await watched.page.getByTestId('data-testid Panel status error').count();
      const problems = [...errors, ...watched.problems];
      const sinceStart = (ms: number) => (ms - started) / 1000;
      renders.push({
        page,
        requests,
        readySeconds: sinceStart(readyAt),
        firstRequestSeconds: sinceStart(Math.min(readyAt, ...requests.map((r) => r.arrivedMs))),
        reached,
        storeDoneSeconds: sinceStart(Math.max(started, ...requests.map((r) => r.closedMs ?? started))),
        heapMiB: metrics.JSHeapUsedSize / 2 ** 20,
        liveHeapMiB: liveHeapBytes / 2 ** 20,
        taskSeconds: metrics.TaskDuration - before.TaskDuration,
        scriptSeconds: metrics.ScriptDuration - before.ScriptDuration,
        panelErrors,
        problems: problems.slice(0, 10),
        backend: backendPid
          ? {
              rssAtOpenMiB: backendRss / 2 ** 20,
              peakRssMiB: memoryOf(backendPid).hwm / 2 ** 20,
              cpuSeconds: (cpuMsOf(backendPid) - backendCpuMs) / 1000,
            }
          : undefined,
      });
      log(`${page}: ${requests.length} requests, ready in ${sinceStart(readyAt).toFixed(1)} s (reached by ${reached})`);
      problems.slice(0, 10).forEach((problem) => log(`  ${problem.slice(0, 300)}`));
      await screenshot(watched.page, `scale-${DATA_SOURCE_PATH}-${page}`);
      if (!flags.navigate) {
        await watched.page.close();
        open = undefined;
      }
    }
  } finally {
    await harness.close();
    await proxy.close();
  }
  return renders;
}

type Span = { firstSeconds: number; lastSeconds: number };

/**
 * The shipped rules, evaluated at the history's step (one evaluation per sample keeps the recorded series as dense),
 * or at the longest interval the rule file allows when the step is longer.
 */
const RULE_INTERVAL_SECONDS = Math.min(STEP_SECONDS, MAX_RECORDING_INTERVAL_SECONDS);

/** The shipped rules of `records` only: a store filled before a rule was added lacks that one alone. */
function rulesFile(records: string[]): string {
  const file = work('recording.yml');
  const shipped = inventoryRecordingRuleFile({ evaluationIntervalSeconds: RULE_INTERVAL_SECONDS });
  const rules = YAML.parse(shipped) as { groups: Array<{ rules: Array<{ record: string }> }> };
  for (const group of rules.groups) {
    group.rules = group.rules.filter((rule) => records.includes(rule.record));
  }
  writeFileSync(file, YAML.stringify(rules));
  return file;
}

/**
 * The records whose history the store lacks, in the middle of the history and at its last step (not at its first: the
 * raw series begin a step after it, and so do the records). Asked of the store each run, as Prometheus compacts the
 * backfilled blocks into new ones, so no marker file in a block survives a restart.
 */
function recordsMissingFrom(url: string, span: Span): Promise<string[]> {
  const instant = async (query: string, timeSeconds: number) => {
    const answer = (await (
      await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}&time=${timeSeconds}`)
    ).json()) as { data?: { result?: Array<{ metric: Record<string, string> }> } };
    return (answer.data?.result ?? []).map((r) => r.metric);
  };
  return recordsMissing(instant, RECORDS, [Math.round((span.firstSeconds + span.lastSeconds) / 2), span.lastSeconds]);
}

/** Recorded series over the history: promtool writes blocks (moved into the TSDB by the caller). */
async function backfillRulesIntoPrometheus(
  url: string,
  span: Span,
  timings: Timings,
  records: string[]
): Promise<string> {
  const out = work('rule-blocks');
  rmSync(out, { recursive: true, force: true });
  const args = [`--start=${span.firstSeconds}`, `--end=${span.lastSeconds}`, `--url=${url}`];
  const promtool = ['tsdb', 'create-blocks-from', 'rules', ...args, `--eval-interval=${RULE_INTERVAL_SECONDS}s`];
  const step = await timed('promtool backfill of the recording rules', () =>
    run('promtool', [...promtool, `--output-dir=${out}`, rulesFile(records)])
  );
  timings.promtoolRulesSeconds = step.seconds;
  return out;
}

/** Recorded series over the history: vmalert's replay mode evaluates the rules and writes the results back. */
async function backfillRulesIntoVictoriaMetrics(
  url: string,
  span: Span,
  timings: Timings,
  records: string[]
): Promise<void> {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const replayRange = [`-replay.timeFrom=${iso(span.firstSeconds)}`, `-replay.timeTo=${iso(span.lastSeconds)}`];
  const step = await timed('vmalert replay of the recording rules', () =>
    run('vmalert', [`-rule=${rulesFile(records)}`, `-datasource.url=${url}`, `-remoteWrite.url=${url}`, ...replayRange])
  );
  timings.vmalertReplaySeconds = step.seconds;
  await fetch(`${url}/internal/force_flush`);
}

interface Row {
  store: StoreKind;
  rules: boolean;
  page: string;
  result: ReplayResult;
}

function formatRow({ store, rules, page, result }: Row): string {
  const queries = result.measures.filter((m) => m.query !== undefined);
  const latencies = result.measures.flatMap((m) => m.latenciesMs);
  const samples = queries.map((m) => m.samples ?? 0);
  const errors = result.measures.filter((m) => m.error).length;
  return (
    `| ${store} | ${rules ? 'yes' : 'no'} | ${page} | ${result.measures.length} (${queries.length}) | ${result.cpuSeconds.toFixed(2)} | ` +
    `${samples.reduce((a, b) => a + b, 0).toLocaleString('en-US')} | ${Math.max(0, ...samples).toLocaleString('en-US')} | ` +
    `${percentile(latencies, 0.5).toFixed(0)} | ${percentile(latencies, 0.95).toFixed(0)} | ${errors} |`
  );
}

const RECORDS = Object.entries(inventoryRecordExpressions()).map(([key, expr]): [string, string] => [
  INVENTORY_RECORDS[key as keyof typeof INVENTORY_RECORDS],
  expr,
]);

async function measure(store: StoreKind, url: string, renders: PageRender[], rules: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const render of renders) {
    // Pages recorded where the records existed read them: without rules, every request reads the raw series.
    const { requests, replaced } = rules
      ? withRecordedSeries(render.requests, RECORDS)
      : withRuleExpressions(render.requests, RECORDS, RULE_INTERVAL_SECONDS);
    log(
      `${store}${rules ? ' with rules' : ''}: ${render.page} (${requests.length} requests, ${replaced} ` +
        `${rules ? 'read recorded series' : 'recorded series read raw'})`
    );
    const row: Row = { store, rules, page: render.page, result: await replay(store, url, requests, REPEATS) };
    // Each row on stderr as soon as it is measured: a long run cut short still leaves its numbers.
    log(formatRow(row));
    const slowest = row.result.measures.reduce((a, b) =>
      Math.max(...b.latenciesMs) > Math.max(...a.latenciesMs) ? b : a
    );
    log(
      `  slowest: ${Math.max(...slowest.latenciesMs).toFixed(0)} ms ${slowest.path} ${slowest.query?.slice(0, 160) ?? ''}`
    );
    row.result.measures.filter((m) => m.error).forEach((m) => log(`  error: ${m.path} ${m.error}`));
    rows.push(row);
  }
  return rows;
}

type RenderOnce = (url: string) => Promise<PageRender[]>;

async function prometheusPart(span: Span & { file: string }, timings: Timings, renderOnce: RenderOnce): Promise<Row[]> {
  const dataDir = await prometheusData(span.file, timings);
  const lookbackDeltaSeconds = STEP_SECONDS - 1;
  let prometheus: RunningPrometheus = await startPrometheus({ dataDir, lookbackDeltaSeconds });
  try {
    const renders = await renderOnce(prometheus.url);
    if (flags['renders-only']) {
      return [];
    }
    const rows = await measure('prometheus', prometheus.url, renders, false);
    const missing = await recordsMissingFrom(prometheus.url, span);
    if (missing.length > 0) {
      log(`recording rules to backfill: ${missing.join(', ')}`);
      const out = await backfillRulesIntoPrometheus(prometheus.url, span, timings, missing);
      await prometheus.stop();
      for (const block of readdirSync(out)) {
        renameSync(path.join(out, block), path.join(dataDir, block));
      }
      prometheus = await startPrometheus({ dataDir, lookbackDeltaSeconds });
    }
    timings.prometheusTsdbWithRulesMiB = await mebibytes(dataDir);
    return [...rows, ...(await measure('prometheus', prometheus.url, renders, true))];
  } finally {
    await prometheus.stop();
  }
}

async function victoriaMetricsPart(span: Span & { file: string }, timings: Timings, renderOnce: RenderOnce) {
  const vmDir = work('victoriametrics');
  const fresh = !existsSync(vmDir);
  const vm = await timed('VictoriaMetrics start and import', () =>
    startVictoriaMetrics({
      dataDir: vmDir,
      openMetricsFile: fresh ? span.file : undefined,
      lookbackDeltaSeconds: STEP_SECONDS - 1,
      maxUniqueTimeseries: VM_MAX_UNIQUE_SERIES,
    })
  );
  if (fresh) {
    timings.victoriaMetricsImportSeconds = vm.seconds;
  }
  try {
    timings.victoriaMetricsDataMiB = await mebibytes(vmDir);
    const renders = await renderOnce(vm.value.url);
    if (flags['renders-only']) {
      return [];
    }
    const rows = await measure('victoriametrics', vm.value.url, renders, false);
    const missing = await recordsMissingFrom(vm.value.url, span);
    if (missing.length > 0) {
      log(`recording rules to replay: ${missing.join(', ')}`);
      await backfillRulesIntoVictoriaMetrics(vm.value.url, span, timings, missing);
    }
    return [...rows, ...(await measure('victoriametrics', vm.value.url, renders, true))];
  } finally {
    await vm.value.stop();
  }
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const timings: Timings = {};
  const span = await history(timings);
  const stores = flags.stores!.split(',') as StoreKind[];
  const rows: Row[] = [];
  // The pages are opened once, on the first store: the requests they send do not depend on the store.
  let renders: PageRender[] = [];
  // Saved at once, and reused by a later run with --reuse-renders (its page timings are then the earlier run's).
  const suffix = DATA_SOURCE_PATH === 'own' ? '-own' : '';
  const rendersFile = work(`renders${suffix}.json`);
  if (flags['reuse-renders'] && existsSync(rendersFile)) {
    renders = (JSON.parse(readFileSync(rendersFile, 'utf8')) as PageRender[]).filter((r) =>
      CHOSEN_PAGES.some((p) => p.page === r.page)
    );
  }
  const renderOnce: RenderOnce = async (url) => {
    if (renders.length === 0) {
      renders = await renderPages(url, span.lastSeconds);
      writeFileSync(rendersFile, JSON.stringify(renders, null, 1));
    }
    return renders;
  };
  for (const store of flags['renders-only'] ? stores.slice(0, 1) : stores) {
    rows.push(...(await (store === 'prometheus' ? prometheusPart : victoriaMetricsPart)(span, timings, renderOnce)));
  }

  writeFileSync(work(`results-${stores.join('-')}${suffix}.json`), JSON.stringify({ timings, renders, rows }, null, 1));
  const backend = DATA_SOURCE_PATH === 'own' ? ` (backend ${BACKEND})` : '';
  console.log(`rendered on ${stores[0]}, ${DATA_SOURCE_PATH} path${backend}`);
  console.log(
    `10,000 GPUs (1,250 nodes × 8), ${DAYS} days at ${STEP_SECONDS} s; families: ${SCALE_FAMILIES.join(', ')}`
  );
  console.log(
    `\n${Object.entries(timings)
      .map(([k, v]) => `${k}: ${v.toFixed(1)}`)
      .join('; ')}\n`
  );
  console.log(
    '| page | range h | reached | first request s | first render s | last store answer s | requests | JS heap MiB | live after GC MiB | main-thread task s | script s | backend RSS MiB at open → peak | backend CPU s | panel errors | problems |'
  );
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of renders) {
    const range = PAGES.find((p) => p.page === r.page)!.rangeHours;
    const backendColumns = r.backend
      ? `${r.backend.rssAtOpenMiB.toFixed(0)} → ${r.backend.peakRssMiB.toFixed(0)} | ${r.backend.cpuSeconds.toFixed(1)}`
      : '– | –';
    console.log(
      `| ${r.page} | ${range} | ${r.reached ?? 'url'} | ${r.firstRequestSeconds?.toFixed(1) ?? '–'} | ${r.readySeconds.toFixed(1)} | ${r.storeDoneSeconds?.toFixed(1) ?? '–'} | ${r.requests.length} | ${r.heapMiB.toFixed(0)} | ${r.liveHeapMiB?.toFixed(0) ?? '–'} | ${r.taskSeconds.toFixed(1)} | ${r.scriptSeconds.toFixed(1)} | ${backendColumns} | ${r.panelErrors ?? '–'} | ${r.problems.length} |`
    );
  }
  console.log(
    '\n| store | recording rules | page | requests (queries) | server CPU s | samples read | max samples in one query | p50 ms | p95 ms | errors |'
  );
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
  rows.forEach((row) => console.log(formatRow(row)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
