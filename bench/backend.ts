/**
 * Benchmark of the data source's backend (issue 14): the targets "start to handshake ≤ 1 s; idle memory ≤ 150 MiB;
 * QueryData fragmentation on 10,000 GPUs ≤ 200 ms; forecast per series within 20 % of the CLI's time; executable
 * size per platform stated", each beside a peer measured in the same run.
 *   nice -n 10 npm run bench:backend -- [--executable PATH] [--starts 15] [--runs 7] [--forecast-runs 5]
 *     [--cli-runs 3] [--work DIR] [--darwin-executable PATH]
 * - Start: spawn to the go-plugin handshake line on stdout, for the built executable and for the source run
 *   (`node --import tsx src/backend/main.ts`, as tests/backend/launch.sh starts it).
 * - Memory: the executable's VmRSS (/proc/<pid>/status) idle after the handshake and one CheckHealth, and idle again
 *   after the queries below; VmHWM is the peak.
 * - Fragmentation: QueryData (summary and grid views) through gRPC on the 10,000-GPU fleet of bench/scaleFleet.ts
 *   (1,250 nodes × 8 GPUs, two hours every 5 minutes, promtool backfill); peers: `headroom fragmentation
 *   --prometheus` (wall time) and the same query in this process (Prometheus fetch, analysis, frames, Arrow encoding),
 *   its Prometheus requests replayed all at once and then each alone, and the CPU time it costs Prometheus and Node.
 * - Forecast: QueryData on one hourly series (`auto`, 28 days, 168 hours ahead) against `headroom forecast --batch` on
 *   the same series (its second task's own `fit_ms`, and its wall time less an empty batch's and the first task's), in
 *   two rows. Like for like: the alert measure exhaustionProbability (7 days), which reads the forecast without the
 *   held-out check, the work the CLI does, plus a capacity plan. Full panel: the forecast query, which adds the
 *   held-out check behind the legend's accuracy and coverage (it shares the forecast's fits, engine/forecast/
 *   sharedFits.ts); its ratio is stated, not judged. The panel's query is split in this process (Prometheus fetch,
 *   forecast task, frames, Arrow encoding; gRPC is QueryData less that), beside the task without the check and with
 *   separate fits. Both rows also give CPU time (the executable's from /proc, this process's from
 *   process.cpuUsage), which a shared machine's other load does not lengthen as it does wall time.
 * Each QueryData call is followed by its peers, so both see the same load (the machine may be shared).
 * - Size: scripts/buildBackend.ts --targets linux/amd64,linux/arm64 (the host's executable measured above is the one
 *   built here unless --executable names another). darwin/arm64 is "not built" unless --darwin-executable exists.
 * The fleet's history and TSDB are kept in --work (default /tmp/headroom-bench-backend) and reused; executables are
 * built afresh every run. The table (markdown) goes to stdout, progress to stderr.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';

import * as grpc from '@grpc/grpc-js';

import { encodeFrame } from '../src/backend/arrowFrames';
import { prometheusAccess, type PrometheusAccess } from '../src/backend/prometheusAccess';
import { tlsFetch } from '../src/backend/tlsFetch';
import { createCatalog } from '../src/prometheus/catalog';
import { createPrometheusClient } from '../src/prometheus/client';
import { createFetchTransport } from '../src/prometheus/fetchTransport';
import { protocolServices } from '../src/backend/protocol';
import { prometheusConnection } from '../src/backend/settings';
import { loadAugursInNode } from '../src/cli/augursInNode';
import { defaultForecasters, forecastRaw, holdoutScores, type AugursModels } from '../src/engine/forecast';
import { learnWorkload } from '../src/engine/fragmentation';
import { runForecastTask } from '../src/frames/forecast/forecastTask';
import { runForecastQuery } from '../src/frames/forecast/runForecastQuery';
import { fragmentationFrames, type FragmentationView } from '../src/frames/fragmentation/fragmentationQuery';
import { runFragmentationTask } from '../src/frames/fragmentation/fragmentationTask';
import type { Frame } from '../src/frames/types';
import { fetchRecentGpuRequests } from '../src/prometheus/fleetState';
import { planOpenMetricsHistory } from '../src/simulator';
import { executableName, hostTarget } from '../scripts/buildBackend';
import { startBackend, unaryCall } from '../tests/kit/backendProcess';
import { runHeadroom } from '../tests/kit/cli';
import { toOpenMetrics } from '../tests/kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../tests/kit/prometheus';
import { cpuMsOf, memoryOf } from './procStats';
import { SCALE_FAMILIES, SCALE_GPUS, scaleFleetSpec } from './scaleFleet';
import { percentile } from './scaleReplay';
import { median } from './stats';

const run = promisify(execFile);
const { values: flags } = parseArgs({
  options: {
    executable: { type: 'string' },
    starts: { type: 'string', default: '15' },
    runs: { type: 'string', default: '7' },
    'forecast-runs': { type: 'string', default: '5' },
    'cli-runs': { type: 'string', default: '3' },
    work: { type: 'string', default: '/tmp/headroom-bench-backend' },
    'darwin-executable': { type: 'string' },
  },
});
const STARTS = Number(flags.starts);
const RUNS = Number(flags.runs);
const FORECAST_RUNS = Number(flags['forecast-runs']);
const CLI_RUNS = Number(flags['cli-runs']);
const WORK = flags.work!;
const REPO_ROOT = path.resolve(__dirname, '..');

const END_SECONDS = 1_748_736_000; // 2025-06-01T00:00:00Z, as the other benchmarks: every run simulates the same fleet.
const HOUR = 3600;
/** A fragmentation snapshot needs the newest state and the requests before it: two hours is plenty. */
const FLEET_HOURS = 2;
const FLEET_STEP_SECONDS = 300;
/** What a fragmentation query selects (prometheus/fleetState.ts, prometheus/detect.ts): the rest of the scale fleet's families is not read. */
const FRAGMENTATION_FAMILIES = SCALE_FAMILIES.filter((family) =>
  [
    'kube_node_status_allocatable',
    'kube_node_labels',
    'kube_pod_container_resource_requests',
    'kube_pod_status_phase',
    'DCGM_FI_DEV_FB_USED',
    'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  ].includes(family)
);
/** The forecast's history is 28 days (frames/forecast/forecastQuery.ts HISTORY_DAYS); one day more is written. */
const FORECAST_DAYS = 29;
const FORECAST_HORIZON_HOURS = 168;
const FORECAST_METRIC = 'bench_gpu_demand';
/** The panel's forecast query: the forecast, and its held-out check for the legend's accuracy and coverage. */
const FORECAST_QUERY = {
  queryType: 'forecast',
  target: 'expr',
  expr: FORECAST_METRIC,
  horizonHours: String(FORECAST_HORIZON_HOURS),
  model: 'auto',
};
/**
 * The same forecast as an alert rule reads it (frames/alert/alertQuery.ts): exhaustion probability within the horizon's
 * 7 days against a fixed capacity, so the forecast without the held-out check, the work `headroom forecast --batch`
 * does, plus the capacity plan on top.
 */
const EXHAUSTION_QUERY = {
  queryType: 'alert',
  measure: 'exhaustionProbability',
  withinDays: String(FORECAST_HORIZON_HOURS / 24),
  target: 'expr',
  expr: FORECAST_METRIC,
  model: 'auto',
  capacity: '1500',
};

const TARGETS = {
  startMs: 1000,
  idleMiB: 150,
  fragmentationMs: 200,
  forecastRatio: 1.2,
};

const work = (...parts: string[]) => path.join(WORK, ...parts);
const FLEET_TSDB = () => work(`prometheus-${FLEET_HOURS}h-${FLEET_STEP_SECONDS}s`);
const log = (text: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
const services = protocolServices();

interface Row {
  measure: string;
  target: string;
  median: string;
  p95: string;
  runs: string;
  peer: string;
  result: string;
}
const rows: Row[] = [];
const breakdown: string[] = [];

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const verdict = (ok: boolean) => (ok ? 'pass' : '**fail**');

async function timed<T>(what: string, action: () => Promise<T>): Promise<T> {
  log(`${what}...`);
  const started = performance.now();
  const value = await action();
  log(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

/**
 * CPU time (user + system, ms) the Prometheus serving `dataDir` has used, found by its command line: on a shared
 * machine the fragmentation query's wall time follows the load, the CPU time it costs does not.
 */
function prometheusCpuMs(dataDir: string): () => number {
  const pid = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .find((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(`--storage.tsdb.path=${dataDir}`);
      } catch {
        return false; // gone since the listing
      }
    });
  if (!pid) {
    throw new Error(`no Prometheus serving ${dataDir}`);
  }
  return () => cpuMsOf(Number(pid));
}

/** Stops a backend as Grafana does at shutdown (SIGTERM), killed if it has not exited within 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const HANDSHAKE = /^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\n$/;

async function startTimed(command: string[]) {
  const started = performance.now();
  const backend = await startBackend(command, { cwd: REPO_ROOT, stderr: 'pipe' });
  const elapsed = performance.now() - started;
  backend.child.stderr!.resume();
  if (!HANDSHAKE.test(backend.line)) {
    await stop(backend.child);
    throw new Error(`unexpected handshake line ${JSON.stringify(backend.line)}`);
  }
  return { ...backend, ms: elapsed, address: backend.line.split('|')[3] };
}

// ---------------------------------------------------------------------------------------------------- data

async function fleetPrometheus(): Promise<RunningPrometheus> {
  mkdirSync(WORK, { recursive: true });
  const history = work(`fleet-${FLEET_HOURS}h-${FLEET_STEP_SECONDS}s.om`);
  if (!existsSync(history)) {
    const plan = await timed(`simulating the ${SCALE_GPUS}-GPU fleet`, async () =>
      planOpenMetricsHistory(scaleFleetSpec(), {
        endSeconds: END_SECONDS,
        days: FLEET_HOURS / 24,
        stepSeconds: FLEET_STEP_SECONDS,
        families: FRAGMENTATION_FAMILIES,
      })
    );
    log(`history: ${plan.estimate.seriesCount} series, ${plan.estimate.sampleCount} samples`);
    await timed('writing the history', () => plan.write(`${history}.part`));
    renameSync(`${history}.part`, history);
  }
  const dataDir = FLEET_TSDB();
  if (!existsSync(dataDir)) {
    // One block for the whole history: promtool reads the file once per block (docs/simulator.md).
    await timed('promtool backfill', () =>
      run(
        'promtool',
        ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', history, `${dataDir}.part`],
        {
          maxBuffer: 64 << 20,
        }
      )
    );
    renameSync(`${dataDir}.part`, dataDir);
  }
  return startPrometheus({ dataDir });
}

/** The forecast's series in its own Prometheus, backfilled as one block (the kit's 2-hour blocks take minutes here). */
async function forecastSeriesPrometheus(): Promise<RunningPrometheus> {
  const dataDir = work(`prometheus-forecast-${FORECAST_DAYS}d`);
  if (!existsSync(dataDir)) {
    const file = work(`forecast-${FORECAST_DAYS}d.om`);
    writeFileSync(file, toOpenMetrics([{ name: FORECAST_METRIC, samples: demandSamples() }]));
    await timed('promtool backfill of the forecast series', () =>
      run('promtool', [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        `--max-block-duration=${(FORECAST_DAYS + 1) * 24}h`,
        file,
        `${dataDir}.part`,
      ])
    );
    renameSync(`${dataDir}.part`, dataDir);
  }
  return startPrometheus({ dataDir });
}

/** 29 days of hourly GPU demand: a daily and a weekly rhythm, a slow trend, and seeded noise. */
function demandSamples(): Array<[number, number]> {
  let seed = 7;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 40;
  const hours = FORECAST_DAYS * 24;
  return Array.from({ length: hours }, (_, i) => {
    const t = END_SECONDS - (hours - 1 - i) * HOUR;
    const daily = 120 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400);
    const weekday = new Date(t * 1000).getUTCDay();
    const weekly = weekday === 0 || weekday === 6 ? -150 : 0;
    return [t, Math.round(900 + i * 0.3 + daily + weekly + noise())];
  });
}

// ---------------------------------------------------------------------------------------------------- gRPC calls

function pluginContext(prometheusUrl: string) {
  return {
    dataSourceInstanceSettings: { url: prometheusUrl, jsonData: Buffer.from('{"timeout": 60}') },
  };
}

interface Answer {
  frames: Buffer[];
  error: string;
  status: number;
}

async function queryData(
  client: grpc.Client,
  prometheusUrl: string,
  model: object,
  range: { fromEpochMs: number; toEpochMs: number },
  intervalMs: number
): Promise<{ ms: number; answer: Answer }> {
  const started = performance.now();
  const answer = await unaryCall(client, services.data, 'QueryData', {
    pluginContext: pluginContext(prometheusUrl),
    queries: [{ refId: 'A', intervalMs, timeRange: range, json: Buffer.from(JSON.stringify(model)) }],
  });
  const elapsed = performance.now() - started;
  const a = (answer.responses as Record<string, Answer>).A;
  if (a.status !== 200 || a.frames.length === 0) {
    throw new Error(`QueryData ${JSON.stringify(model)} answered ${a.status}: ${a.error}`);
  }
  return { ms: elapsed, answer: a };
}

// ---------------------------------------------------------------------------------------------------- steps

async function buildExecutables(): Promise<Map<string, string>> {
  const host = executableName(hostTarget());
  const targets = ['linux/amd64', 'linux/arm64'];
  if (!['gpx_headroom_linux_amd64', 'gpx_headroom_linux_arm64'].includes(host)) {
    targets.push('host');
  }
  const outDir = work('executables');
  rmSync(outDir, { recursive: true, force: true });
  await timed(`building ${targets.join(', ')}`, () =>
    run(
      process.execPath,
      ['--import', 'tsx', 'scripts/buildBackend.ts', '--targets', targets.join(','), '--out', outDir],
      {
        cwd: REPO_ROOT,
        maxBuffer: 16 << 20,
      }
    )
  );
  return new Map(
    ['gpx_headroom_linux_amd64', 'gpx_headroom_linux_arm64', host].map((name) => [name, path.join(outDir, name)])
  );
}

async function measureStarts(executable: string): Promise<void> {
  const startMany = async (command: string[]) => {
    const times: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const started = await startTimed(command);
      times.push(started.ms);
      rss.push(memoryOf(started.child.pid!).rss);
      await stop(started.child);
    }
    return { times, rss };
  };
  const exe = await timed(`${STARTS} starts of the executable`, () => startMany([executable]));
  const source = await timed(`${STARTS} starts from source`, () =>
    startMany([process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src/backend/main.ts')])
  );
  // The floor: this Node printing the same line and nothing else, at the same machine load.
  const bare = await timed(`${STARTS} starts of bare Node`, () =>
    startMany([
      process.execPath,
      '-e',
      `process.stdout.write('1|2|tcp|127.0.0.1:1|grpc\\n'); setInterval(() => {}, 1000);`,
    ])
  );
  const exeMedian = median(exe.times);
  rows.push({
    measure: 'start to handshake, executable',
    target: `≤ ${TARGETS.startMs} ms`,
    median: ms(exeMedian),
    p95: ms(percentile(exe.times, 0.95)),
    runs: String(STARTS),
    peer: `bare Node printing the line: median ${ms(median(bare.times))}, p95 ${ms(percentile(bare.times, 0.95))}`,
    result: verdict(exeMedian <= TARGETS.startMs),
  });
  rows.push({
    measure: 'start to handshake, source run',
    target: `≤ ${TARGETS.startMs} ms`,
    median: ms(median(source.times)),
    p95: ms(percentile(source.times, 0.95)),
    runs: String(STARTS),
    peer: 'development only (tests/backend/launch.sh); Grafana starts the executable',
    result: verdict(median(source.times) <= TARGETS.startMs),
  });
  breakdown.push(
    `| RSS at the handshake line, executable | ${mib(median(exe.rss))} | source run: ${mib(median(source.rss))} |`
  );
}

interface CallTimes {
  summary: number[];
  grid: number[];
  forecastCold: number;
  forecast: number[];
  /** The alert measure on the same forecast: no held-out check. */
  forecastOnly: number[];
  /** CPU milliseconds the executable used for each forecast QueryData (its every thread). */
  forecastCpu: number[];
  forecastOnlyCpu: number[];
  idleAfterHealth: number;
  idle: Array<{ seconds: number; rss: number }>;
  peak: number;
}

const VIEWS = ['summary', 'grid'] as const;
const IDLE_READINGS_SECONDS = [5, 15, 30];

/** One executable process: CheckHealth, memory, fragmentation and forecast QueryData calls, memory again. */
interface CallPeers {
  fragmentation: (view: FragmentationView, times: InProcessTimes) => Promise<void>;
  inProcess: Record<'summary' | 'grid', InProcessTimes>;
  cli: number[];
  forecast: () => Promise<void>;
}

const emptyInProcess = (): InProcessTimes => ({
  total: [],
  fetch: [],
  analysis: [],
  frames: [],
  encode: [],
  prometheus: [],
  perRequest: new Map(),
  prometheusCpu: [],
  nodeCpu: [],
});

async function measureCalls(
  executable: string,
  fleetUrl: string,
  forecastUrl: string,
  peers: CallPeers
): Promise<CallTimes> {
  const started = await startTimed([executable]);
  const client = new grpc.Client(started.address, grpc.credentials.createInsecure());
  const pid = started.child.pid!;
  try {
    const health = await unaryCall(client, services.diagnostics, 'CheckHealth', {
      pluginContext: pluginContext(fleetUrl),
    });
    if (health.status !== 'OK') {
      throw new Error(`CheckHealth answered ${JSON.stringify(health)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleAfterHealth = memoryOf(pid).rss;

    const fleetRange = { fromEpochMs: (END_SECONDS - FLEET_HOURS * HOUR) * 1000, toEpochMs: END_SECONDS * 1000 };
    const times: Record<string, number[]> = { summary: [], grid: [] };
    // Each QueryData call is followed by its peers, so all see the same load of this shared machine.
    for (const view of VIEWS) {
      const model = { queryType: 'fragmentation', fragmentationView: view };
      await timed(`${RUNS} QueryData fragmentation ${view}, each with its peers`, async () => {
        for (let i = 0; i <= RUNS; i++) {
          const call = await queryData(client, fleetUrl, model, fleetRange, 60_000);
          // The first of each is a warm-up (JIT, connections; the CLI's bundle is built when the sources changed).
          const sample = i === 0 ? emptyInProcess() : peers.inProcess[view];
          await peers.fragmentation(view, sample);
          if (i > 0) {
            times[view].push(call.ms);
          }
          if (view === 'summary' && i <= CLI_RUNS) {
            const cliMs = await cliFragmentation(fleetUrl);
            if (i > 0) {
              peers.cli.push(cliMs);
            }
          }
        }
      });
    }

    const forecastRange = { fromEpochMs: (END_SECONDS - 28 * 86_400) * 1000, toEpochMs: END_SECONDS * 1000 };
    const forecast: number[] = [];
    const forecastOnly: number[] = [];
    const forecastCpu: number[] = [];
    const forecastOnlyCpu: number[] = [];
    const cold = await timed('QueryData forecast, first (compiles augurs)', () =>
      queryData(client, forecastUrl, FORECAST_QUERY, forecastRange, HOUR * 1000)
    );
    await timed(`${FORECAST_RUNS} QueryData forecasts and alert measures, each with its peers`, async () => {
      for (let i = 0; i < FORECAST_RUNS; i++) {
        const cpu = cpuMsOf(pid);
        forecast.push((await queryData(client, forecastUrl, FORECAST_QUERY, forecastRange, HOUR * 1000)).ms);
        forecastCpu.push(cpuMsOf(pid) - cpu);
        const onlyCpu = cpuMsOf(pid);
        forecastOnly.push((await queryData(client, forecastUrl, EXHAUSTION_QUERY, forecastRange, HOUR * 1000)).ms);
        forecastOnlyCpu.push(cpuMsOf(pid) - onlyCpu);
        await peers.forecast();
      }
    });
    // V8 gives memory back only after a while without allocations (its memory reducer): RSS is read three times.
    const idle: Array<{ seconds: number; rss: number }> = [];
    let waited = 0;
    for (const seconds of IDLE_READINGS_SECONDS) {
      await new Promise((resolve) => setTimeout(resolve, (seconds - waited) * 1000));
      waited = seconds;
      idle.push({ seconds, rss: memoryOf(pid).rss });
    }
    const memory = memoryOf(pid);
    return {
      idle,
      summary: times.summary,
      grid: times.grid,
      forecastCold: cold.ms,
      forecast,
      forecastOnly,
      forecastCpu,
      forecastOnlyCpu,
      idleAfterHealth,
      peak: memory.hwm,
    };
  } finally {
    client.close();
    await stop(started.child);
  }
}

interface InProcessTimes {
  total: number[];
  fetch: number[];
  analysis: number[];
  frames: number[];
  encode: number[];
  /** The same HTTP requests sent all at once, each answer read as text and not parsed. */
  prometheus: number[];
  /** Each of those requests sent alone, one after the other, by what it asks: where Prometheus spends its time. */
  perRequest: Map<string, { ms: number[]; bytes: number }>;
  /** CPU time of the query (until encoded): the fleet's Prometheus', and this process' own. */
  prometheusCpu: number[];
  nodeCpu: number[];
}

/** A request as the table names it: its endpoint and expression (or selector), shortened. */
function requestName(url: string): string {
  const { pathname, searchParams } = new URL(url);
  const what = searchParams.get('query') ?? searchParams.getAll('match[]').join(' ');
  const step = searchParams.get('step');
  const text = `${pathname.replace('/api/v1/', '')} ${what}${step ? ` (step ${step} s)` : ''}`;
  return text.length > 150 ? `${text.slice(0, 150)}…` : text;
}

/** Runs one analysis, noting when it started and how long it took. */
type Analysed = <T>(analysis: () => T) => Promise<T>;

/**
 * Answers built in this process with the backend's own client (as prometheusAccess makes it), split where the time
 * goes: until the analysis starts (Prometheus' answers, parsing, and for fragmentation the fleet state and the learnt
 * workload), the analysis (engine), building the frames, and encoding them as Arrow. The client's requests are
 * recorded and replayed, all at once and unparsed, for Prometheus' own share.
 */
function inProcessAnswers(
  url: string,
  prometheusCpu?: () => number
): (
  times: InProcessTimes,
  answer: (access: Pick<PrometheusAccess, 'client' | 'catalog'>, analysed: Analysed) => Promise<Frame[]>
) => Promise<void> {
  const connection = prometheusConnection({
    url,
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from('{"timeout": 60}'),
    decryptedSecureJsonData: {},
  });
  const send = tlsFetch(connection.tls);
  const requested: string[] = [];
  const recording: typeof fetch = (input, init) => {
    requested.push(String(input));
    return send(input, init);
  };
  const access = {
    client: createPrometheusClient(createFetchTransport(connection.url, { fetch: recording }), {
      timeoutMs: connection.timeoutMs,
    }),
    catalog: createCatalog(),
  };
  return async (times, answer) => {
    let analysisStart = 0;
    let analysisMs = 0;
    const analysed: Analysed = (analysis) =>
      Promise.resolve().then(() => {
        analysisStart = performance.now();
        const outcome = analysis();
        analysisMs = performance.now() - analysisStart;
        return outcome;
      });
    requested.length = 0;
    const prometheusCpuBefore = prometheusCpu?.();
    const nodeCpuBefore = process.cpuUsage();
    const started = performance.now();
    const frames = await answer(access, analysed);
    const built = performance.now();
    frames.forEach(encodeFrame);
    const encoded = performance.now();
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    times.nodeCpu.push((nodeCpu.user + nodeCpu.system) / 1000);
    if (prometheusCpu && prometheusCpuBefore !== undefined) {
      times.prometheusCpu.push(prometheusCpu() - prometheusCpuBefore);
    }
    const urls = requested.splice(0);
    const replayed = performance.now();
    await Promise.all(urls.map(async (url) => (await send(url)).text()));
    times.prometheus.push(performance.now() - replayed);
    for (const url of urls) {
      const alone = performance.now();
      const bytes = (await (await send(url)).text()).length;
      const entry = times.perRequest.get(requestName(url)) ?? { ms: [], bytes };
      entry.ms.push(performance.now() - alone);
      times.perRequest.set(requestName(url), entry);
    }
    times.total.push(encoded - started);
    times.fetch.push(analysisStart - started);
    times.analysis.push(analysisMs);
    times.frames.push(built - analysisStart - analysisMs);
    times.encode.push(encoded - built);
  };
}

/** The backend's fragmentation answer in this process (inProcessAnswers), with the fleet Prometheus' CPU time. */
function fragmentationInProcess(
  fleetUrl: string,
  prometheusCpu: () => number
): (view: FragmentationView, times: InProcessTimes) => Promise<void> {
  const answer = inProcessAnswers(fleetUrl, prometheusCpu);
  return (view, times) =>
    answer(times, (access, analysed) =>
      fragmentationFrames(
        { refId: 'A', fragmentationView: view },
        {
          client: access.client,
          catalog: access.catalog,
          filters: {},
          fromMs: (END_SECONDS - FLEET_HOURS * HOUR) * 1000,
          toMs: END_SECONDS * 1000,
        },
        (task) => analysed(() => runFragmentationTask(task))
      )
    );
}

/** learnWorkload alone on the fleet's recent requests: it runs inside the "fetch" part above. */
async function learnWorkloadTimes(fleetUrl: string): Promise<{ ms: number[]; requests: number }> {
  const access = prometheusAccess(
    prometheusConnection({
      url: fleetUrl,
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData: Buffer.from('{}'),
      decryptedSecureJsonData: {},
    })
  );
  const recent = await fetchRecentGpuRequests(access.client, access.catalog, END_SECONDS, 7 * 86_400);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    learnWorkload(recent.requests);
    times.push(performance.now() - started);
  }
  return { ms: times, requests: recent.requests.length };
}

async function cliFragmentation(fleetUrl: string): Promise<number> {
  const started = performance.now();
  const result = await runHeadroom(['fragmentation', '--prometheus', fleetUrl]);
  if (result.code !== 0) {
    throw new Error(`headroom fragmentation exited with ${result.code}: ${result.stderr}`);
  }
  return performance.now() - started;
}

/** Wall time of a command that does nothing but start (its --help). */
async function cliStartup(args: string[], stdin?: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const started = performance.now();
    const result = await runHeadroom(args, { stdin });
    if (result.code !== 0) {
      throw new Error(`headroom ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
    }
    times.push(performance.now() - started);
  }
  return times;
}

/** Wall and CPU milliseconds of repeated runs. */
interface Clocked {
  wallMs: number[];
  cpuMs: number[];
}

const clocked = (): Clocked => ({ wallMs: [], cpuMs: [] });

/** CPU milliseconds this process has used, every thread's (V8's garbage collector helps in its own threads). */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function clock(into: Clocked, action: () => void): void {
  const wall = performance.now();
  const cpu = ownCpuMs();
  action();
  into.cpuMs.push(ownCpuMs() - cpu);
  into.wallMs.push(performance.now() - wall);
}

interface ForecastPeers {
  /** One forecast in this process as the backend runs it and as the CLI runs it, then the CLI on the same series. */
  once: () => Promise<void>;
  cliFitMs: number[];
  cliFirstFitMs: number[];
  cliWallMs: number[];
  /** runForecastTask: the forecast and its held-out check, as the backend answers the panel. */
  task: Clocked;
  /** runForecastTask without the held-out check (scoreHoldout false, as an alert measure runs it). */
  noHoldout: Clocked;
  /** forecastRaw, then holdoutScores with models of their own: the task before the check reused the forecast's fits. */
  separateFits: Clocked;
  /** forecastRaw alone, the CLI's work. */
  raw: Clocked;
  /** The backend's forecast query in this process (runForecastQuery, Arrow encoding), split where the time goes. */
  query: InProcessTimes;
  model: string;
}

/** The backend's forecast query in this process (inProcessAnswers): the analysis is the forecast task. */
function forecastQueryInProcess(forecastUrl: string, augurs: AugursModels): (times: InProcessTimes) => Promise<void> {
  const answer = inProcessAnswers(forecastUrl);
  return (times) =>
    answer(times, (access, analysed) =>
      runForecastQuery(
        { refId: 'A', ...FORECAST_QUERY },
        {
          client: access.client,
          catalog: access.catalog,
          filters: {},
          endMs: END_SECONDS * 1000,
          appSettings: () => Promise.resolve({}),
          run: (task) => analysed(() => runForecastTask(task, augurs)),
        }
      )
    );
}

/**
 * Peers of the QueryData forecast on the same series: `headroom forecast --batch` with the series twice (its first
 * task pays for compiling; the second is the per-series time of a running batch), and both forecast paths in this
 * process.
 */
async function forecastPeers(forecastUrl: string): Promise<ForecastPeers> {
  const access = prometheusAccess(
    prometheusConnection({
      url: forecastUrl,
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData: Buffer.from('{}'),
      decryptedSecureJsonData: {},
    })
  );
  // The hourly history the backend's forecast fetches (frames/forecast/forecastQuery.ts fetchHistory).
  const { series } = await access.client.queryRange(FORECAST_METRIC, {
    startSeconds: END_SECONDS - 28 * 86_400,
    endSeconds: END_SECONDS,
    stepSeconds: HOUR,
  });
  const history = { timestampsSeconds: series[0].timestampsSeconds, values: series[0].values as Array<number | null> };
  const stdin = ['s0', 's1']
    .map((id) =>
      JSON.stringify({
        id,
        step_seconds: HOUR,
        horizon: FORECAST_HORIZON_HOURS,
        timestamps: history.timestampsSeconds,
        values: history.values,
      })
    )
    .join('\n');
  const augurs = loadAugursInNode();
  const forecastQuery = forecastQueryInProcess(forecastUrl, augurs);
  const task = { ...history, stepSeconds: HOUR, horizonSteps: FORECAST_HORIZON_HOURS, levels: [80, 95], model: 'auto' };
  runForecastTask(task, augurs); // warm-up: compiles the models' code in this process
  const peers: ForecastPeers = {
    cliFitMs: [],
    cliFirstFitMs: [],
    cliWallMs: [],
    task: clocked(),
    noHoldout: clocked(),
    separateFits: clocked(),
    raw: clocked(),
    model: '',
    query: emptyInProcess(),
    once: async () => {
      await forecastQuery(peers.query);
      clock(peers.task, () => (peers.model = runForecastTask(task, augurs).model));
      clock(peers.noHoldout, () => runForecastTask({ ...task, scoreHoldout: false }, augurs));
      clock(peers.separateFits, () => {
        const separate = defaultForecasters(augurs);
        forecastRaw(task, task, separate);
        holdoutScores(task, task, { name: task.model, models: separate }, separate);
      });
      clock(peers.raw, () => forecastRaw(task, task, defaultForecasters(augurs)));
      const t = performance.now();
      const result = await runHeadroom(['forecast', '--batch'], { stdin });
      peers.cliWallMs.push(performance.now() - t);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { fit_ms?: number; error?: string });
      const failed = lines.find((line) => line.error !== undefined);
      if (result.code !== 0 || failed || lines.length !== 2) {
        throw new Error(`headroom forecast --batch: ${failed?.error ?? result.stderr}`);
      }
      peers.cliFirstFitMs.push(lines[0].fit_ms!);
      peers.cliFitMs.push(lines[1].fit_ms!);
    },
  };
  return peers;
}

function sizeRows(executables: Map<string, string>): void {
  for (const name of ['gpx_headroom_linux_amd64', 'gpx_headroom_linux_arm64']) {
    const file = executables.get(name)!;
    const bytes = statSync(file).size;
    rows.push({
      measure: `executable size, ${name.replace('gpx_headroom_', '').replace('_', '/')}`,
      target: 'stated',
      median: mib(bytes),
      p95: '',
      runs: '1',
      peer:
        name === executableName(hostTarget())
          ? `${bytes.toLocaleString('en')} bytes; the Node binary it is a copy of: ${mib(statSync(process.execPath).size)}`
          : `${bytes.toLocaleString('en')} bytes`,
      result: 'stated',
    });
  }
  const darwin = flags['darwin-executable'];
  const darwinBytes = darwin && existsSync(darwin) ? statSync(darwin).size : undefined;
  rows.push({
    measure: 'executable size, darwin/arm64',
    target: 'stated',
    median: darwinBytes === undefined ? 'not built' : mib(darwinBytes),
    p95: '',
    runs: darwinBytes === undefined ? '0' : '1',
    peer:
      darwinBytes === undefined
        ? 'no executable given (--darwin-executable)'
        : `${darwinBytes.toLocaleString('en')} bytes`,
    result: 'stated',
  });
}

// ---------------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const began = performance.now();
  log(
    `load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`
  );
  const executables = await buildExecutables();
  const executable = flags.executable ?? executables.get(executableName(hostTarget()))!;
  log(`host executable: ${executable}`);
  await measureStarts(executable);

  const fleet = await fleetPrometheus();
  const forecastPrometheus = await forecastSeriesPrometheus();
  try {
    const cliHelp = await timed(`${CLI_RUNS} × headroom fragmentation --help`, () =>
      cliStartup(['fragmentation', '--help'])
    );
    const cliEmpty = await timed(`${CLI_RUNS} × headroom forecast --batch with no task`, () =>
      cliStartup(['forecast', '--batch'], '')
    );
    const learnt = await learnWorkloadTimes(fleet.url);
    const forecast = await forecastPeers(forecastPrometheus.url);
    const peers: CallPeers = {
      fragmentation: fragmentationInProcess(fleet.url, prometheusCpuMs(FLEET_TSDB())),
      inProcess: { summary: emptyInProcess(), grid: emptyInProcess() },
      cli: [],
      forecast: forecast.once,
    };
    const calls = await measureCalls(executable, fleet.url, forecastPrometheus.url, peers);
    rows.push({
      measure: 'idle RSS after handshake + CheckHealth, executable',
      target: `≤ ${TARGETS.idleMiB} MiB`,
      median: mib(calls.idleAfterHealth),
      p95: '',
      runs: '1',
      peer: '',
      result: verdict(calls.idleAfterHealth <= TARGETS.idleMiB * 2 ** 20),
    });
    const last = calls.idle[calls.idle.length - 1];
    rows.push({
      measure: `idle RSS ${last.seconds} s after the queries below, executable`,
      target: `≤ ${TARGETS.idleMiB} MiB`,
      median: mib(last.rss),
      p95: '',
      runs: '1',
      peer:
        calls.idle.map((reading) => `${reading.seconds} s: ${mib(reading.rss)}`).join(', ') +
        `; peak during the queries (VmHWM): ${mib(calls.peak)}`,
      result: verdict(last.rss <= TARGETS.idleMiB * 2 ** 20),
    });

    for (const view of VIEWS) {
      const inProcess = peers.inProcess[view];
      const grpcMs = calls[view];
      rows.push({
        measure: `QueryData fragmentation ${view}, ${SCALE_GPUS.toLocaleString('en')} GPUs`,
        target: `≤ ${TARGETS.fragmentationMs} ms`,
        median: ms(median(grpcMs)),
        p95: ms(percentile(grpcMs, 0.95)),
        runs: String(grpcMs.length),
        peer:
          `in this process ${ms(median(inProcess.total))}; CLI \`fragmentation --prometheus\` wall ` +
          `${ms(median(peers.cli))} (${peers.cli.length} runs; its start alone, --help: ${ms(median(cliHelp))})`,
        result: verdict(median(grpcMs) <= TARGETS.fragmentationMs),
      });
      breakdown.push(
        `| fragmentation ${view} in this process: total | ${ms(median(inProcess.total))} | p95 ${ms(percentile(inProcess.total, 0.95))} |`,
        `| … CPU time it costs (follows the work, not the machine's load): Prometheus | ${ms(median(inProcess.prometheusCpu))} | this process: ${ms(median(inProcess.nodeCpu))} |`,
        `| … until the analysis (Prometheus fetch, parse, fleet state, learnWorkload) | ${ms(median(inProcess.fetch))} | |`,
        `| … of which Prometheus alone: its HTTP answers to the same requests, all sent at once, read but not parsed | ${ms(median(inProcess.prometheus))} | p95 ${ms(percentile(inProcess.prometheus, 0.95))} |`,
        ...[...inProcess.perRequest].map(
          ([name, { ms: alone, bytes }]) =>
            `| … … \`${name.replaceAll('|', '\\|')}\` alone | ${ms(median(alone))} | ${(bytes / 1000).toFixed(0)} kB |`
        ),
        `| … analysis (engine, runFragmentationTask) | ${ms(median(inProcess.analysis))} | |`,
        `| … frames | ${ms(median(inProcess.frames))} | |`,
        `| … Arrow encoding | ${ms(median(inProcess.encode))} | |`,
        `| … gRPC and process (QueryData median less in-process median) | ${ms(median(grpcMs) - median(inProcess.total))} | |`
      );
    }
    breakdown.push(
      `| learnWorkload over ${learnt.requests} requests (inside the fetch part) | ${ms(median(learnt.ms))} | |`
    );

    const cliPerSeries = median(forecast.cliFitMs);
    const cliWallPerSeries = median(forecast.cliWallMs) - median(cliEmpty) - median(forecast.cliFirstFitMs);
    const cliPeer = (queryMs: number) =>
      `CLI \`forecast --batch\`, second task's fit_ms ${ms(cliPerSeries)} (ratio ${(queryMs / cliPerSeries).toFixed(2)}); ` +
      `CLI wall of the 2-task batch less an empty batch and the first task: ${ms(cliWallPerSeries)} ` +
      `(ratio ${(queryMs / cliWallPerSeries).toFixed(2)})`;
    const forecastWork = `auto, 28 d hourly, ${FORECAST_HORIZON_HOURS} h ahead`;
    // Like for like: the work the CLI does (the forecast), through QueryData.
    const onlyMs = median(calls.forecastOnly);
    rows.push({
      measure:
        `forecast per series, like for like (${forecastWork}; no held-out check, as the CLI): QueryData alert ` +
        'measure exhaustionProbability, which adds the capacity plan',
      target: `≤ ${TARGETS.forecastRatio} × CLI`,
      median: ms(onlyMs),
      p95: ms(percentile(calls.forecastOnly, 0.95)),
      runs: String(calls.forecastOnly.length),
      peer:
        `${cliPeer(onlyMs)}; in CPU time: the executable ${ms(median(calls.forecastOnlyCpu))} per QueryData, in this ` +
        `process runForecastTask without the check ${ms(median(forecast.noHoldout.cpuMs))} against forecastRaw ` +
        `${ms(median(forecast.raw.cpuMs))} (ratio ${(median(forecast.noHoldout.cpuMs) / median(forecast.raw.cpuMs)).toFixed(2)})`,
      result: verdict(onlyMs / cliPerSeries <= TARGETS.forecastRatio),
    });
    // The panel's query does more than the CLI: the held-out check behind the legend's accuracy and coverage.
    const panelMs = median(calls.forecast);
    rows.push({
      measure: `forecast per series, full panel query (${forecastWork}; forecast + held-out check), QueryData`,
      target: `stated (${TARGETS.forecastRatio} × CLI is for the same work)`,
      median: ms(panelMs),
      p95: ms(percentile(calls.forecast, 0.95)),
      runs: String(calls.forecast.length),
      peer:
        `${cliPeer(panelMs)}; in CPU time, which the machine's other load does not lengthen: the executable ` +
        `${ms(median(calls.forecastCpu))} per QueryData, in this process runForecastTask ` +
        `${ms(median(forecast.task.cpuMs))} against forecastRaw (the CLI's work) ${ms(median(forecast.raw.cpuMs))} ` +
        `(ratio ${(median(forecast.task.cpuMs) / median(forecast.raw.cpuMs)).toFixed(2)})`,
      result: 'stated',
    });
    const query = forecast.query;
    breakdown.push(
      `| forecast, first QueryData (compiles augurs' WebAssembly) | ${ms(calls.forecastCold)} | CLI's first task: ${ms(median(forecast.cliFirstFitMs))} |`,
      `| forecast query in this process as the backend runs it: total | ${ms(median(query.total))} | p95 ${ms(percentile(query.total, 0.95))} |`,
      `| … until the models (Prometheus fetch, parse) | ${ms(median(query.fetch))} | |`,
      `| … of which Prometheus alone: its HTTP answer, read but not parsed | ${ms(median(query.prometheus))} | |`,
      `| … forecast task (runForecastTask: forecastRaw + holdoutScores sharing its fits) | ${ms(median(query.analysis))} | model chosen: ${forecast.model} |`,
      `| … frames | ${ms(median(query.frames))} | |`,
      `| … Arrow encoding | ${ms(median(query.encode))} | |`,
      `| … gRPC and process (QueryData median less in-process median) | ${ms(panelMs - median(query.total))} | |`,
      `| forecast QueryData, CPU of the executable | ${ms(median(calls.forecastCpu))} | clock ticks of 10 ms |`,
      ...(
        [
          ['runForecastTask alone', forecast.task],
          ['runForecastTask without the held-out check (scoreHoldout false, as alert measures)', forecast.noHoldout],
          [
            "forecastRaw + holdoutScores with separate fits (the task before the check shared the forecast's fits)",
            forecast.separateFits,
          ],
          ['forecast in this process as the CLI runs it (forecastRaw only)', forecast.raw],
        ] as const
      ).map(([part, times]) => `| ${part} | ${ms(median(times.wallMs))} | CPU ${ms(median(times.cpuMs))} |`),
      `| CLI \`forecast --batch\` with no task (start, augurs load) | ${ms(median(cliEmpty))} | |`
    );
  } finally {
    await forecastPrometheus.stop();
    await fleet.stop();
  }
  sizeRows(executables);

  console.log(
    `load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' '
      )} on ${cpus().length} CPUs; Node ${process.version}; bench took ${((performance.now() - began) / 1000).toFixed(0)} s`
  );
  console.log('');
  console.log('| measure | target | median | p95 | runs | peer (same run) | result |');
  console.log('|---|---|---:|---:|---:|---|---|');
  for (const r of rows) {
    console.log(`| ${r.measure} | ${r.target} | ${r.median} | ${r.p95} | ${r.runs} | ${r.peer} | ${r.result} |`);
  }
  console.log('');
  console.log('Where the time goes (medians):');
  console.log('');
  console.log('| part | median | note |');
  console.log('|---|---:|---|');
  breakdown.forEach((line) => console.log(line));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
