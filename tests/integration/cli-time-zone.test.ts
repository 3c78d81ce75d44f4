/**
 * A time typed without a zone is UTC, whatever the machine's zone (the Forecast page's form writes UTC): the engine
 * reads it, and the CLI's flags and what-if text share that one reader (src/engine/series/timeText.ts). Jest pins
 * TZ=UTC for its own process, so the CLI runs in another zone here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runHeadroom } from '../kit/cli';

it('reads --end without a zone as UTC in New York (UTC−4 in June), as with Z', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-tz-'));
  try {
    const end = async (text: string) => {
      const run = await runHeadroom(
        [
          'simulate',
          '--gpus',
          '1',
          '--days',
          '0.01',
          '--step-seconds',
          '300',
          '--end',
          text,
          '--out',
          join(dir, 'h.om'),
          '--json',
        ],
        { env: { TZ: 'America/New_York' } }
      );
      expect(run.stderr).not.toMatch(/error/i);
      return (JSON.parse(run.stdout) as { lastSampleSeconds: number }).lastSampleSeconds;
    };
    // 2025-06-02T18:00:00Z is 1748887200 s: 20241 days × 86400 + 18 × 3600.
    expect(await end('2025-06-02T18:00:00Z')).toBe(1748887200);
    expect(await end('2025-06-02T18:00:00')).toBe(1748887200);
    expect(await end('2025-06-02 18:00')).toBe(1748887200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
