/**
 * `headroom inventory` as a child process against the kit's real Prometheus holding the tiny fleet
 * (tests/kit/tinyFleet.ts); expected numbers are worked out by hand from the fleet's description.
 */
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

import type { InventoryResult } from '../../src/prometheus/types';
import { headroomCommand, runHeadroom } from '../kit/cli';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { A100, H100, tinyFleetSeries } from '../kit/tinyFleet';

const FULL = 1_700_006_400;
const END = FULL + 3600;

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(tinyFleetSeries({ startSeconds: FULL })) });
});

afterAll(() => prometheus?.stop());

/** `headroom ...` as a person runs it (tests/kit/cli.ts). */
function headroom(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(...headroomCommand(args), { cwd: `${__dirname}/../..` }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('headroom inventory', () => {
  it('prints fleet, model, namespace and node tables for the day ending at the newest sample', async () => {
    const { code, stdout, stderr } = await headroom(['inventory', '--prometheus', prometheus.url]);
    expect(stderr).toBe(
      'note: the newest GPU sample is from 2023-11-15T01:00:00Z; the range ends there (use --end to choose).\n'
    );
    expect(code).toBe(0);
    expect(stdout.split('\n').map((line) => line.trimEnd())).toEqual([
      'GPU inventory 2023-11-14T01:00:00Z – 2023-11-15T01:00:00Z (step 15 s, busy from DCGM_FI_PROF_GR_ENGINE_ACTIVE)',
      '',
      'Fleet at 2023-11-15T01:00:00Z',
      '  capacity  allocated  free  busy',
      '  8         3          5     2.30',
      '',
      'By GPU model',
      '  model                  capacity  allocated  busy',
      `  ${A100}  4         2          1.80`,
      `  ${H100}  4         1          0.50`,
      '',
      'By namespace',
      '  namespace  allocated  busy',
      '  team-a     3          2.30',
      '  team-b     0          0.00',
      '',
      'By node',
      '  node    model                  capacity  allocated  busy',
      `  node-a  ${A100}  4         2          1.80`,
      `  node-b  ${H100}  4         1          0.50`,
      '',
    ]);
  });

  it('prints JSON for an explicit range and filters', async () => {
    const { code, stdout } = await headroom([
      'inventory',
      '--prometheus',
      prometheus.url,
      '--start',
      String(FULL),
      '--end',
      new Date(END * 1000).toISOString(),
      '--step',
      '60',
      '--node',
      'node-b',
      '--json',
      '--series',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as InventoryResult;
    expect(result.timestampsSeconds).toHaveLength(61);
    // node-b: infer-1 (1 GPU) all hour, train-2 (2 GPUs) for the first half.
    expect([result.fleet.allocatedGpus[0], result.fleet.allocatedGpus[60]]).toEqual([3, 1]);
    expect([result.fleet.freeGpus[0], result.fleet.freeGpus[60]]).toEqual([1, 3]);
    expect(result.nodes).toEqual([
      { node: 'node-b', gpuModel: H100, capacityGpus: 4, allocatedGpus: 1, busyGpus: 0.5 },
    ]);
  });

  it("--json prints the tables' numbers at the end of the range; --series the whole InventoryResult", async () => {
    const { code, stdout } = await headroom([
      'inventory',
      '--prometheus',
      prometheus.url,
      '--end',
      String(END),
      '--json',
    ]);
    expect(code).toBe(0);
    // The first test's tables, as numbers: at 01:00 train-2 has finished, so team-b holds nothing.
    expect(JSON.parse(stdout)).toEqual({
      startSeconds: END - 86400,
      endSeconds: END,
      stepSeconds: 15,
      busySource: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      fleet: { capacityGpus: 8, allocatedGpus: 3, freeGpus: 5, busyGpus: expect.closeTo(2.3, 9) },
      byModel: [
        { gpuModel: A100, capacityGpus: 4, allocatedGpus: 2, busyGpus: expect.closeTo(1.8, 9) },
        { gpuModel: H100, capacityGpus: 4, allocatedGpus: 1, busyGpus: expect.closeTo(0.5, 9) },
      ],
      byNamespace: [
        { namespace: 'team-a', allocatedGpus: 3, busyGpus: expect.closeTo(2.3, 9) },
        { namespace: 'team-b', allocatedGpus: 0, busyGpus: 0 },
      ],
      nodes: [
        { node: 'node-a', gpuModel: A100, capacityGpus: 4, allocatedGpus: 2, busyGpus: expect.closeTo(1.8, 9) },
        { node: 'node-b', gpuModel: H100, capacityGpus: 4, allocatedGpus: 1, busyGpus: expect.closeTo(0.5, 9) },
      ],
      warnings: [],
    });
    // 24 h at 15 s: 5,761 points in each of the 14 series; the summary holds none of them.
    expect(stdout.length).toBeLessThan(3000);
    // Over a megabyte: the kit's runner allows 64 MB of output.
    const series = await runHeadroom([
      'inventory',
      '--prometheus',
      prometheus.url,
      '--end',
      String(END),
      '--json',
      '--series',
    ]);
    const result = JSON.parse(series.stdout) as InventoryResult;
    expect(result.timestampsSeconds).toHaveLength(5761);
    expect(result.queries.length).toBeGreaterThan(0);
    // A code for each warning (none here), in step with warnings.
    expect(result.warningCodes).toEqual(result.warnings.map(() => null));
    const onlySeries = await headroom(['inventory', '--prometheus', prometheus.url, '--series']);
    expect(onlySeries.code).toBe(2);
    expect(onlySeries.stderr).toMatch(/^headroom inventory: --series goes with --json\.\n/);
  });

  it('reports an unreachable Prometheus on stderr with exit code 1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stdout, stderr } = await headroom([
      'inventory',
      '--prometheus',
      `http://127.0.0.1:${port}`,
      '--end',
      String(END),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^headroom inventory: Cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED/);
  });

  it('explains bad flags with exit code 2', async () => {
    const missing = await headroom(['inventory']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--prometheus URL is required/);
    const badTime = await headroom(['inventory', '--prometheus', prometheus.url, '--start', 'yesterday']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--start "yesterday" is neither ISO 8601/);
  });

  /** `headroom inventory --prometheus <kit> ...args`. */
  const inventory = (...args: string[]) => headroom(['inventory', '--prometheus', prometheus.url, ...args]);

  describe('input that names nothing the range holds: exit code 2, what exists instead', () => {
    const range = ['--start', String(FULL), '--end', String(END)];
    const window = '2023-11-15T00:00:00Z and 2023-11-15T01:00:00Z';

    it('a node no series carries lists the nodes seen', async () => {
      const { code, stdout, stderr } = await inventory(...range, '--node', 'no-such-node');
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.split('\n').slice(0, 2)).toEqual([
        `headroom inventory: --node no-such-node matched nothing: no node of that name has series between ${window}.`,
        'Nodes seen (2): node-a, node-b',
      ]);
    });

    it('a near miss is named first, as a guess', async () => {
      const { code, stderr } = await inventory(...range, '--node', 'node-B');
      expect(code).toBe(2);
      expect(stderr.split('\n').slice(0, 2)).toEqual([
        `headroom inventory: --node node-B matched nothing: no node of that name has series between ${window}. Did you mean node-b?`,
        'Nodes seen (2): node-b, node-a',
      ]);
    });

    it('namespaces and GPU models the same way, each filter on its own line', async () => {
      const { code, stderr } = await inventory(...range, '--namespace', 'nosuchns', '--gpu-model', 'A100');
      expect(code).toBe(2);
      // team-b/pending-1 asks for GPUs too, so team-b is a namespace with GPU requests.
      expect(stderr.split('\n').slice(0, 4)).toEqual([
        `headroom inventory: --namespace nosuchns matched nothing: no namespace of that name has series between ${window}.`,
        'Namespaces seen (2): team-a, team-b',
        `--gpu-model A100 matched nothing: no GPU model of that name has series between ${window}.`,
        `GPU models seen (2): "${A100}", "${H100}"`,
      ]);
    });

    it('one value that matches nothing beside one that does is a warning, and the rest is shown', async () => {
      const { code, stdout, stderr } = await inventory(...range, '--node', 'node-a', '--node', 'node-z');
      expect(code).toBe(0);
      expect(stdout).toContain('  node-a  ');
      expect(stderr.split('\n').slice(0, 2)).toEqual([
        `warning: --node node-z matched nothing and is ignored: no node of that name has series between ${window}. Did you mean node-a?`,
        'Nodes seen (2): node-a, node-b',
      ]);
    });

    it('filters that each exist but select nothing together say so', async () => {
      const { code, stdout, stderr } = await inventory(...range, '--node', 'node-a', '--gpu-model', H100);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.split('\n')[0]).toBe(
        `headroom inventory: --node "node-a" --gpu-model "${H100}" together match no GPU between ${window}, ` +
          'although each value exists; drop one of them.'
      );
    });

    it('a range before the first sample gives the range that exists, not advice to deploy exporters', async () => {
      const { code, stdout, stderr } = await inventory(
        '--start',
        '2020-01-01T00:00:00Z',
        '--end',
        '2020-01-02T00:00:00Z'
      );
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.split('\n')[0]).toBe(
        'headroom inventory: The range 2020-01-01T00:00:00Z – 2020-01-02T00:00:00Z is before the first ' +
          'kube-state-metrics GPU allocatable sample (2023-11-15T00:00:00Z): the data does not reach back that far. ' +
          'Prometheus holds kube-state-metrics GPU allocatable from 2023-11-15T00:00:00Z to 2023-11-15T01:00:00Z.'
      );
    });
  });

  describe('--step', () => {
    const day = ['--start', String(END - 86400), '--end', String(END)];

    it('too fine for the range: the smallest step Prometheus accepts, not "invalid PromQL"', async () => {
      const { code, stdout, stderr } = await inventory(...day, '--step', '1');
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      // 86,400 s / 1 s + 1 = 86,401 points; Prometheus refuses (end − start) / step > 11,000, so the smallest whole
      // step is ceil(86,400 / 11,000) = ceil(7.85) = 8.
      expect(stderr.split('\n')[0]).toBe(
        'headroom inventory: --step 1 s is too fine for 2023-11-14T01:00:00Z – 2023-11-15T01:00:00Z: 86,401 points ' +
          'per series, and Prometheus answers at most 11,000 steps per range query. Use --step 8 or more, a shorter ' +
          'range, or leave --step out to have one chosen.'
      );
      // and 8 is indeed accepted by Prometheus: 86,400 / 8 = 10,800 steps.
      const eight = await inventory(...day, '--step', '8', '--json');
      expect(eight.code).toBe(0);
      expect((JSON.parse(eight.stdout) as { stepSeconds: number }).stepSeconds).toBe(8);
    });

    it('takes a unit, and refuses what is not a positive duration', async () => {
      const minute = await inventory(...day, '--step', '5m', '--json');
      expect((JSON.parse(minute.stdout) as { stepSeconds: number }).stepSeconds).toBe(300);
      for (const bad of ['0', '-5', 'abc', '5x']) {
        const { code, stderr } = await inventory(...day, '--step', bad);
        expect(code).toBe(2);
        expect(stderr.split('\n')[0]).toBe(
          `headroom inventory: --step must be a positive duration: seconds (60) or with a unit (30s, 5m, 1h, 1d), got "${bad}".`
        );
      }
    });
  });
});
