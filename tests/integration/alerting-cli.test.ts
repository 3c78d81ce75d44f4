import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { calibrateSeries } from '../../src/alerting/calibrate';
import { applySync, createGrafanaProvisioningClient, planSync } from '../../src/alerting/grafanaClient';
import { createGrafanaFetchTransport } from '../../src/alerting/grafanaFetchTransport';
import { ANNOTATIONS, grafanaRulesForBand, type ProvisionedAlertRule } from '../../src/alerting/grafanaRule';
import {
  DEFAULT_SENSITIVITY,
  parseSensitivity,
  ruleConfig,
  withSensitivity,
  type Sensitivity,
} from '../../src/alerting/sensitivity';
import { GrafanaDouble } from '../grafana-double/server';
import { headroomCommand } from '../kit/cli';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'glsa_cli_secret_9f8e7d';
const STEP_SECONDS = 300;
const MONDAY = 1_700_438_400; // 2023-11-20 00:00 UTC
const DAYS = 14;
const AT = MONDAY + DAYS * 86_400;
const SELECTORS = ['gpu_util{gpu="0"}', 'gpu_util{gpu="1"}'];

const timestamps = Array.from({ length: (DAYS * 86_400) / STEP_SECONDS }, (_, k) => MONDAY + k * STEP_SECONDS);
/** Busy 09:00–17:00 UTC, a deterministic wobble; gpu 1 runs 10 higher. */
const valuesOf = (offset: number) =>
  timestamps.map(
    (t, k) =>
      40 +
      offset +
      (Math.floor((t % 86_400) / 3600) >= 9 && Math.floor((t % 86_400) / 3600) < 17 ? 30 : 0) +
      ((k * 7) % 5)
  );

/** Runs the CLI without blocking this process, which serves the Grafana double. */
function headroom(args: string[], env: Record<string, string> = { HEADROOM_GRAFANA_TOKEN: TOKEN }) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      ...headroomCommand(args),
      { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    );
  });
}

/** A loopback address nothing listens on: a port just freed. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let prometheus: RunningPrometheus;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-alerting-cli-'));
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      ...[0, 1].map((gpu) => {
        const values = valuesOf(10 * gpu);
        return {
          name: 'gpu_util',
          labels: { gpu: String(gpu) },
          samples: timestamps.map((t, i): [number, number] => [t, values[i]]),
        };
      }),
      // Two nodes of 8 GPUs each (kube-state-metrics) and one pod holding a GPU: the fleet's capacity is 16.
      ...(
        [
          { name: 'kube_node_status_allocatable', labels: { node: 'node-a', resource: 'nvidia_com_gpu' }, value: 8 },
          { name: 'kube_node_status_allocatable', labels: { node: 'node-b', resource: 'nvidia_com_gpu' }, value: 8 },
          {
            name: 'kube_pod_container_resource_requests',
            labels: { node: 'node-a', namespace: 'ml', pod: 'p', resource: 'nvidia_com_gpu' },
            value: 1,
          },
          { name: 'kube_pod_status_phase', labels: { namespace: 'ml', pod: 'p', phase: 'Running' }, value: 1 },
        ] as Array<{ name: string; labels: Record<string, string>; value: number }>
      ).map(({ name, labels, value }) => ({
        name,
        labels,
        samples: timestamps.map((t): [number, number] => [t, value]),
      })),
    ]),
  });
});
afterAll(async () => {
  await prometheus.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('headroom recalibrate', () => {
  let grafana: GrafanaDouble;

  /** The rules as Headroom wrote them a week before: calibrated at day 7 from the same series. */
  async function seedRulesAWeekOld() {
    const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    const desired = SELECTORS.flatMap((selector, gpu) => {
      const { calibration, timing } = calibrateSeries(timestamps, valuesOf(10 * gpu), MONDAY + 7 * 86_400);
      return grafanaRulesForBand(
        { selector, datasourceUid: 'prom-uid', folderUID: 'headroom', ruleGroup: 'gpu' },
        calibration,
        timing
      );
    });
    await applySync(client, planSync(desired, []), {
      folder: { uid: 'headroom', title: 'Headroom' },
      groupIntervalSeconds: 300,
    });
    return desired.map((r) => r.uid);
  }

  beforeEach(async () => {
    grafana = new GrafanaDouble({ token: TOKEN, datasources: { 'prom-uid': prometheus.url } });
    await grafana.start();
  });
  afterEach(() => grafana.stop());

  const run = (...extra: string[]) =>
    headroom(['recalibrate', '--grafana-url', grafana.url, '--at', String(AT), ...extra]);

  it('relearns every managed rule through the data source proxy, in place, and a second run changes nothing', async () => {
    const uids = await seedRulesAWeekOld();
    grafana.personCreates({ ...grafana.rules.get(uids[0])!, uid: 'someone-else', title: 'not ours', labels: {} });

    const first = await run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(
      first.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0])
    ).toEqual(['update', 'update', 'update', 'update']);
    expect(
      grafana.requests.some((r) => r.path.startsWith('/api/datasources/proxy/uid/prom-uid/api/v1/query_range'))
    ).toBe(true);
    for (const uid of uids) {
      expect(grafana.rules.get(uid)?.annotations).toMatchObject({
        [ANNOTATIONS.calibratedAt]: '2023-12-04T00:00:00.000Z',
      });
    }
    expect(grafana.rules.get('someone-else')?.title).toBe('not ours');

    const second = await run();
    expect(second.status).toBe(0);
    expect(
      second.stdout
        .trim()
        .split('\n')
        .every((l) => l.startsWith('unchanged '))
    ).toBe(true);
  });

  it("asks before overwriting a person's edit, shows the diff, and overwrites once confirmed; dry run writes nothing", async () => {
    const uids = await seedRulesAWeekOld();
    grafana.personEdits(uids[1], (rule) => {
      rule.annotations!.summary = 'tuned by hand';
    });

    const writes = () => grafana.requests.filter((r) => r.method !== 'GET').length;
    const writesBeforeDryRun = writes();
    const dry = await run('--dry-run');
    expect(dry.stdout).toMatch(/^would update /m);
    expect(writes()).toBe(writesBeforeDryRun);
    expect(grafana.rules.get(uids[0])?.annotations?.[ANNOTATIONS.calibratedAt]).toBe('2023-11-27T00:00:00.000Z');

    const asked = await run();
    expect(asked.status).toBe(1);
    expect(asked.stdout).toContain(`edited by a person, not overwritten: ${uids[1]}`);
    expect(asked.stdout).toContain('annotations.summary: "tuned by hand" →');
    expect(asked.stdout).toContain(`--confirm ${uids[1]}`);
    expect(grafana.rules.get(uids[1])?.annotations?.summary).toBe('tuned by hand');

    const confirmed = await run('--confirm', uids[1]);
    expect(confirmed.status).toBe(0);
    expect(grafana.rules.get(uids[1])?.annotations?.summary).not.toBe('tuned by hand');
  });

  it('keeps the sensitivity a rule was written with on the Alerts page (width, margin, for, sides)', async () => {
    const client = createGrafanaProvisioningClient(createGrafanaFetchTransport(grafana.url, TOKEN));
    const chosen: Sensitivity = { widthMads: 6, minMarginPercent: 40, forMinutes: 15, direction: 'upper' };
    const written = (sensitivity: Sensitivity, atSeconds: number) => {
      const { calibration, timing } = calibrateSeries(
        timestamps,
        valuesOf(0),
        atSeconds,
        ruleConfig(sensitivity, STEP_SECONDS)
      );
      const target = { selector: SELECTORS[0], datasourceUid: 'prom-uid', folderUID: 'headroom', ruleGroup: 'gpu' };
      return grafanaRulesForBand(target, calibration, timing).map((rule) => withSensitivity(rule, sensitivity));
    };
    const seeded = written(chosen, MONDAY + 7 * 86_400);
    expect(seeded.map((r) => r.annotations?.[ANNOTATIONS.side])).toEqual(['upper']);
    await applySync(client, planSync(seeded, []), {
      folder: { uid: 'headroom', title: 'Headroom' },
      groupIntervalSeconds: 300,
    });

    const result = await run();
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`update ${seeded[0].uid} ${seeded[0].title}`);
    const after = grafana.rules.get(seeded[0].uid)! as unknown as ProvisionedAlertRule;
    expect(parseSensitivity(after)).toEqual(chosen);
    expect(after.for).toBe('15m'); // 15 minutes, not the default 5, as Grafana prints it
    expect(after.annotations?.[ANNOTATIONS.calibratedAt]).toBe('2023-12-04T00:00:00.000Z');
    // The band a width of 6 learns, not the default 3: what the page would write at the same time.
    const expr = (rule: ProvisionedAlertRule) => rule.data[0].model.expr;
    expect(expr(after)).toBe(expr(written(chosen, AT)[0]));
    expect(expr(after)).not.toBe(expr(written(DEFAULT_SENSITIVITY, AT)[0]));
    expect((await run()).stdout.trim()).toBe(`unchanged ${seeded[0].uid} ${seeded[0].title}`);
  });

  it('never prints the token, whatever fails', async () => {
    await seedRulesAWeekOld();
    grafana.role = 'Viewer';
    const results = [
      await run(),
      await headroom(['recalibrate', '--grafana-url', grafana.url], { HEADROOM_GRAFANA_TOKEN: `${TOKEN}x` }),
      await headroom(['recalibrate', '--grafana-url', await closedPortUrl()]),
    ];
    expect(results.map((r) => r.status)).toEqual([1, 1, 1]);
    expect(results[0].stderr).toMatch(/403 "You'll need additional permissions to perform this action/);
    expect(results[1].stderr).toMatch(/401 "Invalid API key"/);
    expect(results[2].stderr).toMatch(/Cannot reach Grafana at http:\/\/127.0.0.1:\d+ \(ECONNREFUSED\)/);
    for (const result of results) {
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
    }
    const missing = await headroom(['recalibrate', '--grafana-url', grafana.url], { HEADROOM_GRAFANA_TOKEN: '' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('set HEADROOM_GRAFANA_TOKEN');
  });
});

describe('headroom rules export', () => {
  it('prints the same Prometheus rule file from a series file and from Prometheus', async () => {
    const file = join(dir, 'gpu0.json');
    writeFileSync(file, JSON.stringify({ timestamps, values: valuesOf(0) }));
    const fromFile = await headroom([
      'rules',
      'export',
      '--name',
      'gpu0',
      '--series',
      file,
      '--selector',
      SELECTORS[0],
      '--at',
      String(AT),
    ]);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.stdout).toMatch(/^groups:\n {2}- name: "headroom_thresholds_gpu0"\n {4}interval: 300s\n/);
    expect(fromFile.stdout).toContain(`alert: "HeadroomThreshold_gpu0"`);
    expect(fromFile.stdout).toContain('headroom_calibrated_at: "2023-12-04T00:00:00.000Z"');

    const fromPrometheus = await headroom([
      'rules',
      'export',
      '--name',
      'gpu0',
      '--prometheus',
      prometheus.url,
      '--expr',
      SELECTORS[0],
      '--at',
      String(AT),
    ]);
    expect(fromPrometheus.stderr).toBe('');
    // Prometheus' 4-week query at its 300 s step reads back exactly the samples of the file.
    expect(fromPrometheus.stdout).toBe(fromFile.stdout);
  });

  it('parenthesises a selector with `or`, and refuses one Prometheus cannot parse before printing anything', async () => {
    const file = join(dir, 'gpu0-or.json');
    writeFileSync(file, JSON.stringify({ timestamps, values: valuesOf(0) }));
    const exportWith = (source: string[], selector: string) =>
      headroom(['rules', 'export', '--name', 'orsel', ...source, selector, '--at', String(AT)]);
    const fromFile = ['--series', file, '--selector'];
    const fromPrometheus = ['--prometheus', prometheus.url, '--expr'];

    const or = await exportWith(fromFile, 'sum(gpu_util) or vector(0)');
    expect(or.status).toBe(0);
    expect(or.stdout).toContain('expr: "(sum(gpu_util) or vector(0)) > scalar(headroom:alert_threshold_upper');

    for (const source of [fromFile, fromPrometheus]) {
      // Unparseable, and parseable alone but not comparable (a range vector).
      for (const [selector, reason] of [
        ['sum(gpu_util', 'unclosed left parenthesis'],
        ['gpu_util[5m]', 'binary expression must contain only scalar and instant vector types'],
      ]) {
        const refused = await exportWith(source, selector);
        expect({ source: source[0], selector, status: refused.status, stdout: refused.stdout }).toEqual({
          source: source[0],
          selector,
          status: 2,
          stdout: '',
        });
        expect(refused.stderr).toContain(`Prometheus cannot use the selector ${JSON.stringify(selector)}`);
        expect(refused.stderr).toContain(reason);
      }
    }
  });

  it('refuses a history under 2 days (3 samples) with exit 2, and warns under a week', async () => {
    const three = join(dir, 'three.json');
    writeFileSync(three, JSON.stringify({ timestamps: timestamps.slice(0, 3), values: valuesOf(0).slice(0, 3) }));
    const refused = await headroom([
      'rules',
      'export',
      '--name',
      'three',
      '--series',
      three,
      '--selector',
      SELECTORS[0],
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    // 3 samples 5 min apart cover 15 min (first to last, plus a step).
    expect(refused.stderr).toContain(
      '3 samples with values covering 0.3 h; a band needs at least 2 days and 48 samples'
    );

    const fiveDays = join(dir, 'five-days.json');
    const rows = (5 * 86_400) / STEP_SECONDS;
    writeFileSync(
      fiveDays,
      JSON.stringify({ timestamps: timestamps.slice(0, rows), values: valuesOf(0).slice(0, rows) })
    );
    const warned = await headroom([
      'rules',
      'export',
      '--name',
      'five',
      '--series',
      fiveDays,
      '--selector',
      SELECTORS[0],
    ]);
    expect(warned.status).toBe(0);
    expect(warned.stdout).toContain('alert: "HeadroomThreshold_five"');
    expect(warned.stderr).toMatch(
      /warning: the band is learnt from 5\.0 days of history: it has not seen a whole week/
    );
  });

  it('clamps the thresholds into --min/--max', async () => {
    // gpu 0 runs 70–74 from 09:00 to 16:59 and 40–44 otherwise: its day edges reach past 75, its night ones stay
    // above 30.
    const file = join(dir, 'gpu0-range.json');
    writeFileSync(file, JSON.stringify({ timestamps, values: valuesOf(0) }));
    const run = (range: string[]) =>
      headroom([
        'rules',
        'export',
        '--name',
        'gpu0',
        '--series',
        file,
        '--selector',
        SELECTORS[0],
        '--at',
        String(AT),
        ...range,
      ]);
    const thresholdsOf = (ruleFile: string, side: 'upper' | 'lower') => {
      const expr = new RegExp(`record: headroom:alert_threshold_${side}\\n\\s+expr: "([^"]*)"`).exec(ruleFile)![1];
      return [...expr.matchAll(/\* \(?(-?[0-9.e+-]+)\)?/g)].map((m) => Number(m[1]));
    };
    const free = await run([]);
    expect(Math.max(...thresholdsOf(free.stdout, 'upper'))).toBeGreaterThan(75);
    const clamped = await run(['--min', '30', '--max', '75']);
    expect(clamped.status).toBe(0);
    const upper = thresholdsOf(clamped.stdout, 'upper');
    expect(Math.max(...upper)).toBe(75);
    expect(upper).toEqual(thresholdsOf(free.stdout, 'upper').map((u) => Math.min(u, 75)));
    expect(thresholdsOf(clamped.stdout, 'lower')).toEqual(thresholdsOf(free.stdout, 'lower'));

    // The fleet's capacity from kube-state-metrics. (gpu 1 − 50) / 2.2 "busy GPUs" runs 0–1.8 at night and
    // 13.6–15.5 by day, all within [0, 16]; the minimum margin, 10 % of the 15.5 range, takes the day's upper edges
    // past 16 and the night's lower edges below 0.
    const busy = await headroom([
      ...[
        'rules',
        'export',
        '--name',
        'busy',
        '--prometheus',
        prometheus.url,
        '--expr',
        `(${SELECTORS[1]} - 50) / 2.2`,
      ],
      ...['--at', String(AT), '--min', '0', '--max', 'fleet-gpus'],
    ]);
    expect(busy.stderr).toBe('');
    expect(busy.status).toBe(0);
    expect(Math.max(...thresholdsOf(busy.stdout, 'upper'))).toBe(16);
    expect(Math.min(...thresholdsOf(busy.stdout, 'lower'))).toBe(0);

    const inverted = await run(['--min', '5', '--max', '1']);
    expect(inverted.status).toBe(2);
    expect(inverted.stderr).toContain('--min 5 must be below --max 1');
  });

  it('says so when no promtool can check a rule file written from a series file', async () => {
    const file = join(dir, 'gpu0-nopromtool.json');
    writeFileSync(file, JSON.stringify({ timestamps, values: valuesOf(0) }));
    const args = ['rules', 'export', '--name', 'gpu0', '--series', file, '--selector', 'sum(gpu_util'];
    const result = await headroom([...args, '--at', String(AT)], { HEADROOM_PROMTOOL: join(dir, 'no-such-promtool') });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warning: promtool was not found, so the rule file was not checked/);
  });

  it('explains bad flags with exit code 2', async () => {
    const result = await headroom(['rules', 'export', '--name', 'gpu0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/give either --series FILE with --selector PROMQL/);
  });
});
