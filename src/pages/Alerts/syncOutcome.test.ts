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
        titleConflicts: [],
      })
    ).toBe('Wrote 3 rules to Grafana: 2 created, 1 updated. Left 1 rule(s) a person edited as they are.');
    expect(describeApplyResult({ applied: [], awaitingConfirmation: [], titleConflicts: [] })).toBe(
      'Nothing written: Grafana already holds these rules.'
    );
  });
});

describe('describeWriteError', () => {
  it("keeps the client's words for a 403 and adds what it means for a signed-in person", () => {
    const error = new GrafanaForbiddenError(
      403,
      'Creating alert rule r',
      'forbidden',
      'The service account may not do this.'
    );
    expect(describeWriteError(error)).toBe(
      'Creating alert rule r: Grafana answered 403 "forbidden". The service account may not do this. In the app this ' +
        'is your own Grafana user: it needs alert.rules.provisioning:write (the Editor role has it).'
    );
  });
});
