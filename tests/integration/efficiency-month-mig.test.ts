/**
 * @jest-environment jsdom
 *
 * Money by default, against a real Prometheus holding a hand-made fleet: MIG instances count as their share of a GPU,
 * the month to date runs from the month's start (in a stated time zone), and `headroom efficiency` and the Efficiency
 * page's queries (waste and burn views) give the same numbers. jsdom because the data source's frames need it; the
 * CLI runs as a child process. Every expected value is worked out from the fleet below.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DataFrame } from '@grafana/data';
import { runEfficiencyQuery } from '../../src/datasource/efficiency/runEfficiencyQuery';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { runHeadroom } from '../kit/cli';
import { createHttpTransport } from '../kit/httpTransport';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY = 86400;
const HOUR = 3600;
const SAMPLE_SECONDS = 60;
// Two hours ending at midnight UTC today (yesterday when today is the 1st, so the two hours are not the whole
// month so far): recent, and stable while the suite runs.
const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
const END = new Date(today * 1000).getUTCDate() === 1 ? today - DAY : today;
const START = END - 2 * HOUR;
const MODEL = 'NVIDIA A100-SXM4-80GB';
const endDate = new Date(END * 1000);
const MONTH_START_UTC = Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth(), 1) / 1000;
const MONTH_END_UTC = Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() + 1, 1) / 1000;

/**
 * Node n1, one A100 in MIG mode (GPU 0) and one whole A100 (GPU 1), all held for the two hours:
 *   GPU 0 instance 1, 3g.40gb: ml/mig-a at activity 0.7   → 3/7 GPU
 *   GPU 0 instance 2, 1g.10gb: ml/mig-b at activity 0.35  → 1/7 GPU
 *   GPU 1:                     web/serve-c at activity 0.1 → 1 GPU
 * Samples every minute over [START, END − 60 s]; with a lookback of 59 s each series ends with its last sample.
 */
const device = (labels: Record<string, string>, pod: { namespace: string; pod: string }, activity: number) =>
  ({
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    labels: { Hostname: 'n1', modelName: MODEL, ...labels, ...pod, container: 'main' },
    samples: constantSamples(activity, START, END - SAMPLE_SECONDS, SAMPLE_SECONDS),
  }) satisfies PlainSeries;
const series: PlainSeries[] = [
  device({ gpu: '0', UUID: 'GPU-0', GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1' }, { namespace: 'ml', pod: 'mig-a' }, 0.7),
  device({ gpu: '0', UUID: 'GPU-0', GPU_I_PROFILE: '1g.10gb', GPU_I_ID: '2' }, { namespace: 'ml', pod: 'mig-b' }, 0.35),
  device({ gpu: '1', UUID: 'GPU-1' }, { namespace: 'web', pod: 'serve-c' }, 0.1),
];

// 7 EUR per GPU-hour on demand, so a 3g instance costs 3 EUR an hour.
const PRICE = 7;
// Per pod over the two hours: GPU-hours = share × 2; busy = activity × GPU-hours; cost = GPU-hours × 7.
//   mig-a   6/7 GPU-h, busy 0.6, wasted 6/7 − 0.6 = 0.257142…, cost 6, wasted 1.8
//   mig-b   2/7 GPU-h, busy 0.1, wasted 2/7 − 0.1 = 0.185714…, cost 2, wasted 1.3
//   serve-c 2   GPU-h, busy 0.2, wasted 1.8,                  cost 14, wasted 12.6
// Fleet: 22/7 GPU-h allocated (the old code counted each instance as a GPU: 6), busy 0.9, cost 22, wasted 15.7.
const ALLOCATED = 22 / 7;
const BUSY = 0.9;
const COST = 22;
const WASTED_COST = 15.7;
// Month to date: hourly samples from the month's start; 11/7 GPUs are held at START and START + 1 h (the sample at
// END sees nothing), each standing for an hour: 2 h × 11/7 × 7 = 22 EUR at 11 EUR an hour.
const BURN_PER_HOUR = 11;
const MONTH_TO_DATE = 22;
const BUDGET = 1000;

let prometheus: RunningPrometheus;
let dir: string;
let prices: string;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(series),
    lookbackDeltaSeconds: SAMPLE_SECONDS - 1,
  });
  dir = mkdtempSync(join(tmpdir(), 'headroom-efficiency-month-'));
  prices = join(dir, 'prices.json');
  writeFileSync(prices, JSON.stringify({ currency: 'EUR', [MODEL]: { on_demand: PRICE, reserved: 4, spot: 2 } }));
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...more: string[]) =>
  runHeadroom([
    ...['efficiency', '--prometheus', prometheus.url, '--start', String(START), '--end', String(END)],
    ...['--prices', prices, '--monthly-budget', String(BUDGET), ...more],
  ]);

describe('headroom efficiency --prometheus', () => {
  it('counts a MIG instance as its share of a GPU and the month from its start', async () => {
    const { code, stdout, stderr } = await cli('--json');
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/MIG/);
    const report = JSON.parse(stdout);
    expect(report.currency).toBe('EUR');
    expect(report.allocatedGpuHours).toBeCloseTo(ALLOCATED, 9);
    expect(report.busyGpuHours).toBeCloseTo(BUSY, 9);
    expect(report.allocatedCost).toBeCloseTo(COST, 9);
    expect(report.wasteCost).toBeCloseTo(WASTED_COST, 9);
    const pods = Object.fromEntries(report.pods.map((p: { pod: string }) => [p.pod, p]));
    expect(pods['mig-a'].allocatedGpuHours).toBeCloseTo(6 / 7, 9);
    expect(pods['mig-b'].allocatedGpuHours).toBeCloseTo(2 / 7, 9);
    expect(pods['serve-c'].allocatedGpuHours).toBeCloseTo(2, 9);

    const elapsedHours = (END - MONTH_START_UTC) / HOUR;
    const monthHours = (MONTH_END_UTC - MONTH_START_UTC) / HOUR;
    expect(report.monthToDate).toMatchObject({
      timeZone: 'UTC',
      monthStartSeconds: MONTH_START_UTC,
      monthEndSeconds: MONTH_END_UTC,
      observedHours: 2,
      elapsedHours,
    });
    expect(report.monthToDate.monthToDateCost).toBeCloseTo(MONTH_TO_DATE, 9);
    expect(report.monthToDate.observedShareOfElapsed).toBeCloseTo(2 / elapsedHours, 12);
    expect(report.budget.projectedMonthCost).toBeCloseTo(BURN_PER_HOUR * monthHours, 9);
    expect(report.budget.projectedShareOfBudget).toBeCloseTo((BURN_PER_HOUR * monthHours) / BUDGET, 9);
  });

  it('says in text where the month starts, how much of it has data, and the wasted cost per pod in the currency', async () => {
    const { code, stdout } = await cli();
    expect(code).toBe(0);
    const elapsedHours = (END - MONTH_START_UTC) / HOUR;
    const monthStart = new Date(MONTH_START_UTC * 1000).toISOString().slice(0, 10);
    // 2 observed hours of those elapsed, in %, with one decimal below 10 %.
    const share = 200 / elapsedHours;
    expect(stdout).toContain(
      `Month to date        22.00 EUR since ${monthStart} 00:00 UTC, data for ` +
        `${share.toFixed(share < 10 ? 1 : 0)} % ` +
        `of the month so far (2.0 of ${elapsedHours.toFixed(1)} h)`
    );
    // The table is sorted by wasted GPU-hours and shows them, and their cost in EUR: serve-c 1.8 h, 12.60 EUR.
    const header = stdout.split('\n').find((line) => line.trimStart().startsWith('pod '))!;
    expect(header).toMatch(/pod\s+allocated h\s+busy h\s+wasted h\s+wasted EUR\s+mean %/);
    const first = stdout.split('\n')[stdout.split('\n').indexOf(header) + 1];
    expect(first.trim().split(/\s+/).slice(0, 5)).toEqual(['serve-c', '2.0', '0.2', '1.8', '12.60']);
  });

  it('starts the month at midnight of the first in --time-zone', async () => {
    // Tokyo is UTC+9 all year: the month starts 9 h before the UTC month; END (09:00 there) is in the same month.
    const { code, stdout } = await cli('--json', '--time-zone', 'Asia/Tokyo');
    expect(code).toBe(0);
    const month = JSON.parse(stdout).monthToDate;
    expect(month.monthStartSeconds).toBe(MONTH_START_UTC - 9 * HOUR);
    expect(month.elapsedHours).toBe((END - MONTH_START_UTC) / HOUR + 9);
    expect(month.monthToDateCost).toBeCloseTo(MONTH_TO_DATE, 9);
  });

  it('refuses an unknown time zone and a currency that contradicts the price file (exit 2)', async () => {
    const zone = await cli('--time-zone', 'Mars/Olympus');
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/--time-zone: "Mars\/Olympus" is not a time zone/);
    const currency = await cli('--currency', 'USD');
    expect(currency.code).toBe(2);
    expect(currency.stderr).toMatch(/--currency USD contradicts the price file's "currency": "EUR"/);
  });
});

describe('the Efficiency page agrees with the command line', () => {
  const context = () => ({
    client: createPrometheusClient(createHttpTransport(prometheus.url)),
    catalog: createCatalog(),
    filters: {},
    fromMs: START * 1000,
    toMs: END * 1000,
    appSettings: async () => ({
      gpuPrices: [
        { gpuModel: MODEL, onDemandPerGpuHour: PRICE, reservedPerGpuHour: 4, spotPerGpuHour: 2, source: 'test' },
      ],
      monthlyBudget: BUDGET,
    }),
  });
  const value = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!.values[0];

  it('gives the same GPU-hours and cost in the waste view', async () => {
    const [summary] = await runEfficiencyQuery(
      { refId: 'A', queryType: 'efficiency', efficiencyView: 'waste' },
      context()
    );
    expect(value(summary, 'Allocated GPU-h')).toBeCloseTo(ALLOCATED, 9);
    expect(value(summary, 'Busy GPU-h')).toBeCloseTo(BUSY, 9);
    expect(value(summary, 'Allocated $')).toBeCloseTo(COST, 9);
  });

  it('gives the same month to date and projection in the burn view', async () => {
    const [, budget] = await runEfficiencyQuery(
      { refId: 'A', queryType: 'efficiency', efficiencyView: 'burn' },
      context()
    );
    const monthHours = (MONTH_END_UTC - MONTH_START_UTC) / HOUR;
    expect(value(budget, 'Month to date')).toBeCloseTo(MONTH_TO_DATE, 9);
    expect(value(budget, 'Projected month')).toBeCloseTo(BURN_PER_HOUR * monthHours, 9);
  });
});
