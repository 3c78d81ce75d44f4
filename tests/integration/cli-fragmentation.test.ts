/**
 * `headroom fragmentation` as a child process on hand-made and trace-built states (tests/fixtures/fragmentation).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '../fixtures/fragmentation');

function headroom(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: `${__dirname}/../..` },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      }
    );
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
    expect(result.placeable).toEqual([
      { id: 'whole1', placeable: 3 },
      { id: 'share400', placeable: 7 },
      { id: 'a100x2', placeable: 1 },
    ]);
  });

  it('prints a table without --json', async () => {
    const { code, stdout } = await headroom(['fragmentation', '--state', join(FIXTURES, 'two-nodes.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('Fragmented (FGD)                0.93 GPUs, 24.34 % of free');
    expect(stdout).toContain('  share400   7          0.30');
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
    const dir = mkdtempSync(join(tmpdir(), 'headroom-frag-'));
    const bad = join(dir, 'bad.json');
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
