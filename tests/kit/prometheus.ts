/**
 * A real Prometheus (/usr/bin/prometheus) for tests, filled from OpenMetrics by promtool's backfill.
 * Each instance has its own temporary directory and loopback port and is killed when the test process exits,
 * even if a test fails before calling stop().
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { markUsed, publishBuild, startBuild } from './keyedCache';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const READY_TIMEOUT_MS = 15_000;
const START_ATTEMPTS = 3;
/**
 * Backfilled blocks by the hash of their OpenMetrics: promtool reads the whole file once per 2-hour block it writes
 * (8 days of the browser tests' fleet: 97 passes, 19 s here), and seven browser files backfill that same fleet.
 * One folder per user: the temp folder is shared, and another user's blocks are neither trusted nor removable.
 */
const BLOCK_CACHE = join(tmpdir(), `headroom-tsdb-blocks-${userInfo().username}`);

export interface StartPrometheusOptions {
  /** OpenMetrics file to backfill (timestamps in seconds, ends with `# EOF`). */
  openMetricsFile?: string;
  /** OpenMetrics text to backfill, written to a file first. */
  openMetricsText?: string;
  /**
   * Prometheus' lookback (default 300 s). Backfilled history carries no staleness markers, so a series that ended
   * stays visible for the whole lookback after its last sample, unlike a scraped one. A lookback just under the
   * history's step makes a series vanish right after its last sample, as scraping with staleness markers would.
   */
  lookbackDeltaSeconds?: number;
  /**
   * Basic authentication on every endpoint (Prometheus' web config, `basic_auth_users`): the user, the bcrypt hash
   * Prometheus checks, and the password it is the hash of (for the readiness probe).
   */
  basicAuth?: { user: string; bcryptHash: string; password: string };
  /** Serve this existing TSDB directory (kept on stop) instead of a fresh one: the scale benchmark backfills once. */
  dataDir?: string;
}

export interface RunningPrometheus {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Temporary directory holding the TSDB and config; removed by stop() or when the process exits. */
  dir: string;
  stop(): Promise<void>;
}

/** HEADROOM_TSDB=victoriametrics runs the tests that start "a Prometheus" on VictoriaMetrics instead (docs/scale.md). */
const TSDB_VARIABLE = 'HEADROOM_TSDB';

/** Whether this run's "Prometheus" is VictoriaMetrics, for the few expectations that differ by store (docs/scale.md). */
export function onVictoriaMetrics(): boolean {
  return process.env[TSDB_VARIABLE] === 'victoriametrics';
}

export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  if (onVictoriaMetrics()) {
    const { startVictoriaMetrics } = await import('./victoriaMetrics');
    return startVictoriaMetrics(options);
  }
  const dir = mkdtempSync(join(tmpdir(), 'headroom-prometheus-'));
  // Retries because a just-killed Prometheus may still be writing into the directory.
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  try {
    const dataDir = options.dataDir ?? join(dir, 'data');
    const source = options.openMetricsFile ?? (options.openMetricsText ? join(dir, 'input.om') : undefined);
    if (options.openMetricsText && !options.openMetricsFile) {
      writeFileSync(source!, options.openMetricsText);
    }
    if (source) {
      await backfill(source, dataDir);
    }
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, 'global:\n  scrape_interval: 15s\n');
    const webConfigFile = join(dir, 'web.yml');
    const { basicAuth } = options;
    if (basicAuth) {
      writeFileSync(webConfigFile, `basic_auth_users:\n  ${basicAuth.user}: '${basicAuth.bcryptHash}'\n`);
    }
    const authorization = basicAuth
      ? `Basic ${Buffer.from(`${basicAuth.user}:${basicAuth.password}`).toString('base64')}`
      : undefined;
    return await startOnFreePort({
      name: 'Prometheus',
      binary: PROMETHEUS,
      args: (port) => [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        '--storage.tsdb.retention.time=400d',
        `--web.listen-address=127.0.0.1:${port}`,
        ...(options.lookbackDeltaSeconds ? [`--query.lookback-delta=${options.lookbackDeltaSeconds}s`] : []),
        ...(basicAuth ? [`--web.config.file=${webConfigFile}`] : []),
      ],
      readyPath: '/-/ready',
      authorization,
      dir,
      removeDir,
    });
  } catch (error) {
    removeDir();
    throw error;
  }
}

/**
 * promtool's blocks for `source` copied into `dataDir` (Prometheus writes into its data directory), from the cache
 * when the same OpenMetrics was backfilled by the same promtool before: the same input gives the same blocks.
 */
async function backfill(source: string, dataDir: string): Promise<void> {
  const key = createHash('sha256').update(promtoolVersion()).update(readFileSync(source)).digest('hex').slice(0, 32);
  const cached = join(BLOCK_CACHE, key);
  if (!(existsSync(cached) && markUsed(cached))) {
    const tmp = startBuild(cached);
    try {
      await promisify(execFile)(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', source, tmp]);
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw error;
    }
    publishBuild(tmp, cached, existsSync);
  }
  cpSync(cached, dataDir, { recursive: true });
}

let promtoolVersionText: string | undefined;

/** `promtool --version`, read once: another promtool may write other blocks from the same input. */
function promtoolVersion(): string {
  promtoolVersionText ??= execFileSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  return promtoolVersionText;
}

/**
 * Starts a server process on a free loopback port, ready when `readyPath` answers 200. Another process may take the
 * free port between lookup and bind; a fresh port is tried then. The process is killed and `dir` removed when the
 * test process exits, even if a test fails before calling stop().
 */
export async function startOnFreePort(server: {
  name: string;
  binary: string;
  args: (port: number) => string[];
  readyPath: string;
  authorization?: string;
  dir: string;
  removeDir: () => void;
}): Promise<RunningPrometheus> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(server.binary, server.args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const killOnExit = () => {
      child.kill('SIGKILL');
      server.removeDir();
    };
    process.once('exit', killOnExit);
    const url = `http://127.0.0.1:${port}`;
    if (await waitReady(url, child, server.authorization, server.readyPath)) {
      return {
        url,
        dir: server.dir,
        stop: async () => {
          process.removeListener('exit', killOnExit);
          await stopChild(child);
          server.removeDir();
        },
      };
    }
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    if (attempt >= START_ATTEMPTS) {
      throw new Error(`${server.name} did not become ready on ${url}:\n${stderr.join('').slice(-2000)}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `readyPath` (Prometheus' `/-/ready`, VictoriaMetrics' `/health`) until 200 or the process exits. */
async function waitReady(
  url: string,
  child: ChildProcess,
  authorization?: string,
  readyPath = '/-/ready'
): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await isReady(`${url}${readyPath}`, authorization)) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** node:http rather than fetch: tests under jsdom, which has no fetch, start Prometheus too. */
function isReady(url: string, authorization?: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, { headers: authorization ? { Authorization: authorization } : {} }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
