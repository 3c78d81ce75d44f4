/** @jest-environment node */
import { Band } from '../engine/thresholds';
import { createGrafanaProvisioningClient, GrafanaValidationError, planSync } from './grafanaClient';
import { grafanaRulesForBand } from './grafanaRule';

const band: Band = { mode: 'flat', calibratedAtSeconds: 1_700_000_000, upper: [80] };
const calibration = {
  band,
  method: 'median-mad' as const,
  trainingStartSeconds: 1_699_000_000,
  trainingEndSeconds: 1_699_999_700,
  expectedStartsPerWeek: 1,
  stepSeconds: 300,
};
const rulesFor = (selector: string) =>
  grafanaRulesForBand({ selector, datasourceUid: 'prom', folderUID: 'f', ruleGroup: 'g' }, calibration, {
    forSeconds: 300,
    keepFiringForSeconds: 0,
  });

describe('createGrafanaProvisioningClient', () => {
  it('turns a 422 into a validation error quoting Grafana', async () => {
    const client = createGrafanaProvisioningClient(async () => ({ status: 422, body: { message: 'bad model' } }));
    const [rule] = rulesFor('x');
    await expect(client.createRule(rule)).rejects.toBeInstanceOf(GrafanaValidationError);
    await expect(client.createRule(rule)).rejects.toThrow(/422 "bad model"/);
  });
});

describe('planSync', () => {
  it('writes only the first of two desired rules with the same title', () => {
    const [a] = rulesFor('x');
    const [b] = rulesFor('y');
    const plan = planSync([a, { ...b, title: a.title }], []);
    expect(plan.actions.map((action) => action.uid)).toEqual([a.uid]);
    expect(plan.titleConflicts).toEqual([{ uid: b.uid, title: a.title, clashesWith: a.uid }]);
  });
});
