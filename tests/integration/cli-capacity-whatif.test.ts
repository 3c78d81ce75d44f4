/**
 * `headroom capacity --what-if` against a real Prometheus (tests/kit) holding a flat demand of 10 GPUs: a launch
 * doubling traffic for 4 hours, planned beside the baseline, checked against a hand calculation; and the bad events
 * of issue 15 (negative multiplier, end before start, outside the horizon, overlaps) said plainly.
 */
import type { WhatIfResult } from '../../src/engine/capacity';
import { runHeadroom } from '../kit/cli';
import { constantSamples, toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const HOUR = 3600;
const DAY = 24 * HOUR;
// Midnight UTC today: recent enough for Prometheus retention.
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY) * DAY;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
// The forecast's hours are END + 1 h … END + 24 h; the launch covers END + 3 h … END + 6 h (end exclusive).
const LAUNCH_START = END_SECONDS + 3 * HOUR;
const LAUNCH_END = END_SECONDS + 7 * HOUR;
const launch = (multiplier: string, start = LAUNCH_START, end = LAUNCH_END) =>
  `start=${iso(start)},end=${iso(end)},multiplier=${multiplier}`;

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      { name: 'gpu_demand', samples: constantSamples(10, END_SECONDS - 3 * DAY, END_SECONDS, 300) },
    ]),
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

/**
 * The last day's value repeated (seasonal_naive_day): the forecast of a flat 10 is 10, so every number below is worked
 * by hand. Planned for the mean, capacity 15 GPUs, every GPU-hour on demand at 2.
 */
const PLAN_FLAGS =
  `--end ${END_SECONDS} --expr gpu_demand --history-days 3 --horizon-hours 24 --forecast-model seasonal_naive_day ` +
  '--level mean --capacity 15 --on-demand-price 2';

const capacity = (args: string[]) =>
  runHeadroom(['capacity', '--prometheus', prometheus.url, ...PLAN_FLAGS.split(' '), ...args]);

describe('headroom capacity --what-if', () => {
  it('doubles 10 GPUs for 4 hours: the plan adds ceil(20 / 0.8) − ceil(10 / 0.8) = 12 GPUs a launch hour', async () => {
    const run = await capacity(['--what-if', launch('2'), '--json']);
    expect(run.stderr).not.toMatch(/headroom capacity:/);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as WhatIfResult;
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['baseline', 'scenario', 'difference', 'target', 'history'])
    );
    // At the default 80 % utilisation: 10 GPUs need ceil(12.5) = 13, 20 need 25.
    expect(out.scenario.forecast.mean).toEqual([10, 10, 20, 20, 20, 20, ...Array(18).fill(10)]);
    expect(out.baseline.plan.gpus!.gpusNeeded).toEqual(Array(24).fill(13));
    expect(out.scenario.plan.gpus!.gpusNeeded).toEqual([13, 13, 25, 25, 25, 25, ...Array(18).fill(13)]);
    // Demand +40 GPU-hours (4 h × 10); planned +48 (4 h × 12) after the 80 % buffer and whole GPUs.
    expect(out.difference.peakGpus).toBe(12);
    expect(out.difference.gpuHours).toBe(48);
    // No reserved price: every GPU-hour on demand at 2, so +96 over the 24 hours.
    expect(out.difference.cost).toBeCloseTo(96, 6);
    // Capacity 15 GPUs: never reached by 10, reached by 20 at the launch's first hour.
    expect(out.baseline.totals.exhaustionSeconds).toBeNull();
    expect(out.scenario.totals.exhaustionSeconds).toBe(LAUNCH_START);
    // Scale out one cold start (15 min) before the launch, back in after it.
    expect(out.scenario.plan.gpus!.schedule.map((s) => [s.fromGpus, s.toGpus])).toEqual([
      [13, 25],
      [25, 13],
    ]);
  });

  it('prints both plans side by side in the text report', async () => {
    const run = await capacity(['--what-if', `${launch('2')},name=launch`]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const title = lines.indexOf(`What-if: launch ×2 ${iso(LAUNCH_START)} – ${iso(LAUNCH_END)}`);
    expect(title).toBeGreaterThan(0);
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    expect(cells(lines[title + 1])).toEqual(['baseline', 'scenario', 'difference']);
    expect(cells(lines[title + 2])).toEqual(['peak GPUs needed', '13', '25', '+12']);
    expect(cells(lines[title + 3])).toEqual(['GPU-hours', '312', '360', '+48']);
    expect(cells(lines[title + 5])).toEqual(['capacity exceeded', 'no', iso(LAUNCH_START), '–']);
    expect(run.stdout).toContain(`${iso(LAUNCH_START)}  10             20             13             25`);
  });

  it('multiplies overlapping launches and says which overlap', async () => {
    const promo = `${launch('1.5', LAUNCH_START + 2 * HOUR, LAUNCH_END + 2 * HOUR)},name=promo`;
    const run = await capacity(['--what-if', `${launch('2')},name=launch`, '--what-if', promo, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as WhatIfResult;
    expect(out.scenario.forecast.mean.slice(0, 10)).toEqual([10, 10, 20, 20, 30, 30, 15, 15, 10, 10]);
    expect(run.stderr).toContain(
      `note: Events launch and promo overlap ${iso(LAUNCH_START + 2 * HOUR)} – ${iso(LAUNCH_END)}: their ` +
        'multipliers multiply there (×2 × 1.5 = ×3).'
    );
  });

  it.each([
    ['a negative multiplier', launch('-1'), /multiplier must be a number ≥ 0/],
    ['an end before the start', launch('2', LAUNCH_END, LAUNCH_START), /end must be a time after the start/],
    [
      'an event after the horizon',
      launch('2', END_SECONDS + 2 * DAY, END_SECONDS + 3 * DAY),
      /is outside the forecast's horizon/,
    ],
    ['a malformed value', 'start=tomorrow', /--what-if "start=tomorrow"/],
  ])('refuses %s with exit code 2', async (_, value, message) => {
    const run = await capacity(['--what-if', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
