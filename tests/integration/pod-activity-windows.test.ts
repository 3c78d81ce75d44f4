/**
 * The per-pod queries read in windows (src/prometheus/podStep.ts) against a real Prometheus holding a hand-made fleet:
 * when the pods in the range would answer more points than the budget, the step is coarsened to 10-minute windows,
 * and the GPU-hours, busy hours and cost below, worked out by hand, come out the same.
 */
import { analyseWaste } from '../../src/engine/efficiency';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchPodActivity } from '../../src/prometheus/podActivity';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY = 86400;
const HOUR = 3600;
const MINUTE = 60;
// Two hours ending at midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END = Math.floor(Date.now() / 1000 / DAY) * DAY;
const START = END - 2 * HOUR;
const MODEL = 'NVIDIA A100-SXM4-80GB';

/**
 * A GPU held over [from, to): a scrape at x reports the minute before it, so the samples are at from + 60 … to.
 * `activity(t)` is the activity the scrape at t reports.
 */
function gpu(
  labels: Record<string, string>,
  pod: { namespace: string; pod: string } | undefined,
  from: number,
  to: number,
  activity: (t: number) => number
): PlainSeries {
  return {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    labels: { Hostname: 'n1', modelName: MODEL, ...labels, ...(pod && { ...pod, container: 'main' }) },
    samples: constantSamples(0, from + MINUTE, to, MINUTE).map(([t]) => [t, activity(t)]),
  };
}

// ml/train-a: GPUs 0 and 1 for the first hour at 50 %, then the GPUs report without a pod (not counted).
// web/serve-b: GPU 2 for both hours, 20 % and 0 % by turns: 10 %.
// batch/short-c: GPU 3 from 25 to 50 minutes in, at 80 %: its first 10-minute window holds 5 of its 25 minutes.
// ml/mig-d: a 3g.40gb instance of GPU 4 (3/7 of a GPU) for both hours at 70 %.
const trainA = { namespace: 'ml', pod: 'train-a' };
const series: PlainSeries[] = [
  gpu({ gpu: '0', UUID: 'GPU-0' }, trainA, START, START + HOUR, () => 0.5),
  gpu({ gpu: '1', UUID: 'GPU-1' }, trainA, START, START + HOUR, () => 0.5),
  gpu({ gpu: '0', UUID: 'GPU-0' }, undefined, START + HOUR, END, () => 0),
  gpu({ gpu: '1', UUID: 'GPU-1' }, undefined, START + HOUR, END, () => 0),
  gpu({ gpu: '2', UUID: 'GPU-2' }, { namespace: 'web', pod: 'serve-b' }, START, END, (t) =>
    ((t - START) / MINUTE) % 2 === 0 ? 0.2 : 0
  ),
  gpu(
    { gpu: '3', UUID: 'GPU-3' },
    { namespace: 'batch', pod: 'short-c' },
    START + 25 * MINUTE,
    START + 50 * MINUTE,
    () => 0.8
  ),
  gpu(
    { gpu: '4', UUID: 'GPU-4', GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1' },
    { namespace: 'ml', pod: 'mig-d' },
    START,
    END,
    () => 0.7
  ),
];
// GPU-hours, busy hours:  train-a 2 × 1 h = 2, busy 1;  serve-b 2, busy 0.2;  short-c 25/60, busy 0.8 × 25/60 = 1/3;
// mig-d 3/7 × 2 = 6/7, busy 0.6.
const EXPECTED = {
  'train-a': [2, 1],
  'serve-b': [2, 0.2],
  'short-c': [25 / 60, 1 / 3],
  'mig-d': [6 / 7, 0.6],
};
const PRICES = { [MODEL]: { onDemand: 7, reserved: 4, spot: 2 } };

let prometheus: RunningPrometheus;

beforeAll(async () => {
  // A lookback just under the sample interval: each series ends with its last sample, as staleness markers make it.
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(series), lookbackDeltaSeconds: MINUTE - 1 });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

const read = (maxPodPoints?: number) =>
  fetchPodActivity(createPrometheusClient(createFetchTransport(prometheus.url)), createCatalog(), {
    startSeconds: START,
    endSeconds: END,
    stepSeconds: MINUTE,
    maxPodPoints,
  });
const gpuHours = (pods: Awaited<ReturnType<typeof read>>['pods']) =>
  Object.fromEntries(
    analyseWaste(pods, { prices: PRICES, nowSeconds: END }).pods.map((p) => [
      p.pod,
      [p.allocatedGpuHours, p.busyGpuHours],
    ])
  );

it('reads 4 pods over 2 h at a budget of 52 points in 10-minute windows, with the hand-worked GPU-hours', async () => {
  // 4 pods × 121 points at 60 s = 484 > 52: 13 points a pod fit, as at 10 minutes (5 minutes would be 25).
  const windowed = await read(52);
  expect([windowed.stepSeconds, windowed.windows]).toEqual([
    600,
    { pods: 4, windowSeconds: 600, fineStepSeconds: MINUTE, maxPoints: 52 },
  ]);
  expect(windowed.queries.find((q) => q.name === 'activityPercent')?.expr).toContain('avg_over_time(');
  const shortC = windowed.pods.find((p) => p.pod === 'short-c')!;
  // Windows start at START + 20, 30 and 40 minutes; the first holds the scrapes at 26–30 minutes: 5 of 10.
  expect(Array.from(shortC.timestampsSeconds)).toEqual([START + 1200, START + 1800, START + 2400]);
  expect(Array.from(shortC.heldShare!)).toEqual([0.5, 1, 1]);
  expect(windowed.pods.find((p) => p.pod === 'mig-d')!.gpuCount).toBeCloseTo(3 / 7, 12);
  const hours = gpuHours(windowed.pods);
  for (const [pod, [allocated, busy]] of Object.entries(EXPECTED)) {
    expect(hours[pod][0]).toBeCloseTo(allocated, 9);
    expect(hours[pod][1]).toBeCloseTo(busy, 9);
  }
});

it('keeps the 60 s step under the budget, and agrees with the windows but for the scrape at the range end', async () => {
  const fine = await read();
  expect([fine.stepSeconds, fine.windows, fine.pods[0].heldShare]).toEqual([MINUTE, undefined, undefined]);
  const hours = gpuHours(fine.pods);
  // At 60 s a point stands for the minute after it and the range ends at the last scrape: serve-b and mig-d, held to
  // the end, lose their last minute (1/60 and 3/7 × 1/60 GPU-hours); the windows read each scrape as the minute before.
  const lastMinute = { 'train-a': 0, 'serve-b': 1 / 60, 'short-c': 0, 'mig-d': 3 / 7 / 60 };
  for (const [pod, [allocated]] of Object.entries(EXPECTED)) {
    expect(hours[pod][0]).toBeCloseTo(allocated - lastMinute[pod as keyof typeof lastMinute], 9);
  }
});

/**
 * The window from the pods' scrapes (podStep.ts, countedPodStep). Best-covered scrapes in the 2 h: serve-b and mig-d
 * 120, train-a 60, short-c 25; the interval 7,200 / 119 = 60.5 s. Estimated 5-minute windows (24 in the range):
 * 13 + 24 + 24 + 6 = 67; 10-minute (12): 7 + 12 + 12 + 4 = 35. Counted: at 5 minutes train-a's scrapes at 1–60
 * minutes fall in 12 windows, serve-b and mig-d in 24 each, short-c's at 26–50 minutes in 5: 65; at 10 minutes
 * 6 + 12 + 12 + 3 = 33.
 */
it('counts the window first estimated to fit with the one below it, and reads the finer that fits', async () => {
  // Budget 40: every pod throughout would need 15-minute windows (10 points a pod); estimated, 10 minutes fit first.
  const at40 = await read(40);
  expect(at40.windows).toEqual({ pods: 4, windowSeconds: 600, fineStepSeconds: MINUTE, maxPoints: 40 });
  expect(at40.queries.filter((q) => q.name.startsWith('podWindows')).map((q) => q.name)).toEqual([
    'podWindows300s',
    'podWindows600s',
  ]);
  // Budget 66: 16 points a pod, 10 minutes; the estimate at 5 minutes (67) is over, the count (65) is not.
  const at66 = await read(66);
  expect(at66.windows).toEqual({ pods: 4, windowSeconds: 300, fineStepSeconds: MINUTE, maxPoints: 66 });
  const hours = gpuHours(at66.pods);
  for (const [pod, [allocated, busy]] of Object.entries(EXPECTED)) {
    expect(hours[pod][0]).toBeCloseTo(allocated, 9);
    expect(hours[pod][1]).toBeCloseTo(busy, 9);
  }
});
