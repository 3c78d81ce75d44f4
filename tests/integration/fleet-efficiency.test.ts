/**
 * `headroom efficiency --prometheus` against a real Prometheus holding a hand-made fleet whose GPU-hours, busy hours
 * and cost are computed by hand below.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { WasteReport } from '../../src/engine/efficiency';
import { headroomCommand } from '../kit/cli';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY_SECONDS = 86400;
const HOUR = 3600;
const SAMPLE_SECONDS = 60;
// Two hours ending at midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END = Math.floor(Date.now() / 1000 / DAY_SECONDS) * DAY_SECONDS;
const START = END - 2 * HOUR;
const MODEL = 'NVIDIA A100-SXM4-80GB';

/** Samples every minute over [from, to): the pod holds the GPU for exactly to − from seconds. */
const during = (value: number, from: number, to: number) =>
  constantSamples(value, from, to - SAMPLE_SECONDS, SAMPLE_SECONDS);

function gpuSeries(index: number, pod: { namespace: string; pod: string } | undefined, from: number, to: number) {
  const labels = {
    gpu: String(index),
    UUID: `GPU-n1-${index}`,
    Hostname: 'n1',
    modelName: MODEL,
    ...(pod ? { ...pod, container: 'main' } : {}),
  };
  return (name: string, value: number): PlainSeries => ({ name, labels, samples: during(value, from, to) });
}

// ml/train-a holds GPUs 0 and 1 for the first hour at 50 %; web/serve-b holds GPU 2 for both hours at 10 % and uses
// 2 GiB of its 80 GiB. After train-a leaves, GPUs 0 and 1 report without a pod label and must not count.
const trainA = { namespace: 'ml', pod: 'train-a' };
const serveB = { namespace: 'web', pod: 'serve-b' };
const series: PlainSeries[] = [
  gpuSeries(0, trainA, START, START + HOUR)('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 0.5),
  gpuSeries(1, trainA, START, START + HOUR)('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 0.5),
  gpuSeries(0, undefined, START + HOUR, END)('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 0),
  gpuSeries(1, undefined, START + HOUR, END)('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 0),
  gpuSeries(2, serveB, START, END)('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 0.1),
  gpuSeries(2, serveB, START, END)('DCGM_FI_DEV_FB_USED', 2048),
  gpuSeries(2, serveB, START, END)('DCGM_FI_DEV_FB_FREE', 80 * 1024 - 2048),
];

let prometheus: RunningPrometheus;
let dir: string;

beforeAll(async () => {
  // A lookback just under the sample interval makes each series end with its last sample, as a live scrape's
  // staleness markers would; with the default 5 minutes every pod would look held 5 minutes longer.
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(series),
    lookbackDeltaSeconds: SAMPLE_SECONDS - 1,
  });
  dir = mkdtempSync(join(tmpdir(), 'headroom-fleet-efficiency-'));
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('counts allocated, busy and wasted GPU-hours and their cost per pod', async () => {
  const prices = join(dir, 'prices.json');
  writeFileSync(prices, JSON.stringify({ [MODEL]: { on_demand: 2, reserved: 1, spot: 0.5 } }));
  const { stdout } = await promisify(execFile)(
    ...headroomCommand([
      ...['efficiency', '--prometheus', prometheus.url],
      ...['--start', String(START), '--end', String(END), '--prices', prices, '--json'],
    ]),
    { cwd: join(__dirname, '../..') }
  );
  const report = JSON.parse(stdout) as WasteReport;
  // train-a: 2 GPUs × 1 h = 2 GPU-hours, 50 % busy = 1; serve-b: 1 GPU × 2 h = 2 GPU-hours, 10 % busy = 0.2.
  expect(report.allocatedGpuHours).toBeCloseTo(4, 9);
  expect(report.busyGpuHours).toBeCloseTo(1.2, 9);
  expect(report.wasteGpuHours).toBeCloseTo(2.8, 9);
  // At 2 per GPU-hour on demand.
  expect(report.allocatedCost).toBeCloseTo(8, 9);
  expect(report.wasteCost).toBeCloseTo(5.6, 9);
  const pods = Object.fromEntries(report.pods.map((p) => [p.pod, p]));
  expect(Object.keys(pods).sort()).toEqual(['serve-b', 'train-a']);
  expect(pods['train-a']).toMatchObject({ namespace: 'ml', gpuModel: MODEL, allocatedGpuHours: 2 });
  // serve-b is mostly idle and uses 2 of 80 GiB: over-provisioned, judged against the memory DCGM reports.
  expect(pods['serve-b']).toMatchObject({ namespace: 'web', peakMemoryBytes: 2048 * 2 ** 20, overProvisioned: true });
  // train-a has no memory series, so over-provisioning cannot be judged for it.
  expect(pods['train-a'].overProvisioned).toBeUndefined();
}, 60_000);

it('a range before the first sample gives the range that exists (exit code 2), not advice to deploy DCGM', async () => {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  const failed = await promisify(execFile)(
    ...headroomCommand([
      ...['efficiency', '--prometheus', prometheus.url],
      ...['--start', '2020-01-01T00:00:00Z', '--end', '2020-01-02T00:00:00Z'],
    ]),
    { cwd: join(__dirname, '../..') }
  ).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error
  );
  expect(failed).toMatchObject({ code: 2, stdout: '' });
  // Samples every minute over [START, END): the first at START, the newest a minute before END.
  expect(failed!.stderr.split('\n')[0]).toBe(
    'headroom efficiency: The range 2020-01-01T00:00:00Z – 2020-01-02T00:00:00Z is before the first DCGM activity ' +
      `sample (${iso(START)}): the data does not reach back that far. Prometheus holds DCGM activity from ` +
      `${iso(START)} to ${iso(END - SAMPLE_SECONDS)}.`
  );
}, 60_000);
