/**
 * The Grafana API double answers as Grafana 12.4's code does (docs/grafana-compatibility.md names the files): what it
 * accepts, what it refuses and with which status and body. Raw HTTP, so the plugin's client cannot hide a difference.
 */
import { GrafanaDouble, type Role } from '../grafana-double/server';

const TOKEN = 'glsa_double_test';
const RULES = '/api/v1/provisioning/alert-rules';
const GROUP = '/api/v1/provisioning/folder/headroom/rule-groups/gpu';

/** A valid rule: a Prometheus query over the last 10 minutes, reduced and thresholded by expressions. */
function rule(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const expression = (refId: string, model: Record<string, unknown>) => ({
    refId,
    relativeTimeRange: { from: 0, to: 0 },
    datasourceUid: '__expr__',
    model: { refId, ...model },
  });
  return {
    uid: 'rule-1',
    folderUID: 'headroom',
    ruleGroup: 'gpu',
    title: 'GPU busy',
    condition: 'C',
    data: [
      { refId: 'A', relativeTimeRange: { from: 600, to: 0 }, datasourceUid: 'prom', model: { refId: 'A', expr: 'up' } },
      expression('B', { type: 'reduce', expression: 'A', reducer: 'last' }),
      expression('C', { type: 'threshold', expression: 'B', conditions: [{ evaluator: { type: 'gt', params: [0] } }] }),
    ],
    noDataState: 'NoData',
    execErrState: 'Error',
    for: '5m',
    ...fields,
  };
}

describe('the Grafana API double', () => {
  let grafana: GrafanaDouble;

  beforeEach(async () => {
    grafana = new GrafanaDouble({ token: TOKEN, datasources: { prom: '' } });
    await grafana.start();
    grafana.folders.set('headroom', { uid: 'headroom', title: 'Headroom' });
  });
  afterEach(() => grafana.stop());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    { provenance = false, raw }: { provenance?: boolean; raw?: string } = {}
  ): Promise<{ status: number; body: any; text: string }> {
    const response = await fetch(`${grafana.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        'Content-Type': 'application/json',
        // Headroom always disables provenance; `provenance: true` writes as Terraform would.
        ...(provenance ? {} : { 'X-Disable-Provenance': 'true' }),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
  }
  const as = (role: Role) => {
    grafana.role = role;
  };

  describe('POST /api/v1/provisioning/alert-rules (api_provisioning.go, provisioning/alert_rules.go)', () => {
    it('generates a UID when there is none, answers 201 with the rule and keeps no provenance when disabled', async () => {
      const created = await call('POST', RULES, rule({ uid: undefined, orgID: 7 }));
      expect(created.status).toBe(201);
      expect(created.body.uid).toMatch(/^[a-zA-Z0-9\-_]{1,40}$/);
      expect(created.body).toMatchObject({ orgID: 1, for: '5m', keep_firing_for: '0s', isPaused: false });
      expect(created.body).not.toHaveProperty('provenance');
      expect((await call('POST', RULES, rule({ uid: '' }))).status).toBe(201);
    });

    it('marks a rule written without X-Disable-Provenance as provisioned, whatever the header says', async () => {
      expect((await call('POST', RULES, rule(), { provenance: true })).body.provenance).toBe('api');
      const withFalse = await fetch(`${grafana.url}${RULES}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'X-Disable-Provenance': 'false' },
        body: JSON.stringify(rule({ uid: 'rule-2' })),
      }).then((r) => r.json());
      expect(withFalse).not.toHaveProperty('provenance');
    });

    it.each([
      ['90s', '1m30s'],
      ['5m0s', '5m'],
      ['36h', '1d12h'],
      ['1d12h', '1d12h'],
      ['168h', '1w'],
      ['0', '0s'],
    ])('stores `for: %s` as a duration and answers %s', async (written, answered) => {
      expect((await call('POST', RULES, rule({ for: written, keep_firing_for: written }))).body).toMatchObject({
        for: answered,
        keep_firing_for: answered,
      });
      expect((await call('GET', `${RULES}/rule-1`)).body.for).toBe(answered);
    });

    it.each([
      ['a decimal duration', { for: '1.5m' }],
      ['a negative duration', { for: '-5m' }],
      ['an empty duration', { keep_firing_for: '' }],
      ['a duration as a number', { for: 300 }],
      ['units out of order', { for: '5m1h' }],
      ['a label that is not a string', { labels: { team: 1 } }],
      ['isPaused that is not a boolean', { isPaused: 'no' }],
      [
        'a time range bound that is not a number',
        { data: [{ refId: 'A', relativeTimeRange: { from: '10m', to: 0 } }] },
      ],
    ])('answers 400 "bad request data" for %s', async (_, fields) => {
      const answer = await call('POST', RULES, rule(fields));
      expect([answer.status, answer.body.message]).toEqual([400, 'bad request data']);
    });

    it('answers 400 "bad request data" for a body that is not JSON', async () => {
      const answer = await call('POST', RULES, undefined, { raw: '{"uid": ' });
      expect([answer.status, answer.body.message]).toEqual([400, 'bad request data']);
    });

    it.each([
      [
        'x'.repeat(41),
        "invalid alert rule\ncannot create rule with UID 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': UID is longer than 40 symbols",
      ],
      [
        'bad uid!',
        "invalid alert rule\ncannot create rule with UID 'bad uid!': invalid format of UID. Only letters, numbers, '-' and '_' are allowed",
      ],
    ])('refuses the UID %j', async (uid, message) => {
      expect(await call('POST', RULES, rule({ uid }))).toMatchObject({ status: 400, body: { message } });
    });

    it.each([
      ['no folder', { folderUID: '' }, 'invalid alert rule: folderUID must be set'],
      ['a folder that does not exist', { folderUID: 'gone' }, 'invalid alert rule: folder does not exist'],
      ['no queries', { data: [] }, 'invalid alert rule: no queries or expressions are found'],
      ['no title', { title: '' }, 'invalid alert rule: title is empty'],
      [
        'an unknown error state (checked first)',
        { execErrState: 'Nope', noDataState: '' },
        'invalid alert rule: unknown Error state option Nope',
      ],
      ['no no-data state', { noDataState: '' }, 'invalid alert rule: unknown NoData state option '],
      [
        'a reserved label',
        { labels: { __grafana_receiver__: 'x' } },
        'invalid alert rule: system reserved label __grafana_receiver__ cannot be defined',
      ],
      // 96 × "é" is 96 characters but 192 bytes.
      [
        'a title of 191 bytes',
        { title: 'é'.repeat(96) },
        'invalid alert rule: name length should not be greater than 190',
      ],
      [
        'a group name of 191 bytes',
        { ruleGroup: 'g'.repeat(191) },
        'invalid alert rule: rule group name length should not be greater than 190',
      ],
      [
        'a dashboard without a panel',
        { annotations: { __dashboardUid__: 'd' } },
        'invalid alert rule: both annotations __dashboardUid__ and __panelId__ must be specified',
      ],
    ])("answers 400 with Grafana's message for %s", async (_, fields, message) => {
      expect(await call('POST', RULES, rule(fields))).toMatchObject({ status: 400, body: { message, traceID: '' } });
    });

    it('accepts a title of exactly 190 bytes', async () => {
      expect((await call('POST', RULES, rule({ title: 'é'.repeat(95) }))).status).toBe(201);
    });

    it('refuses a data source query whose time range does not end after it starts, with errutil\'s "Bad request"', async () => {
      const [query, ...expressions] = rule().data as Array<Record<string, unknown>>;
      for (const range of [
        { from: 0, to: 0 },
        { from: 300, to: 600 },
      ]) {
        const answer = await call(
          'POST',
          RULES,
          rule({ data: [{ ...query, relativeTimeRange: range }, ...expressions] })
        );
        expect(answer).toMatchObject({
          status: 400,
          body: { statusCode: 400, messageId: 'alerting.alert-rule.invalidRelativeTime', message: 'Bad request' },
        });
      }
      // Expressions are exempt: the valid rule has 0/0 on both.
      expect((await call('POST', RULES, rule())).status).toBe(201);
    });

    it('saves what only the evaluation finds wrong: an unknown condition, data source or expression model', async () => {
      const [query, reduce] = rule().data as Array<Record<string, unknown>>;
      const odd = rule({
        condition: 'Z',
        data: [
          { ...query, datasourceUid: 'no-such-datasource' },
          { ...reduce, model: { type: 'reduce' } },
        ],
      });
      expect((await call('POST', RULES, odd)).status).toBe(201);
    });

    it('answers 409 with the conflict for a UID that exists', async () => {
      await call('POST', RULES, rule());
      expect(await call('POST', RULES, rule({ title: 'another' }))).toMatchObject({
        status: 409,
        body: {
          statusCode: 409,
          messageId: 'alerting.alert-rule.conflict',
          message: expect.stringMatching(/^Failed to save alert rule 'rule-1' in organization 1 due to conflict: /),
        },
      });
    });

    it('allows two rules with the same title in a folder (Grafana 12, grafana/grafana#102067)', async () => {
      expect((await call('POST', RULES, rule())).status).toBe(201);
      expect((await call('POST', RULES, rule({ uid: 'rule-2' }))).status).toBe(201);
    });

    it('answers with the data as sent, and reads it back with the model defaults Grafana filled in', async () => {
      const created = await call('POST', RULES, rule());
      expect(created.body.data[0].model).toEqual({ refId: 'A', expr: 'up' });
      expect((await call('GET', `${RULES}/rule-1`)).body.data[0].model).toEqual({
        refId: 'A',
        expr: 'up',
        maxDataPoints: 43200,
        intervalMs: 1000,
      });
    });
  });

  describe('PUT and DELETE /api/v1/provisioning/alert-rules/{UID}', () => {
    beforeEach(async () => {
      await call('POST', RULES, rule());
    });

    it('takes the UID from the path, whatever the body says', async () => {
      const answer = await call('PUT', `${RULES}/rule-1`, rule({ uid: 'other', title: 'renamed' }));
      expect([answer.status, answer.body.uid, answer.body.title]).toEqual([200, 'rule-1', 'renamed']);
      expect(grafana.rules.has('other')).toBe(false);
    });

    it('answers 404 without a body for a rule that does not exist, but 400 first when the folder is missing', async () => {
      as('Admin');
      expect(await call('PUT', `${RULES}/nope`, rule())).toMatchObject({ status: 404, text: '' });
      expect((await call('PUT', `${RULES}/nope`, rule({ folderUID: 'gone' }))).body.message).toBe(
        'invalid alert rule: folder does not exist'
      );
      expect(await call('GET', `${RULES}/nope`)).toMatchObject({ status: 404, text: '' });
    });

    it('answers 500 for taking provenance away from a provisioned rule, and allows provisioning a plain one', async () => {
      expect((await call('PUT', `${RULES}/rule-1`, rule(), { provenance: true })).body.provenance).toBe('api');
      expect(await call('PUT', `${RULES}/rule-1`, rule({ title: 'x' }))).toMatchObject({
        status: 500,
        body: { message: 'Internal Server Error' },
      });
    });

    it('answers 409 for deleting a provisioned rule with provenance disabled', async () => {
      await call('PUT', `${RULES}/rule-1`, rule(), { provenance: true });
      expect(await call('DELETE', `${RULES}/rule-1`)).toMatchObject({
        status: 409,
        body: {
          messageId: 'alerting.provenanceMismatch',
          message: "cannot delete with provided provenance '', needs 'api'",
        },
      });
      expect((await call('DELETE', `${RULES}/rule-1`, undefined, { provenance: true })).status).toBe(204);
    });

    it('deletes a missing rule quietly for alert.rules.provisioning:write, with 500 for an Editor', async () => {
      as('Admin');
      expect((await call('DELETE', `${RULES}/nope`)).status).toBe(204);
      as('Editor');
      expect((await call('DELETE', `${RULES}/nope`)).status).toBe(500);
    });
  });

  describe('rule groups (provisioning/alert_rules.go ReplaceRuleGroup)', () => {
    beforeEach(async () => {
      await call('POST', RULES, rule());
      await call('POST', RULES, rule({ uid: 'rule-2', title: 'second' }));
    });

    it("answers 404 with errutil's body for a group that does not exist, and lists a group without provenance", async () => {
      expect(await call('GET', '/api/v1/provisioning/folder/headroom/rule-groups/none')).toMatchObject({
        status: 404,
        body: { statusCode: 404, messageId: 'alerting.alert-rule.notFound', message: 'Not found' },
      });
      await call('PUT', `${RULES}/rule-1`, rule(), { provenance: true });
      const group = await call('GET', GROUP);
      expect(group.body).toMatchObject({ title: 'gpu', folderUid: 'headroom', interval: 60 });
      expect(group.body.rules.map((r: { provenance?: string }) => r.provenance)).toEqual([undefined, undefined]);
    });

    it.each([
      [15, 'invalid alert rule: interval (15s) should be non-zero and divided exactly by scheduler interval: 10'],
      [0, 'invalid alert rule: interval (0s) should be non-zero and divided exactly by scheduler interval: 10'],
      [65, 'invalid alert rule: interval (1m5s) should be non-zero and divided exactly by scheduler interval: 10'],
    ])('refuses the interval %i', async (interval, message) => {
      expect(await call('PUT', GROUP, { interval })).toMatchObject({ status: 400, body: { message } });
    });

    it('takes folder and group from the path, changes only the interval without rules, and echoes the body', async () => {
      const answer = await call('PUT', GROUP, { title: 'ignored', folderUid: 'ignored', interval: 300 });
      expect(answer).toMatchObject({
        status: 200,
        body: { title: 'gpu', folderUid: 'headroom', interval: 300, rules: null },
      });
      expect([...grafana.rules.values()].map((r) => [r.uid, r.intervalSeconds])).toEqual([
        ['rule-1', 300],
        ['rule-2', 300],
      ]);
    });

    it('keeps the rules for an empty list too: the conversion leaves it nil', async () => {
      expect((await call('PUT', GROUP, { interval: 120, rules: [] })).status).toBe(200);
      expect(grafana.rules.size).toBe(2);
    });

    it('makes the group exactly the rules sent: the others are deleted', async () => {
      const answer = await call('PUT', GROUP, { interval: 60, rules: [rule({ uid: 'rule-2', title: 'kept' })] });
      expect(answer.body.rules[0]).toMatchObject({ uid: 'rule-2', title: 'kept', for: '5m' });
      expect([...grafana.rules.keys()]).toEqual(['rule-2']);
    });

    it('lets a group write with provenance disabled unlock a provisioned rule', async () => {
      await call('PUT', `${RULES}/rule-1`, rule(), { provenance: true });
      expect(grafana.rules.get('rule-1')?.provenance).toBe('api');
      expect((await call('PUT', GROUP, { interval: 60 })).status).toBe(200);
      expect(grafana.rules.get('rule-1')?.provenance).toBe('');
    });

    it("wraps a rule's validation error the way the store reports it", async () => {
      const answer = await call('PUT', GROUP, { interval: 60, rules: [rule({ uid: 'rule-1', title: '' })] });
      expect(answer.body.message).toBe('failed to update alert rules: invalid alert rule: title is empty');
    });

    it('does not check the folder: an Admin writes a group into a folder that does not exist, an Editor may not', async () => {
      as('Admin');
      const path = '/api/v1/provisioning/folder/gone/rule-groups/gpu';
      expect((await call('PUT', path, { interval: 60, rules: [rule({ uid: 'rule-3' })] })).status).toBe(200);
      expect(grafana.rules.get('rule-3')?.folderUID).toBe('gone');
      as('Editor');
      expect((await call('PUT', path, { interval: 60 })).status).toBe(403);
    });
  });

  describe('permissions (basic roles, route and handler checks)', () => {
    it("lists each basic role's permissions, with scopes", async () => {
      as('Viewer');
      const viewer = (await call('GET', '/api/access-control/user/permissions')).body;
      expect(viewer).toMatchObject({
        // The role's, then the managed View permission of the root folder "headroom".
        'alert.rules:read': ['folders:*', 'folders:uid:headroom'],
        'alert.instances:read': [''],
        'datasources:query': ['datasources:*'],
        'folders:read': ['folders:uid:general', 'folders:uid:headroom'],
      });
      expect(viewer['alert.rules:create']).toBeUndefined();
      as('Editor');
      const editor = (await call('GET', '/api/access-control/user/permissions')).body;
      expect(editor).toMatchObject({
        'alert.rules:create': ['folders:*', 'folders:uid:headroom'],
        'alert.provisioning.provenance:write': [''],
        'folders:create': ['folders:uid:general'],
      });
      expect(editor['alert.provisioning:write']).toBeUndefined();
      expect(editor['alert.rules.provisioning:write']).toBeUndefined();
      as('Admin');
      expect((await call('GET', '/api/access-control/user/permissions')).body).toMatchObject({
        'alert.provisioning:write': [''],
        'alert.rules.provisioning:write': [''],
        'folders:read': expect.arrayContaining(['folders:*']),
      });
    });

    it("refuses a Viewer's write at the route with the middleware's body", async () => {
      as('Viewer');
      const answer = await call('POST', RULES, rule());
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        title: 'Access denied',
        message:
          "You'll need additional permissions to perform this action. Permissions needed: any of " +
          'alert.provisioning:write, alert.rules.provisioning:write, all of alert.rules:create, ' +
          'alert.provisioning.provenance:write',
        accessErrorId: expect.stringMatching(/^ACE\d{10}$/),
      });
    });

    it("refuses in the handler what the route lets through, with alerting's errutil body", async () => {
      grafana.folders.set('team', { uid: 'team', title: 'Team' });
      as({
        custom: {
          'alert.rules:create': ['folders:uid:team'],
          'alert.provisioning.provenance:write': [''],
          'folders:read': ['folders:*'],
        },
      });
      const answer = await call('POST', RULES, rule());
      expect(answer).toMatchObject({
        status: 403,
        body: {
          statusCode: 403,
          messageId: 'alerting.unauthorized',
          message: 'user is not authorized to create alert rules in the folder headroom',
          extra: { permissions: 'action:alert.rules:create scopes:folders:uid:headroom' },
        },
      });
    });

    it('needs read access to a new group, "otherwise it will not be able to read it back"', async () => {
      as({
        custom: {
          'alert.rules:create': ['folders:*'],
          'alert.provisioning.provenance:write': [''],
          'datasources:query': ['datasources:*'],
          'folders:read': ['folders:*'],
        },
      });
      expect((await call('POST', RULES, rule())).body.message).toBe(
        "user is not authorized to access rule group 'gpu' in folder 'headroom'"
      );
    });

    it('lets a Viewer read rules but answers 401 for a token it does not know or that expired', async () => {
      await call('POST', RULES, rule());
      as('Viewer');
      expect((await call('GET', RULES)).body).toHaveLength(1);
      const unknown = await fetch(`${grafana.url}${RULES}`, { headers: { Authorization: 'Bearer nope' } });
      expect([unknown.status, await unknown.json()]).toEqual([
        401,
        { statusCode: 401, messageId: 'api-key.invalid', message: 'Invalid API key', traceID: '' },
      ]);
      grafana.expireToken();
      expect((await call('GET', RULES)).body.message).toBe('Expired API key');
    });

    it('answers 401 "Unauthorized" to a request without credentials, as Grafana\'s authn does', async () => {
      const anonymous = await fetch(`${grafana.url}${RULES}`);
      expect([anonymous.status, await anonymous.json()]).toEqual([
        401,
        { statusCode: 401, messageId: 'auth.unauthorized', message: 'Unauthorized', traceID: '' },
      ]);
    });
  });

  describe('GET /api/plugins/<id>/settings (api/plugins.go GetPluginSettingByID)', () => {
    it('answers an app never configured as not enabled, with null jsonData and no secure field', async () => {
      const settings = await call('GET', '/api/plugins/headroom-capacity-app/settings');
      expect(settings).toMatchObject({
        status: 200,
        body: { id: 'headroom-capacity-app', enabled: false, pinned: false, autoEnabled: false, jsonData: null },
      });
      expect(settings.body.secureJsonFields).toEqual({});
    });

    it('answers 404 for a plugin not installed, and 403 to a role without plugins.app:access', async () => {
      expect((await call('GET', '/api/plugins/no-such-app/settings')).body.message).toBe(
        'Plugin not found, no installed plugin with that id'
      );
      as({ custom: {} });
      expect(await call('GET', '/api/plugins/headroom-capacity-app/settings')).toMatchObject({
        status: 403,
        body: { message: 'Access Denied' },
      });
    });
  });

  describe('folders and data sources', () => {
    it.each([
      [{ uid: 'f1' }, 400, 'folder title cannot be empty'],
      [{ uid: 'f1', title: '   ' }, 400, 'folder title cannot be empty'],
      [{ uid: 'f1', title: 'General' }, 400, 'a folder with that name already exists'],
      [{ uid: 'bad uid', title: 'x' }, 400, 'uid contains illegal characters'],
      [{ uid: 'u'.repeat(41), title: 'x' }, 400, 'uid too long, max 40 characters'],
      [{ uid: 'headroom', title: 'x' }, 409, 'folders.folder.grafana.app "headroom" already exists'],
    ])('refuses the folder %j', async (folder, status, message) => {
      expect(await call('POST', '/api/folders', folder)).toMatchObject({ status, body: { message } });
    });

    it('creates folders with the same title side by side, and answers 404 for one that does not exist', async () => {
      expect((await call('POST', '/api/folders', { uid: 'a', title: 'Same' })).status).toBe(200);
      expect((await call('POST', '/api/folders', { uid: 'b', title: 'Same' })).body).toMatchObject({
        uid: 'b',
        title: 'Same',
      });
      expect((await call('GET', '/api/folders/nope')).status).toBe(404);
      as('Viewer');
      expect((await call('POST', '/api/folders', { uid: 'c', title: 'Mine' })).status).toBe(403);
    });

    it('answers a data source by UID, or 404 "Data source not found"', async () => {
      expect((await call('GET', '/api/datasources/uid/prom')).body).toMatchObject({ uid: 'prom', type: 'prometheus' });
      expect(await call('GET', '/api/datasources/uid/nope')).toMatchObject({
        status: 404,
        body: { message: 'Data source not found' },
      });
    });
  });

  describe('rule states (api/prometheus/api_prometheus.go)', () => {
    beforeEach(async () => {
      grafana.folders.set('team', { uid: 'team', title: 'Team' });
      await call('POST', RULES, rule());
      await call('POST', RULES, rule({ uid: 'team-rule', folderUID: 'team', ruleGroup: 'db' }));
    });

    it('answers an unknown or unreadable folder_uid with every folder the caller may read', async () => {
      const states = async (query: string) =>
        (await call('GET', `/api/prometheus/grafana/api/v1/rules?${query}`)).body.data.groups.map(
          (g: { folderUid: string }) => g.folderUid
        );
      expect(await states('folder_uid=headroom')).toEqual(['headroom']);
      expect(await states('folder_uid=deleted')).toEqual(['headroom', 'team']);
      grafana.folders.get('team')!.restricted = true;
      expect(await states('folder_uid=team')).toEqual(['headroom']);
      expect(await states('rule_uid=rule-1')).toEqual(['headroom']);
    });

    it('sets activeAt for a firing rule only, and leaves out alerts and lastError when there are none', async () => {
      grafana.evaluates('rule-1', { state: 'firing', health: 'ok', activeAt: '2026-01-01T00:00:00Z' });
      grafana.evaluates('team-rule', { state: 'pending', health: 'ok', activeAt: '2026-01-01T00:00:00Z' });
      const groups = (await call('GET', '/api/prometheus/grafana/api/v1/rules')).body.data.groups;
      const [firing, pending] = groups.map((g: { rules: Array<Record<string, unknown>> }) => g.rules[0]);
      expect(firing).toMatchObject({ state: 'firing', activeAt: '2026-01-01T00:00:00Z', duration: 300 });
      expect(pending).not.toHaveProperty('activeAt');
      expect(pending.alerts).toEqual([expect.objectContaining({ state: 'Pending' })]);
      grafana.evaluations.clear();
      const quiet = (await call('GET', '/api/prometheus/grafana/api/v1/rules')).body.data.groups[0].rules[0];
      expect(quiet).toMatchObject({ state: 'inactive', health: 'ok', lastEvaluation: '0001-01-01T00:00:00Z' });
      expect(quiet).not.toHaveProperty('alerts');
      expect(quiet).not.toHaveProperty('lastError');
    });
  });
});
