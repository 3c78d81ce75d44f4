/**
 * `headroom efficiency --prometheus` over a day in which more pods held GPUs than the per-pod queries' point budget
 * allows at the asked step: the command reads windows (src/prometheus/podStep.ts) and says so in a `note:` on stderr,
 * while the GPU-hours on stdout stay what the scrapes give. A real Prometheus, the command as a child process.
 */
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

/** One GPU held by a pod over (from, to], at 50 % activity: a scrape at t reports the minute before it. */
function held(gpu: number, pod: string, from: number, to: number): PlainSeries {
  return {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    labels: {
      Hostname: `n${Math.floor(gpu / 8)}`,
      gpu: String(gpu % 8),
      UUID: `GPU-${gpu}`,
      modelName: 'NVIDIA A100-SXM4-80GB',
      namespace: 'ml',
      pod,
      container: 'main',
    },
    samples: constantSamples(ACTIVITY, from + MINUTE, to, MINUTE),
  };
}

/**
 * Job i holds GPU i for 10 minutes from START + 14 i minutes (the last ends 23 h 16 min in); two serving pods hold
 * GPUs 100 and 101 all day. The serving pods' scrapes fill every 5-minute window (5 scrapes), which is what a window
 * held throughout counts, so a job's share of a window it held in part is its scrapes there over 5.
 */
const series: PlainSeries[] = [
  ...Array.from({ length: JOBS }, (_, i) =>
    held(i, `job-${i}`, START + 14 * MINUTE * i, START + (14 * i + HELD_MINUTES) * MINUTE)
  ),
  held(JOBS, 'serve-0', START, END),
  held(JOBS + 1, 'serve-1', START, END),
];

let prometheus: RunningPrometheus;

beforeAll(async () => {
  // A lookback just under the sample interval: each series ends with its last sample, as staleness markers make it.
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(series), lookbackDeltaSeconds: MINUTE - 1 });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

const efficiency = (startSeconds: number) =>
  runHeadroom([
    'efficiency',
    '--prometheus',
    prometheus.url,
    '--start',
    String(startSeconds),
    '--end',
    String(END),
    '--json',
  ]);
const notes = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('note:'));

it('reads 102 pods of a day in 5-minute windows, says so in a note on stderr, and keeps the GPU-hours', async () => {
  const run = await efficiency(START);
  expect(run.code).toBe(0);
  // A day at the default step, 15 s (86,400 / 15 + 1 = 5,761 points, under Prometheus' 11,000), is 102 × 5,761 =
  // 587,622 points, over the 500,000 budget. The finest window is 5 minutes (the waste rule's gap), and the pods held
  // 2 × 288 + at most 100 × 3 five-minute windows, far under the budget: 5 minutes it is.
  expect(notes(run.stderr)).toEqual([
    "note: 102 pods held GPUs in this range: each pod's activity is read as the mean of every 5 min instead of a " +
      'sample every 15 s, so that no per-pod query answers more than 500,000 points. GPU-hours and cost are ' +
      'unchanged; the idle rule judges the 5 min means.',
  ]);
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
