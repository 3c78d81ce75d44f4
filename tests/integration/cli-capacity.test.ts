/**
 * @jest-environment jsdom
 *
 * `headroom capacity` as a child process, and every forecast target's PromQL, against a real Prometheus backfilled
 * from the simulator's history. The plan's numbers are checked by relations a person can verify from the JSON the
 * command printed (the formulas of docs/formulas.md), and the targets against the simulator's own ground truth. The
 * data source's capacity query runs here too, under jsdom as in the browser, to check it plans exactly as the command
 * line does.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';

import type { DataFrame } from '@grafana/data';

import type { CapacityReport } from '../../src/cli/commands/capacity';
import { runForecastQuery } from '../../src/datasource/forecast/runForecastQuery';
import type { GpuPrice } from '../../src/datasource/appSettings';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { detectFamilies } from '../../src/prometheus/detect';
import { FORECAST_TARGETS, targetExpr } from '../../src/prometheus/targets';
import { defaultFleetSpec, writeOpenMetricsHistory, type HistorySummary } from '../../src/simulator';
import { runHeadroom } from '../kit/cli';
import { createHttpTransport } from '../kit/httpTransport';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY_SECONDS = 86400;
const HOUR_SECONDS = 3600;
// Midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY_SECONDS) * DAY_SECONDS;
const HISTORY_DAYS = 10;
const HORIZON_HOURS = 48;

/**
 * promtool re-reads the whole file for every 2-hour block it writes, so ten days cost 120 passes: only the series
 * the targets read are kept (GPU resources, not CPU; the Running phase the allocation query selects).
 */
const KEPT_FAMILIES =
  /^# (TYPE|HELP|UNIT) (kube_pod_status_phase|kube_pod_container_resource_requests|kube_node_status_allocatable|DCGM_FI_PROF_GR_ENGINE_ACTIVE|vllm:generation_tokens|vllm:num_requests_waiting|vllm:kv_cache_usage_perc) /;
const DROPPED_SAMPLES = /resource="cpu"|phase="(Pending|Succeeded|Failed|Unknown)"/;

let dir: string;
let summary: HistorySummary;
let prometheus: RunningPrometheus;

async function keepPlannedSeries(from: string, to: string): Promise<void> {
  const out = createWriteStream(to);
  let keep = false;
  for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
    // A family's block starts with its metadata lines; the file ends with `# EOF`.
    if (line.startsWith('#')) {
      keep = line === '# EOF' || KEPT_FAMILIES.test(line);
    }
    if (keep && !DROPPED_SAMPLES.test(line)) {
      out.write(`${line}\n`);
    }
  }
  out.end();
  await finished(out);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-cli-capacity-'));
  const full = join(dir, 'history.om');
  const planned = join(dir, 'planned.om');
  summary = await writeOpenMetricsHistory(
    defaultFleetSpec({ gpuCount: 24, seed: 3 }),
    { endSeconds: END_SECONDS, days: HISTORY_DAYS, stepSeconds: 600 },
    full
  );
  await keepPlannedSeries(full, planned);
  rmSync(full);
  prometheus = await startPrometheus({ openMetricsFile: planned });
}, 400_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const headroom = (args: string[]) => runHeadroom(['capacity', ...args]);

const common = (historyDays = HISTORY_DAYS) => [
  '--prometheus',
  prometheus.url,
  '--end',
  String(END_SECONDS),
  '--history-days',
  String(historyDays),
  '--horizon-hours',
  String(HORIZON_HOURS),
  '--json',
];

describe('forecast targets against the simulated fleet', () => {
  it('each answer one series, and GPU counts match the simulator at the last sample', async () => {
    const client = createPrometheusClient(createHttpTransport(prometheus.url));
    const catalog = createCatalog();
    const range = { startSeconds: END_SECONDS - DAY_SECONDS, endSeconds: END_SECONDS };
    const detection = await detectFamilies(client, range, catalog);
    const at = async (expr: string) => {
      const result = await client.queryInstant(expr, summary.lastSampleSeconds);
      expect(result.series).toHaveLength(1);
      return result.series[0].values[0];
    };
    const values: Record<string, number> = {};
    for (const { id } of FORECAST_TARGETS) {
      // Samples are 600 s apart here, so the rate window must span more than one of them.
      values[id] = await at(targetExpr(id, catalog, detection, {}, { rateWindowSeconds: HOUR_SECONDS }));
    }
    expect(values.gpu_capacity).toBe(summary.totalGpus);
    expect(values.gpus_allocated).toBeCloseTo(summary.atEnd.allocatedGpuEquivalents, 9);
    expect(values.gpus_busy).toBeCloseTo(summary.atEnd.busyGpuEquivalents, 3);
    for (const ratio of [values.gpu_utilisation, values.kv_cache_usage]) {
      expect(ratio).toBeGreaterThan(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }
    expect(values.tokens_per_second).toBeGreaterThan(0);
    expect(values.queue_depth).toBeGreaterThanOrEqual(0);
  });
});

/** Contract prices for the simulated fleet's models, one without a reserved price below on-demand. */
const CONTRACT: GpuPrice[] = [
  { gpuModel: 'NVIDIA H100 80GB HBM3', onDemandPerGpuHour: 9, reservedPerGpuHour: 6, spotPerGpuHour: 4, source: 'c' },
  { gpuModel: 'NVIDIA A100-SXM4-80GB', onDemandPerGpuHour: 5, reservedPerGpuHour: 5, spotPerGpuHour: 2, source: 'c' },
  { gpuModel: 'NVIDIA A100-SXM4-40GB', onDemandPerGpuHour: 3, reservedPerGpuHour: 2, spotPerGpuHour: 1, source: 'c' },
  { gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 1, reservedPerGpuHour: 0.6, spotPerGpuHour: 0.4, source: 'c' },
];

describe('the data source and the command line give the same plan for the same inputs', () => {
  const values = (frames: DataFrame[], frame: string, field: string) =>
    frames.find((f) => f.name === frame)?.fields.find((f) => f.name === field)?.values ?? [];
  /** Prometheus sums series in no fixed order, so two queries of the same sum can differ in the last bits. */
  const expectClose = (actual: unknown[], expected: Array<number | null | undefined>) => {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((value, i) =>
      expected[i] === null || expected[i] === undefined
        ? expect(value ?? null).toBeNull()
        : expect(value as number).toBeCloseTo(expected[i]!, 6)
    );
  };

  it.each(['gpus_allocated', 'tokens_per_second', 'gpu_utilisation'])('%s', async (target) => {
    const pricesFile = join(dir, 'prices.json');
    writeFileSync(
      pricesFile,
      JSON.stringify(
        Object.fromEntries(
          CONTRACT.map((p) => [
            p.gpuModel,
            { on_demand: p.onDemandPerGpuHour, reserved: p.reservedPerGpuHour, spot: p.spotPerGpuHour },
          ])
        )
      )
    );
    // The data source reads 28 days of history; so does the command line here. One forecasting model for both.
    const cli = await headroom([
      ...common(28),
      '--target',
      target,
      '--forecast-model',
      'seasonal_naive_day',
      '--level',
      '95',
      '--target-utilisation',
      '0.8',
      '--cold-start-minutes',
      '120',
      '--prices',
      pricesFile,
    ]);
    expect(cli.code).toBe(0);
    const { forecast, plan } = JSON.parse(cli.stdout) as CapacityReport;
    const frames = await runForecastQuery(
      {
        refId: 'A',
        queryType: 'capacity',
        target,
        model: 'seasonal_naive_day',
        horizonHours: String(HORIZON_HOURS),
        demandLevel: '95',
        targetUtilisationPercent: '80',
        coldStartHours: '2',
        capacity: 'gpu_capacity',
      },
      {
        client: createPrometheusClient(createHttpTransport(prometheus.url)),
        catalog: createCatalog(),
        filters: {},
        endMs: END_SECONDS * 1000,
        appSettings: async () => ({ gpuPrices: CONTRACT }),
      }
    );

    expect(values(frames, 'Forecast', 'Time')).toEqual(forecast.timestampsSeconds.map((t) => t * 1000));
    expectClose(values(frames, 'Forecast', 'Mean'), forecast.mean);
    expect(values(frames, 'GPUs needed', 'GPUs needed')).toEqual(plan.gpus?.gpusNeeded ?? []);
    expectClose(
      values(frames, 'Forecast', 'Capacity'),
      plan.capacity ? forecast.mean.map(() => plan.capacity!.value) : []
    );
    expect(values(frames, 'Exhaustion', 'Exceeds capacity at')).toEqual(
      plan.exhaustion
        ? [
            plan.exhaustion.meanCrossingSeconds,
            plan.exhaustion.crossingSecondsByLevel['80'],
            plan.exhaustion.crossingSecondsByLevel['95'],
          ].map((t) => (t === null ? null : t! * 1000))
        : []
    );
    const schedule = plan.gpus?.schedule ?? [];
    expect(values(frames, 'Scaling schedule', 'Action')).toEqual(schedule.map((s) => s.action));
    expect(values(frames, 'Scaling schedule', 'Start scaling at')).toEqual(
      schedule.map((s) => s.startAtSeconds * 1000)
    );
    expect(values(frames, 'Scaling schedule', 'To')).toEqual(schedule.map((s) => s.toGpus));
    const byModel = plan.mix?.byModel ?? [];
    const rows =
      byModel.length > 1 ? [...byModel.map((m) => m.gpuModel), 'All priced models'] : byModel.map((m) => m.gpuModel);
    expect(values(frames, 'Cost mix', 'GPU model')).toEqual(rows);
    expect(values(frames, 'Cost mix', 'Reserved GPUs').slice(0, byModel.length)).toEqual(
      byModel.map((m) => m.reservedGpus)
    );
    expectClose(
      values(frames, 'Cost mix', 'Expected cost / h').slice(0, byModel.length),
      byModel.map((m) => m.expectedCostPerHour)
    );
    if (target === 'gpu_utilisation') {
      // A ratio: neither plans GPUs, and both say why.
      expect(plan.gpus).toBeNull();
      const forecastNotices = frames.find((f) => f.name === 'Forecast')!.meta!.notices!.map((n) => n.text);
      expect(forecastNotices).toEqual(expect.arrayContaining(plan.notes));
      expect(cli.stderr).toContain(`note: ${plan.notes[0]}`);
    } else {
      expect(plan.gpus!.gpusNeeded.length).toBe(HORIZON_HOURS);
      expect(byModel.length).toBeGreaterThan(1);
    }
  });
});

describe('headroom capacity', () => {
  it('plans allocated GPUs: exhaustion, GPUs needed, schedule and reserved mix agree with docs/formulas.md', async () => {
    const { code, stdout, stderr } = await headroom([
      ...common(),
      '--reserved-price',
      '2',
      '--on-demand-price',
      '4',
      '--target-utilisation',
      '0.8',
      '--cold-start-minutes',
      '15',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CapacityReport;
    const { forecast, plan } = report;
    expect(report.target.id).toBe('gpus_allocated');
    expect(forecast.timestampsSeconds).toHaveLength(HORIZON_HOURS);
    // The history ends at END; its last hourly bucket starts there and the forecast continues an hour later.
    expect(forecast.timestampsSeconds[0]).toBe(END_SECONDS + HOUR_SECONDS);
    expect(Object.keys(forecast.intervals).sort()).toEqual(['80', '95']);

    // Capacity defaults to the fleet's GPUs.
    expect(plan.capacity).toEqual({ value: summary.totalGpus, gpus: summary.totalGpus, source: 'gpu_capacity' });
    const exhaustion = plan.exhaustion!;
    const firstAbove = (values: number[]) => {
      const h = values.findIndex((v) => v > summary.totalGpus);
      return h < 0 ? null : forecast.timestampsSeconds[h];
    };
    expect(exhaustion.meanCrossingSeconds).toBe(firstAbove(forecast.mean));
    expect(exhaustion.crossingSecondsByLevel['95']).toBe(firstAbove(forecast.intervals['95'].upper));
    exhaustion.probabilityExceeding.forEach((p, h) => {
      expect(p).toBeGreaterThanOrEqual(0);
      // Below the mean (taken as the median) the chance of exceeding capacity is under one half.
      if (forecast.mean[h] < summary.totalGpus) {
        expect(p).toBeLessThan(0.5);
      }
    });

    // GPUs(t) = ceil(upper 95 % bound / (1 GPU per GPU × 0.8)).
    const p = plan.gpus!;
    expect(plan.demand).toEqual({ label: 'Allocated GPUs', unit: 'GPUs', kind: 'gpus', level: '95' });
    expect(p).toMatchObject({ throughputPerGpu: 1, throughputSource: 'unit', coldStartLeadSeconds: 900 });
    forecast.intervals['95'].upper.forEach((u, h) => {
      expect(p.gpusNeeded[h]).toBe(Math.max(0, Math.ceil(u / 0.8 - 1e-9)));
    });

    // Scale-outs start 15 min before a forecast hour; scale-ins happen on the hour; sizes chain from the first hour.
    let size = p.gpusNeeded[0];
    for (const step of p.schedule) {
      expect(step.fromGpus).toBe(size);
      expect(forecast.timestampsSeconds).toContain(step.neededAtSeconds);
      expect(step.startAtSeconds).toBe(step.toGpus > step.fromGpus ? step.neededAtSeconds - 900 : step.neededAtSeconds);
      size = step.toGpus;
    }
    expect(p.schedule.length).toBeGreaterThan(0);

    // Newsvendor: r/o = 2/4, so reserve the 0.5 quantile of the hourly GPUs needed: the 24th smallest of 48. The
    // price flags price every GPU, whatever its model.
    const mix = plan.mix!;
    expect(mix.byModel).toHaveLength(1);
    expect(mix.byModel[0]).toMatchObject({ gpuModel: 'every GPU model', share: 1, quantile: 0.5 });
    expect(mix.fleetSource).toBe('the price flags');
    const sorted = [...p.gpusNeeded].sort((a, b) => a - b);
    expect(mix.reservedGpus).toBe(sorted[HORIZON_HOURS / 2 - 1]);
    const onDemandGpuHours = p.gpusNeeded.reduce((s, g) => s + Math.max(0, g - mix.reservedGpus!), 0);
    expect(mix.onDemandGpuHours).toBe(onDemandGpuHours);
    expect(mix.expectedCostPerHour).toBeCloseTo(
      (mix.reservedGpus! * 2 * HORIZON_HOURS + onDemandGpuHours * 4) / HORIZON_HOURS,
      9
    );
    const totalGpuHours = p.gpusNeeded.reduce((s, g) => s + g, 0);
    expect(mix.costAllOnDemandPerHour).toBeCloseTo((totalGpuHours * 4) / HORIZON_HOURS, 9);
    expect(plan.unitCosts!.costPerGpuHour).toBeCloseTo(mix.expectedCostPerHour / (totalGpuHours / HORIZON_HOURS), 9);
  });

  it('costs spot interruptions into the mix at a given rate; measured from node churn, none without spot nodes', async () => {
    const spot = [
      ...common(),
      '--reserved-price',
      '2',
      '--on-demand-price',
      '4',
      '--spot-price',
      '1',
      '--interruptible-share',
      '0.5',
      '--spot-lost-gpu-hours',
      '2',
    ];
    const given = await headroom([...spot, '--spot-interruptions-per-day', '0.12']);
    expect([given.code, given.stderr]).toEqual([0, '']);
    const mix = (JSON.parse(given.stdout) as CapacityReport).plan.mix!;
    // Interruptions = spot GPU-hours × 0.12 / 24 per GPU-hour, each redoing 2 GPU-hours at $1, spread over the horizon.
    const interruptionCost = (mix.spotGpuHours * (0.12 / 24) * 2 * 1) / HORIZON_HOURS;
    expect(mix.spotGpuHours).toBeGreaterThan(0);
    expect(mix.interruptionCostPerHour).toBeCloseTo(interruptionCost, 9);
    expect(mix.savingsPerHour).toBeCloseTo(mix.costAllOnDemandPerHour - mix.expectedCostPerHour, 9);

    // The simulated fleet has no spot-labelled nodes: nothing to measure, said on stderr, and not costed.
    const measured = await headroom(spot);
    expect(measured.code).toBe(0);
    expect(measured.stderr).toContain('no spot GPU node in kube-state-metrics');
    expect((JSON.parse(measured.stdout) as CapacityReport).plan.mix!.interruptionCostPerHour).toBeNull();
    const alone = await headroom([...common(), '--spot-interruptions-per-day', '0.1']);
    expect([alone.code, alone.stderr]).toEqual([2, expect.stringContaining('only with --spot-lost-gpu-hours')]);
  });

  it('calibrates throughput per GPU from generated tokens/s against busy GPUs of the same namespace', async () => {
    const { code, stdout } = await headroom([...common(), '--target', 'tokens_per_second', '--namespace', 'inference']);
    expect(code).toBe(0);
    const { target, forecast, plan } = JSON.parse(stdout) as CapacityReport;
    expect(target.expr).toBe('sum(rate(vllm:generation_tokens_total{namespace="inference"}[1h]))');
    const p = plan.gpus!;
    expect(p.throughputSource).toBe('calibrated');
    expect(p.calibration!.samples).toBeGreaterThan(HISTORY_DAYS * 24 * 0.9);
    // The simulated replicas' tokens follow their GPUs' activity closely.
    expect(p.calibration!.r2).toBeGreaterThan(0.8);
    forecast.intervals['95'].upper.forEach((u, h) => {
      expect(p.gpusNeeded[h]).toBe(Math.max(0, Math.ceil(u / (p.throughputPerGpu * 0.8) - 1e-9)));
    });
    // Hundreds of tokens/s per GPU: never one GPU per token/s at 80 % (tokens/s ÷ 0.8).
    expect(p.throughputPerGpu).toBeGreaterThan(10);
    expect(p.peakGpus).toBeLessThan(Math.max(...forecast.intervals['95'].upper) / 0.8 / 10);
    // Capacity in the target's unit: the fleet's GPUs at the calibrated tokens/s each.
    expect(plan.capacity!.gpus).toBe(summary.totalGpus);
    expect(plan.capacity!.value).toBeCloseTo(summary.totalGpus * p.throughputPerGpu, 6);
    expect(plan.capacity!.source).toBe('gpu_capacity');
  });

  it('prices the mix as the fleet’s GPU models by their share of its GPUs, at the list prices by default', async () => {
    const { code, stdout, stderr } = await headroom(common());
    expect(code).toBe(0);
    const { plan } = JSON.parse(stdout) as CapacityReport;
    const mix = plan.mix!;
    const fleetGpus = Object.values(summary.gpusByModel).reduce((a, b) => a + b, 0);
    expect(Object.fromEntries(mix.byModel.map((m) => [m.gpuModel, m.share]))).toEqual(
      Object.fromEntries(Object.entries(summary.gpusByModel).map(([model, gpus]) => [model, gpus / fleetGpus]))
    );
    expect(mix.fleetSource).toMatch(/^GPU capacity per model in the inventory, at /);
    const needed = plan.gpus!.gpusNeeded;
    for (const model of mix.byModel) {
      const price = model.price!;
      expect(price.source).toMatch(/^List price: /);
      if (price.reservedPerGpuHour! < price.onDemandPerGpuHour) {
        // The model's share of each hour, and its (1 − r/o) quantile: the reserved count is its floor or ceiling.
        const share = needed.map((g) => g * model.share).sort((a, b) => a - b);
        const q = 1 - price.reservedPerGpuHour! / price.onDemandPerGpuHour;
        const quantile = share[Math.ceil(q * share.length - 1e-9) - 1];
        expect([Math.floor(quantile), Math.ceil(quantile)]).toContain(model.reservedGpus);
      } else {
        // The A100 80GB list row has no 1-year price: no recommendation rather than "reserve 0".
        expect(model.reservedGpus).toBeNull();
        expect(stderr).toContain(`note: Cost mix: no reserved price known for ${model.gpuModel}`);
      }
    }
    expect(mix.byModel.some((m) => m.reservedGpus === null)).toBe(true);
  });

  it('prints a readable plan by default', async () => {
    const { code, stdout } = await headroom(common().filter((a) => a !== '--json'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Capacity plan for Allocated GPUs \(GPUs\)/);
    expect(stdout).toContain(`Exhaustion of capacity ${summary.totalGpus} GPUs (gpu_capacity)`);
    expect(stdout).toContain('Scale-out schedule (cold start 15 min)');
  });

  it('prints the forecast itself, hourly for 48 hours, with the numbers --json holds', async () => {
    const args = [...common(), '--forecast-model', 'seasonal_naive_day'];
    const text = await headroom(args.filter((a) => a !== '--json'));
    const report = JSON.parse((await headroom(args)).stdout) as CapacityReport;
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    const title = lines.indexOf('Forecast of GPUs, every hour');
    expect(title).toBeGreaterThan(0);
    expect(lines[title + 1].trim().split(/\s{2,}/)).toEqual([
      'hour',
      'expected',
      '80 % interval',
      '95 % interval',
      'capacity',
      'above capacity',
    ]);
    const rows = lines.slice(title + 2, title + 2 + HORIZON_HOURS).map((line) => line.trim().split(/\s{2,}/));
    expect(lines[title + 2 + HORIZON_HOURS]).toBe('');
    const { timestampsSeconds, mean, intervals } = report.forecast;
    rows.forEach((cells, h) => {
      expect(cells[0]).toBe(new Date(timestampsSeconds[h] * 1000).toISOString().replace('.000Z', 'Z'));
      expect(Number(cells[1])).toBeCloseTo(mean[h], 2);
      for (const [column, level] of [
        [2, '80'],
        [3, '95'],
      ] as const) {
        const [lower, upper] = cells[column].split(' – ').map(Number);
        expect(lower).toBeCloseTo(intervals[level].lower[h], 2);
        expect(upper).toBeCloseTo(intervals[level].upper[h], 2);
      }
      expect(cells[4]).toBe(String(summary.totalGpus));
      // Above capacity: the mean, else the narrowest interval whose upper bound is.
      const above =
        mean[h] > summary.totalGpus
          ? 'mean'
          : intervals['80'].upper[h] > summary.totalGpus
            ? '80 % upper'
            : intervals['95'].upper[h] > summary.totalGpus
              ? '95 % upper'
              : undefined;
      expect(cells[5]).toBe(above);
    });
    expect(report.forecastTable.everyHours).toBe(1);
    expect(report.forecastTable.rows.map((r) => r.expected)).toEqual(mean);
  });

  describe('input that names nothing the history holds: exit code 2, what exists, no PromQL first', () => {
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    const history = `between ${iso(END_SECONDS - HISTORY_DAYS * DAY_SECONDS)} and ${iso(END_SECONDS)}`;

    it('a namespace no series carries', async () => {
      const { code, stdout, stderr } = await headroom([...common(), '--namespace', 'nosuchns']);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      const lines = stderr.split('\n');
      expect(lines[0]).toBe(
        `headroom capacity: --namespace nosuchns matched nothing: no namespace of that name has series ${history}.`
      );
      // The simulated fleet's inference services run all the time.
      expect(lines[1]).toMatch(/^Namespaces seen \(\d+\): .*\binference\b/);
      expect(stderr).not.toContain('kube_pod_container_resource_requests');
    });

    it('a served model no vLLM series carries', async () => {
      const { code, stderr } = await headroom([...common(), '--target', 'tokens_per_second', '--model', 'llama']);
      expect(code).toBe(2);
      expect(stderr.split('\n')[0]).toBe(
        `headroom capacity: --model llama matched nothing: no served model of that name has series ${history}.`
      );
      expect(stderr.split('\n')[1]).toMatch(/^Served models seen \(\d+\): /);
    });

    it('a history before the first sample gives the range that exists', async () => {
      const { code, stdout, stderr } = await headroom([
        '--prometheus',
        prometheus.url,
        '--end',
        '2020-01-01T00:00:00Z',
        '--history-days',
        '10',
      ]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.split('\n')[0]).toBe(
        'headroom capacity: The history 2019-12-22T00:00:00Z – 2020-01-01T00:00:00Z (--end, --history-days) is ' +
          'before the first kube-state-metrics GPU allocatable sample ' +
          `(${iso(summary.firstSampleSeconds)}): the data does not reach back that far. Prometheus holds ` +
          `kube-state-metrics GPU allocatable from ${iso(summary.firstSampleSeconds)} to ${iso(summary.lastSampleSeconds)}.`
      );
    });
  });

  it('explains bad flags with exit code 2', async () => {
    const unknown = await headroom(['--prometheus', prometheus.url, '--target', 'gpus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown forecast target "gpus"; choose one of gpus_allocated/);
    const utilisation = await headroom(['--prometheus', prometheus.url, '--target-utilisation', '1.5']);
    expect(utilisation.code).toBe(2);
    expect(utilisation.stderr).toMatch(/--target-utilisation must be a share in \(0, 1\], got "1.5"/);
    const missing = await headroom([]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/--prometheus URL is required/);
  });

  it('reports an unreachable Prometheus on stderr with exit code 1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stdout, stderr } = await headroom(['--prometheus', `http://127.0.0.1:${port}`]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^headroom capacity: Cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED/);
  });
});
