import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { headroomCommand } from '../kit/cli';

const ROOT = join(__dirname, '..', '..');
const STEP = 300;
const MONDAY = 1_700_438_400; // 2023-11-20 00:00 UTC

function runAlerts(input: string) {
  return spawnSync(...headroomCommand(['thresholds', '--alerts']), {
    cwd: ROOT,
    input,
    encoding: 'utf8',
  });
}

describe('headroom thresholds --alerts', () => {
  // Five days at 5 minutes: 50 + 20·[09:00–17:00 UTC] + a deterministic ±1 wobble; one hand-placed
  // anomaly: 150 from day 4 03:00 UTC (a quiet hour, where 150 is far outside the band) for 1 hour.
  const timestamps = Array.from({ length: 5 * 288 }, (_, k) => MONDAY + k * STEP);
  const anomalyStart = MONDAY + 3 * 86_400 + 3 * 3600;
  const values = timestamps.map((t, k) => {
    const hour = Math.floor((t % 86_400) / 3600);
    const base = 50 + (hour >= 9 && hour < 17 ? 20 : 0) + ((k * 7) % 3) - 1;
    return t >= anomalyStart && t < anomalyStart + 3600 ? 150 : base;
  });

  it('starts the alert one step into the anomaly (for = 1 step) and ends it after keep_firing_for', () => {
    const result = runAlerts(JSON.stringify({ timestamps, values, probationary_length: 2 * 288 }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(Object.keys(out).sort()).toEqual(['alert_ends', 'alert_starts']);
    expect(out.alert_starts).toEqual([anomalyStart + STEP]);
    // Last breach at anomalyStart + 55 min; cleared for 36 steps (3 h) after that.
    expect(out.alert_ends).toEqual([anomalyStart + 3300 + 36 * STEP]);
  });

  it('uses probationary_fraction when no length is given, and alerts only after the warm-up', () => {
    // 0.7 of the rows (through day 3 12:00) is warm-up: the anomaly falls inside it.
    const result = runAlerts(JSON.stringify({ timestamps, values, probationary_fraction: 0.7 }));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ alert_starts: [], alert_ends: [] });
  });

  it('answers a warm-up shorter than the minimum history, with a warning on stderr', () => {
    // 100 rows at 5 min (8.3 h) of warm-up: under the 2 days a written rule needs.
    const result = runAlerts(JSON.stringify({ timestamps, values, probationary_length: 100 }));
    expect(result.status).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout)).sort()).toEqual(['alert_ends', 'alert_starts']);
    expect(result.stderr).toMatch(
      /^headroom thresholds: warning: the first band is learnt from the warm-up, and the history before the calibration holds 100 samples with values covering 8\.3 h; a band needs at least 2 days/
    );
  });

  it.each([
    ['malformed JSON', '{"timestamps": ['],
    ['not an object', '[1, 2]'],
    ['lengths differ', JSON.stringify({ timestamps: [1, 2], values: [1] })],
    ['a string value', JSON.stringify({ timestamps: [1], values: ['1'] })],
    ['probationary_length too long', JSON.stringify({ timestamps: [1], values: [1], probationary_length: 2 })],
    ['probationary_fraction above 1', JSON.stringify({ timestamps: [1], values: [1], probationary_fraction: 1.5 })],
  ])('rejects %s with a message on stderr and a non-zero exit', (_, input) => {
    const result = runAlerts(input);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^headroom thresholds: /);
  });
});
