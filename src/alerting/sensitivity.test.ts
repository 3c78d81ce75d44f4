/** @jest-environment node */
import { editedSinceWritten, type ProvisionedAlertRule } from './grafanaRule';
import {
  DEFAULT_SENSITIVITY,
  parseSensitivity,
  ruleConfig,
  SENSITIVITY_ANNOTATION,
  sensitivityOf,
  withSensitivity,
} from './sensitivity';

const rule = (annotations: Record<string, string> = {}): ProvisionedAlertRule => ({
  uid: 'headroom-0123456789abcdef',
  folderUID: 'headroom',
  ruleGroup: 'g',
  title: 'Headroom: x above its learnt band',
  condition: 'C',
  data: [],
  noDataState: 'NoData',
  execErrState: 'Error',
  for: '5m0s',
  annotations,
});

describe('sensitivity annotation', () => {
  const chosen = { widthMads: 4.5, minMarginPercent: 25, forMinutes: 15, direction: 'upper' as const };

  it('reads back what the page wrote, and nothing from rules without it or with a hand-edited one', () => {
    expect(parseSensitivity(rule({ [SENSITIVITY_ANNOTATION]: JSON.stringify(chosen) }))).toEqual(chosen);
    expect(parseSensitivity(rule())).toBeUndefined();
    for (const text of [
      'not json',
      'null',
      '7',
      '{"widthMads": -1, "minMarginPercent": 1, "forMinutes": 1, "direction": "both"}',
      '{"widthMads": 3, "minMarginPercent": 10, "forMinutes": 5, "direction": "sideways"}',
    ]) {
      expect(parseSensitivity(rule({ [SENSITIVITY_ANNOTATION]: text }))).toBeUndefined();
      expect(sensitivityOf(rule({ [SENSITIVITY_ANNOTATION]: text }))).toEqual(DEFAULT_SENSITIVITY);
    }
  });

  it('is the deployed rule by default: width 3, margin 10 %, for one 5-minute step, both sides', () => {
    expect(DEFAULT_SENSITIVITY).toEqual({ widthMads: 3, minMarginPercent: 10, forMinutes: 5, direction: 'both' });
    const config = ruleConfig(chosen, 300);
    expect(config.band).toMatchObject({ width: 4.5, minMarginFraction: 0.25, direction: 'upper' });
    expect(config.forSteps).toBe(3); // 15 min of 5-minute steps
    expect(ruleConfig(chosen, 60).forSteps).toBe(15);
  });

  it('travels on the rule under its fingerprint, so the rule does not read as edited by a person', () => {
    const written = withSensitivity(rule({ headroom_fingerprint: 'stale' }), chosen);
    expect(JSON.parse(written.annotations![SENSITIVITY_ANNOTATION])).toEqual(chosen);
    expect(editedSinceWritten(written)).toBe(false);
    expect(
      editedSinceWritten({ ...written, annotations: { ...written.annotations, [SENSITIVITY_ANNOTATION]: '{}' } })
    ).toBe(true);
  });
});
