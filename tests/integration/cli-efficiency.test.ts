/**
 * `headroom efficiency` and `headroom mfu` as child processes; CSV files use the real Alibaba column layout.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { headroomCommand } from '../kit/cli';

function headroom(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(...headroomCommand(args), { cwd: `${__dirname}/../..` }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'headroom-eff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const util = join(dir, 'util.csv');
const memory = join(dir, 'memory.csv');
// Pod p: 4 samples 60 s apart at 0, 0, 2, 100 %; pod q: 4 samples at 40 %. Columns as in the Alibaba duty-cycle file.
writeFileSync(
  util,
  'value,timestamp_anon,container_ip\n' +
    [0, 0, 2, 100].map((v, i) => `${v},${1000 + 60 * i}.0,p`).join('\n') +
    '\n' +
    [40, 40, 40, 40].map((v, i) => `${v},${1000 + 60 * i}.0,q`).join('\n') +
    '\n'
);
writeFileSync(
  memory,
  'timestamp_anon,value,container_ip\n' +
    [0, 1, 2, 3].map((i) => `${1000 + 60 * i}.0,${4 * 2 ** 30},p\n${1000 + 60 * i}.0,${60 * 2 ** 30},q`).join('\n') +
    '\n'
);

describe('headroom efficiency', () => {
  it('computes GPU-hours and flags from CSV files', async () => {
    const { code, stdout } = await headroom([
      'efficiency',
      '--utilization',
      util,
      '--memory',
      memory,
      '--gpu-memory-gib',
      '80',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    // Each pod: 4 × 60 s = 240 s = 1/15 GPU-h; busy p = 60 × (0 + 0 + 0.02 + 1) = 61.2 s, q = 240 × 0.4 = 96 s.
    expect(report.allocatedGpuHours).toBeCloseTo(480 / 3600, 12);
    expect(report.busyGpuHours).toBeCloseTo((61.2 + 96) / 3600, 12);
    // p: 3 of 4 samples under 5 % = 0.75 < 0.9 → not idle; mean 25.5 % ≥ 20 % → not over-provisioned.
    // q: 40 % → neither; peak 60 GiB ≥ 40 GiB anyway.
    expect(
      report.pods.map((r: { pod: string; idle: boolean; overProvisioned: boolean; meanActivityPercent: number }) => [
        r.pod,
        r.idle,
        r.overProvisioned,
        r.meanActivityPercent,
      ])
    ).toEqual([
      ['p', false, false, expect.closeTo(25.5, 10)],
      ['q', false, false, expect.closeTo(40, 10)],
    ]);
    // Lowering the idle share to 0.6: p's 3 of 4 samples under 5 % (0.75) now make it idle; q has none.
    const idle = await headroom(['efficiency', '--utilization', util, '--idle-sample-share', '0.6', '--json']);
    expect(JSON.parse(idle.stdout).idlePods).toEqual(['p']);
  });

  it('exits 2 on bad flags and a CSV without the needed columns', async () => {
    expect((await headroom(['efficiency'])).code).toBe(2);
    expect((await headroom(['efficiency', '--utilization', util, '--pricing', 'cheap'])).code).toBe(2);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n');
    const { code, stderr } = await headroom(['efficiency', '--utilization', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain('needs a timestamp column');
  });

  it('reads millisecond timestamps as milliseconds, averages rows that repeat a timestamp, and says so', async () => {
    // 2026-12-05T00:00:00Z = 1,796,428,800 s. Pod m: 10 samples a minute apart at 50 %, in milliseconds, and a second
    // row at the first minute with 70 %: averaged to 60 %. Busy = (60 + 9 × 50) / 10 = 51 % of 10 minutes.
    const ms = join(dir, 'ms.csv');
    const t0 = 1_796_428_800_000;
    const rows = Array.from({ length: 10 }, (_, i) => `${t0 + 60_000 * i},m,50`);
    writeFileSync(ms, ['timestamp,pod,value', ...rows, `${t0},m,70`].join('\n') + '\n');
    const { code, stdout, stderr } = await headroom(['efficiency', '--utilization', ms, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    // Ends at the last sample, 00:09 on 2026-12-05, not in the year 58896.
    expect(report.nowSeconds).toBe(1_796_428_800 + 540);
    expect(report.allocatedGpuHours).toBeCloseTo(600 / 3600, 12);
    expect(report.pods[0].meanActivityPercent).toBeCloseTo(51, 10);
    expect(stderr).toContain('timestamps are from 1e11 on, so they were read as milliseconds');
    expect(stderr).toContain(
      '1 row(s) repeated a timestamp already seen for the same pod (1 pod(s)); the values at each such timestamp ' +
        'were averaged into one sample'
    );
    // Told the unit, it takes it: seconds here put the end in the far future.
    const asSeconds = await headroom(['efficiency', '--utilization', ms, '--timestamp-unit', 's', '--json']);
    expect(JSON.parse(asSeconds.stdout).nowSeconds).toBe(t0 + 540_000);
  });

  it('refuses CSV timestamps that mix seconds and milliseconds, and a bad --timestamp-unit (exit 2)', async () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, 'timestamp,pod,value\n1796428800,p,1\n1796428860000,p,1\n');
    const { code, stderr } = await headroom(['efficiency', '--utilization', mixed]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/mix seconds \(1 under 1e11\) and milliseconds \(1 from 1e11\).*--timestamp-unit s\|ms/);
    expect((await headroom(['efficiency', '--utilization', mixed, '--timestamp-unit', 'h'])).code).toBe(2);
  });
});

describe('headroom mfu', () => {
  it('reproduces PaLM 540B with and without the attention term', async () => {
    const { code, stdout } = await headroom([
      'mfu',
      ...['--params', '540.35e9', '--layers', '118', '--heads', '48', '--head-dim', '256', '--seq-len', '2048'],
      ...['--tokens-per-second', '238.3e3', '--chips', '6144', '--peak-flops', '275e12', '--json'],
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Math.abs(result.mfu_pct - 46.2)).toBeLessThan(0.1);
    expect(Math.abs(result.mfu_6n_only_pct - 45.7)).toBeLessThan(0.1);
  });

  it('exits 2 when a flag is missing or not a number', async () => {
    expect((await headroom(['mfu', '--params', 'many'])).code).toBe(2);
  });
});
