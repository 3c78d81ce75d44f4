/** @jest-environment node */
import { calibrateSeries } from '../../alerting/calibrate';
import { applySync, createGrafanaProvisioningClient, planSync } from '../../alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../alerting/grafanaFetchTransport';
import { grafanaRulesForBand, GRAFANA_UID_PATTERN } from '../../alerting/grafanaRule';
import { headroomQueryTemplateRules } from '../../alerting/templates/headroomQueryTemplates';
import { GrafanaDouble } from '../../../tests/grafana-double/server';
import type { PluginLogLevel } from '../pluginLog';
import { leaseRule, leaseUid, staleLeases } from './lease';
import { Recalibrator } from './recalibrator';
import { recalibrationSettings, type AppSettingsMessage } from './recalibrationSettings';

const TOKEN = 'glsa_recal_unit_7c1d';
const DAY = 86_400;
/** 2026-12-07T00:00:00Z (20,794 days after 1970). */
const DUE = 20_794 * DAY;
const STEP = 300;

/** `token` null: no token stored. */
const app = (json: object, token: string | null = TOKEN, lastUpdatedMs = 1): AppSettingsMessage => ({
  jsonData: Buffer.from(JSON.stringify(json)),
  decryptedSecureJsonData: token === null ? {} : { recalibrationToken: token },
  lastUpdatedMs,
});

describe('recalibrationSettings', () => {
  test('a token stored in the app wins over the one Grafana manages; either comes from the context or the start', () => {
    const managed = { GF_PLUGIN_APP_CLIENT_SECRET: 'managed' };
    expect(recalibrationSettings(app({}), managed, {}).credentials).toEqual({ token: TOKEN, source: 'stored' });
    expect(recalibrationSettings(app({}, null), managed, {}).credentials).toEqual({
      token: 'managed',
      source: 'managed',
    });
    expect(recalibrationSettings(undefined, {}, managed).credentials?.source).toBe('managed');
    expect(recalibrationSettings(app({}, '  '), {}, {}).credentials).toBeUndefined();
  });

  test("Grafana's address: the app's override, else GF_APP_URL of the call, else of the start", () => {
    const env = { GF_APP_URL: 'http://env:3000/' };
    const config = { GF_APP_URL: 'http://grafana.example/' };
    expect(
      recalibrationSettings(app({ recalibration: { grafanaUrl: 'http://localhost:3000' } }), config, env).grafanaUrl
    ).toBe('http://localhost:3000');
    expect(recalibrationSettings(app({}), config, env).grafanaUrl).toBe('http://grafana.example/');
    expect(recalibrationSettings(app({}), {}, env).grafanaUrl).toBe('http://env:3000/');
    expect(recalibrationSettings(app({}), {}, {}).grafanaUrl).toBeUndefined();
  });

  test('cadence: 24 h by default, whole hours from 1 to 168; on unless switched off; unreadable JSON = defaults', () => {
    const every = (json: object) => recalibrationSettings(app(json), {}, {}).everySeconds / 3600;
    expect(every({})).toBe(24);
    expect(every({ recalibration: { everyHours: 6 } })).toBe(6);
    expect(every({ recalibration: { everyHours: 0.1 } })).toBe(1);
    expect(every({ recalibration: { everyHours: 1000 } })).toBe(168);
    expect(every({ recalibration: { everyHours: 'daily' } })).toBe(24);
    expect(recalibrationSettings(app({ recalibration: { enabled: false } }), {}, {}).enabled).toBe(false);
    const garbled = { ...app({}), jsonData: Buffer.from('{not json') };
    expect(recalibrationSettings(garbled, {}, {})).toMatchObject({ enabled: true, everySeconds: 24 * 3600 });
  });
});

describe('the lease', () => {
  test('its UID names the due time and is a valid Grafana UID (at most 40 characters)', () => {
    expect(leaseUid(DUE)).toBe('headroom-recal-lease-1796601600');
    expect(leaseUid(DUE)).toMatch(GRAFANA_UID_PATTERN);
    const rule = leaseRule(DUE, 'headroom', 'prom', 'host/1');
    expect(rule).toMatchObject({ isPaused: true, folderUID: 'headroom' });
    // No labels: no notification policy routes it.
    expect(rule.labels).toBeUndefined();
    expect(rule.title).toContain('2026-12-07T00:00:00.000Z');
  });

  test('only leases of earlier due times are stale; the current and later ones are live', () => {
    const leases = [DUE - DAY, DUE, DUE + 3600, DUE + DAY].map((due) => leaseRule(due, 'headroom', 'prom', 'h'));
    expect(staleLeases(leases, DUE).map((rule) => rule.uid)).toEqual([`headroom-recal-lease-${DUE - DAY}`]);
  });
});

describe('Recalibrator (against the Grafana double)', () => {
  let grafana: GrafanaDouble;
  let lines: Array<{ level: PluginLogLevel; message: string }>;
  let now: number;

  const recalibrator = () =>
    new Recalibrator({
      env: {},
      log: (level, message) => lines.push({ level, message }),
      nowSeconds: () => now,
    });
  const context = (settings = app({})) => ({
    appInstanceSettings: settings,
    grafanaConfig: { GF_APP_URL: grafana.url },
  });
  const grafanaCalls = () => grafana.requests.length;
  const writes = () => grafana.requests.filter((r) => r.method !== 'GET');

  /** Two rules (upper, lower) of one series, written by Headroom at `calibratedAt` from a synthetic history. */
  async function seedRules(calibratedAt: number): Promise<string[]> {
    const times = Array.from({ length: (14 * DAY) / STEP }, (_, k) => calibratedAt - 14 * DAY + k * STEP);
    const values = times.map((t, k) => 50 + (Math.floor((t % DAY) / 3600) >= 9 ? 20 : 0) + ((k * 7) % 5));
    const { calibration, timing } = calibrateSeries(times, values, calibratedAt);
    const rules = grafanaRulesForBand(
      { selector: 'gpu_util{gpu="0"}', datasourceUid: 'prom', folderUID: 'headroom', ruleGroup: 'gpu' },
      calibration,
      timing
    );
    const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    await applySync(client, planSync(rules, []), {
      folder: { uid: 'headroom', title: 'Headroom' },
      groupIntervalSeconds: 300,
    });
    grafana.requests.length = 0;
    return rules.map((rule) => rule.uid);
  }

  beforeEach(async () => {
    grafana = new GrafanaDouble({ token: TOKEN, datasources: { prom: '' } });
    await grafana.start();
    lines = [];
    now = DUE + 3 * 3600;
  });
  afterEach(() => grafana.stop());

  test('without a token it asks Grafana nothing, and says why once, not at every tick', async () => {
    const r = recalibrator();
    r.observe(context(app({}, null)));
    r.stop();
    await r.tick();
    await r.tick();
    expect(grafanaCalls()).toBe(0);
    expect(lines).toEqual([
      { level: 'info', message: expect.stringMatching(/^recalibration waits: no service-account token/) },
    ]);
  });

  test("with a managed token it waits for the app's settings before the first run (they may switch it off)", async () => {
    const r = new Recalibrator({
      env: { GF_PLUGIN_APP_CLIENT_SECRET: TOKEN, GF_APP_URL: grafana.url },
      log: (level, message) => lines.push({ level, message }),
      nowSeconds: () => now,
    });
    await r.tick();
    expect(grafanaCalls()).toBe(0);
    expect(lines.map((l) => l.message)).toEqual([expect.stringContaining("waiting for the app's settings")]);
  });

  test('single organisation: settings from a second organisation are ignored, said once', () => {
    const r = recalibrator();
    r.observe({ ...context(), orgId: 1 });
    r.stop();
    const off = { ...context(app({ recalibration: { enabled: false } })), orgId: 2 };
    r.observe(off);
    r.observe(off);
    expect(r.settings().enabled).toBe(true);
    expect(lines.filter((l) => l.message.includes('organisation 1 only'))).toHaveLength(1);
  });

  test('switched off in the app settings, it asks Grafana nothing', async () => {
    const r = recalibrator();
    r.observe(context(app({ recalibration: { enabled: false } })));
    r.stop();
    await r.tick();
    expect(grafanaCalls()).toBe(0);
  });

  test('rules calibrated at the due time already are skipped without a lease; one run per due time', async () => {
    await seedRules(DUE);
    const r = recalibrator();
    r.observe(context());
    r.stop();
    await r.tick();
    await r.tick();
    expect(writes()).toEqual([]);
    // One list of the rules for the first tick, none for the second (the due time was handled).
    expect(grafana.requests.filter((q) => q.path === '/api/v1/provisioning/alert-rules')).toHaveLength(1);
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="nothing due"} 1');
    // The next period is due a day later: the rules are read again.
    now += DAY;
    await r.tick();
    expect(
      grafana.requests.filter((q) => q.method === 'GET' && q.path === '/api/v1/provisioning/alert-rules').length
    ).toBeGreaterThan(1);
  });

  test('another replica holding the lease (Grafana answers 409): this one stands back and writes nothing', async () => {
    const uids = await seedRules(DUE - 7 * DAY);
    const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    await client.createRule(leaseRule(DUE, 'headroom', 'prom', 'the-other-replica'));
    grafana.requests.length = 0;
    const r = recalibrator();
    r.observe(context());
    r.stop();
    await r.tick();
    // Only the lease's create was tried, and refused.
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual(['POST /api/v1/provisioning/alert-rules']);
    expect(
      uids.every((uid) => grafana.rules.get(uid)!.annotations!.headroom_calibrated_at.startsWith('2026-11-30'))
    ).toBe(true);
    expect(lines.map((l) => l.message).join('\n')).toMatch(/another Grafana replica .*Grafana answered 409/);
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="other replica"} 1');
  });

  test('template rules in the folder (no series to calibrate) are never due, even edited: no lease, no warning', async () => {
    const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    const [edited, plain] = headroomQueryTemplateRules({ headroomUid: 'prom' });
    await applySync(client, planSync([edited, plain], []), {
      folder: { uid: 'headroom', title: 'Headroom' },
      groupIntervalSeconds: 60,
    });
    grafana.personEdits(edited.uid, (rule) => {
      rule.annotations!.summary = 'tuned by hand';
    });
    grafana.requests.length = 0;
    const r = recalibrator();
    r.observe(context());
    r.stop();
    await r.tick();
    expect(writes()).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="nothing due"} 1');
  });

  test('its own lease, left by an earlier failed run of this process, is taken over (no 409 stand-back)', async () => {
    await seedRules(DUE - 7 * DAY);
    const r = recalibrator();
    const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    await client.createRule(leaseRule(DUE, 'headroom', 'prom', r.holder));
    r.observe(context());
    r.stop();
    await r.tick();
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="done"} 1');
    expect(grafana.rules.has(leaseUid(DUE))).toBe(false);
  });

  test("a lease Grafana refuses to delete: the run's result stands, the warning names it without the token, the next run takes it over", async () => {
    await seedRules(DUE - 7 * DAY);
    const leasePath = `/api/v1/provisioning/alert-rules/${leaseUid(DUE)}`;
    let refuseLeaseDelete = true;
    const r = new Recalibrator({
      env: {},
      log: (level, message) => lines.push({ level, message }),
      nowSeconds: () => now,
      transport: (baseUrl, token) => {
        const real = createGrafanaFetchTransport(baseUrl, token);
        return async (request) =>
          refuseLeaseDelete && request.method === 'DELETE' && request.path === leasePath
            ? // A proxy in front of Grafana that echoes the request's headers into its error body.
              { status: 502, body: { message: `upstream failed; request had Authorization: Bearer ${token}` } }
            : real(request);
      },
    });
    r.observe(context());
    r.stop();
    await r.tick();
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="done"} 1');
    const warning = lines.find((line) => line.message.includes('could not delete the recalibration lease'));
    expect(warning?.level).toBe('warn');
    expect(warning?.message).toContain(leaseUid(DUE));
    expect(warning?.message).toContain('502');
    expect(lines.map((line) => line.message).join('\n')).not.toContain(TOKEN);
    expect(grafana.rules.has(leaseUid(DUE))).toBe(true);

    // The next due time: the stale lease is deleted first, then the run proceeds without a 409 stand-back.
    refuseLeaseDelete = false;
    now += DAY;
    await r.tick();
    expect(grafana.rules.has(leaseUid(DUE))).toBe(false);
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="done"} 2');
  });

  test('a rule a person edited is not due: reported, left as it is, no lease taken', async () => {
    const [upper, lower] = await seedRules(DUE - 7 * DAY);
    for (const uid of [upper, lower]) {
      grafana.personEdits(uid, (rule) => {
        rule.annotations!.summary = 'tuned by hand';
      });
    }
    grafana.requests.length = 0;
    const r = recalibrator();
    r.observe(context());
    r.stop();
    await r.tick();
    expect(writes()).toEqual([]);
    expect(grafana.rules.get(upper)!.annotations!.summary).toBe('tuned by hand');
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringContaining(`rule ${upper} `),
      expect.stringContaining(`rule ${lower} `),
    ]);
    expect(r.exposition()).toContain('headroom_recalibration_rules_left_edited_total 2');
  });

  test('a refused token (401): logged without the token, counted, not retried every minute, retried on new settings', async () => {
    const r = recalibrator();
    r.observe(context(app({}, `${TOKEN}-revoked`)));
    r.stop();
    await r.tick();
    const error = lines.find((l) => l.level === 'error')!;
    expect(error.message).toMatch(/Grafana answered 401.*configuration page/);
    expect(lines.map((l) => l.message).join('\n')).not.toContain(TOKEN);
    expect(r.exposition()).toContain('headroom_recalibration_errors_total{kind="unauthorized"} 1');
    const calls = grafanaCalls();
    now += 60;
    await r.tick();
    expect(grafanaCalls()).toBe(calls);
    // 15 minutes later it tries again; or at once when someone saves a new token.
    r.observe(context(app({}, TOKEN, 2)));
    r.stop();
    await r.tick();
    expect(grafanaCalls()).toBeGreaterThan(calls);
    expect(r.exposition()).toContain('headroom_recalibration_runs_total{outcome="nothing due"} 1');
  });

  test('a service account without write access (403) is named in the log with what it needs', async () => {
    await seedRules(DUE - 7 * DAY);
    grafana.role = 'Viewer';
    const r = recalibrator();
    r.observe(context());
    r.stop();
    await r.tick();
    expect(lines.find((l) => l.level === 'error')?.message).toMatch(/Grafana answered 403.*Editor role/);
    expect(r.exposition()).toContain('headroom_recalibration_errors_total{kind="forbidden"} 1');
  });

  test("the app's health check says whether it can run, and never shows the token", async () => {
    const r = recalibrator();
    r.observe(context(app({}, null)));
    r.stop();
    expect(r.health()).toEqual({ status: 'ERROR', message: expect.stringContaining('no service-account token') });
    r.observe(context(app({ recalibration: { everyHours: 6 } })));
    r.stop();
    await r.tick();
    const health = r.health();
    expect(health.status).toBe('OK');
    expect(health.message).toContain('every 6 h with the stored token');
    expect(health.message).toContain(`last run: ${new Date(now * 1000).toISOString()}`);
    expect(health.message).not.toContain(TOKEN);
    r.observe(context(app({ recalibration: { enabled: false } })));
    r.stop();
    expect(r.health()).toEqual({ status: 'OK', message: 'Recalibration is switched off.' });
  });

  test("the health check hides a password in Grafana's address", () => {
    const r = recalibrator();
    r.observe(context(app({ recalibration: { grafanaUrl: 'http://admin:s3cret-pw@grafana.internal:3000' } })));
    r.stop();
    expect(r.health().status).toBe('OK');
    expect(r.health().message).toContain('grafana.internal:3000');
    expect(r.health().message).not.toContain('s3cret-pw');
  });

  test('the metrics: last run time, and Prometheus text format with HELP and TYPE for every family', async () => {
    const r = recalibrator();
    expect(r.exposition()).toContain('headroom_recalibration_last_run_timestamp_seconds 0');
    r.observe(context());
    r.stop();
    await r.tick();
    const text = r.exposition();
    expect(text).toContain(`headroom_recalibration_last_run_timestamp_seconds ${now}`);
    expect(text).toContain(`headroom_recalibration_last_success_timestamp_seconds ${now}`);
    const families = text.split('\n').filter((l) => l.startsWith('# TYPE')).length;
    expect(text.split('\n').filter((l) => l.startsWith('# HELP'))).toHaveLength(families);
    expect(text.endsWith('\n')).toBe(true);
  });
});
