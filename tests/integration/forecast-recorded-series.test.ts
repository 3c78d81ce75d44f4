/**
 * The Forecast targets, and the Efficiency page's month to date, read the recording rules' series
 * (rules/headroom-recording.yml) when they cover the range (the 28 days of a forecast's history, the month so far),
 * and the raw series before the record's first sample (or all of it when the record stops before the end), with
 * the same numbers. The recorded history is the shipped rules evaluated by
 * promtool (`tsdb create-blocks-from rules`) against a Prometheus holding the raw fleet below, then served beside it
 * by a second Prometheus; the first one keeps answering from the raw series only.
 *
 * Fleet over 29 days from a UTC midnight T0, in three windows (the rules are evaluated once a minute, and promtool
 * writes a block per two hours per run, minutes each for a whole month here: the windows keep the test to seconds):
 *   W0  T0 to T0 + 2 h                              raw series only
 *   W1  T0 + 1 day − 1 h to T0 + 1 day + 2 h         raw series, and the rules' history from T0 + 1 day
 *   W2  2023-12-01 (T0 + 17 days) − 1 h to + 2 h     raw series and the rules' history: the month's start
 *   W3  the last 2 days, to T0 + 29 days             raw series and the rules' history
 * Each hour's value is sampled every minute for the 4 minutes before it (the rules' evaluations, at a fixed offset
 * within each minute, see it; Prometheus' 5-minute lookback then sees their result on the hour):
 *   node-a  4 × H100: GPU a0, a1 held by team-a/train (Running always, 2 GPUs), activity 0.9 each
 *                     GPU a2 held by team-b/batch from 10:00 to 17:00 UTC (its Running phase is 1 only then),
 *                     activity 0.5; idle (activity 0, no pod labels) the other hours
 *                     GPU a3 idle
 *   node-b  2 × A100, idle
 *   capacity 4 + 2 = 6; allocated 2 + 1 = 3 from 10:00 to 17:00, else 2; busy 0.9 + 0.9 + 0.5 = 2.3 then, else 1.8;
 *   utilisation, the mean over the six GPUs' activity, 2.3 / 6 then, else 1.8 / 6 = 0.3; GPUs held by pods, all
 *   H100: 3 then, else 2 (no A100 row: no pod holds one); no value between the windows.
 * A forecast's history is the 28 days before its end: ending at T0 + 29 days it starts at T0 + 1 day, where the rules'
 * history begins (covered); ending a day earlier it starts at T0, before it; ending 2 hours later, after the rules'
 * last value.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { inventoryRecordingRuleFile } from '../../src/alerting/recordingRules';
import { fetchHistory } from '../../src/frames/forecast/forecastQuery';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { detectFamilies } from '../../src/prometheus/detect';
import { fleetGpuModels } from '../../src/prometheus/fleetGpuModels';
import { INVENTORY_RECORDS, inventoryRecordExpressions } from '../../src/prometheus/inventoryRecords';
import { fetchHeldGpusByModel } from '../../src/prometheus/podActivity';
import { targetExpr, type ForecastTargetId, type TargetFilters } from '../../src/prometheus/targets';
import type { PrometheusClient } from '../../src/prometheus/types';
import { runHeadroom } from '../kit/cli';
import { toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { onVictoriaMetrics, startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** 2023-11-14T00:00:00Z. */
const T0 = 1_699_920_000;
const LAST = T0 + 29 * DAY;
const RULES_FROM = T0 + DAY;
const MONTH_START = T0 + 17 * DAY;
const H100 = 'NVIDIA H100 80GB HBM3';
const A100 = 'NVIDIA A100-SXM4-80GB';

const hoursFrom = (first: number, last: number) =>
  Array.from({ length: (last - first) / HOUR + 1 }, (_, h) => first + h * HOUR);
const RULE_WINDOWS = [
  [RULES_FROM - HOUR, RULES_FROM + 2 * HOUR],
  [MONTH_START - HOUR, MONTH_START + 2 * HOUR],
  [LAST - 2 * DAY, LAST],
] as const;
const WINDOWS = [[T0, T0 + 2 * HOUR], ...RULE_WINDOWS] as const;
const hours = WINDOWS.flatMap(([first, last]) => hoursFrom(first, last));
const hourOfDay = (t: number) => ((t - T0) / HOUR) % 24;
const batchRuns = (t: number) => hourOfDay(t) >= 10 && hourOfDay(t) <= 17;
/** Seconds before each hour that carry its value: a scrape a minute. */
const SCRAPES_BEFORE_HOUR = [240, 180, 120, 60, 0];
const samples = (value: (t: number) => number, when: (t: number) => boolean = () => true): Array<[number, number]> =>
  hours.filter(when).flatMap((t) => SCRAPES_BEFORE_HOUR.map((before): [number, number] => [t - before, value(t)]));

function dcgm(node: string, gpu: number, model: string, activity: number, when?: (t: number) => boolean, pod = {}) {
  const labels = { gpu: String(gpu), UUID: `GPU-${node}-${gpu}`, Hostname: node, modelName: model, ...pod };
  return [
    { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels, samples: samples(() => activity, when) },
    { name: 'DCGM_FI_DEV_FB_USED', labels, samples: samples(() => 1000, when) },
  ];
}

function fleet(): PlainSeries[] {
  const train = { namespace: 'team-a', pod: 'train' };
  const batch = { namespace: 'team-b', pod: 'batch' };
  const gpu = { resource: 'nvidia_com_gpu', unit: 'integer' };
  return [
    { name: 'kube_node_status_allocatable', labels: { node: 'node-a', ...gpu }, samples: samples(() => 4) },
    { name: 'kube_node_status_allocatable', labels: { node: 'node-b', ...gpu }, samples: samples(() => 2) },
    {
      name: 'kube_pod_container_resource_requests',
      labels: { ...train, container: 'main', node: 'node-a', ...gpu },
      samples: samples(() => 2),
    },
    {
      name: 'kube_pod_container_resource_requests',
      labels: { ...batch, container: 'main', node: 'node-a', ...gpu },
      samples: samples(() => 1),
    },
    { name: 'kube_pod_status_phase', labels: { ...train, phase: 'Running' }, samples: samples(() => 1) },
    {
      name: 'kube_pod_status_phase',
      labels: { ...batch, phase: 'Running' },
      samples: samples((t) => (batchRuns(t) ? 1 : 0)),
    },
    ...dcgm('node-a', 0, H100, 0.9, undefined, train),
    ...dcgm('node-a', 1, H100, 0.9, undefined, train),
    ...dcgm('node-a', 2, H100, 0.5, batchRuns, batch),
    ...dcgm('node-a', 2, H100, 0, (t) => !batchRuns(t)),
    ...dcgm('node-a', 3, H100, 0),
    ...dcgm('node-b', 0, A100, 0),
    ...dcgm('node-b', 1, A100, 0),
  ];
}

/** The hand-worked value of each target at an hour in a window. */
const EXPECTED: Partial<Record<ForecastTargetId, (t: number) => number>> = {
  gpus_allocated: (t) => (batchRuns(t) ? 3 : 2),
  gpus_busy: (t) => (batchRuns(t) ? 2.3 : 1.8),
  gpu_capacity: () => 6,
  gpu_utilisation: (t) => (batchRuns(t) ? 2.3 / 6 : 0.3),
};

/** A history's values against the hand-worked ones: null between the windows. */
function expectHandWorked(
  id: ForecastTargetId,
  read: { timestampsSeconds: number[]; values: Array<number | null> },
  expected = EXPECTED[id]!
) {
  read.timestampsSeconds.forEach((t, i) => {
    if (hours.includes(t)) {
      expect(read.values[i]).toBeCloseTo(expected(t), 12);
    } else {
      expect(read.values[i]).toBeNull();
    }
  });
}

/** Block directories (ULIDs) of a TSDB directory, without its head, WAL or lock. */
const blocksOf = (dir: string) => readdirSync(dir).filter((name) => /^[0-9A-Z]{26}$/.test(name));

let rawOnly: RunningPrometheus;
let withRecords: RunningPrometheus;
let work: string;
const catalog = createCatalog();

const promtool = (args: string[]) => promisify(execFile)('/usr/bin/promtool', ['tsdb', 'create-blocks-from', ...args]);
const copyBlocks = (from: string, to: string) =>
  blocksOf(from).forEach((block) => cpSync(join(from, block), join(to, block), { recursive: true }));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'headroom-forecast-records-'));
  const at = (name: string) => join(work, name);
  writeFileSync(at('fleet.om'), toOpenMetrics(fleet()));
  // One block: promtool reads the whole file once per block it writes, every 2 hours of the month by default.
  await promtool(['openmetrics', `--max-block-duration=${30 * 24}h`, at('fleet.om'), at('fleet-blocks')]);
  copyBlocks(at('fleet-blocks'), at('raw'));
  rawOnly = await startPrometheus({ dataDir: at('raw') });
  // The shipped rules, as `headroom rules recording` prints them (evaluated every minute), from a day into the history.
  writeFileSync(at('rules.yml'), inventoryRecordingRuleFile());
  for (const [first, last] of RULE_WINDOWS) {
    await promtool([
      'rules',
      // The group's evaluations fall at a fixed offset within each minute: start at the window's first scrape.
      `--start=${first - 240}`,
      `--end=${last + HOUR}`,
      `--url=${rawOnly.url}`,
      `--output-dir=${at(`rule-blocks-${first}`)}`,
      at('rules.yml'),
    ]);
    copyBlocks(at(`rule-blocks-${first}`), at('recorded'));
  }
  copyBlocks(at('fleet-blocks'), at('recorded'));
  withRecords = await startPrometheus({ dataDir: at('recorded') });
}, 300_000);

afterAll(async () => {
  await Promise.all([rawOnly?.stop(), withRecords?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

const clientOf = (prometheus: RunningPrometheus): PrometheusClient =>
  createPrometheusClient(createFetchTransport(prometheus.url));

async function history(
  prometheus: RunningPrometheus,
  id: ForecastTargetId,
  endSeconds: number,
  filters?: TargetFilters
) {
  const target = { expr: targetExpr(id, catalog, undefined, filters), name: id };
  return fetchHistory(clientOf(prometheus), target, endSeconds * 1000);
}

// promtool writes TSDB blocks; VictoriaMetrics reads them through vmctl only (docs/scale.md).
const describeOnPrometheus = onVictoriaMetrics() ? describe.skip : describe;

describeOnPrometheus('Forecast targets and the recorded series', () => {
  it.each(['gpus_allocated', 'gpus_busy', 'gpu_capacity', 'gpu_utilisation'] as const)(
    '%s reads its record when it covers the 28 days, with the raw series’ numbers, worked by hand',
    async (id) => {
      const [recorded, raw] = await Promise.all([history(withRecords, id, LAST), history(rawOnly, id, LAST)]);
      expect(recorded.expr).toBe(
        {
          gpus_allocated: INVENTORY_RECORDS.fleetAllocated,
          gpus_busy: INVENTORY_RECORDS.fleetBusy,
          gpu_capacity: INVENTORY_RECORDS.fleetCapacity,
          gpu_utilisation: INVENTORY_RECORDS.fleetActivity,
        }[id]
      );
      expect(raw.expr).toBe(targetExpr(id, catalog));
      // 28 days of hours, both ends included.
      expect(recorded.timestampsSeconds).toEqual(hoursFrom(RULES_FROM, LAST));
      // Both against the hand-worked values, to 12 decimals: Prometheus sums and averages the devices in an order it
      // does not fix, so the record and the raw query may differ in the last bit.
      expectHandWorked(id, recorded);
      expectHandWorked(id, raw);
    }
  );

  it('reads the raw series before the first record and the record from there (rules installed within the 28 days)', async () => {
    const client = clientOf(withRecords);
    const ranges: Array<{ expr: string; startSeconds: number; endSeconds: number }> = [];
    const spied: PrometheusClient = {
      ...client,
      queryRange: (expr, options, signal) => {
        ranges.push({ expr, startSeconds: options.startSeconds, endSeconds: options.endSeconds });
        return client.queryRange(expr, options, signal);
      },
    };
    const target = { expr: targetExpr('gpus_allocated', catalog), name: 'gpus_allocated' };
    const read = await fetchHistory(spied, target, (LAST - DAY) * 1000);
    expect(read.expr).toBe(INVENTORY_RECORDS.fleetAllocated);
    // The record's first hour is W1's first (its rules' history starts 4 minutes before it); W0's hours come from
    // the raw series, read up to the hour before.
    expect(ranges).toEqual([
      { expr: INVENTORY_RECORDS.fleetAllocated, startSeconds: T0, endSeconds: LAST - DAY },
      { expr: targetExpr('gpus_allocated', catalog), startSeconds: T0, endSeconds: RULES_FROM - 2 * HOUR },
    ]);
    expect(read.timestampsSeconds[0]).toBe(T0);
    expectHandWorked('gpus_allocated', read);
  });

  it('reads the raw series when the history ends after the last record (rules removed)', async () => {
    const read = await history(withRecords, 'gpus_allocated', LAST + 2 * HOUR);
    expect(read.expr).toBe(targetExpr('gpus_allocated', catalog));
    expectHandWorked('gpus_allocated', read);
  });

  it('reads the raw series for a filtered target, which no record holds', async () => {
    const read = await history(withRecords, 'gpus_allocated', LAST, { namespaces: ['team-b'] });
    expect(read.expr).not.toBe(INVENTORY_RECORDS.fleetAllocated);
    // team-b's batch holds 1 GPU from 10:00 to 17:00, none otherwise (no running pod: no sample).
    read.timestampsSeconds.forEach((t, i) => expect(read.values[i]).toBe(hours.includes(t) && batchRuns(t) ? 1 : null));
  });

  it('prices a plan as the fleet’s GPU models from the recorded capacity per model, with the raw series’ numbers', async () => {
    const detection = await detectFamilies(
      clientOf(withRecords),
      { startSeconds: LAST - DAY, endSeconds: LAST },
      catalog
    );
    const asked: string[] = [];
    const client = clientOf(withRecords);
    const spied: PrometheusClient = {
      ...client,
      queryRange: (expr, options, signal) => (asked.push(expr), client.queryRange(expr, options, signal)),
    };
    const [recorded, raw] = await Promise.all([
      fleetGpuModels(spied, catalog, detection, {}, LAST),
      fleetGpuModels(clientOf(rawOnly), catalog, detection, {}, LAST),
    ]);
    expect(asked).toEqual([INVENTORY_RECORDS.modelCapacity]);
    // node-a's 4 H100 and node-b's 2 A100.
    expect(recorded.models).toEqual([
      { gpuModel: H100, gpus: 4 },
      { gpuModel: A100, gpus: 2 },
    ]);
    expect(raw.models).toEqual(recorded.models);
  });

  it('the Forecast page resolves its presets, with what this Prometheus holds, to the records’ expressions', async () => {
    // As the forecast query does (frames/forecast/runForecastQuery.ts): families detected over the day before the end.
    const detection = await detectFamilies(
      clientOf(withRecords),
      { startSeconds: LAST - DAY, endSeconds: LAST },
      catalog
    );
    expect(targetExpr('gpus_allocated', catalog, detection)).toBe(inventoryRecordExpressions().fleetAllocated);
    expect(targetExpr('gpus_busy', catalog, detection)).toBe(inventoryRecordExpressions().fleetBusy);
    expect(targetExpr('gpu_capacity', catalog, detection)).toBe(inventoryRecordExpressions().fleetCapacity);
    expect(targetExpr('gpu_utilisation', catalog, detection)).toBe(inventoryRecordExpressions().fleetActivity);
  });
});

describeOnPrometheus('`headroom capacity` and the recorded series', () => {
  it('reads the records covering its history, says so, and forecasts and plans the same as from the raw series', async () => {
    const args = (prometheus: RunningPrometheus) =>
      // Two days: the last window, all of it recorded.
      ['capacity', '--prometheus', prometheus.url, '--end', String(LAST), '--history-days', '2'].concat([
        '--horizon-hours',
        '24',
        '--forecast-model',
        'seasonal_naive_day',
        '--json',
      ]);
    const runs = await Promise.all([runHeadroom(args(withRecords)), runHeadroom(args(rawOnly))]);
    const [recorded, raw] = runs.map((run) => JSON.parse(run.stdout));
    expect(recorded.target.expr).toBe(INVENTORY_RECORDS.fleetAllocated);
    expect(raw.target.expr).toBe(inventoryRecordExpressions().fleetAllocated);
    expect(recorded.forecast).toEqual(raw.forecast);
    expect(recorded.plan).toEqual(raw.plan);
    // Yesterday's hours again: 3 GPUs from 10:00 to 17:00, else 2; capacity 6 GPUs.
    expect(recorded.forecast.mean).toEqual(hoursFrom(LAST + HOUR, LAST + 24 * HOUR).map((t) => (batchRuns(t) ? 3 : 2)));
    expect(recorded.plan.capacity.value).toBe(6);
  });
});

describeOnPrometheus('The month to date and the recorded series', () => {
  const held = (prometheus: RunningPrometheus, startSeconds: number) =>
    fetchHeldGpusByModel(clientOf(prometheus), catalog, { startSeconds, endSeconds: LAST, stepSeconds: HOUR });
  /** The model's held GPUs as a history, for the hand-worked check (no sample between the windows). */
  const h100 = (answer: Awaited<ReturnType<typeof held>>) => {
    expect(answer.byModel.map((m) => m.gpuModel)).toEqual([H100]);
    const byTime = new Map(answer.byModel[0].timestampsSeconds.map((t, i) => [t, answer.byModel[0].heldGpus[i]]));
    const timestampsSeconds = hoursFrom(answer.byModel[0].timestampsSeconds[0], LAST);
    return { timestampsSeconds, values: timestampsSeconds.map((t) => byTime.get(t) ?? null) };
  };
  const handWorked = (t: number) => (batchRuns(t) ? 3 : 2);

  it('reads the GPUs held per model since the month began from the record, with the raw series’ numbers', async () => {
    const [recorded, raw] = await Promise.all([held(withRecords, MONTH_START), held(rawOnly, MONTH_START)]);
    expect(recorded.queries).toEqual([{ name: 'heldGpus', expr: INVENTORY_RECORDS.modelHeld }]);
    expect(raw.queries).toEqual([{ name: 'heldGpus', expr: inventoryRecordExpressions().modelHeld }]);
    expect(recorded.byModel).toEqual(raw.byModel);
    expect(recorded.byModel[0].timestampsSeconds[0]).toBe(MONTH_START);
    expectHandWorked('gpus_allocated', h100(recorded), handWorked);
  });

  it('reads the raw series before the record’s first sample in the range, and the record from there', async () => {
    // From T0: W0's hours exist only as raw series; W1 to W3 are recorded.
    const [joined, raw] = await Promise.all([held(withRecords, T0), held(rawOnly, T0)]);
    expect(joined.queries).toEqual([{ name: 'heldGpus', expr: INVENTORY_RECORDS.modelHeld }]);
    expect(joined.byModel[0].timestampsSeconds[0]).toBe(T0);
    expect(joined.byModel[0].timestampsSeconds).toEqual(raw.byModel[0].timestampsSeconds);
    expectHandWorked('gpus_allocated', h100(joined), handWorked);
  });
});
