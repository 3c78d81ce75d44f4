/**
 * `headroom fragmentation` as a child process on hand-made and trace-built states (tests/fixtures/fragmentation),
 * and against the kit's Prometheus holding the tiny fleet for a --time outside its data.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { headroomCommand } from '../kit/cli';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { tinyFleetSeries } from '../kit/tinyFleet';

const FIXTURES = join(__dirname, '../fixtures/fragmentation');

const madeDirectories: string[] = [];
function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-frag-'));
  madeDirectories.push(dir);
  return dir;
}
afterAll(() => madeDirectories.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function headroom(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(...headroomCommand(args), { cwd: `${__dirname}/../..` }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('headroom fragmentation', () => {
  it('prints the hand-computed measure of the two-node state as JSON', async () => {
    const { code, stdout, stderr } = await headroom([
      'fragmentation',
      '--state',
      join(FIXTURES, 'two-nodes.json'),
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual([
      'total_free_gpu',
      'fgd_frag_gpu',
      'fgd_frag_pct_of_free',
      'fully_free_gpus',
      'nodes_with_fully_free_ge',
      'largest_whole_gpu_gang_on_one_node',
      'node_frag_gpu',
      'placeable',
    ]);
    // Worked out in src/engine/fragmentation/fgd.test.ts: F_a = 0.375, F_b = 0.55, F = 0.925 of 3.8 free.
    expect(result.total_free_gpu).toBeCloseTo(3.8, 12);
    expect(result.fgd_frag_gpu).toBeCloseTo(0.925, 12);
    expect(result.fgd_frag_pct_of_free).toBeCloseTo((100 * 0.925) / 3.8, 10);
    expect(result.fully_free_gpus).toBe(3);
    expect(result.nodes_with_fully_free_ge).toEqual({ '1': 2, '2': 1, '4': 0, '8': 0 });
    expect(result.largest_whole_gpu_gang_on_one_node).toBe(2);
    expect(result.node_frag_gpu).toEqual({ a: expect.closeTo(0.375, 12), b: expect.closeTo(0.55, 12) });
    // Each type's shape as the state file gives it; F(m) unweighted: whole1 leaves a's half GPU and b's 0.3 unused
    // (0.8), share400 only b's 0.3, a100x2 a's half GPU and all of T4 node b (0.5 + 1.3 = 1.8).
    const shape = { gpu_share: 1, cpu_cores: 1, gpu_models: null, pods_per_job: null, blocked_by: null };
    expect(result.placeable).toEqual([
      { id: 'whole1', ...shape, gpus_per_pod: 1, popularity: 0.5, placeable: 3, fgd_frag_gpu: expect.closeTo(0.8, 12) },
      {
        id: 'share400',
        ...shape,
        gpus_per_pod: 1,
        gpu_share: 0.4,
        popularity: 0.25,
        placeable: 7,
        fgd_frag_gpu: expect.closeTo(0.3, 12),
      },
      {
        id: 'a100x2',
        ...shape,
        gpus_per_pod: 2,
        cpu_cores: 4,
        gpu_models: ['A100'],
        popularity: 0.25,
        placeable: 1,
        fgd_frag_gpu: expect.closeTo(1.8, 12),
      },
    ]);
  });

  it('prints a table without --json', async () => {
    const { code, stdout } = await headroom(['fragmentation', '--state', join(FIXTURES, 'two-nodes.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('Fragmented (FGD)                0.93 GPUs, 24.34 % of free');
    expect(stdout).toMatch(/ {2}share400 +1 +40 % +1 +any +25\.0 % +7 +0\.30\n/);
  });

  it('answers "why can\'t my 8-GPU job start?" with each type\'s shape and what blocks it', async () => {
    // Two 8-GPU H100 nodes with 4 fully free GPUs each: 8 free, but no node has 8 together. An 8-GPU type, a type
    // asking for a model the fleet does not have, and a 1-GPU type asking for more CPU than any node has free.
    const node = (name: string) => ({
      name,
      model: 'H100',
      gpu_count: 8,
      cpu_milli_free: 16000,
      gpus: Array.from({ length: 8 }, (_, index) => ({ index, free_milli: index < 4 ? 1000 : 0 })),
    });
    const type = (id: string, gpus: number, cpu: number, spec: string, popularity: number) => ({
      id,
      cpu_milli: cpu,
      num_gpu: gpus,
      gpu_milli: 1000,
      gpu_spec: spec,
      popularity,
    });
    const state = join(temporaryDirectory(), 'blocked.json');
    writeFileSync(
      state,
      JSON.stringify({
        workload: [
          type('m01', 1, 4000, '', 0.6),
          type('m02', 8, 32000, '', 0.2),
          type('m03', 1, 1000, 'B200', 0.1),
          type('m04', 1, 64000, '', 0.1),
        ],
        nodes: [node('n1'), node('n2')],
      })
    );
    const json = await headroom(['fragmentation', '--state', state, '--json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout).placeable;
    expect(
      rows.map((r: { id: string; gpus_per_pod: number; popularity: number; placeable: number }) => [
        r.id,
        r.gpus_per_pod,
        r.popularity,
        r.placeable,
      ])
    ).toEqual([
      // m01: 4 CPU-bound pods (16 / 4 cores) on each node.
      ['m01', 1, 0.6, 8],
      ['m02', 8, 0.2, 0],
      ['m03', 1, 0.1, 0],
      ['m04', 1, 0.1, 0],
    ]);
    expect(rows[0].blocked_by).toBeNull();
    expect(rows[1].blocked_by).toBe(
      'it needs 8 fully free GPUs on one node; the most on any node is 4 (on n1), 8 in all spread over 2 nodes'
    );
    expect(rows[2].blocked_by).toBe('no node has GPU model B200');
    expect(rows[3].blocked_by).toBe(
      'the nodes with 1 such GPU free lack CPU: it asks 64 cores, the most free there is 16'
    );
    const text = await headroom(['fragmentation', '--state', state]);
    expect(text.stdout).toMatch(/type +GPUs\/pod +GPU share +CPU cores +GPU model +popularity +fit now/);
    expect(text.stdout).toMatch(/ {2}m02 +8 +whole +32 +any +20\.0 % +0 +\S+ +it needs 8 fully free GPUs on one node/);
    expect(text.stdout).toMatch(/ {2}m03 +1 +whole +1 +B200 +10\.0 % +0 +/);
  });

  it('analyses the openb trace states with consistent totals', async () => {
    for (const file of ['openb-t11498310.json', 'openb-t12704054.json']) {
      const { code, stdout } = await headroom(['fragmentation', '--state', join(FIXTURES, file), '--json']);
      expect(code).toBe(0);
      const r = JSON.parse(stdout);
      const nodeSum = Object.values(r.node_frag_gpu as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(nodeSum).toBeCloseTo(r.fgd_frag_gpu, 6);
      expect(r.fgd_frag_gpu).toBeLessThanOrEqual(r.total_free_gpu);
      expect(r.fully_free_gpus).toBeLessThanOrEqual(r.total_free_gpu);
      expect(r.largest_whole_gpu_gang_on_one_node).toBe(8);
    }
  });

  it('exits 2 on bad flags, and on a bad state with the field named', async () => {
    expect((await headroom(['fragmentation', '--stat', 'x'])).code).toBe(2);
    expect((await headroom(['fragmentation'])).code).toBe(2);
    const bad = join(temporaryDirectory(), 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        workload: [],
        nodes: [{ name: 'a', model: 'T4', gpu_count: 1, cpu_milli_free: 0, gpus: [{ index: 0, free_milli: 1 }] }],
      })
    );
    const { code, stdout, stderr } = await headroom(['fragmentation', '--state', bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('workload: The target workload is empty');
  });
});

describe('headroom fragmentation --prometheus --time outside the data', () => {
  // The tiny fleet (tests/kit/tinyFleet.ts): one hour of samples a minute apart, 2023-11-15T00:00Z to 01:00Z.
  const FULL = 1_700_006_400;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(tinyFleetSeries({ startSeconds: FULL })) });
  });

  afterAll(() => prometheus?.stop());

  const holds =
    'Prometheus holds kube-state-metrics GPU allocatable from 2023-11-15T00:00:00Z to 2023-11-15T01:00:00Z.';

  it('a time before the first sample: exit 2 with the range that exists, not advice to deploy exporters', async () => {
    const { code, stdout, stderr } = await headroom([
      'fragmentation',
      '--prometheus',
      prometheus.url,
      '--time',
      '2020-01-01T00:00:00Z',
    ]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')[0]).toBe(
      'headroom fragmentation: --time 2020-01-01T00:00:00Z is before the first kube-state-metrics GPU allocatable ' +
        `sample (2023-11-15T00:00:00Z): the data does not reach back that far. ${holds}`
    );
    expect(stderr).not.toMatch(/Deploy/);
  });

  it('a time more than the state’s hour after the newest sample', async () => {
    const { code, stderr } = await headroom([
      'fragmentation',
      '--prometheus',
      prometheus.url,
      '--time',
      '2023-11-15T03:00:00Z',
    ]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      'headroom fragmentation: --time 2023-11-15T03:00:00Z is after the newest kube-state-metrics GPU allocatable ' +
        `sample (2023-11-15T01:00:00Z). ${holds}`
    );
  });

  it('a time inside the data is analysed', async () => {
    const { code, stdout } = await headroom([
      'fragmentation',
      '--prometheus',
      prometheus.url,
      '--time',
      String(FULL + 1800),
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).time).toBe('2023-11-15T00:30:00Z');
  });
});
