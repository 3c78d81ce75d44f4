/**
 * The test kit's Prometheus: it holds the backfilled samples, and it does not outlive a test process that exits
 * without calling stop() (as when a test fails before its afterAll).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus } from '../kit/prometheus';

describe('startPrometheus', () => {
  it('serves the backfilled samples and stops', async () => {
    const prometheus = await startPrometheus({
      openMetricsText: toOpenMetrics([{ name: 'kit_check', labels: { a: 'x' }, samples: [[1_700_000_000, 42]] }]),
    });
    const response = await fetch(`${prometheus.url}/api/v1/query?query=kit_check&time=1700000000`);
    expect(await response.json()).toMatchObject({
      data: { result: [{ metric: { a: 'x' }, value: [1_700_000_000, '42'] }] },
    });
    await prometheus.stop();
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
  });

  it('is killed and cleaned up when the process exits without stop()', async () => {
    const script = `
      const { startPrometheus } = require('./tests/kit/prometheus');
      startPrometheus({}).then((p) => { console.log(JSON.stringify({ url: p.url, dir: p.dir })); process.exit(3); });
    `;
    const { url, dir } = await new Promise<{ url: string; dir: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: `${__dirname}/../..` }, (error, stdout) => {
        return error && error.code !== 3 ? reject(error) : resolve(JSON.parse(stdout));
      });
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
    expect(existsSync(dir)).toBe(false);
  });
});
