/**
 * Every `headroom` command that reads Prometheus honours metric-name overrides as the data source does: against a
 * real Prometheus holding the tiny fleet (tests/kit/tinyFleet.ts) under renamed metrics and DCGM labels, each
 * command given the overrides answers exactly what it answers against the same fleet under the default names, and
 * without them finds nothing; even the PromQL it ran is the same but for the names. Overrides come as repeated --metric-override flags or as a --metric-overrides file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { regexEscape } from '../../src/prometheus/promql';
import { runHeadroom } from '../kit/cli';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { tinyFleetSeries } from '../kit/tinyFleet';

const FULL = 1_700_006_400;
const HOUR = 3600;
const DAY = 24 * HOUR;
/** Three days of allocation for the capacity plan, ending two days before the tiny fleet's hour. */
const CAPACITY_END = FULL - 2 * DAY;
const CAPACITY_START = CAPACITY_END - 3 * DAY;
const SAMPLE_SECONDS = 600;
/** A day's plan from the three days of allocation, with one model for a forecast that is easy to check. */
const CAPACITY_ARGS = [
  '--end',
  String(CAPACITY_END),
  '--history-days',
  '3',
  '--horizon-hours',
  '24',
  '--forecast-model',
  'seasonal_naive_day',
];

/** A site whose recording rules renamed every metric and whose relabelling renamed DCGM's node and model labels. */
const renamedMetric = (name: string) => `site:${name.replace(/:/g, '_').toLowerCase()}`;
const RENAMED_LABELS: Record<string, string> = { Hostname: 'host', modelName: 'gpu_model' };

/**
 * node-cap: 8 GPUs; team-c/cap-1 holds 4 of them all the time, team-c/cap-2 another 2 from 08:00 to 20:00 UTC, so
 * the seasonal-naive forecast of allocated GPUs has a daily step and the plan a schedule.
 */
function capacitySeries(): PlainSeries[] {
  const all = constantSamples(1, CAPACITY_START, CAPACITY_END, SAMPLE_SECONDS);
  const daytime = all.filter(([t]) => (t % DAY) / HOUR >= 8 && (t % DAY) / HOUR < 20);
  const pod = (name: string, gpus: number, samples: Array<[number, number]>): PlainSeries[] => [
    {
      name: 'kube_pod_container_resource_requests',
      labels: { namespace: 'team-c', pod: name, container: 'c0', node: 'node-cap', resource: 'nvidia_com_gpu' },
      samples: samples.map(([t]) => [t, gpus]),
    },
    { name: 'kube_pod_status_phase', labels: { namespace: 'team-c', pod: name, phase: 'Running' }, samples },
  ];
  return [
    {
      name: 'kube_node_status_allocatable',
      labels: { node: 'node-cap', resource: 'nvidia_com_gpu' },
      samples: all.map(([t]) => [t, 8]),
    },
    ...pod('cap-1', 4, all),
    ...pod('cap-2', 2, daytime),
  ];
}

const SERIES = [...tinyFleetSeries({ startSeconds: FULL }), ...capacitySeries()];
const renamed = (series: PlainSeries): PlainSeries => ({
  ...series,
  name: renamedMetric(series.name),
  labels: Object.fromEntries(Object.entries(series.labels ?? {}).map(([k, v]) => [RENAMED_LABELS[k] ?? k, v])),
});
/** DEFAULT → NAME for every metric and label the fleet uses. */
const OVERRIDES: Record<string, string> = {
  ...Object.fromEntries([...new Set(SERIES.map((s) => s.name))].map((name) => [name, renamedMetric(name)])),
  ...RENAMED_LABELS,
};

let defaults: RunningPrometheus;
let site: RunningPrometheus;
let dir: string;
let overridesFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-overrides-'));
  overridesFile = join(dir, 'overrides.json');
  writeFileSync(overridesFile, JSON.stringify(OVERRIDES));
  [defaults, site] = await Promise.all([
    startPrometheus({ openMetricsText: toOpenMetrics(SERIES) }),
    startPrometheus({ openMetricsText: toOpenMetrics(SERIES.map(renamed)) }),
  ]);
});

afterAll(async () => {
  await Promise.all([defaults?.stop(), site?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const flags = () => Object.entries(OVERRIDES).flatMap(([from, to]) => ['--metric-override', `${from}=${to}`]);

/** Text with the site's names put back to the defaults, e.g. for notes that name a label. */
function defaultNamesIn(text: string): string {
  return Object.entries(OVERRIDES).reduce(
    (result, [from, to]) => result.replace(new RegExp(`(?<![\\w:])${regexEscape(to)}(?![\\w:])`, 'g'), from),
    text
  );
}

/**
 * An answer as JSON, the site's names put back to the defaults (in the PromQL it ran and in its notes), numbers to
 * 12 significant digits: Prometheus sums series in no fixed order, so the same sum can differ in its last bits.
 */
function answerOf(stdout: string): unknown {
  return JSON.parse(defaultNamesIn(stdout), (_, value: unknown) =>
    typeof value === 'number' ? Number(value.toPrecision(12)) : value
  );
}

describe.each([
  // --series: the whole result, with the PromQL run, which the overrides must rename too.
  ['inventory', ['inventory', '--json', '--series']],
  ['fragmentation', ['fragmentation', '--json']],
  ['efficiency', ['efficiency', '--json']],
  ['capacity', ['capacity', ...CAPACITY_ARGS, '--cold-start-minutes', '60', '--json']],
])('headroom %s', (_, args) => {
  const [command, ...rest] = args;

  it('answers the same under renamed metrics, given the overrides as flags or as a file', async () => {
    const expected = await runHeadroom([command, '--prometheus', defaults.url, ...rest]);
    expect(expected.code).toBe(0);
    const byFlags = await runHeadroom([command, '--prometheus', site.url, ...rest, ...flags()]);
    expect([byFlags.code, defaultNamesIn(byFlags.stderr)]).toEqual([0, expected.stderr]);
    expect(answerOf(byFlags.stdout)).toEqual(answerOf(expected.stdout));
    const byFile = await runHeadroom([command, '--prometheus', site.url, ...rest, '--metric-overrides', overridesFile]);
    expect(byFile.code).toBe(0);
    expect(answerOf(byFile.stdout)).toEqual(answerOf(byFlags.stdout));
  });

  it('finds none of the renamed metrics without the overrides', async () => {
    const { code, stdout } = await runHeadroom([command, '--prometheus', site.url, ...rest]);
    expect(stdout).toBe('');
    expect(code).not.toBe(0);
  });

  it('documents the overrides in --help', async () => {
    const { code, stdout } = await runHeadroom([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--metric-override DEFAULT=NAME');
    expect(stdout).toContain('--metric-overrides FILE');
  });
});

describe('bad overrides', () => {
  it('are refused with the data source settings’ own messages, naming the entry', async () => {
    const run = (...override: string[]) => runHeadroom(['inventory', '--prometheus', defaults.url, ...override]);
    const invalid = await run('--metric-override', 'DCGM_FI_DEV_GPU_UTIL=gpu-util');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(
      'headroom inventory: metric-name overrides: "gpu-util" is not a valid Prometheus metric name'
    );
    const label = await run('--metric-override', 'modelName=gpu:model');
    expect(label.stderr).toContain('"gpu:model" is not a valid Prometheus label name');
    const unknown = await run('--metric-override', 'DCGM_FI_DEV_GPU_UTILISATION=x');
    expect(unknown.stderr).toContain('Unknown metric catalog entry "DCGM_FI_DEV_GPU_UTILISATION"');
    const shape = await run('--metric-override', 'DCGM_FI_DEV_GPU_UTIL');
    expect(shape.stderr).toContain('--metric-override takes DEFAULT=NAME');
    const file = join(dir, 'list.json');
    writeFileSync(file, '["DCGM_FI_DEV_GPU_UTIL"]');
    const notAnObject = await run('--metric-overrides', file);
    expect(notAnObject.code).toBe(2);
    expect(notAnObject.stderr).toContain(`--metric-overrides ${file} must hold one JSON object of names`);
  });

  it('let a flag win over the file, and an empty name mean the default, as in the settings', async () => {
    const file = join(dir, 'partial.json');
    writeFileSync(file, JSON.stringify({ ...OVERRIDES, kube_node_status_allocatable: 'no_such_metric' }));
    const fixed = await runHeadroom([
      'inventory',
      '--prometheus',
      site.url,
      '--metric-overrides',
      file,
      '--metric-override',
      `kube_node_status_allocatable=${OVERRIDES.kube_node_status_allocatable}`,
      '--json',
    ]);
    expect(fixed.code).toBe(0);
    // --json: the numbers at the end of the range.
    expect(JSON.parse(fixed.stdout).fleet.capacityGpus).toBe(8);
    // Cleared: the default name, which the default-named Prometheus holds.
    const cleared = await runHeadroom([
      'inventory',
      '--prometheus',
      defaults.url,
      '--metric-override',
      'Hostname=',
      '--json',
    ]);
    expect(cleared.code).toBe(0);
  });
});

it('plans the renamed fleet’s allocation: 4 GPUs at night and 6 by day need 5 and 8 GPUs at 80 %', async () => {
  const { code, stdout } = await runHeadroom([
    'capacity',
    '--prometheus',
    site.url,
    ...CAPACITY_ARGS,
    '--level',
    'mean',
    '--metric-overrides',
    overridesFile,
    '--json',
  ]);
  expect(code).toBe(0);
  const { plan } = JSON.parse(stdout);
  // ceil(4 / 0.8) = 5 from 20:00 to 08:00, ceil(6 / 0.8) = 8 from 08:00 to 20:00; capacity 8 GPUs on node-cap.
  expect([...new Set(plan.gpus.gpusNeeded)].sort()).toEqual([5, 8]);
  expect(plan.capacity).toEqual({ value: 8, gpus: 8, source: 'gpu_capacity' });
});
