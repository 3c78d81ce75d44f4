/** @jest-environment node */
import { parseRuleEvaluations } from './ruleStates';

/** An answer shaped as Grafana 12 sends it (its front end's RuleGroupResponse type, prom.go definitions). */
const answer = {
  status: 'success',
  data: {
    groups: [
      {
        name: 'gpu',
        file: 'Headroom',
        folderUid: 'headroom',
        interval: 60,
        lastEvaluation: '2026-11-27T07:00:00Z',
        evaluationTime: 0.01,
        rules: [
          {
            uid: 'headroom-a',
            name: 'GPU busy above band',
            state: 'firing',
            health: 'ok',
            type: 'alerting',
            lastEvaluation: '2026-11-27T07:00:00Z',
            alerts: [
              { labels: {}, annotations: {}, state: 'Normal', activeAt: '2026-11-27T05:00:00Z', value: '' },
              { labels: {}, annotations: {}, state: 'Alerting', activeAt: '2026-11-27T06:30:00Z', value: '' },
              {
                labels: {},
                annotations: {},
                state: 'Alerting (KeepLast)',
                activeAt: '2026-11-27T06:10:00Z',
                value: '',
              },
            ],
          },
          {
            uid: 'headroom-b',
            name: 'GPU busy below band',
            state: 'inactive',
            health: 'error',
            lastError: 'failed to execute query A: bad_data',
            type: 'alerting',
            lastEvaluation: '0001-01-01T00:00:00Z',
          },
          { name: 'a rule from an older Grafana, without uid', state: 'firing', health: 'ok' },
        ],
      },
    ],
  },
};

describe('parseRuleEvaluations', () => {
  it('keys rules by UID, with the earliest pending or firing instance as the start', () => {
    const evaluations = parseRuleEvaluations(answer);
    expect([...evaluations.keys()]).toEqual(['headroom-a', 'headroom-b']);
    expect(evaluations.get('headroom-a')).toEqual({
      uid: 'headroom-a',
      state: 'firing',
      health: 'ok',
      lastError: undefined,
      lastEvaluationMs: Date.UTC(2026, 10, 27, 7, 0),
      // 06:10 (Alerting with a reason) is earlier than 06:30; the Normal instance's 05:00 does not count.
      activeSinceMs: Date.UTC(2026, 10, 27, 6, 10),
    });
  });

  it("takes the rule's own activeAt where Grafana 12 sends it, and a pending rule's start from its Pending instances", () => {
    const rule = (state: string, extra: object) => ({
      status: 'success',
      data: { groups: [{ name: 'g', file: 'Headroom', rules: [{ uid: 'r', state, health: 'ok', ...extra }] }] },
    });
    const alerts = [
      { state: 'Pending', activeAt: '2026-11-27T05:00:00Z' },
      { state: 'Alerting', activeAt: '2026-11-27T06:00:00Z' },
    ];
    expect(parseRuleEvaluations(rule('firing', { activeAt: '2026-11-27T04:00:00Z', alerts })).get('r')).toMatchObject({
      activeSinceMs: Date.UTC(2026, 10, 27, 4),
    });
    // Without the rule's activeAt: a firing rule starts with its Alerting instance, not an older Pending one.
    expect(parseRuleEvaluations(rule('firing', { alerts })).get('r')?.activeSinceMs).toBe(Date.UTC(2026, 10, 27, 6));
    expect(parseRuleEvaluations(rule('pending', { alerts })).get('r')?.activeSinceMs).toBe(Date.UTC(2026, 10, 27, 5));
    expect(parseRuleEvaluations(rule('inactive', { alerts })).get('r')?.activeSinceMs).toBeUndefined();
  });

  it("keeps Grafana's error and reads year 1 as never evaluated", () => {
    const b = parseRuleEvaluations(answer).get('headroom-b')!;
    expect(b.health).toBe('error');
    expect(b.lastError).toBe('failed to execute query A: bad_data');
    expect(b.lastEvaluationMs).toBeUndefined();
    expect(b.activeSinceMs).toBeUndefined();
  });

  it("keeps only the asked folder's rules, since Grafana answers an unknown folder_uid with every folder", () => {
    const rule = (uid: string, folderUid: string) => ({ uid, folderUid, state: 'firing', health: 'ok' });
    const everyFolder = {
      status: 'success',
      data: {
        groups: [
          { name: 'gpu', file: 'Headroom', folderUid: 'headroom', rules: [rule('ours', 'headroom')] },
          { name: 'db', file: 'Team', folderUid: 'team', rules: [rule('theirs', 'team')] },
          // A rule without its own folderUid belongs to its group's folder.
          { name: 'old', file: 'Team', folderUid: 'team', rules: [{ uid: 'older', state: 'firing', health: 'ok' }] },
        ],
      },
    };
    expect([...parseRuleEvaluations(everyFolder, 'headroom').keys()]).toEqual(['ours']);
    expect([...parseRuleEvaluations(everyFolder, 'team').keys()]).toEqual(['theirs', 'older']);
    expect(parseRuleEvaluations(everyFolder).size).toBe(3);
  });

  it('refuses an answer of another shape instead of reporting no alerts', () => {
    expect(() => parseRuleEvaluations({ status: 'error', error: 'x' })).toThrow(/unexpected shape/);
    expect(() => parseRuleEvaluations('<html>login</html>')).toThrow(/unexpected shape/);
    expect(parseRuleEvaluations({ status: 'success', data: { groups: [] } }).size).toBe(0);
  });
});
