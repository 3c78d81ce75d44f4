import { calibrateSeries } from '../../src/alerting/calibrate';
import {
  applySync,
  createGrafanaProvisioningClient,
  GrafanaConflictError,
  GrafanaForbiddenError,
  GrafanaNotFoundError,
  GrafanaUnauthorizedError,
  GrafanaValidationError,
  planSync,
  type GrafanaProvisioningClient,
} from '../../src/alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../src/alerting/grafanaFetchTransport';
import {
  ANNOTATIONS,
  grafanaRulesForBand,
  GRAFANA_UID_PATTERN,
  type ProvisionedAlertRule,
} from '../../src/alerting/grafanaRule';
import { GrafanaDouble } from '../grafana-double/server';

const TOKEN = 'glsa_test_token_not_secret';
const FOLDER = { uid: 'headroom', title: 'Headroom' };
const STEP_SECONDS = 300;
const MONDAY = 1_700_438_400; // 2023-11-20 00:00 UTC
const SELECTORS = ['DCGM_FI_DEV_GPU_UTIL{gpu="0"}', 'DCGM_FI_DEV_GPU_UTIL{gpu="1"}'];

/** 14 days of a daily rhythm (busy 09:00–17:00 UTC) with a deterministic wobble; `level` shifts it. */
function history(days: number, level: number) {
  const timestamps = Array.from({ length: (days * 86_400) / STEP_SECONDS }, (_, k) => MONDAY + k * STEP_SECONDS);
  const values = timestamps.map((t, k) => {
    const hour = Math.floor((t % 86_400) / 3600);
    return level + (hour >= 9 && hour < 17 ? 30 : 0) + ((k * 7) % 5) - 2;
  });
  return { timestamps, values };
}

function desiredRules(days: number, level = 40): ProvisionedAlertRule[] {
  const { timestamps, values } = history(days, level);
  const { calibration, timing } = calibrateSeries(timestamps, values, MONDAY + days * 86_400);
  return SELECTORS.flatMap((selector) =>
    grafanaRulesForBand(
      { selector, datasourceUid: 'prom-uid', folderUID: FOLDER.uid, ruleGroup: 'gpu' },
      calibration,
      timing
    )
  );
}

const SYNC = { folder: FOLDER, groupIntervalSeconds: 60 };

describe('alert-rule write-back against the Grafana provisioning API double', () => {
  let grafana: GrafanaDouble;
  let client: GrafanaProvisioningClient;

  beforeEach(async () => {
    grafana = new GrafanaDouble({ token: TOKEN });
    await grafana.start();
    client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
  });
  afterEach(() => grafana.stop());

  async function sync(desired: ProvisionedAlertRule[], options: { confirmEdited?: string[]; dryRun?: boolean } = {}) {
    const plan = planSync(desired, await client.listRules());
    return { plan, result: await applySync(client, plan, { ...SYNC, ...options }) };
  }

  it('writes the rules into its own folder, editable in the UI, and reads them back unchanged', async () => {
    const desired = desiredRules(14);
    expect(desired).toHaveLength(4); // two series × upper and lower
    for (const rule of desired) {
      expect(rule.uid).toMatch(GRAFANA_UID_PATTERN);
      expect(rule.labels?.managed_by).toBe('headroom');
      expect(rule.annotations?.[ANNOTATIONS.alertsPage]).toBe('/a/headroom-capacity-app/alerts');
    }
    const { result } = await sync(desired);
    expect(result.applied.map((a) => a.kind)).toEqual(['create', 'create', 'create', 'create']);
    expect(grafana.folders.get(FOLDER.uid)?.title).toBe('Headroom');
    const writes = grafana.requests.filter((r) => r.path.includes('alert-rules') && r.method !== 'GET');
    expect(writes.every((r) => r.headers['x-disable-provenance'] === 'true')).toBe(true);
    for (const rule of desired) {
      const stored = await client.getRule(rule.uid);
      expect(stored?.provenance).toBeUndefined();
      expect(stored?.data[0].model.expr).toBe(rule.data[0].model.expr);
    }
    expect(grafana.groupIntervals.get(`${FOLDER.uid}/gpu`)).toBe(60);

    const second = await sync(desiredRules(14));
    expect(second.plan.actions.map((a) => a.kind)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(second.result.applied).toEqual([]);
  });

  it('recalibrates in place: same UIDs, new thresholds and calibration annotations', async () => {
    await sync(desiredRules(14));
    const before = await client.listRules();
    const { result } = await sync(desiredRules(21, 60));
    expect(result.applied.map((a) => a.kind)).toEqual(['update', 'update', 'update', 'update']);
    const after = await client.listRules();
    expect(after.map((r) => r.uid).sort()).toEqual(before.map((r) => r.uid).sort());
    for (const rule of after) {
      const old = before.find((r) => r.uid === rule.uid)!;
      expect(rule.annotations?.[ANNOTATIONS.calibratedAt]).toBe('2023-12-11T00:00:00.000Z');
      expect(old.annotations?.[ANNOTATIONS.calibratedAt]).toBe('2023-12-04T00:00:00.000Z');
      expect(rule.data[0].model.expr).not.toBe(old.data[0].model.expr);
    }
  });

  it('shows a diff and leaves a rule a person edited alone until its UID is confirmed', async () => {
    await sync(desiredRules(14));
    const edited = desiredRules(14)[0].uid;
    grafana.personEdits(edited, (rule) => {
      rule.for = '30m0s';
    });

    const { plan, result } = await sync(desiredRules(21, 60));
    const action = plan.actions.find((a) => a.uid === edited)!;
    expect(action).toMatchObject({ kind: 'update', editedByPerson: true });
    expect(action.diff).toContain('forSeconds: 1800 → 300');
    expect(result.awaitingConfirmation.map((a) => a.uid)).toEqual([edited]);
    expect(result.applied).toHaveLength(3);
    expect((await client.getRule(edited))?.for).toBe('30m0s');

    await sync(desiredRules(21, 60), { confirmEdited: [edited] });
    expect((await client.getRule(edited))?.for).toBe('5m0s');
    const third = await sync(desiredRules(21, 60));
    expect(third.plan.actions.every((a) => a.kind === 'unchanged')).toBe(true);
  });

  it('does not delete an edited rule it no longer wants unless confirmed', async () => {
    await sync(desiredRules(14));
    const [kept, dropped] = [desiredRules(14).slice(0, 2), desiredRules(14)[2].uid];
    grafana.personEdits(dropped, (rule) => {
      rule.labels!.team = 'ml-infra';
    });
    const { result } = await sync(kept);
    expect(result.awaitingConfirmation.map((a) => [a.kind, a.uid])).toEqual([['delete', dropped]]);
    expect(grafana.rules.has(dropped)).toBe(true);
    expect(grafana.rules.size).toBe(3); // the unedited unwanted rule is deleted
    await sync(kept, { confirmEdited: [dropped] });
    expect(grafana.rules.has(dropped)).toBe(false);
  });

  it('writes nothing in a dry run but reports what it would do', async () => {
    const { result } = await sync(desiredRules(14), { dryRun: true });
    expect(result.applied.map((a) => a.kind)).toEqual(['create', 'create', 'create', 'create']);
    expect(grafana.rules.size).toBe(0);
    expect(grafana.folders.size).toBe(0);
    expect(grafana.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('recreates the folder and the rules when someone deleted the folder', async () => {
    await sync(desiredRules(14));
    grafana.deleteFolder(FOLDER.uid);
    expect(grafana.rules.size).toBe(0);
    const { result } = await sync(desiredRules(14));
    expect(result.applied.map((a) => a.kind)).toEqual(['create', 'create', 'create', 'create']);
    expect(grafana.folders.has(FOLDER.uid)).toBe(true);
    expect(grafana.rules.size).toBe(4);
  });

  it('refuses to write a rule whose title a person already uses in the folder, and says so', async () => {
    await client.ensureFolder(FOLDER.uid, FOLDER.title);
    const desired = desiredRules(14);
    grafana.personCreates({ ...desired[0], uid: 'person-made', labels: {} });
    const { result } = await sync(desired);
    expect(result.titleConflicts).toEqual([
      { uid: desired[0].uid, title: desired[0].title, clashesWith: 'person-made' },
    ]);
    expect(result.applied).toHaveLength(3);
    // Grafana itself refuses the duplicate: 409 with its message quoted.
    await expect(client.createRule(desired[0])).rejects.toBeInstanceOf(GrafanaConflictError);
    await expect(client.createRule(desired[0])).rejects.toThrow(/409 "failed to save alert rule: a rule with title/);
  });

  it('gives typed errors that quote Grafana for 401, 403, 404, 409 and 400', async () => {
    const wrongToken = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, 'wrong'));
    const unauthorized = wrongToken.listRules();
    await expect(unauthorized).rejects.toBeInstanceOf(GrafanaUnauthorizedError);
    await expect(wrongToken.listRules()).rejects.toThrow(/401 "invalid API key".*HEADROOM_GRAFANA_TOKEN/);
    await expect(wrongToken.listRules()).rejects.not.toThrow(/wrong/);

    grafana.refuseWrites = 403;
    await expect(sync(desiredRules(14))).rejects.toBeInstanceOf(GrafanaForbiddenError);
    grafana.refuseWrites = 401;
    await expect(sync(desiredRules(14))).rejects.toThrow(
      /Creating folder "Headroom": Grafana answered 401 "token expired"/
    );
    grafana.refuseWrites = undefined;

    await sync(desiredRules(14));
    const rule = desiredRules(14)[0];
    await expect(client.updateRule({ ...rule, uid: 'headroom-gone' })).rejects.toBeInstanceOf(GrafanaNotFoundError);
    await expect(client.createRule(rule)).rejects.toThrow(/409 "an alert rule with uid headroom-/);
    await expect(client.updateRule({ ...rule, for: 'five minutes' })).rejects.toBeInstanceOf(GrafanaValidationError);
    await expect(client.createRule({ ...rule, uid: 'x'.repeat(41) })).rejects.toThrow(/400 "invalid alert rule: uid/);
    await expect(client.putRuleGroup({ title: 'gpu', folderUid: FOLDER.uid, interval: 15, rules: [] })).rejects.toThrow(
      /multiple of the base interval 10s/
    );
    expect(await client.getRule('headroom-gone')).toBeUndefined();
  });

  it("reads Grafana's alert state of each written rule, and says so when it may not", async () => {
    await sync(desiredRules(14));
    const [upper, lower] = desiredRules(14);
    grafana.evaluates(upper.uid, { state: 'firing', health: 'ok', activeAt: '2026-11-27T06:00:00Z' });
    grafana.evaluates(lower.uid, { state: 'inactive', health: 'error', lastError: 'query A: connection refused' });
    grafana.personCreates({ uid: 'theirs', folderUID: 'other', ruleGroup: 'x', title: 'Not ours' });

    const states = await client.ruleEvaluations(FOLDER.uid);
    expect(states.size).toBe(4); // only the Headroom folder's rules
    expect(states.get(upper.uid)).toMatchObject({ state: 'firing', activeSinceMs: Date.UTC(2026, 10, 27, 6) });
    expect(states.get(lower.uid)).toMatchObject({ health: 'error', lastError: 'query A: connection refused' });
    // Not evaluated yet: as Grafana starts a rule, inactive with health ok and no time of last evaluation.
    expect(states.get(desiredRules(14)[2].uid)).toMatchObject({ state: 'inactive', health: 'ok' });
    expect(states.get(desiredRules(14)[2].uid)?.lastEvaluationMs).toBeUndefined();
    const request = grafana.requests.at(-1)!;
    expect(request.path).toBe('/api/prometheus/grafana/api/v1/rules');

    const wrongToken = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, 'wrong'));
    await expect(wrongToken.ruleEvaluations(FOLDER.uid)).rejects.toThrow(
      /Reading the rules' alert states: Grafana answered 401/
    );
  });
});
