/** @jest-environment node */
import { Band } from '../engine/thresholds';
import {
  editedSinceWritten,
  goDuration,
  grafanaRulesForBand,
  GRAFANA_UID_PATTERN,
  parseGoDuration,
  ruleDiff,
  ruleFingerprint,
  ruleUid,
  sameOwnedFields,
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

describe('fingerprints and owned-field comparison', () => {
  const hourly: Band = {
    mode: 'hour-of-day',
    calibratedAtSeconds: 1_700_000_000,
    upper: Array.from({ length: 24 }, (_, h) => 50 + (h % 3)),
    lower: Array.from({ length: 24 }, (_, h) => -(h % 2) * 0.5),
  };
  const fingerprints = (selector: string) =>
    grafanaRulesForBand({ ...target, selector }, { ...calibration, band: hourly }, timing).map(ruleFingerprint);

  it('are the fingerprints Headroom already wrote into Grafana (pinned from the 0.1.0 implementation)', () => {
    // Quotes only; backslashes; control characters and non-ASCII, which JSON escapes or keeps differently.
    expect(fingerprints('up{job="dcgm"}')).toEqual(['3b5c782dce0ccb6b', 'fe611f1820ed3f8a']);
    expect(fingerprints('up{path=~"C:\\\\dir"}')).toEqual(['e14962c88cbfe20a', '729229f1b057701b']);
    expect(fingerprints('gpu_util{node="a\\\\b",\tpod="x\ny\u0001é"}')).toEqual([
      '727296e7289094ed',
      '005e29805e77002e',
    ]);
  });

  it('compares owned fields as their canonical JSON does', () => {
    const [rule] = grafanaRulesForBand(target, calibration, timing);
    const copy = JSON.parse(JSON.stringify(rule));
    expect(sameOwnedFields(rule, copy)).toBe(true);
    // Grafana's own fields and the fingerprint are not Headroom's; `300s` is the same duration as `5m0s`.
    expect(sameOwnedFields(rule, { ...copy, orgID: 1, updated: 'now', for: '300s' })).toBe(true);
    expect(sameOwnedFields(rule, { ...copy, annotations: { ...copy.annotations, headroom_fingerprint: 'x' } })).toBe(
      true
    );
    // NaN and null both print as null.
    const lookback = (from: number | null) => ({
      ...rule,
      data: [{ ...rule.data[0], relativeTimeRange: { from: from as number, to: 0 } }, ...rule.data.slice(1)],
    });
    expect(sameOwnedFields(lookback(NaN), lookback(null))).toBe(true);
    expect(sameOwnedFields(lookback(NaN), lookback(600))).toBe(false);
    expect(sameOwnedFields(rule, { ...copy, title: 'renamed' })).toBe(false);
    const edited = JSON.parse(JSON.stringify(rule));
    edited.data[0].model.expr += ' + 0';
    expect(sameOwnedFields(rule, edited)).toBe(false);
    expect(sameOwnedFields(rule, { ...copy, labels: { ...copy.labels, team: 'ml' } })).toBe(false);
  });
});
