import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { thresholdRuleFile, thresholdRuleTestFile, ThresholdRuleSpec } from '../../src/alerting/prometheusRules';
import { DEFAULT_ALERT_RULE, learnBand, MAX_PROMQL_BYTES, type Band } from '../../src/engine/thresholds';

const PROMTOOL = '/usr/bin/promtool';
const HOUR = 3600;
const SUNDAY = 1_700_352_000; // 2023-11-19 00:00 UTC

/** GPU utilisation with a weekday office-hours peak and quiet weekends, hourly for `days` days. */
function history(days: number): { t: number[]; v: number[] } {
  const t = Array.from({ length: days * 24 }, (_, k) => SUNDAY + k * HOUR);
  const v = t.map((s, k) => {
    const day = Math.floor((s - SUNDAY) / 86_400) % 7;
    const hour = Math.floor((s % 86_400) / HOUR);
    const weekday = day >= 1 && day <= 5;
    return 20 + (weekday ? 50 * Math.sin((Math.PI * hour) / 24) : 5) + ((k * 13) % 7) / 7;
  });
  return { t, v };
}

function learnt(days: number): Band {
  const { t, v } = history(days);
  return learnBand(t, v, t[t.length - 1] + HOUR, DEFAULT_ALERT_RULE.band)!;
}

function spec(band: Band): ThresholdRuleSpec {
  return {
    name: 'gpu_util_node_a',
    selector: 'DCGM_FI_DEV_GPU_UTIL{Hostname="node-a",gpu="0"}',
    band,
    forSeconds: 300,
    keepFiringForSeconds: 3 * HOUR,
    evaluationIntervalSeconds: 1800,
  };
}

function promtool(args: string[]) {
  return spawnSync(PROMTOOL, args, { encoding: 'utf8' });
}

describe('compiled thresholds in a real Prometheus (promtool)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-thresholds-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['hour-of-week', 21],
    ['hour-of-day', 5],
    ['flat', 1],
  ])('%s band: promtool computes the engine threshold at every hour of a week', (mode, days) => {
    const band = learnt(days);
    expect(band.mode).toBe(mode);
    const rules = spec(band);
    const ruleFile = join(dir, `${mode}.rules.yml`);
    const testFile = join(dir, `${mode}.test.yml`);
    writeFileSync(ruleFile, thresholdRuleFile(rules));
    writeFileSync(testFile, thresholdRuleTestFile(rules, ruleFile));

    const check = promtool(['check', 'rules', ruleFile]);
    expect(check.stdout + check.stderr).toContain('SUCCESS: 3 rules found');
    expect(check.status).toBe(0);
    const test = promtool(['test', 'rules', testFile]);
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
    for (const side of [band.upper!, band.lower!]) {
      expect(new Set(side).size).toBeGreaterThan(mode === 'flat' ? 0 : 1);
    }
  });

  it('the weekly band tells a weekend night from a weekday noon, and each side stays under 8 KB', () => {
    const band = learnt(21);
    const saturdayLate = 6 * 24 + 23;
    expect(band.upper![saturdayLate]).not.toBe(band.upper![24 + 12]);
    const file = thresholdRuleFile(spec(band));
    for (const line of file.split('\n').filter((l) => l.includes('expr:') && l.includes('hour()'))) {
      expect(Buffer.byteLength(JSON.parse(line.replace(/^\s*expr: /, '')))).toBeLessThanOrEqual(MAX_PROMQL_BYTES);
    }
  });

  it('fails when one expected threshold is off by 1e-9 (the check is exact)', () => {
    const band = learnt(21);
    // Friday 01:00 = 1970-01-02 01:00 = 25 h after promtool's Thursday 00:00; slot 5·24 + 1.
    const friday1 = 5 * 24 + 1;
    const rules = spec(band);
    const ruleFile = join(dir, 'tampered.rules.yml');
    const testFile = join(dir, 'tampered.test.yml');
    writeFileSync(ruleFile, thresholdRuleFile(rules));
    const tampered: Band = { ...band, upper: band.upper!.map((u, s) => (s === friday1 ? u + 1e-9 : u)) };
    writeFileSync(testFile, thresholdRuleTestFile({ ...rules, band: tampered }, ruleFile, [HOUR, 25 * HOUR]));
    const test = promtool(['test', 'rules', testFile]);
    expect(test.status).not.toBe(0);
    expect(test.stdout + test.stderr).toContain('FAILED');
    // Thursday 01:00 is untouched and passes; only the tampered Friday check is reported.
    expect(test.stdout + test.stderr).toContain('time: 1d1h');
    expect(test.stdout + test.stderr).not.toContain('time: 1h,');
  });
});
