/** @jest-environment node */
import { Band } from '../engine/thresholds';
import {
  editedSinceWritten,
  goDuration,
  grafanaRulesForBand,
  GRAFANA_UID_PATTERN,
  parseGoDuration,
  ruleDiff,
  ruleUid,
  sideCondition,
} from './grafanaRule';

const band: Band = { mode: 'flat', calibratedAtSeconds: 1_700_000_000, upper: [80], lower: [5] };
const calibration = {
  band,
  method: 'median-mad' as const,
  trainingStartSeconds: 1_699_000_000,
  trainingEndSeconds: 1_699_999_700,
  expectedStartsPerWeek: 1.234,
  stepSeconds: 300,
};
const target = { selector: 'up{job="dcgm"}', datasourceUid: 'prom', folderUID: 'headroom', ruleGroup: 'gpu' };
const timing = { forSeconds: 300, keepFiringForSeconds: 10_800 };

describe('grafanaRulesForBand', () => {
  it('gives one rule per side with stable, valid, distinct UIDs', () => {
    const rules = grafanaRulesForBand(target, calibration, timing);
    expect(rules.map((r) => r.uid)).toEqual([ruleUid(target.selector, 'upper'), ruleUid(target.selector, 'lower')]);
    expect(rules[0].uid).not.toBe(rules[1].uid);
    expect(ruleUid(target.selector, 'upper')).toMatch(GRAFANA_UID_PATTERN);
    expect(ruleUid('a'.repeat(10_000), 'lower')).toHaveLength(25);
    expect(rules[0]).toMatchObject({ for: '5m0s', keep_firing_for: '3h0m0s', condition: 'C' });
    expect(rules[0].annotations?.headroom_expected_starts_per_week).toBe('1.23');
  });

  it('compiles a 0/1 condition so a breaching value of 0 still passes Grafana\'s "> 0" threshold', () => {
    expect(sideCondition('x', band, 'lower')).toBe('x < bool scalar(vector(5))');
  });

  it('notices an edit of an owned field, not of fields Grafana fills in', () => {
    const [rule] = grafanaRulesForBand(target, calibration, timing);
    expect(editedSinceWritten(rule)).toBe(false);
    expect(editedSinceWritten({ ...rule, orgID: 1, updated: '2024-01-01T00:00:00Z', for: '300s' })).toBe(false);
    const paused = { ...rule, isPaused: true };
    expect(editedSinceWritten(paused)).toBe(true);
    expect(ruleDiff(paused, rule)).toEqual(['isPaused: true → false']);
  });
});

describe('Go durations', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [300, '5m0s'],
    [3661, '1h1m1s'],
  ])('%i s is %s and back', (seconds, text) => {
    expect(goDuration(seconds)).toBe(text);
    expect(parseGoDuration(text)).toBe(seconds);
  });
  it('rejects what is not a duration', () => {
    expect(parseGoDuration('5 minutes')).toBeNaN();
  });
});
