/**
 * Exit codes of every command, run as a person runs them: 2 for bad input (flags, URLs, files and their contents, a
 * range or PromQL that gives nothing to work on), each with a message saying what is wrong; 1 for runtime failures
 * (Prometheus or Grafana unreachable or failing, a write refused). A real Prometheus holds the tiny fleet of
 * tests/kit/tinyFleet.ts for the rows that need one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runHeadroom, type CliOptions } from '../kit/cli';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { tinyFleetSeries } from '../kit/tinyFleet';

const FLEET_START = 1_700_000_000;
/** Years before the fleet's hour: every range ending then is empty. */
const LONG_BEFORE = '2020-01-01T00:00:00Z';

/** The CLI with a token in its environment (commands that need one get past that check). */
const headroom = (args: string[], options: CliOptions = {}) =>
  runHeadroom(args, { ...options, env: { HEADROOM_GRAFANA_TOKEN: 'tok-exit-codes', ...options.env } });

/** Made when the file loads: the table's messages name files in it. */
const dir = mkdtempSync(join(tmpdir(), 'headroom-exit-codes-'));
let prometheus: RunningPrometheus;
/** A Grafana that fails (503): a runtime failure, not bad input. */
let failingGrafana: Server;
let failingGrafanaUrl: string;
/** A port nothing listens on. */
let closedUrl: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  writeFileSync(file('not.json'), 'this is not JSON\n');
  writeFileSync(file('empty-object.json'), '{}\n');
  writeFileSync(file('header-only.csv'), 'timestamp,pod,value\n');
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(tinyFleetSeries({ startSeconds: FLEET_START })),
  });
  failingGrafana = createServer((_, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end('{"message":"Service Unavailable"}');
  });
  await new Promise<void>((resolve) => failingGrafana.listen(0, '127.0.0.1', resolve));
  failingGrafanaUrl = `http://127.0.0.1:${(failingGrafana.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  await prometheus.stop();
  await new Promise((resolve) => failingGrafana.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** [what, arguments, message expected on stderr, stdin]; `P` stands for the test Prometheus, `F` for a file. */
type Row = [string, () => string[], string, string?];

const P = () => prometheus.url;
const F = file;

const BAD_INPUT: Row[] = [
  ['simulate: no GPU', () => ['simulate', '--gpus', '0', '--out', F('x.om')], '--gpus must be a whole number >= 1'],
  ['inventory: not a URL', () => ['inventory', '--prometheus', 'not-a-url'], '"not-a-url" is not a URL'],
  ['inventory: not http', () => ['inventory', '--prometheus', 'ftp://host'], 'must start with http:// or https://'],
  ['inventory: bad time', () => ['inventory', '--prometheus', P(), '--end', 'yesterday'], 'neither ISO 8601'],
  [
    'inventory: overrides file not JSON',
    () => ['inventory', '--prometheus', P(), '--metric-overrides', F('not.json')],
    `--metric-overrides ${F('not.json')}`,
  ],
  ['forecast: no --batch', () => ['forecast'], 'usage: headroom forecast --batch'],
  ['thresholds: stdin not JSON', () => ['thresholds', '--alerts'], 'malformed JSON', 'this is not JSON'],
  ['thresholds: unknown flag', () => ['thresholds', '--alerts', '--nope'], "Unknown option '--nope'", '{}'],
  ['capacity: not a URL', () => ['capacity', '--prometheus', 'not-a-url'], '"not-a-url" is not a URL'],
  [
    'capacity: prices not JSON',
    () => ['capacity', '--prometheus', P(), '--prices', F('not.json')],
    `--prices ${F('not.json')} cannot be read as JSON`,
  ],
  [
    'capacity: a range with no data',
    () => ['capacity', '--prometheus', P(), '--end', LONG_BEFORE],
    'is before the first kube-state-metrics GPU allocatable sample',
  ],
  [
    'capacity: PromQL Prometheus rejects',
    () => ['capacity', '--prometheus', P(), '--expr', 'sum((', '--end', String(FLEET_START + 3600)],
    'The PromQL is invalid',
  ],
  ['plan export: no format', () => ['plan', 'export', '--prometheus', P()], '--format must be one of keda, hpa'],
  [
    'plan export: a range with no data',
    () => ['plan', 'export', '--format', 'karpenter', '--prometheus', P(), '--end', LONG_BEFORE],
    'is before the first kube-state-metrics GPU allocatable sample',
  ],
  [
    'plan export: a node group without GPUs per node',
    () => ['plan', 'export', '--format', 'cluster-autoscaler', '--prometheus', P(), '--node-group', 'gpu-a'],
    '--node-group takes NAME:GPUS_PER_NODE[:MAX_NODES]',
  ],
  [
    'plan export: a safety factor below 1',
    () => ['plan', 'export', '--format', 'karpenter', '--prometheus', P(), '--safety-factor', '0.5'],
    'must be a number ≥ 1',
  ],
  [
    'plan export: an unknown time zone',
    () => ['plan', 'export', '--format', 'karpenter', '--prometheus', P(), '--time-zone', 'Mars/Olympus'],
    '"Mars/Olympus" is not an IANA time zone',
  ],
  [
    'rules export: series not JSON',
    () => ['rules', 'export', '--name', 'x', '--series', F('not.json'), '--selector', 'up'],
    `cannot read ${F('not.json')}`,
  ],
  [
    'rules export: series unreadable',
    () => ['rules', 'export', '--name', 'x', '--series', F('missing.json'), '--selector', 'up'],
    `cannot read ${F('missing.json')}: ENOENT`,
  ],
  [
    'rules export: series of the wrong shape',
    () => ['rules', 'export', '--name', 'x', '--series', F('empty-object.json'), '--selector', 'up'],
    '"timestamps" must be an array of unix seconds',
  ],
  [
    'rules export: not a URL',
    () => ['rules', 'export', '--name', 'x', '--prometheus', 'not-a-url', '--expr', 'up'],
    '"not-a-url" is not a URL',
  ],
  [
    'rules templates: not a URL',
    () => ['rules', 'templates', '--prometheus-uid', 'p', '--grafana-url', 'not-a-url'],
    '--grafana-url "not-a-url" is not a URL',
  ],
  [
    'rules templates: credentials in the URL',
    () => ['rules', 'templates', '--prometheus-uid', 'p', '--grafana-url', 'http://admin:admin@localhost:3000'],
    '--grafana-url http://localhost:3000 carries a user name or password',
  ],
  ['rules templates: bad number', () => ['rules', 'templates', '--gang-gpus', '0'], '--gang-gpus "0" is not allowed'],
  [
    'recalibrate: not a URL',
    () => ['recalibrate', '--grafana-url', 'not-a-url'],
    '--grafana-url "not-a-url" is not a URL',
  ],
  [
    'recalibrate: Prometheus not a URL',
    () => ['recalibrate', '--grafana-url', closedUrl, '--prometheus', 'not-a-url'],
    '"not-a-url" is not a URL',
  ],
  ['recalibrate: bad time', () => ['recalibrate', '--grafana-url', closedUrl, '--at', 'noon'], 'neither ISO 8601'],
  ['fragmentation: state not JSON', () => ['fragmentation', '--state', F('not.json')], `${F('not.json')} is not JSON`],
  [
    'fragmentation: state of the wrong shape',
    () => ['fragmentation', '--state', F('empty-object.json')],
    '"nodes" must be a list',
  ],
  [
    'fragmentation: state unreadable',
    () => ['fragmentation', '--state', F('missing.json')],
    `cannot read --state ${F('missing.json')}`,
  ],
  ['fragmentation: not a URL', () => ['fragmentation', '--prometheus', 'not-a-url'], '"not-a-url" is not a URL'],
  [
    'fragmentation: a time with no data',
    () => ['fragmentation', '--prometheus', P(), '--time', LONG_BEFORE],
    'is before the first kube-state-metrics GPU allocatable sample',
  ],
  [
    'efficiency: a CSV with a header only',
    () => ['efficiency', '--utilization', F('header-only.csv')],
    'No pod utilisation series',
  ],
  [
    'efficiency: unreadable CSV',
    () => ['efficiency', '--utilization', F('missing.csv')],
    `cannot read --utilization ${F('missing.csv')}`,
  ],
  [
    'efficiency: prices not JSON',
    () => ['efficiency', '--utilization', F('header-only.csv'), '--prices', F('not.json')],
    `--prices ${F('not.json')} cannot be read as JSON`,
  ],
  ['efficiency: not a URL', () => ['efficiency', '--prometheus', 'not-a-url'], '"not-a-url" is not a URL'],
  ['mfu: missing flag', () => ['mfu', '--params', '1e9'], '--layers is required'],
  [
    'size: no GPU memory',
    () => ['size', 'inference', '--params', '7e9'],
    'Give one of --gpu-memory-gib and --gpu-model.',
  ],
  [
    'rules templates: a budget of zero',
    () => ['rules', 'templates', '--prometheus-uid', 'p', '--monthly-budget', '0'],
    'A monthly budget of 0',
  ],
  [
    'rules templates: a negative budget',
    () => ['rules', 'templates', '--prometheus-uid', 'p', '--monthly-budget', '-100'],
    'A monthly budget must be a positive amount',
  ],
  [
    'budget actions: nothing to act on',
    () => ['budget', 'actions', '--level', 'circuit-break'],
    'Nothing to act on at circuit-break',
  ],
  ['unknown command', () => ['no-such-command'], 'unknown command "no-such-command"'],
];

const RUNTIME: Row[] = [
  ['inventory: Prometheus unreachable', () => ['inventory', '--prometheus', closedUrl], 'Cannot reach Prometheus'],
  ['recalibrate: Grafana unreachable', () => ['recalibrate', '--grafana-url', closedUrl], 'Cannot reach Grafana'],
  [
    'rules templates: Grafana fails (503)',
    () => ['rules', 'templates', '--prometheus-uid', 'p', '--grafana-url', failingGrafanaUrl],
    'Grafana answered 503 "Service Unavailable"',
  ],
  [
    'simulate: the output cannot be written',
    () => ['simulate', '--gpus', '16', '--days', '1', '--out', join(F('no-such-dir'), 'x.om')],
    'ENOENT',
  ],
];

describe('headroom exit codes', () => {
  // One object per row: jest takes a test function with more parameters than the row has for a `done` callback.
  const named = (rows: Row[]) => rows.map(([name, args, message, stdin]) => ({ name, args, message, stdin }));

  it.each(named(BAD_INPUT))('$name: exit code 2 and says what is wrong', async ({ args, message, stdin }) => {
    const run = await headroom(args(), { stdin });
    expect(run.stderr).toContain(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it.each(named(RUNTIME))('$name: exit code 1', async ({ args, message, stdin }) => {
    const run = await headroom(args(), { stdin });
    expect(run.stderr).toContain(message);
    expect(run.code).toBe(1);
  });

  it('asks for the token before anything else when it is not set: exit code 2', async () => {
    for (const args of [
      ['recalibrate', '--grafana-url', closedUrl],
      ['rules', 'templates', '--prometheus-uid', 'p', '--grafana-url', closedUrl],
    ]) {
      const run = await headroom(args, { env: { HEADROOM_GRAFANA_TOKEN: undefined } });
      expect(run.stderr).toContain('set HEADROOM_GRAFANA_TOKEN to a Grafana service-account token');
      expect(run.code).toBe(2);
    }
  });
});
