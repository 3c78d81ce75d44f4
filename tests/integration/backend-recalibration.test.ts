/**
 * Recalibration inside Grafana, end to end: backend processes started as Grafana starts them, the app's settings
 * (service-account token as a secret, Grafana's URL in grafanaConfig) handed over in a call's plugin context as Grafana
 * sends them, the Grafana double (tests/grafana-double, Grafana 12.4's provisioning API) holding Headroom's rules and
 * proxying history requests to a real Prometheus. Two replicas run at once: every rule is written once, by one of them;
 * a rule a person edited is left alone; a refused token (401) and a lease held elsewhere (409) are logged in hclog's
 * JSON without the token.
 */
import { type ChildProcess } from 'node:child_process';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { calibrateSeries } from '../../src/alerting/calibrate';
import { applySync, createGrafanaProvisioningClient, planSync } from '../../src/alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../src/alerting/grafanaFetchTransport';
import { ANNOTATIONS, grafanaRulesForBand } from '../../src/alerting/grafanaRule';
import { protocolServices } from '../../src/backend/protocol';
import { leaseRule } from '../../src/backend/recalibration/lease';
import { GrafanaDouble } from '../grafana-double/server';
import { startBackend, unaryCall } from '../kit/backendProcess';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const REPO_ROOT = path.resolve(__dirname, '../..');
const SOURCE_COMMAND = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src/backend/main.ts')];
const TOKEN = 'glsa_recal_integration_5b2e';
const DAY = 86_400;
const STEP = 300;
/** Longer than this file's tests take: a run that starts closer to midnight UTC waits for it (below). */
const MIDNIGHT_MARGIN_SECONDS = 6 * 60;
const SELECTORS = ['gpu_util{gpu="0"}', 'gpu_util{gpu="1"}'];
// The backend calibrates at the last 00:00 UTC of its own clock (daily cadence); the history ends there. Set in
// beforeAll, after any wait, so the test and the backend's clock agree on the day for the whole file.
let DUE: number;
let timestamps: number[];
/** Busy 09:00–17:00 UTC and a deterministic wobble; gpu 1 runs 10 higher. */
const valuesOf = (offset: number) =>
  timestamps.map(
    (t, k) =>
      40 + offset + (Math.floor((t % DAY) / 3600) >= 9 && Math.floor((t % DAY) / 3600) < 17 ? 30 : 0) + ((k * 7) % 5)
  );

const services = protocolServices();

interface Replica {
  child: ChildProcess;
  client: grpc.Client;
  log: () => string;
}

async function startReplica(): Promise<Replica> {
  const started = await startBackend(SOURCE_COMMAND, {
    cwd: REPO_ROOT,
    extraEnv: { HEADROOM_RECALIBRATION_TICK_MS: '500' },
    stderr: 'pipe',
  });
  let stderr = '';
  started.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new grpc.Client(started.line.split('|')[3], grpc.credentials.createInsecure());
  return { child: started.child, client, log: () => stderr };
}

/** What Grafana sends with a call to the app: its settings, the token decrypted, and Grafana's URL. */
function appContext(grafanaUrl: string, token: string, lastUpdatedMs = 1) {
  return {
    pluginId: 'headroom-capacity-app',
    appInstanceSettings: {
      jsonData: Buffer.from('{}'),
      decryptedSecureJsonData: { recalibrationToken: token },
      lastUpdatedMs,
    },
    grafanaConfig: { GF_APP_URL: grafanaUrl },
  };
}

const checkHealth = (replica: Replica, context: object) =>
  unaryCall(replica.client, services.diagnostics, 'CheckHealth', { pluginContext: context });

async function metricsOf(replica: Replica): Promise<string> {
  const answer = await unaryCall(replica.client, services.diagnostics, 'CollectMetrics', {});
  return Buffer.from((answer.metrics as { prometheus: Buffer }).prometheus).toString('utf8');
}

const sample = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1]
  );

async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every line of the plugin's stderr is an hclog JSON line Grafana puts into its own log at the line's level. */
function logLines(text: string): Array<{ '@level': string; '@message': string; '@timestamp': string }> {
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

let prometheus: RunningPrometheus;
let grafana: GrafanaDouble;
const replicas: Replica[] = [];

/** Waits past the next midnight UTC when it is nearer than the margin, then fixes the due time and the history. */
async function fixTheDay(): Promise<void> {
  const nowSeconds = Date.now() / 1000;
  const toMidnightSeconds = DAY - (nowSeconds % DAY);
  if (toMidnightSeconds < MIDNIGHT_MARGIN_SECONDS) {
    await new Promise((resolve) => setTimeout(resolve, (toMidnightSeconds + 5) * 1000));
  }
  DUE = Math.floor(Date.now() / 1000 / DAY) * DAY;
  const start = DUE - 14 * DAY;
  timestamps = Array.from({ length: (14 * DAY) / STEP }, (_, k) => start + k * STEP);
}

beforeAll(async () => {
  await fixTheDay();
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(
      [0, 1].map((gpu) => ({
        name: 'gpu_util',
        labels: { gpu: String(gpu) },
        samples: timestamps.map((t, i): [number, number] => [t, valuesOf(10 * gpu)[i]]),
      }))
    ),
  });
}, 120_000 + MIDNIGHT_MARGIN_SECONDS * 1000);

beforeEach(async () => {
  grafana = new GrafanaDouble({ token: TOKEN, datasources: { 'prom-uid': prometheus.url } });
  await grafana.start();
});

afterEach(async () => {
  for (const replica of replicas.splice(0)) {
    replica.client.close();
    replica.child.kill('SIGKILL');
  }
  await grafana.stop();
});

afterAll(() => prometheus.stop());

/** The rules as Headroom wrote them a week before the due time, from the same series. */
async function seedRulesAWeekOld(): Promise<string[]> {
  const desired = SELECTORS.flatMap((selector, gpu) => {
    const { calibration, timing } = calibrateSeries(timestamps, valuesOf(10 * gpu), DUE - 7 * DAY);
    return grafanaRulesForBand(
      { selector, datasourceUid: 'prom-uid', folderUID: 'headroom', ruleGroup: 'gpu' },
      calibration,
      timing
    );
  });
  const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
  await applySync(client, planSync(desired, []), {
    folder: { uid: 'headroom', title: 'Headroom' },
    groupIntervalSeconds: 300,
  });
  grafana.requests.length = 0;
  return desired.map((rule) => rule.uid);
}

describe('recalibration in the backend', () => {
  test('two replicas at once: each rule written exactly once, by one of them; a rule a person edited left alone', async () => {
    const uids = await seedRulesAWeekOld();
    expect(uids).toHaveLength(4);
    const edited = uids[2];
    grafana.personEdits(edited, (rule) => {
      rule.annotations!.summary = 'tuned by hand';
    });
    grafana.requests.length = 0;

    replicas.push(await startReplica(), await startReplica());
    // Grafana calls both replicas' app (a page load on each); both learn the settings at the same moment.
    await Promise.all(replicas.map((replica) => checkHealth(replica, appContext(grafana.url, TOKEN))));
    const finished = (replica: Replica) => /recalibration (done|nothing due|other replica)/.test(replica.log());
    await waitFor(() => replicas.every(finished), 'both replicas to finish their run');

    const writesOf = (uid: string) =>
      grafana.requests.filter((r) => r.method === 'PUT' && r.path === `/api/v1/provisioning/alert-rules/${uid}`);
    for (const uid of uids.filter((u) => u !== edited)) {
      expect(writesOf(uid)).toHaveLength(1);
      expect(grafana.rules.get(uid)!.annotations![ANNOTATIONS.calibratedAt]).toBe(new Date(DUE * 1000).toISOString());
    }
    expect(writesOf(edited)).toHaveLength(0);
    expect(grafana.rules.get(edited)!.annotations!.summary).toBe('tuned by hand');
    // The lease is gone, and nothing else was created.
    expect([...grafana.rules.keys()].sort()).toEqual([...uids].sort());

    const logs = replicas.map((replica) => replica.log());
    expect(
      logs.filter((log) => /recalibration done: 3 rules updated, 1 edited by a person left alone/.test(log))
    ).toHaveLength(1);
    for (const log of logs) {
      for (const line of logLines(log)) {
        expect(Object.keys(line)).toEqual(expect.arrayContaining(['@level', '@message', '@timestamp']));
        expect(line['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      }
      expect(log).not.toContain(TOKEN);
    }
    expect(logs.join('\n')).toContain(`rule ${edited} `);

    const metrics = await Promise.all(replicas.map(metricsOf));
    const updated = metrics.map((text) => sample(text, 'headroom_recalibration_rules_updated_total'));
    expect(updated.sort()).toEqual([0, 3]);
    for (const text of metrics) {
      expect(sample(text, 'headroom_recalibration_last_run_timestamp_seconds')).toBeGreaterThan(DUE);
    }
  }, 180_000);

  test('a refused token (401) and a lease another replica holds (409) are logged without the token', async () => {
    const uids = await seedRulesAWeekOld();
    const replica = await startReplica();
    replicas.push(replica);

    await checkHealth(replica, appContext(grafana.url, `${TOKEN}-revoked`));
    await waitFor(() => /"@level":"error"/.test(replica.log()), 'the 401 in the log');
    const refused = logLines(replica.log()).find((line) => line['@level'] === 'error')!;
    expect(refused['@message']).toMatch(/Grafana answered 401/);
    expect(replica.log()).not.toContain(TOKEN);
    expect(sample(await metricsOf(replica), 'headroom_recalibration_errors_total{kind="unauthorized"}')).toBe(1);

    // Another replica holds this period's lease; someone saves a valid token: this one tries at once, and stands back.
    const admin = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    await admin.createRule(leaseRule(DUE, 'headroom', 'prom-uid', 'the-other-replica'));
    await checkHealth(replica, appContext(grafana.url, TOKEN, 2));
    await waitFor(() => /Grafana answered 409/.test(replica.log()), 'the 409 in the log');
    expect(replica.log()).not.toContain(TOKEN);
    expect(grafana.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    expect(uids.every((uid) => grafana.rules.has(uid))).toBe(true);
  }, 120_000);
});
