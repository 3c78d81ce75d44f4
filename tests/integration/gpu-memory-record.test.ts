/**
 * The Efficiency page's memory of each GPU model (fetchPodActivity's `gpuMemoryBytes`) reads the record
 * `headroom:model_gpu_memory_mib:max` when the Prometheus holds it over the range, and the raw FB_USED + FB_FREE
 * otherwise, with the same numbers. The record's history is the shipped rules evaluated by promtool
 * (`tsdb create-blocks-from rules`) against a Prometheus holding the raw fleet below, then served beside it by a
 * second Prometheus; the first keeps answering from the raw series only.
 *
 * Two hours to midnight UTC today (the range), the fleet reporting from 10 minutes before, a scrape a minute:
 *   ml/train    H100 GPU 0, framebuffer 81,559 MiB; its use grows from 1,000 MiB by 100 a minute, free shrinks as much
 *   web/serve   A100 GPU 1, 81,920 MiB, the range's first hour only (its exporter gone after: the raw read takes its
 *               last report, the record's its most in the range)
 *   ml/mig      3g.40gb instance of A100 GPU 2, 40,192 MiB; the same GPU's 1g.10gb instance (9,728 MiB) is idle
 *   an idle H100 GPU 3, 81,559 MiB, no pod
 * Each pod's GPU memory: train 81,559 MiB, serve 81,920 MiB, mig 40,192 MiB (its profile's, not the GPU's).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { inventoryRecordingRuleFile } from '../../src/alerting/recordingRules';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { INVENTORY_RECORDS } from '../../src/prometheus/inventoryRecords';
import { fetchPodActivity } from '../../src/prometheus/podActivity';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { onVictoriaMetrics, startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY = 86_400;
const HOUR = 3600;
const MINUTE = 60;
// Two hours ending at midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END = Math.floor(Date.now() / 1000 / DAY) * DAY;
const START = END - 2 * HOUR;
const FIRST = START - 10 * MINUTE;
const H100 = 'NVIDIA H100 80GB HBM3';
const A100 = 'NVIDIA A100-SXM4-80GB';
const MIB = 2 ** 20;

/** A device's activity, used and free memory from FIRST to `to`; `usedMiB(t)` is its use at t. */
function device(
  labels: Record<string, string>,
  memoryMiB: number,
  usedMiB: (t: number) => number,
  to = END
): PlainSeries[] {
  const times = constantSamples(0, FIRST, to, MINUTE).map(([t]) => t);
  const at = (value: (t: number) => number) => times.map((t): [number, number] => [t, value(t)]);
  const all = { Hostname: 'n1', ...labels };
  return [
    { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: all, samples: at(() => 0.5) },
    { name: 'DCGM_FI_DEV_FB_USED', labels: all, samples: at(usedMiB) },
    { name: 'DCGM_FI_DEV_FB_FREE', labels: all, samples: at((t) => memoryMiB - usedMiB(t)) },
  ];
}

const held = (namespace: string, pod: string) => ({ namespace, pod, container: 'main' });
const mig = (profile: string, id: string) => ({
  gpu: '2',
  UUID: 'GPU-2',
  modelName: A100,
  GPU_I_PROFILE: profile,
  GPU_I_ID: id,
});
const FLEET: PlainSeries[] = [
  ...device(
    { gpu: '0', UUID: 'GPU-0', modelName: H100, ...held('ml', 'train') },
    81_559,
    (t) => 1000 + ((t - FIRST) / MINUTE) * 100
  ),
  ...device({ gpu: '1', UUID: 'GPU-1', modelName: A100, ...held('web', 'serve') }, 81_920, () => 2000, START + HOUR),
  ...device({ ...mig('3g.40gb', '1'), ...held('ml', 'mig') }, 40_192, () => 3000),
  ...device(mig('1g.10gb', '2'), 9_728, () => 0),
  ...device({ gpu: '3', UUID: 'GPU-3', modelName: H100 }, 81_559, () => 0),
];
const EXPECTED_BYTES = { train: 81_559 * MIB, serve: 81_920 * MIB, mig: 40_192 * MIB };

/** Block directories (ULIDs) of a TSDB directory, without its head, WAL or lock. */
const blocksOf = (dir: string) => readdirSync(dir).filter((name) => /^[0-9A-Z]{26}$/.test(name));
const copyBlocks = (from: string, to: string) =>
  blocksOf(from).forEach((block) => cpSync(join(from, block), join(to, block), { recursive: true }));
const promtool = (args: string[]) => promisify(execFile)('/usr/bin/promtool', ['tsdb', 'create-blocks-from', ...args]);

/**
 * The record as a server whose rules stopped while the whole A100 reported would hold it: every size but that one
 * (written by hand, not evaluated).
 */
const RECORD_WITHOUT_WHOLE_A100: PlainSeries[] = (
  [
    [{ modelName: H100 }, 81_559],
    [{ modelName: A100, GPU_I_PROFILE: '3g.40gb' }, 40_192],
    [{ modelName: A100, GPU_I_PROFILE: '1g.10gb' }, 9_728],
  ] satisfies Array<[Record<string, string>, number]>
).map(([labels, mebibytes]) => ({
  name: INVENTORY_RECORDS.modelMemory,
  labels,
  samples: constantSamples(mebibytes, FIRST, END, MINUTE),
}));

let rawOnly: RunningPrometheus;
let withRecords: RunningPrometheus;
let withPartialRecord: RunningPrometheus;
let work: string;

// promtool writes TSDB blocks; VictoriaMetrics reads them through vmctl only (docs/scale.md).
const describeOnPrometheus = onVictoriaMetrics() ? describe.skip : describe;

describeOnPrometheus('each GPU model’s memory and its record', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'headroom-memory-record-'));
    const at = (name: string) => join(work, name);
    writeFileSync(at('fleet.om'), toOpenMetrics(FLEET));
    await promtool(['openmetrics', at('fleet.om'), at('fleet-blocks')]);
    copyBlocks(at('fleet-blocks'), at('raw'));
    rawOnly = await startPrometheus({ dataDir: at('raw') });
    // The shipped rules, as `headroom rules recording` prints them (evaluated every minute), over the whole fleet.
    writeFileSync(at('rules.yml'), inventoryRecordingRuleFile());
    await promtool([
      'rules',
      `--start=${FIRST}`,
      `--end=${END}`,
      `--url=${rawOnly.url}`,
      `--output-dir=${at('rule-blocks')}`,
      at('rules.yml'),
    ]);
    copyBlocks(at('rule-blocks'), at('recorded'));
    copyBlocks(at('fleet-blocks'), at('recorded'));
    withRecords = await startPrometheus({ dataDir: at('recorded') });
    writeFileSync(at('partial.om'), toOpenMetrics([...FLEET, ...RECORD_WITHOUT_WHOLE_A100]));
    await promtool(['openmetrics', at('partial.om'), at('partial')]);
    withPartialRecord = await startPrometheus({ dataDir: at('partial') });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([rawOnly?.stop(), withRecords?.stop(), withPartialRecord?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  const read = (prometheus: RunningPrometheus, startSeconds = START) =>
    fetchPodActivity(createPrometheusClient(createFetchTransport(prometheus.url)), createCatalog(), {
      startSeconds,
      endSeconds: END,
      stepSeconds: MINUTE,
    });
  const memoryOf = (result: Awaited<ReturnType<typeof read>>) =>
    Object.fromEntries(result.pods.map((p) => [p.pod, p.gpuMemoryBytes]));
  const memoryQuery = (result: Awaited<ReturnType<typeof read>>) =>
    result.queries.find((q) => q.name === 'gpuMemoryBytes')?.expr;

  it('reads the record where it covers the range, with the raw read’s numbers, worked by hand', async () => {
    const [recorded, raw] = await Promise.all([read(withRecords), read(rawOnly)]);
    expect(memoryQuery(recorded)).toContain(INVENTORY_RECORDS.modelMemory);
    expect(memoryQuery(recorded)).not.toContain('DCGM_FI_DEV_FB_FREE');
    expect(memoryQuery(raw)).toContain('DCGM_FI_DEV_FB_FREE');
    expect(memoryOf(recorded)).toEqual(EXPECTED_BYTES);
    expect(memoryOf(raw)).toEqual(EXPECTED_BYTES);
  });

  it('reads the raw series when the range starts before the record’s first sample (rules installed within it)', async () => {
    const earlier = await read(withRecords, FIRST - HOUR);
    expect(memoryQuery(earlier)).toContain('DCGM_FI_DEV_FB_FREE');
    expect(memoryOf(earlier)).toEqual(EXPECTED_BYTES);
  });

  it('sizes a model the record lacks from its raw series, and only then reads them', async () => {
    const partial = await read(withPartialRecord);
    expect(memoryQuery(partial)).toContain(INVENTORY_RECORDS.modelMemory);
    expect(partial.queries.map((q) => q.name)).toContain('gpuMemoryBytesNotRecorded');
    expect(memoryOf(partial)).toEqual(EXPECTED_BYTES);
    const recorded = await read(withRecords);
    expect(recorded.queries.map((q) => q.name)).not.toContain('gpuMemoryBytesNotRecorded');
  });
});
