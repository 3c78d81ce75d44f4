/** @jest-environment node */
import { Band } from '../engine/thresholds';
import {
  durationSeconds,
  editedSinceWritten,
  fitTitle,
  grafanaDuration,
  grafanaRulesForBand,
  GRAFANA_UID_PATTERN,
  MAX_TITLE_BYTES,
  ruleDiff,
  ruleFingerprint,
  ruleUid,
  sameOwnedFields,
  shortHash,
  sideCondition,
  utf8Length,
  valueRangeOf,
} from './grafanaRule';
import { RUNBOOK_URL_ANNOTATION } from './runbooks';

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
    expect(rules[0]).toMatchObject({ for: '5m', keep_firing_for: '3h', condition: 'C' });
    expect(rules[0].annotations?.headroom_expected_starts_per_week).toBe('1.23');
  });

  it('keeps the metric range on the rule for recalibration, and writes none when there is none', () => {
    const [ranged] = grafanaRulesForBand(target, { ...calibration, valueRange: { min: 0, max: 16 } }, timing);
    expect(ranged.annotations?.headroom_value_range).toBe('{"min":0,"max":16}');
    expect(valueRangeOf(ranged)).toEqual({ min: 0, max: 16 });
    const [plain] = grafanaRulesForBand(target, calibration, timing);
    expect(plain.annotations).not.toHaveProperty('headroom_value_range');
    expect(valueRangeOf(plain)).toBeUndefined();
    const edited = (text: string) => valueRangeOf({ ...plain, annotations: { headroom_value_range: text } });
    expect(edited('{"min":0}')).toEqual({ min: 0 });
    expect(edited('not json')).toBeUndefined();
    expect(edited('{"max":"16"}')).toBeUndefined();
  });

  it('compiles a 0/1 condition so a breaching value of 0 still passes Grafana\'s "> 0" threshold', () => {
    expect(sideCondition('x', band, 'lower')).toBe('(x) < bool scalar(vector(5))');
    expect(sideCondition('a or b', band, 'upper')).toBe('(a or b) > bool scalar(vector(80))');
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

describe('durations as Grafana prints them', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [90, '1m30s'],
    [300, '5m'],
    [3661, '1h1m1s'],
    [129_600, '1d12h'],
    [604_800, '1w'],
  ])('%i s is written %s and read back', (seconds, text) => {
    expect(grafanaDuration(seconds)).toBe(text);
    expect(durationSeconds(text)).toBe(seconds);
  });

  it('reads every spelling Grafana accepts, and nothing else', () => {
    expect(durationSeconds('5m0s')).toBe(300);
    expect(durationSeconds('0')).toBe(0);
    expect(durationSeconds('5 minutes')).toBeNaN();
    expect(durationSeconds('1.5h')).toBeNaN();
  });

  it('takes a rule Grafana answers with "1d12h" for the 36 h Headroom wrote as unchanged', () => {
    // The old Go-duration reader gave NaN for days, so the rule looked edited by a person after every read.
    const [rule] = grafanaRulesForBand(target, calibration, { forSeconds: 300, keepFiringForSeconds: 36 * 3600 });
    expect(rule.keep_firing_for).toBe('1d12h');
    const asGrafanaAnswers = { ...rule, keep_firing_for: '1d12h', for: '5m' };
    expect(editedSinceWritten(asGrafanaAnswers)).toBe(false);
    expect(sameOwnedFields(rule, { ...asGrafanaAnswers, keep_firing_for: '36h' })).toBe(true);
  });
});

describe("titles within Grafana's 190 bytes", () => {
  const titleOf = (selector: string, side: 'upper' | 'lower' = 'upper') =>
    grafanaRulesForBand({ ...target, selector }, calibration, timing).find(
      (r) => r.annotations?.headroom_side === side
    )!.title;

  it('keeps a short selector whole', () => {
    expect(titleOf('up{job="dcgm"}')).toBe('Headroom: up{job="dcgm"} above its learnt band');
  });

  it('shortens a 300-byte selector to 190 bytes, keeping the side and a hash of the whole title', () => {
    const selector = `sum(rate(DCGM_FI_DEV_GPU_UTIL{pod=~"${'a'.repeat(256)}"}[5m]))`;
    expect(utf8Length(selector)).toBe(300);
    const title = titleOf(selector);
    expect(utf8Length(title)).toBe(MAX_TITLE_BYTES);
    const full = `Headroom: ${selector} above its learnt band`;
    expect(title.endsWith(`… above its learnt band (${shortHash(full)})`)).toBe(true);
    expect(title.startsWith('Headroom: sum(rate(DCGM_FI_DEV_GPU_UTIL{pod=~"aaaa')).toBe(true);
    // Selectors that differ only after the cut keep distinct titles; the same selector keeps its title.
    expect(titleOf(selector.replace('[5m]', '[10m]'))).not.toBe(title);
    expect(titleOf(selector)).toBe(title);
    expect(titleOf(selector, 'lower')).toMatch(/… below its learnt band \([0-9a-f]{16}\)$/);
  });

  it('counts multi-byte characters as Grafana does and never cuts one in half', () => {
    // "é" is 2 bytes, "漢" 3, "𝔾" (outside the basic plane, two UTF-16 units) 4.
    for (const char of ['é', '漢', '𝔾']) {
      const selector = `gpu_util{team="${char.repeat(100)}"}`;
      const title = titleOf(selector);
      expect(utf8Length(title)).toBeLessThanOrEqual(MAX_TITLE_BYTES);
      expect(utf8Length(title)).toBeGreaterThan(MAX_TITLE_BYTES - utf8Length(char));
      expect(title).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      expect(new TextEncoder().encode(title).length).toBe(utf8Length(title));
    }
  });

  it('refuses a title whose fixed words leave no room', () => {
    expect(() => fitTitle('x'.repeat(180), 'y'.repeat(50), ' z')).toThrow(RangeError);
  });
});

describe('fingerprints and owned-field comparison', () => {
  const hourly: Band = {
    mode: 'hour-of-day',
    calibratedAtSeconds: 1_700_000_000,
    upper: Array.from({ length: 24 }, (_, h) => 50 + (h % 3)),
    lower: Array.from({ length: 24 }, (_, h) => -(h % 2) * 0.5),
  };
  /**
   * The fingerprints of the rules as 0.1.0 wrote them, whose query did not parenthesise the selector: a rule already
   * in Grafana must still read as unedited (its stored fingerprint matches), so recalibration updates it quietly.
   * 0.1.0 wrote no `runbook_url` either.
   */
  const fingerprints = (selector: string) =>
    grafanaRulesForBand({ ...target, selector }, { ...calibration, band: hourly }, timing).map((rule) => {
      const expr = rule.data[0].model.expr as string;
      expect(expr.startsWith(`(${selector}) `)).toBe(true);
      const written = {
        ...rule.data[0],
        model: { ...rule.data[0].model, expr: expr.replace(`(${selector}) `, `${selector} `) },
      };
      const { [RUNBOOK_URL_ANNOTATION]: runbook, ...annotations } = rule.annotations!;
      expect(runbook).toBeDefined();
      return ruleFingerprint({ ...rule, annotations, data: [written, ...rule.data.slice(1)] });
    });

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
    // Grafana's own fields and the fingerprint are not Headroom's; `300s` is the same duration as `5m`.
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
