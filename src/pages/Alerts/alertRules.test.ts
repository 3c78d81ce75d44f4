/** @jest-environment node */
import { editedSinceWritten, grafanaRulesForBand, type Calibration } from '../../alerting/grafanaRule';
import { DEFAULT_SENSITIVITY } from './alertAnalysis';
import {
  desiredRules,
  groupIntervalSeconds,
  HEADROOM_FOLDER,
  managedRuleRows,
  planForSeries,
  planRecalibration,
  SENSITIVITY_ANNOTATION,
  sensitivityOf,
} from './alertRules';

const calibration: Calibration = {
  band: { mode: 'flat', calibratedAtSeconds: 1_700_000_000, upper: [80], lower: [5] },
  method: 'median-mad',
  trainingStartSeconds: 1_699_000_000,
  trainingEndSeconds: 1_699_999_700,
  expectedStartsPerWeek: 1.5,
  stepSeconds: 300,
};
const timing = { forSeconds: 300, keepFiringForSeconds: 10_800 };
const sensitivity = { ...DEFAULT_SENSITIVITY, widthMads: 4 };
const rulesOf = (selector: string, band = calibration.band) =>
  desiredRules({ selector, datasourceUid: 'prom' }, { ...calibration, band }, timing, sensitivity);

describe('desiredRules', () => {
  it('carries the sensitivity and a fingerprint that covers it', () => {
    const rules = rulesOf('sum(x)');
    expect(rules).toHaveLength(2);
    expect(rules.map((r) => r.folderUID)).toEqual([HEADROOM_FOLDER.uid, HEADROOM_FOLDER.uid]);
    expect(JSON.parse(rules[0].annotations![SENSITIVITY_ANNOTATION])).toEqual(sensitivity);
    expect(rules.map(editedSinceWritten)).toEqual([false, false]);
    const tampered = {
      ...rules[0],
      annotations: { ...rules[0].annotations, [SENSITIVITY_ANNOTATION]: JSON.stringify(DEFAULT_SENSITIVITY) },
    };
    expect(editedSinceWritten(tampered)).toBe(true);
  });
});

describe('planForSeries', () => {
  it("creates the series' rules without touching another series' rules", () => {
    const other = rulesOf('sum(y)');
    const plan = planForSeries('sum(x)', rulesOf('sum(x)'), other);
    expect(plan.actions.map((a) => a.kind)).toEqual(['create', 'create']);
  });

  it('deletes the side no longer watched, and flags a rule a person edited', () => {
    const written = rulesOf('sum(x)');
    const edited = { ...written[0], for: '30m0s' };
    const upperOnly = rulesOf('sum(x)', { ...calibration.band, lower: undefined, upper: [90] });
    const plan = planForSeries('sum(x)', upperOnly, [edited, written[1]]);
    expect(plan.actions.map((a) => [a.kind, a.editedByPerson])).toEqual([
      ['update', true],
      ['delete', false],
    ]);
    expect(plan.actions[0].diff).toContain('forSeconds: 1800 → 300');
  });

  it('writes a rule whose title a person already uses in the folder: Grafana 12 allows equal titles', () => {
    const [mine] = rulesOf('sum(x)');
    const theirs = { ...rulesOf('sum(z)')[0], uid: 'their-rule', labels: {}, title: mine.title };
    const plan = planForSeries('sum(x)', [mine], [theirs]);
    expect(plan.actions.map((a) => [a.kind, a.uid])).toEqual([['create', mine.uid]]);
  });
});

describe('planRecalibration', () => {
  it('updates only the sides that exist, leaving a deleted side deleted', () => {
    const [upper] = rulesOf('sum(x)');
    const relearnt = rulesOf('sum(x)', { ...calibration.band, upper: [85], lower: [3] });
    const plan = planRecalibration([upper], relearnt, [upper, ...rulesOf('sum(y)')]);
    expect(plan.actions.map((a) => [a.kind, a.uid])).toEqual([['update', upper.uid]]);
  });
});

describe('managedRuleRows', () => {
  it('lists Headroom rules of its folder with status, calibration time and sensitivity', () => {
    const [upper, lower] = rulesOf('sum(x)');
    const paused = { ...lower, isPaused: true };
    const cliRule = grafanaRulesForBand(
      { selector: 'sum(w)', datasourceUid: 'prom', folderUID: HEADROOM_FOLDER.uid, ruleGroup: 'g' },
      calibration,
      timing
    )[0];
    const elsewhere = { ...rulesOf('sum(v)')[0], folderUID: 'other' };
    const rows = managedRuleRows([paused, { ...upper, title: 'renamed' }, cliRule, elsewhere]);
    expect(rows.map((r) => [r.selector, r.side, r.status])).toEqual([
      ['sum(w)', 'upper', 'active'],
      ['sum(x)', 'upper', 'edited'],
      ['sum(x)', 'lower', 'paused'],
    ]);
    expect(rows[1].calibratedAtSeconds).toBe(1_700_000_000);
    expect(rows[1].expectedStartsPerWeek).toBe(1.5);
    expect(rows[1].sensitivity).toEqual(sensitivity);
    // A rule written by the CLI carries no sensitivity: it recalibrates with the deployed default.
    expect(rows[0].sensitivity).toEqual(DEFAULT_SENSITIVITY);
  });

  it('falls back to the default sensitivity when the annotation was edited into nonsense', () => {
    const [rule] = rulesOf('sum(x)');
    expect(sensitivityOf({ ...rule, annotations: { [SENSITIVITY_ANNOTATION]: '{"widthMads": -1}' } })).toEqual(
      DEFAULT_SENSITIVITY
    );
    expect(sensitivityOf({ ...rule, annotations: { [SENSITIVITY_ANNOTATION]: 'not json' } })).toEqual(
      DEFAULT_SENSITIVITY
    );
  });
});

describe('groupIntervalSeconds', () => {
  it("rounds the step up to Grafana's 10 s base interval", () => {
    expect(groupIntervalSeconds(300)).toBe(300);
    expect(groupIntervalSeconds(15)).toBe(20);
    expect(groupIntervalSeconds(1)).toBe(10);
  });
});
