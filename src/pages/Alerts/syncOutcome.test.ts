/** @jest-environment node */
import { GrafanaForbiddenError, type SyncAction } from '../../alerting/grafanaClient';
import { describeApplyResult, describeWriteError } from './syncOutcome';

const action = (kind: SyncAction['kind'], uid: string): SyncAction => ({
  kind,
  uid,
  title: uid,
  editedByPerson: false,
  diff: [],
});

describe('describeApplyResult', () => {
  it('counts what was written and what was left alone', () => {
    expect(
      describeApplyResult({
        applied: [action('create', 'a'), action('update', 'b'), action('create', 'c')],
        awaitingConfirmation: [action('update', 'd')],
      })
    ).toBe('Wrote 3 rules to Grafana: 2 created, 1 updated. Left 1 rule(s) a person edited as they are.');
    expect(describeApplyResult({ applied: [], awaitingConfirmation: [] })).toBe(
      'Nothing written: Grafana already holds these rules.'
    );
  });
});

describe('describeApplyResult after the folder was deleted during the write', () => {
  it('says the folder was recreated and how many rules were restored', () => {
    expect(
      describeApplyResult({
        applied: [action('update', 'a')],
        awaitingConfirmation: [],
        folderRecreated: { restoredRules: 2 },
      })
    ).toBe(
      'Wrote 1 rule to Grafana: 1 updated. Someone deleted the Headroom folder during the write, and Grafana deleted ' +
        'its rules with it: Headroom recreated the folder and restored 2 rule(s).'
    );
  });
});

describe('describeWriteError', () => {
  it("keeps the client's words for a 403 and adds what a signed-in person needs, as Grafana grants it", () => {
    const error = new GrafanaForbiddenError(
      403,
      'Creating alert rule r',
      'forbidden',
      'The service account may not do this.'
    );
    expect(describeWriteError(error)).toBe(
      'Creating alert rule r: Grafana answered 403 "forbidden". The service account may not do this. In the app this ' +
        'is your own Grafana user: it needs alert.rules:create, alert.rules:write, alert.rules:delete, ' +
        'alert.provisioning.provenance:write on the Headroom folder (the Editor role has them), or ' +
        'alert.provisioning:write or alert.rules.provisioning:write.'
    );
  });
});
