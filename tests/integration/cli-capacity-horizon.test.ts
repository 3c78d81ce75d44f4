/**
 * `headroom capacity` against a real Prometheus (tests/kit) holding one hand-made demand series: the horizon asked
 * changes only how far the forecast goes, not its first hours, their intervals or an exhaustion within them; and a
 * horizon beyond the bounds (the history, a year of hours) is exit 2 with the limit and why, before any forecast.
 */
import type { CapacityReport } from '../../src/cli/commands/capacity';
import { runHeadroom } from '../kit/cli';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const HOUR = 3600;
const DAY = 24 * HOUR;
// Midnight UTC today: recent enough for Prometheus retention.
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY) * DAY;
const HISTORY_DAYS = 8;
const SAMPLE_SECONDS = 300;

/** GPUs demanded: a daily rhythm of ±3 around 10, rising 0.01 an hour, with deterministic noise of ±1.5. */
function demandAt(t: number): number {
  const k = t / SAMPLE_SECONDS;
  const noise = (((k * 7919) % 101) / 101 - 0.5) * 3;
  return 10 + 3 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + (0.01 * (t - END_SECONDS)) / HOUR + noise;
}

/** Requests waiting in vLLM: 0 most of the time, bursts of 8 in about one sample in five (deterministic). */
function queueAt(t: number): number {
  return ((t / SAMPLE_SECONDS) * 7919) % 101 < 20 ? 8 : 0;
}

let prometheus: RunningPrometheus;

beforeAll(async () => {
  const samples: Array<[number, number]> = [];
  const queue: Array<[number, number]> = [];
  for (let t = END_SECONDS - HISTORY_DAYS * DAY; t <= END_SECONDS; t += SAMPLE_SECONDS) {
    samples.push([t, demandAt(t)]);
    queue.push([t, queueAt(t)]);
  }
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      { name: 'gpu_demand', samples },
      { name: 'vllm:num_requests_waiting', samples: queue },
    ]),
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

const capacity = (args: string[]) =>
  runHeadroom([
    'capacity',
    '--prometheus',
    prometheus.url,
    '--end',
    String(END_SECONDS),
    '--expr',
    'gpu_demand',
    // Above the mean's daily peaks (13 and the rise), within reach of the upper bounds.
    '--capacity',
    '14',
    ...args,
  ]);

describe('headroom capacity: the horizon asked', () => {
  it('leaves the first 48 hours, their intervals and an exhaustion within them as they are', async () => {
    const runs = await Promise.all(
      [48, 168].map((hours) => capacity(['--history-days', '7', '--horizon-hours', String(hours), '--json']))
    );
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/headroom capacity:/);
      expect(run.code).toBe(0);
    }
    const [near, far] = runs.map((run) => JSON.parse(run.stdout) as CapacityReport);
    expect(near.history.samples).toBe(7 * 24 + 1);
    expect(near.forecast.mean).toHaveLength(48);
    expect(far.forecast.mean).toHaveLength(168);
    expect(far.forecast.model).toBe(near.forecast.model);
    near.forecast.mean.forEach((m, h) => expect(far.forecast.mean[h]).toBeCloseTo(m, 9));
    for (const level of ['80', '95']) {
      const [a, b] = [near.forecast.intervals[level], far.forecast.intervals[level]];
      a.lower.forEach((x, h) => expect(b.lower[h]).toBeCloseTo(x, 9));
      a.upper.forEach((x, h) => expect(b.upper[h]).toBeCloseTo(x, 9));
    }
    // The plan reads the same hours the same way: an exhaustion within the first 48 hours is the same hour in both.
    const lastNear = near.forecast.timestampsSeconds[47];
    const within = (t: number | null | undefined) => (t !== null && t !== undefined && t <= lastNear ? t : null);
    const crossings = (report: CapacityReport) => {
      const e = report.plan.exhaustion!;
      return [e.meanCrossingSeconds, ...['80', '95'].map((level) => e.crossingSecondsByLevel[level])].map(within);
    };
    expect(crossings(near)[2]).not.toBeNull();
    expect(crossings(far)).toEqual(crossings(near));
    const firstDay = (report: CapacityReport) => report.plan.exhaustion!.probabilityExceeding.slice(0, 48);
    firstDay(near).forEach((p, h) => expect(firstDay(far)[h]).toBeCloseTo(p, 9));
  }, 120_000);

  it('is refused beyond a year of hours or the history asked for, before Prometheus is read', async () => {
    const huge = await capacity(['--horizon-hours', '1e9']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(
      /--horizon-hours 1000000000 is more than 8760 hours, the most one forecast computes \(a year of hourly steps\)/
    );
    const year = await capacity(['--history-days', '7', '--horizon-hours', '8760']);
    expect(year.code).toBe(2);
    expect(year.stderr).toContain(
      '--horizon-hours 8760 is longer than the history, --history-days 7 (168 h): a forecast looks at most as far ' +
        'ahead as its history looks back, because beyond that its backtest cannot say how wrong it gets. Use ' +
        '--horizon-hours 168 or less, or more --history-days.'
    );
    expect(year.stdout).toBe('');
  }, 60_000);

  it('is refused beyond the history Prometheus holds, naming it', async () => {
    // 28 days asked for, 8 days held: 8 × 24 + 1 = 193 hourly samples from the first hour of the history.
    const run = await capacity(['--history-days', '28', '--horizon-hours', '300']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--horizon-hours 300 is longer than the history Prometheus holds, 193 h (8 days, 193 hourly samples'
    );
    expect(run.stderr).toContain('Use --horizon-hours 193 or less');
    const served = await capacity(['--history-days', '28', '--horizon-hours', '193', '--json']);
    expect(served.code).toBe(0);
  }, 60_000);
});

describe('headroom capacity: the range of the quantity', () => {
  it('keeps a queue length and its intervals at or above 0, and leaves an --expr of unknown unit as forecast', async () => {
    // Hourly means of a queue that is 0 or 8 jump between about 0 and 4: intervals as wide as the errors around a mean
    // near 1.6 reach below 0, which no number of waiting requests can.
    const args = ['--prometheus', prometheus.url, '--end', String(END_SECONDS), '--history-days', '7', '--json'];
    const [preset, expr] = await Promise.all([
      runHeadroom(['capacity', ...args, '--target', 'queue_depth', '--horizon-hours', '168']),
      runHeadroom(['capacity', ...args, '--expr', 'sum(vllm:num_requests_waiting)', '--horizon-hours', '168']),
    ]);
    expect(preset.stderr).not.toMatch(/headroom capacity:/);
    expect(preset.code).toBe(0);
    expect(expr.code).toBe(0);
    const values = (run: typeof preset) => {
      const { forecast } = JSON.parse(run.stdout) as CapacityReport;
      return [
        forecast.mean,
        ...['80', '95'].flatMap((l) => [forecast.intervals[l].lower, forecast.intervals[l].upper]),
      ].flat();
    };
    expect(Math.min(...values(preset))).toBe(0);
    expect(Math.min(...values(expr))).toBeLessThan(0);
  }, 60_000);
});
