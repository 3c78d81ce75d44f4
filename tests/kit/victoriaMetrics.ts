/**
 * A real VictoriaMetrics (/usr/bin/victoria-metrics, Debian package) for tests, filled from the same OpenMetrics the
 * Prometheus kit backfills, through its import API (`/api/v1/import/prometheus`). `startPrometheus` starts one
 * instead of Prometheus when HEADROOM_TSDB=victoriametrics, so the query-path integration tests run on both.
 * Each instance has its own temporary directory and loopback port and is killed when the test process exits.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startOnFreePort, type RunningPrometheus, type StartPrometheusOptions } from './prometheus';

const VICTORIA_METRICS = '/usr/bin/victoria-metrics';
/** Prometheus' --query.lookback-delta default. */
const PROMETHEUS_DEFAULT_LOOKBACK_SECONDS = 300;

export interface StartVictoriaMetricsOptions extends StartPrometheusOptions {
  /** Series one query may touch (VictoriaMetrics' default, 300,000, is below a 10,000-GPU fleet's two days). */
  maxUniqueTimeseries?: number;
}

export async function startVictoriaMetrics(options: StartVictoriaMetricsOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-victoriametrics-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  const { basicAuth } = options;
  const authorization = basicAuth
    ? `Basic ${Buffer.from(`${basicAuth.user}:${basicAuth.password}`).toString('base64')}`
    : undefined;
  try {
    const running = await startOnFreePort({
      name: 'VictoriaMetrics',
      binary: VICTORIA_METRICS,
      args: (port) => [
        `-storageDataPath=${options.dataDir ?? join(dir, 'data')}`,
        // Backfilled history is years old; the default retention (1 month) would drop it on import.
        '-retentionPeriod=100y',
        `-httpListenAddr=127.0.0.1:${port}`,
        // Answers must come from the data, not from a cache of an earlier identical query.
        '-search.disableCache',
        `-search.maxUniqueTimeseries=${options.maxUniqueTimeseries ?? 300_000}`,
        // Prometheus' lookback (5 minutes unless set): without it VictoriaMetrics derives one from the interval
        // between samples (`victoria-metrics -help`, -search.maxLookback), so a backfilled series sampled every 6
        // minutes would still answer 6 minutes after its last sample, which the tests' hand-worked states exclude.
        `-search.maxLookback=${options.lookbackDeltaSeconds ?? PROMETHEUS_DEFAULT_LOOKBACK_SECONDS}s`,
        ...(basicAuth ? [`-httpAuth.username=${basicAuth.user}`, `-httpAuth.password=${basicAuth.password}`] : []),
      ],
      readyPath: '/health',
      authorization,
      dir,
      removeDir,
    });
    try {
      const source = options.openMetricsFile ? createReadStream(options.openMetricsFile) : undefined;
      const body = source ?? (options.openMetricsText ? Readable.from([options.openMetricsText]) : undefined);
      if (body) {
        await post(`${running.url}/api/v1/import/prometheus`, body, authorization);
      }
      // Imported rows are searchable only after the in-memory buffers are flushed (every few seconds otherwise).
      await post(`${running.url}/internal/force_flush`, Readable.from([]), authorization);
    } catch (error) {
      await running.stop();
      throw error;
    }
    return running;
  } catch (error) {
    removeDir();
    throw error;
  }
}

/** Streams `body` to `url`; node:http rather than fetch because tests under jsdom have no fetch. */
function post(url: string, body: Readable, authorization?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: authorization ? { Authorization: authorization } : {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve();
          } else {
            reject(
              new Error(
                `VictoriaMetrics answered ${status} to ${url}: ${Buffer.concat(chunks).toString().slice(0, 500)}`
              )
            );
          }
        });
      }
    );
    req.on('error', reject);
    body.on('error', reject);
    body.pipe(req);
  });
}
