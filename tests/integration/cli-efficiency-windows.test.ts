/**
 * `headroom efficiency --prometheus` over a day in which more pods held GPUs than the per-pod queries' point budget
 * allows at the asked step: the command reads windows (src/prometheus/podStep.ts) and says so in a `note:` on stderr,
 * while the GPU-hours on stdout stay what the scrapes give, whether or not some pod held its GPUs across every window
 * (else a full window's scrapes come from the exporter's scrapes of every GPU). A real Prometheus, the command as a
 * child process; the namespace filter, which the command does not have, through the per-pod reader it uses.
 */
import { analyseWaste } from '../../src/engine/efficiency';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchPodActivity } from '../../src/prometheus/podActivity';
import { runHeadroom } from '../kit/cli';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY = 86400;
const MINUTE = 60;
// The day ending at midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END = Math.floor(Date.now() / 1000 / DAY) * DAY;
const START = END - DAY;
const JOBS = 100;
const HELD_MINUTES = 10;
const ACTIVITY = 0.5;

const GPU_LABELS = (gpu: number) => ({
  Hostname: `n${Math.floor(gpu / 8)}`,
  gpu: String(gpu % 8),
  UUID: `GPU-${gpu}`,
  modelName: 'NVIDIA A100-SXM4-80GB',
});

/** One GPU held by a pod over (from, to], at 50 % activity: a scrape at t reports the minute before it. */
function held(gpu: number, namespace: string, pod: string, from: number, to: number): PlainSeries {
  return {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    labels: { ...GPU_LABELS(gpu), namespace, pod, container: 'main' },
    samples: constantSamples(ACTIVITY, from + MINUTE, to, MINUTE),
  };
}

/** The same GPU's scrapes outside (from, to], idle and without a pod: dcgm-exporter scrapes every GPU it has. */
function unheld(gpu: number, from: number, to: number): PlainSeries {
  return {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    labels: GPU_LABELS(gpu),
    samples: [...constantSamples(0, START + MINUTE, from, MINUTE), ...constantSamples(0, to + MINUTE, END, MINUTE)],
  };
}

/**
 * Job i (namespace ci) holds GPU i for 10 minutes from START + 14 i minutes (the last ends 23 h 16 min in), and the
 * GPU is scraped without a pod the rest of the day; two serving pods (namespace ml) hold GPUs 100 and 101 all day.
 * Every GPU is scraped 5 times in every 5-minute window, which is what a window held throughout counts, so a job's
 * share of a window it held in part is its scrapes there over 5.
 */
const jobs: PlainSeries[] = Array.from({ length: JOBS }, (_, i) => {
  const from = START + 14 * MINUTE * i;
  const to = START + (14 * i + HELD_MINUTES) * MINUTE;
  return [held(i, 'ci', `job-${i}`, from, to), unheld(i, from, to)];
}).flat();
const series: PlainSeries[] = [
  ...jobs,
  held(JOBS, 'ml', 'serve-0', START, END),
  held(JOBS + 1, 'ml', 'serve-1', START, END),
];

/**
 * A time-sliced pool beside the jobs: GPUs 200–349 each shared all day by two serving pods at once (namespace ml), so
 * each of those GPUs has two series, each scraped 5 times a window. Most GPUs of the fleet are shared.
 */
const SHARED_GPUS = 150;
const timeSliced: PlainSeries[] = Array.from({ length: SHARED_GPUS }, (_, k) =>
  [0, 1].map((j) => held(200 + k, 'ml', `share-${k}-${j}`, START, END))
).flat();

let prometheus: RunningPrometheus;
let jobsOnly: RunningPrometheus;
let withTimeSliced: RunningPrometheus;

beforeAll(async () => {
  // A lookback just under the sample interval: each series ends with its last sample, as staleness markers make it.
  [prometheus, jobsOnly, withTimeSliced] = await Promise.all(
    [series, jobs, [...jobs, ...timeSliced]].map((fleet) =>
      startPrometheus({ openMetricsText: toOpenMetrics(fleet), lookbackDeltaSeconds: MINUTE - 1 })
    )
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([prometheus?.stop(), jobsOnly?.stop(), withTimeSliced?.stop()]);
});

const efficiency = (startSeconds: number, url = prometheus.url) =>
  runHeadroom(['efficiency', '--prometheus', url, '--start', String(startSeconds), '--end', String(END), '--json']);
const notes = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('note:'));
const fiveMinuteWindowsNote = (pods: number) =>
  `note: ${pods} pods held GPUs in this range: each pod's activity is read as the mean of every 5 min instead of a ` +
  'sample every 15 s, so that no per-pod query answers more than 500,000 points. GPU-hours and cost are ' +
  'unchanged; the idle rule judges the 5 min means.';

it('reads 102 pods of a day in 5-minute windows, says so in a note on stderr, and keeps the GPU-hours', async () => {
  const run = await efficiency(START);
  expect(run.code).toBe(0);
  // A day at the default step, 15 s (86,400 / 15 + 1 = 5,761 points, under Prometheus' 11,000), is 102 × 5,761 =
  // 587,622 points, over the 500,000 budget. The finest window is 5 minutes (the waste rule's gap), and the pods held
  // 2 × 288 + at most 100 × 3 five-minute windows, far under the budget: 5 minutes it is.
  expect(notes(run.stderr)).toEqual([fiveMinuteWindowsNote(102)]);
  const report = JSON.parse(run.stdout) as { allocatedGpuHours: number; busyGpuHours: number };
  // The serving pods 2 × 24 h; the jobs 100 × 10 minutes = 1,000 / 60 h; half of it busy.
  const gpuHours = 2 * 24 + (JOBS * HELD_MINUTES) / 60;
  expect(report.allocatedGpuHours).toBeCloseTo(gpuHours, 9);
  expect(report.busyGpuHours).toBeCloseTo(gpuHours * ACTIVITY, 9);
}, 120_000);

it('says nothing of windows over the last 113 minutes, whose 7 pods fit the budget at 15 s', async () => {
  // From 22 h 7 min in: job 94's last scrape (22 h 6 min) is out of Prometheus' 59 s lookback, jobs 95–99 are
  // whole. 7 pods × (6,780 / 15 + 1 = 453) points, far under 500,000.
  const run = await efficiency(START + (22 * 60 + 7) * MINUTE);
  expect(run.code).toBe(0);
  expect(notes(run.stderr)).toEqual([]);
  // The serving pods 2 × 113 minutes, jobs 95–99 5 × 10 minutes: 276 minutes.
  expect((JSON.parse(run.stdout) as { allocatedGpuHours: number }).allocatedGpuHours).toBeCloseTo(276 / 60, 9);
}, 120_000);

/** The per-pod reader at the command's 15 s step over the day, as `headroom efficiency` calls it, with filters. */
const read = (namespaces?: string[], url = prometheus.url) =>
  fetchPodActivity(createPrometheusClient(createFetchTransport(url)), createCatalog(), {
    startSeconds: START,
    endSeconds: END,
    stepSeconds: 15,
    filters: { namespaces },
  });
const allocatedGpuHours = (pods: Awaited<ReturnType<typeof read>>['pods']) =>
  analyseWaste(pods, { nowSeconds: END }).allocatedGpuHours;
const askedFullWindows = (result: Awaited<ReturnType<typeof read>>) =>
  result.queries.some((q) => q.name === 'fullWindowScrapes');

it("gives the short jobs of namespace ci their 100 × 10 minutes in windows, from the exporter's full windows", async () => {
  // 100 pods × 5,761 points at 15 s = 576,100 > 500,000: 5-minute windows, in most of which one job alone held a GPU
  // for part of the window (job i's 10 minutes from 14 i minutes in: 5-minute windows of 5 − (14 i mod 5), 5 and
  // 14 i mod 5 of its scrapes, or 2 whole ones). Every GPU is scraped 5 times a window: 1,000 minutes, 16.67 GPU-h.
  const ci = await read(['ci']);
  expect(ci.windows?.windowSeconds).toBe(300);
  expect(askedFullWindows(ci)).toBe(true);
  // Every GPU's scrapes, whoever held it: not filtered by namespace or pod.
  expect(ci.queries.find((q) => q.name === 'fullWindowScrapes')?.expr).toBe(
    'quantile(0.5, count_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{}[299999ms]))'
  );
  expect(allocatedGpuHours(ci.pods)).toBeCloseTo((JOBS * HELD_MINUTES) / 60, 9);
}, 120_000);

it('counts a full window by series, so GPUs time-sliced between two pods at once do not double it', async () => {
  // The same 100 jobs of ci; the pool's 300 series and the jobs' GPUs' are each scraped 5 times in a whole window.
  // Summed per GPU, the 150 shared GPUs would count 10 and, being most of the 250, halve every share: 8.33 GPU-h.
  const ci = await read(['ci'], withTimeSliced.url);
  expect(ci.windows?.windowSeconds).toBe(300);
  expect(askedFullWindows(ci)).toBe(true);
  expect(allocatedGpuHours(ci.pods)).toBeCloseTo((JOBS * HELD_MINUTES) / 60, 9);
}, 120_000);

it('asks for no full windows when the serving pods hold their GPUs across every window', async () => {
  const all = await read();
  expect(all.windows?.windowSeconds).toBe(300);
  expect(askedFullWindows(all)).toBe(false);
  expect(allocatedGpuHours(all.pods)).toBeCloseTo(2 * 24 + (JOBS * HELD_MINUTES) / 60, 9);
}, 120_000);

it('reads the short jobs alone in 5-minute windows, and keeps their 100 × 10 minutes', async () => {
  // 100 pods × 5,761 points at 15 s = 576,100 > 500,000. No pod holds a GPU across a window but the jobs' middle
  // ones; a full window's 5 scrapes come from the GPUs' own. (Before: each window's jobs' own median, 23.33 GPU-h.)
  const run = await efficiency(START, jobsOnly.url);
  expect(run.code).toBe(0);
  expect(notes(run.stderr)).toEqual([fiveMinuteWindowsNote(100)]);
  const report = JSON.parse(run.stdout) as { allocatedGpuHours: number; busyGpuHours: number };
  expect(report.allocatedGpuHours).toBeCloseTo((JOBS * HELD_MINUTES) / 60, 9);
  expect(report.busyGpuHours).toBeCloseTo(((JOBS * HELD_MINUTES) / 60) * ACTIVITY, 9);
}, 120_000);
