import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { calibrateSeries } from '../../src/alerting/calibrate';
import {
  applySync,
  createGrafanaProvisioningClient,
  GrafanaConflictError,
  GrafanaDataSourceMissingError,
  GrafanaForbiddenError,
  GrafanaNotFoundError,
  GrafanaProvisionedRuleError,
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
  type RuleTiming,
} from '../../src/alerting/grafanaRule';
import { GrafanaDouble, type Role } from '../grafana-double/server';

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

function desiredRules(days: number, level = 40, timing?: RuleTiming): ProvisionedAlertRule[] {
  const { timestamps, values } = history(days, level);
  const calibrated = calibrateSeries(timestamps, values, MONDAY + days * 86_400);
  return SELECTORS.flatMap((selector) =>
    grafanaRulesForBand(
      { selector, datasourceUid: 'prom-uid', folderUID: FOLDER.uid, ruleGroup: 'gpu' },
      calibrated.calibration,
      timing ?? calibrated.timing
    )
  );
}

const SYNC = { folder: FOLDER, groupIntervalSeconds: 60 };

describe('alert-rule write-back against the Grafana API double', () => {
  let grafana: GrafanaDouble;
  let client: GrafanaProvisioningClient;

  beforeEach(async () => {
    grafana = new GrafanaDouble({ token: TOKEN, datasources: { 'prom-uid': '' } });
    await grafana.start();
    client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
  });
  afterEach(() => grafana.stop());

  async function sync(desired: ProvisionedAlertRule[], options: { confirmEdited?: string[]; dryRun?: boolean } = {}) {
    const headroomRules = (await client.listRules()).filter((rule) => rule.labels?.managed_by === 'headroom');
    const plan = planSync(desired, headroomRules);
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

  it('takes a rule Grafana answers with "1d12h" for the 36 h it wrote as unchanged, not as edited by a person', async () => {
    const timing = { forSeconds: 90, keepFiringForSeconds: 36 * 3600 };
    await sync(desiredRules(14, 40, timing));
    const stored = await client.getRule(desiredRules(14, 40, timing)[0].uid);
    // Grafana prints model.Duration: 90 s is "1m30s", 36 h is "1d12h".
    expect([stored?.for, stored?.keep_firing_for]).toEqual(['1m30s', '1d12h']);
    const again = await sync(desiredRules(14, 40, timing));
    expect(again.plan.actions.map((a) => [a.kind, a.editedByPerson])).toEqual(
      Array.from({ length: 4 }, () => ['unchanged', false])
    );
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
    expect((await client.getRule(edited))?.for).toBe('30m');

    await sync(desiredRules(21, 60), { confirmEdited: [edited] });
    expect((await client.getRule(edited))?.for).toBe('5m');
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

  it('recreates the folder and the rules when someone deleted the folder before the next sync', async () => {
    await sync(desiredRules(14));
    grafana.deleteFolder(FOLDER.uid);
    expect(grafana.rules.size).toBe(0);
    const { result } = await sync(desiredRules(14));
    expect(result.applied.map((a) => a.kind)).toEqual(['create', 'create', 'create', 'create']);
    expect(grafana.folders.has(FOLDER.uid)).toBe(true);
    expect(grafana.rules.size).toBe(4);
  });

  it('loses nothing when the folder is deleted between the plan and the write: recreates it and restores its rules', async () => {
    await sync(desiredRules(14));
    const edited = desiredRules(14)[1].uid;
    grafana.personEdits(edited, (rule) => {
      rule.annotations!.summary = 'tuned by hand';
    });
    // The plan sees the folder; Grafana loses it (and its rules) just before the first write.
    const plan = planSync(desiredRules(21, 60), await client.listRules());
    grafana.deleteFolder(FOLDER.uid);
    const result = await applySync(client, plan, SYNC);
    expect(result.folderRecreated).toEqual({ restoredRules: 4 });
    expect(result.awaitingConfirmation.map((a) => a.uid)).toEqual([edited]);
    expect(grafana.rules.size).toBe(4);
    // The person's edit survives as they made it, the other rules carry the new calibration.
    expect(grafana.rules.get(edited)?.annotations?.summary).toBe('tuned by hand');
    for (const rule of desiredRules(21, 60).filter((r) => r.uid !== edited)) {
      expect(grafana.rules.get(rule.uid)?.annotations?.[ANNOTATIONS.calibratedAt]).toBe('2023-12-11T00:00:00.000Z');
    }
    expect((await sync(desiredRules(21, 60))).plan.actions.map((a) => a.kind).sort()).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'update',
    ]);
  });

  it('recovers when the folder vanishes in the middle of the write, as an Editor whose deletes then answer 500', async () => {
    await sync(desiredRules(14));
    const plan = planSync(desiredRules(21, 60).slice(0, 3), await client.listRules());
    // The first write (the delete of the fourth rule) goes through; then someone deletes the folder.
    const deleteRule = client.deleteRule.bind(client);
    client.deleteRule = async (uid) => {
      await deleteRule(uid);
      grafana.deleteFolder(FOLDER.uid);
    };
    const result = await applySync(client, plan, SYNC);
    expect(result.applied.map((a) => a.kind)).toEqual(['update', 'update', 'update', 'delete']);
    expect(result.folderRecreated).toEqual({ restoredRules: 3 });
    expect([...grafana.rules.keys()].sort()).toEqual(
      desiredRules(21, 60)
        .slice(0, 3)
        .map((r) => r.uid)
        .sort()
    );
    // The Editor's delete of a rule that is gone: Grafana answers 500, the client takes it as done.
    await expect(client.deleteRule(desiredRules(14)[3].uid)).resolves.toBeUndefined();
  });

  it('refuses to write rules that query a data source Grafana does not have, and writes nothing', async () => {
    const typo = desiredRules(14).map((rule) => ({
      ...rule,
      data: rule.data.map((q) => (q.datasourceUid === 'prom-uid' ? { ...q, datasourceUid: 'prom-uidd' } : q)),
    }));
    const failure = sync(typo);
    await expect(failure).rejects.toBeInstanceOf(GrafanaDataSourceMissingError);
    await expect(sync(typo)).rejects.toThrow(
      /Checking data source prom-uidd: Grafana answered 404 "Data source not found"\. The rules query data source prom-uidd/
    );
    expect(grafana.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    // Grafana itself would have saved such a rule: its provisioning API does not check data sources.
    await client.ensureFolder(FOLDER.uid, FOLDER.title);
    await expect(client.createRule(typo[0])).resolves.toMatchObject({ uid: typo[0].uid });
  });

  it('writes a rule whose title a person already uses in the folder: Grafana 12 allows equal titles', async () => {
    await client.ensureFolder(FOLDER.uid, FOLDER.title);
    const desired = desiredRules(14);
    grafana.personCreates({ ...desired[0], uid: 'person-made', labels: {} });
    const { result } = await sync(desired);
    expect(result.applied.map((a) => a.kind)).toEqual(['create', 'create', 'create', 'create']);
    expect([...grafana.rules.values()].filter((r) => r.title === desired[0].title)).toHaveLength(2);
  });

  it("explains Grafana's refusals for a rule another tool provisioned", async () => {
    await sync(desiredRules(14));
    const [rule] = desiredRules(14);
    // Terraform, say, writes it again without X-Disable-Provenance: provenance "api", locked in Grafana's UI.
    grafana.rules.get(rule.uid)!.provenance = 'api';
    await expect(client.updateRule(desiredRules(21, 60)[0])).rejects.toBeInstanceOf(GrafanaProvisionedRuleError);
    await expect(client.updateRule(desiredRules(21, 60)[0])).rejects.toThrow(/provenance "api"/);
    const deletion = client.deleteRule(rule.uid);
    await expect(deletion).rejects.toBeInstanceOf(GrafanaConflictError);
    await expect(client.deleteRule(rule.uid)).rejects.toThrow(
      /409 "cannot delete with provided provenance '', needs 'api'"\. .*provisioned by another tool/
    );
  });

  it('gives typed errors that quote Grafana for 401, 403, 404, 409 and 400', async () => {
    const wrongToken = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, 'wrong'));
    await expect(wrongToken.listRules()).rejects.toBeInstanceOf(GrafanaUnauthorizedError);
    await expect(wrongToken.listRules()).rejects.toThrow(/401 "Invalid API key".*HEADROOM_GRAFANA_TOKEN/);
    await expect(wrongToken.listRules()).rejects.not.toThrow(/wrong/);

    grafana.role = 'Viewer';
    const refused = sync(desiredRules(14));
    await expect(refused).rejects.toBeInstanceOf(GrafanaForbiddenError);
    await expect(sync(desiredRules(14))).rejects.toThrow(
      /Creating folder "Headroom": Grafana answered 403 "Access denied to folder"/
    );
    grafana.role = 'Editor';
    await sync(desiredRules(14));
    grafana.role = 'Viewer';
    await expect(sync(desiredRules(21, 60))).rejects.toThrow(
      'Grafana answered 403 "You\'ll need additional permissions to perform this action. Permissions needed: any of ' +
        'alert.provisioning:write, alert.rules.provisioning:write, all of alert.rules:write, ' +
        'alert.provisioning.provenance:write".'
    );
    grafana.role = 'Editor';

    const rule = desiredRules(14)[0];
    await expect(client.updateRule({ ...rule, uid: 'headroom-gone' })).rejects.toBeInstanceOf(GrafanaNotFoundError);
    await expect(client.createRule(rule)).rejects.toThrow(
      `409 "Failed to save alert rule '${rule.uid}' in organization 1 due to conflict:`
    );
    await expect(client.updateRule({ ...rule, for: 'five minutes' })).rejects.toBeInstanceOf(GrafanaValidationError);
    await expect(client.updateRule({ ...rule, for: '1.5m' })).rejects.toThrow(/400 "bad request data"/);
    await expect(client.createRule({ ...rule, uid: 'x'.repeat(41) })).rejects.toThrow(
      `400 "invalid alert rule\ncannot create rule with UID '${'x'.repeat(41)}': UID is longer than 40 symbols"`
    );
    await expect(client.setRuleGroupInterval(FOLDER.uid, 'gpu', 15)).rejects.toThrow(
      /400 "invalid alert rule: interval \(15s\) should be non-zero and divided exactly by scheduler interval: 10"/
    );
    expect(await client.getRule('headroom-gone')).toBeUndefined();

    grafana.expireToken();
    await expect(client.listRules()).rejects.toThrow(/401 "Expired API key"/);
  });

  it('never prints the token, even when something in front of Grafana echoes the request headers', async () => {
    // A misconfigured reverse proxy that answers with the headers it received.
    const echo: Server = createServer((req, res) => {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      const token = String(req.headers.authorization).replace(/^Bearer /, '');
      res.end(JSON.stringify({ message: `upstream failed for ${JSON.stringify(req.headers)} (token=${token})` }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      const failure = createGrafanaProvisioningClient(createGrafanaFetchTransport(url, TOKEN)).listRules();
      await expect(failure).rejects.toThrow(/Grafana answered 502 "upstream failed for .*authorization/);
      const message = await failure.catch((error: Error) => error.message);
      expect(message).not.toContain(TOKEN);
      expect(message).not.toContain('not_secret');
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  describe('as each basic role', () => {
    const write = async (role: Role) => {
      grafana.role = role;
      return sync(desiredRules(14));
    };

    it('an Editor writes through alert.rules:* and provenance, without any provisioning permission', async () => {
      const permissions = grafana.permissions();
      expect(permissions['alert.provisioning:write']).toBeUndefined();
      expect(permissions['alert.rules.provisioning:write']).toBeUndefined();
      const { result } = await write('Editor');
      expect(result.applied).toHaveLength(4);
      // The Editor created the folder, so administers it.
      expect(grafana.permissions()['folders:write']).toContain('folders:uid:headroom');
    });

    it('an Admin writes through alert.provisioning:write', async () => {
      const { result } = await write('Admin');
      expect(result.applied).toHaveLength(4);
    });

    it('a Viewer may read the rules but not write them', async () => {
      await write('Editor');
      grafana.role = 'Viewer';
      expect(await client.listRules()).toHaveLength(4);
      await expect(client.deleteRule(desiredRules(14)[0].uid)).rejects.toBeInstanceOf(GrafanaForbiddenError);
      expect(grafana.rules.size).toBe(4);
    });

    it('a custom role with the rule permissions on another folder only is refused by the handler', async () => {
      await write('Editor');
      // Someone else's folder: its creator's permissions are not the caller's.
      grafana.folders.get(FOLDER.uid)!.createdByCaller = false;
      grafana.role = {
        custom: {
          'alert.rules:read': ['folders:*'],
          'alert.rules:write': ['folders:uid:team'],
          'alert.provisioning.provenance:write': [''],
          'folders:read': ['folders:*'],
          'datasources:query': ['datasources:*'],
        },
      };
      await expect(client.updateRule(desiredRules(21, 60)[0])).rejects.toThrow(
        `403 "user is not authorized to update alert rules that belongs to folder 'headroom' ` +
          `(needs action:alert.rules:write scopes:folders:uid:headroom)"`
      );
    });
  });

  it("reads Grafana's alert state of each written rule, only the Headroom folder's, and says so when it may not", async () => {
    await sync(desiredRules(14));
    const [upper, lower] = desiredRules(14);
    grafana.evaluates(upper.uid, { state: 'firing', health: 'ok', activeAt: '2026-11-27T06:00:00Z' });
    grafana.evaluates(lower.uid, { state: 'inactive', health: 'error', lastError: 'query A: connection refused' });
    grafana.folders.set('other', { uid: 'other', title: 'Other' });
    grafana.personCreates({ uid: 'theirs', folderUID: 'other', ruleGroup: 'x', title: 'Not ours' });

    const states = await client.ruleEvaluations(FOLDER.uid);
    expect(states.size).toBe(4); // only the Headroom folder's rules
    expect(states.get(upper.uid)).toMatchObject({ state: 'firing', activeSinceMs: Date.UTC(2026, 10, 27, 6) });
    expect(states.get(lower.uid)).toMatchObject({ health: 'error', lastError: 'query A: connection refused' });
    // Not evaluated yet: as Grafana starts a rule, inactive with health ok and no time of last evaluation.
    expect(states.get(desiredRules(14)[2].uid)).toMatchObject({ state: 'inactive', health: 'ok' });
    expect(states.get(desiredRules(14)[2].uid)?.lastEvaluationMs).toBeUndefined();
    expect(grafana.requests.at(-1)!.path).toBe('/api/prometheus/grafana/api/v1/rules');

    // The folder is deleted: Grafana answers its unknown folder_uid with every folder; none of those rules is ours.
    grafana.deleteFolder(FOLDER.uid);
    const afterDeletion = await fetch(`${grafana.url}/api/prometheus/grafana/api/v1/rules?folder_uid=${FOLDER.uid}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.json() as Promise<{ data: { groups: Array<{ folderUid: string }> } }>);
    expect(afterDeletion.data.groups.map((g) => g.folderUid)).toEqual(['other']);
    expect((await client.ruleEvaluations(FOLDER.uid)).size).toBe(0);

    const wrongToken = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, 'wrong'));
    await expect(wrongToken.ruleEvaluations(FOLDER.uid)).rejects.toThrow(
      /Reading the rules' alert states: Grafana answered 401/
    );
  });
});
