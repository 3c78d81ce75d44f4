/**
 * `headroom inventory` as a child process against the kit's real Prometheus holding the tiny fleet
 * (tests/kit/tinyFleet.ts); expected numbers are worked out by hand from the fleet's description.
 */
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

import type { InventoryResult } from '../../src/prometheus/types';
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

/** `npx tsx src/cli/main.ts ...`, minus npx's start-up time. */
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
});
