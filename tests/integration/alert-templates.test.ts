/**
 * The fragmentation and waste-cost templates as Grafana-managed rules: their PromQL evaluated by a real Prometheus rule
 * engine (`promtool test rules`) on hand-worked fleets, and `headroom rules templates` end to end, printing both
 * formats and writing through the Grafana provisioning API double (which validates every request).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ProvisionedAlertRule } from '../../src/alerting/grafanaRule';
import { grafanaTemplateRules } from '../../src/alerting/templates/grafanaTemplates';
import { permissionsOf } from '../grafana-double/permissions';
import { GrafanaDouble } from '../grafana-double/server';
import { headroomCommand } from '../kit/cli';

const PROMTOOL = '/usr/bin/promtool';
const ROOT = join(__dirname, '..', '..');
const TOKEN = 'glsa_templates_test_token';

function headroom(args: string[], env: Record<string, string> = { HEADROOM_GRAFANA_TOKEN: TOKEN }) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      ...headroomCommand(['rules', 'templates', ...args]),
      { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    );
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-alert-templates-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a promtool rule test over `inputSeries` checking each query's value at each time. */
function promtool(inputSeries: string, checks: Array<{ expr: string; evalTime: string; value: number }>) {
  const tests = checks
    .map(
      (c) =>
        `      - expr: ${JSON.stringify(c.expr)}\n        eval_time: ${c.evalTime}\n` +
        `        exp_samples:\n          - labels: '{}'\n            value: ${c.value}`
    )
    .join('\n');
  writeFileSync(join(dir, 'none.yml'), 'groups: []\n');
  writeFileSync(
    join(dir, 'test.yml'),
    `rule_files: [none.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n${inputSeries}    promql_expr_test:\n${tests}\n`
  );
  const run = spawnSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
  return run.stdout + run.stderr;
}

/** The first word of each line `headroom rules templates` prints: create, update, unchanged… */
const actionsOf = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' ')[0]);
const series = (name: string, values: string) => `      - series: '${name}'\n        values: '${values}'\n`;
const queryOf = (rule: ProvisionedAlertRule) => rule.data[0].model.expr as string;

describe('the Grafana-managed templates evaluated by Prometheus', () => {
  it('gang blocked: the free GPUs while no node has 8 free, 0 once one has', () => {
    // a: 8 GPUs, train-1 holds 4 until minute 39; b: 8 GPUs, train-2 holds 3; c: 2 GPUs. Before minute 40: free
    // 4 + 5 + 2 = 11 ≥ 8 but at most 5 on a node → 11. From minute 40, a has 8 free → 0.
    const [gang] = grafanaTemplateRules({ prometheusUid: 'prom' });
    const input =
      series('kube_node_status_allocatable{node="a",resource="nvidia_com_gpu"}', '8x60') +
      series('kube_node_status_allocatable{node="b",resource="nvidia_com_gpu"}', '8x60') +
      series('kube_node_status_allocatable{node="c",resource="nvidia_com_gpu"}', '2x60') +
      series(
        'kube_pod_container_resource_requests{namespace="ml",pod="train-1",node="a",resource="nvidia_com_gpu"}',
        '4x60'
      ) +
      series(
        'kube_pod_container_resource_requests{namespace="ml",pod="train-2",node="b",resource="nvidia_com_gpu"}',
        '3x60'
      ) +
      series('kube_pod_status_phase{namespace="ml",pod="train-1",phase="Running"}', '1x39 0x20') +
      series('kube_pod_status_phase{namespace="ml",pod="train-2",phase="Running"}', '1x60');
    const out = promtool(input, [
      { expr: queryOf(gang), evalTime: '10m', value: 11 },
      { expr: queryOf(gang), evalTime: '45m', value: 0 },
    ]);
    expect(out).toContain('SUCCESS');
  });

  it('idle GPU cost: an idle L4 pod for 6 h costs its price per hour; none idle is 0 $/h, not NoData', () => {
    // nb holds one L4 at 0 % for 7 h; at 6 h 30 m all of its last 6 h is idle: 1 GPU × 2 $/h. Before 6 h of history
    // the share is still ≥ 90 % of the available steps, so check only the clear cases.
    const [, waste] = grafanaTemplateRules({ prometheusUid: 'prom', pricesPerGpuHour: { 'NVIDIA L4': 2 } });
    const idle =
      series('DCGM_FI_DEV_GPU_UTIL{gpu="0",modelName="NVIDIA L4",namespace="ml",pod="nb"}', '0x420') +
      series('kube_pod_container_resource_requests{namespace="ml",pod="nb",resource="nvidia_com_gpu"}', '1x420');
    expect(promtool(idle, [{ expr: queryOf(waste), evalTime: '390m', value: 2 }])).toContain('SUCCESS');
    const busy = idle.replace("values: '0x420'", "values: '50x420'");
    expect(promtool(busy, [{ expr: queryOf(waste), evalTime: '390m', value: 0 }])).toContain('SUCCESS');
  });
});

describe('headroom rules templates', () => {
  it('prints the Grafana rules as JSON and the Prometheus rule file that promtool accepts', async () => {
    const grafana = await headroom([
      '--prometheus-uid',
      'prom-uid',
      '--gang-gpus',
      '4',
      '--waste-dollars-per-hour',
      '5',
    ]);
    expect(grafana.status).toBe(0);
    const rules = JSON.parse(grafana.stdout) as ProvisionedAlertRule[];
    expect(rules.map((r) => r.title)).toEqual([
      'Headroom: a 4-GPU job cannot start although 4 GPUs are free',
      'Headroom: idle GPUs held by pods cost more than 5 $/h',
    ]);
    expect(rules.every((r) => r.data[0].datasourceUid === 'prom-uid')).toBe(true);

    const prometheus = await headroom(['--format', 'prometheus', '--gang-gpus', '4']);
    expect(prometheus.status).toBe(0);
    writeFileSync(join(dir, 'templates.yml'), prometheus.stdout);
    const check = spawnSync(PROMTOOL, ['check', 'rules', join(dir, 'templates.yml')], { encoding: 'utf8' });
    // Fragmentation: 3 recording rules + 1 alert; waste cost: 1 recording rule + 1 alert.
    expect(check.stdout + check.stderr).toContain('SUCCESS: 6 rules found');
    expect(prometheus.stdout).toContain('>= 4 and on () headroom:node_gpus_free:max < 4');
  });

  it("links each Prometheus alert to its runbook dashboard panel given Grafana's URL, and refuses a bad one", async () => {
    const linked = await headroom(['--format', 'prometheus', '--runbook-base-url', 'https://grafana.example.com/']);
    expect(linked.status).toBe(0);
    expect(linked.stdout.match(/runbook_url: .*/g)).toEqual([
      'runbook_url: "https://grafana.example.com/d/headroom-fragmentation-triage/fragmentation-triage?viewPanel=panel-1"',
      'runbook_url: "https://grafana.example.com/d/headroom-gpu-waste-review/gpu-waste-review?viewPanel=panel-1"',
    ]);
    // The budget guard rails link the waste review's guard-rails panel, unless the person gave a runbook of their own.
    const budgetArgs = [
      '--format',
      'prometheus',
      '--monthly-budget',
      '1000',
      '--runbook-base-url',
      'https://g.example',
    ];
    const guardRails = await headroom(budgetArgs);
    expect(guardRails.stdout.match(/runbook_url: .*gpu-waste-review\?viewPanel=panel-6"/g)).toHaveLength(3);
    const ownRunbook = await headroom([...budgetArgs, '--runbook-url', 'https://wiki.example/budget']);
    expect(ownRunbook.stdout.match(/runbook_url: .*wiki\.example\/budget/g)).toHaveLength(3);
    const relative = await headroom(['--format', 'prometheus', '--runbook-base-url', 'grafana.example.com']);
    expect([relative.status, relative.stderr]).toEqual([2, expect.stringContaining('not an absolute URL')]);
    const grafanaFormat = await headroom(['--prometheus-uid', 'p', '--runbook-base-url', 'https://g.example.com']);
    expect([grafanaFormat.status, grafanaFormat.stderr]).toEqual([2, expect.stringContaining('--format prometheus')]);
  });

  it("prints the templates on Headroom's alert queries beside the PromQL ones, and refuses their flags without them", async () => {
    const both = await headroom(['--prometheus-uid', 'prom-uid', '--headroom-uid', 'hr', '--within-days', '7']);
    expect(both.status).toBe(0);
    const rules = JSON.parse(both.stdout) as ProvisionedAlertRule[];
    expect(rules.map((r) => [r.data[0].datasourceUid, r.data[0].model.measure ?? 'promql'])).toEqual([
      ['prom-uid', 'promql'],
      ['prom-uid', 'promql'],
      ['hr', 'exhaustionProbability'],
      ['hr', 'daysToExhaustion80'],
      ['hr', 'fragmentedShare'],
      ['hr', 'largestGang'],
      ['hr', 'idleGpus'],
      ['hr', 'idleCostPerHour'],
    ]);
    expect(rules[2].title).toBe('Headroom: chance of running out of GPUs within 7 days above 50 %');

    const stray = await headroom(['--prometheus-uid', 'p', '--fragmented-share', '0.5']);
    expect([stray.status, stray.stderr]).toEqual([
      2,
      expect.stringContaining('--fragmented-share goes with --headroom-uid'),
    ]);
    const prometheus = await headroom(['--format', 'prometheus', '--headroom-uid', 'hr']);
    expect([prometheus.status, prometheus.stderr]).toEqual([
      2,
      expect.stringContaining('--headroom-uid is for --format grafana'),
    ]);
    const share = await headroom(['--headroom-uid', 'hr', '--fragmented-share', '60']);
    expect([share.status, share.stderr]).toEqual([2, expect.stringContaining('A share must be from 0 up to')]);
  });

  it('--prices and --pricing mean the same for the PromQL and the Headroom idle-cost templates', async () => {
    const prices = join(dir, 'reserved.json');
    writeFileSync(prices, '{"NVIDIA H100 80GB HBM3": {"on_demand": 7.5, "reserved": 5, "spot": 3}}');
    const run = await headroom([
      '--prometheus-uid',
      'prom-uid',
      '--headroom-uid',
      'hr',
      '--prices',
      prices,
      '--pricing',
      'reserved',
    ]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const rules = JSON.parse(run.stdout) as ProvisionedAlertRule[];
    // PromQL: one H100 held idle by nb for 7 h; at 6 h 30 m its last 6 h are idle: 1 GPU × 5 (reserved) = 5 $/h.
    const promqlWaste = rules.find((r) => r.labels?.headroom_template === 'idle-gpu-cost')!;
    const idle =
      series('DCGM_FI_DEV_GPU_UTIL{gpu="0",modelName="NVIDIA H100 80GB HBM3",namespace="ml",pod="nb"}', '0x420') +
      series('kube_pod_container_resource_requests{namespace="ml",pod="nb",resource="nvidia_com_gpu"}', '1x420');
    expect(promtool(idle, [{ expr: queryOf(promqlWaste), evalTime: '390m', value: 5 }])).toContain('SUCCESS');
    expect(promqlWaste.annotations!.description).toContain(`priced at the reserved prices of --prices ${prices}`);
    // Headroom: the same prices and tier in the query model, which the backend reads (backend-queries.test.ts).
    const queryWaste = rules.find((r) => r.data[0].model.measure === 'idleCostPerHour')!;
    expect(queryWaste.data[0].model).toMatchObject({
      pricingTier: 'reserved',
      appSettings: { gpuPrices: [{ gpuModel: 'NVIDIA H100 80GB HBM3', reservedPerGpuHour: 5 }] },
    });
    expect(queryWaste.annotations!.description).toContain(`the reserved price of each GPU model in --prices ${prices}`);
    // Without --headroom-uid or a budget, --time-zone prices nothing: refused rather than ignored.
    const stray = await headroom(['--prometheus-uid', 'p', '--time-zone', 'Europe/Berlin']);
    expect([stray.status, stray.stderr]).toEqual([
      2,
      expect.stringContaining('--time-zone goes with --monthly-budget or --headroom-uid'),
    ]);
  });

  it('refuses bad flags with exit code 2 and says why', async () => {
    const noUid = await headroom([]);
    expect([noUid.status, noUid.stderr]).toEqual([2, expect.stringContaining('--prometheus-uid is required')]);
    const badGang = await headroom(['--prometheus-uid', 'p', '--gang-gpus', '2.5']);
    expect([badGang.status, badGang.stderr]).toEqual([2, expect.stringContaining('--gang-gpus "2.5"')]);
    const badFormat = await headroom(['--format', 'yaml']);
    expect([badFormat.status, badFormat.stderr]).toEqual([2, expect.stringContaining('grafana or prometheus')]);
    const noToken = await headroom(['--prometheus-uid', 'p', '--grafana-url', 'http://127.0.0.1:1'], {
      HEADROOM_GRAFANA_TOKEN: '',
    });
    expect([noToken.status, noToken.stderr]).toEqual([2, expect.stringContaining('set HEADROOM_GRAFANA_TOKEN')]);
  });

  describe('writing to Grafana', () => {
    let double: GrafanaDouble;
    beforeEach(async () => {
      double = new GrafanaDouble({ token: TOKEN, datasources: { 'prom-uid': '', 'headroom-uid': '' } });
      await double.start();
    });
    afterEach(() => double.stop());
    const write = (...extra: string[]) =>
      headroom(['--prometheus-uid', 'prom-uid', '--grafana-url', double.url, ...extra]);

    it('dry-runs, creates both rules editable in the UI, then changes nothing, and leaves other rules alone', async () => {
      // An adaptive rule the Alerts page wrote earlier, in the same folder.
      double.folders.set('headroom', { uid: 'headroom', title: 'Headroom' });
      const adaptive = grafanaTemplateRules({ prometheusUid: 'x' })[0];
      double.personCreates({
        ...adaptive,
        uid: 'headroom-adaptive-1',
        title: 'Headroom: gpu_util above its learnt band',
        ruleGroup: 'headroom-adaptive',
        annotations: { headroom_selector: 'gpu_util' },
      });

      const dry = await write('--dry-run');
      expect(dry.status).toBe(0);
      expect(
        dry.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(' ').slice(0, 2).join(' '))
      ).toEqual(['would create', 'would create']);
      expect(double.rules.size).toBe(1);

      const first = await write();
      expect([first.status, first.stderr]).toEqual([0, '']);
      expect(first.stdout).toMatch(/^create headroom-[0-9a-f]{16} Headroom: a 8-GPU job cannot start/);
      const written = [...double.rules.values()].filter((r) => r.ruleGroup === 'headroom-templates');
      expect(written).toHaveLength(2);
      expect(written.every((r) => !r.provenance)).toBe(true);
      expect(double.groupIntervals.get('headroom/headroom-templates')).toBe(60);
      expect(double.rules.has('headroom-adaptive-1')).toBe(true);

      const again = await write();
      expect(
        again.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(' ')[0])
      ).toEqual(['unchanged', 'unchanged']);
    });

    it('asks before overwriting a rule a person edited, and overwrites it with --confirm', async () => {
      await write();
      const uid = grafanaTemplateRules({ prometheusUid: 'prom-uid' })[1].uid;
      double.personEdits(uid, (rule) => {
        rule.for = '60m';
      });
      const asked = await write();
      expect(asked.status).toBe(1);
      expect(asked.stdout).toContain(`edited by a person, not overwritten: ${uid}`);
      expect(asked.stdout).toContain('forSeconds: 3600 → 1800');
      // Grafana keeps a duration, not its spelling: 60m is answered as 1h.
      expect(double.rules.get(uid)!.for).toBe('1h');

      const confirmed = await write('--confirm', uid);
      expect(confirmed.status).toBe(0);
      expect(confirmed.stdout).toContain(`update ${uid}`);
      expect(double.rules.get(uid)!.for).toBe('30m');
    });

    it('writes the three budget guard rails through the same sync, and nothing for a budget of zero', async () => {
      const zero = await write('--monthly-budget', '0');
      expect([zero.status, zero.stderr]).toEqual([2, expect.stringContaining('A monthly budget of 0')]);
      expect(double.requests).toEqual([]);
      const prices = join(dir, 'none.json');
      writeFileSync(prices, '{"currency": "EUR"}');
      const noPrices = await write('--monthly-budget', '100', '--prices', prices);
      // --prices prices the idle-cost template too, whose check comes first.
      expect([noPrices.status, noPrices.stderr]).toEqual([
        2,
        expect.stringContaining('The waste-cost rule needs at least one GPU model with a price'),
      ]);
      expect(double.requests).toEqual([]);

      const first = await write('--monthly-budget', '40000', '--time-zone', 'Europe/Berlin');
      expect([first.status, first.stderr]).toEqual([0, '']);
      const budget = [...double.rules.values()].filter((r) => r.labels?.headroom_budget_level);
      expect(budget.map((r) => [r.labels?.headroom_budget_level, r.labels?.severity]).sort()).toEqual([
        ['circuit-break', 'critical'],
        ['control', 'warning'],
        ['notify', 'info'],
      ]);
      // 40000 × 1, 1.1, 1.3 as Grafana's threshold expression.
      expect(
        budget
          .map(
            (r) =>
              (r.data[2].model as { conditions: Array<{ evaluator: { params: number[] } }> }).conditions[0].evaluator
                .params[0]
          )
          .sort()
      ).toEqual([40000, 44000, 52000]);
      expect(budget.every((r) => r.ruleGroup === 'headroom-templates' && !r.provenance)).toBe(true);
      const again = await write('--monthly-budget', '40000', '--time-zone', 'Europe/Berlin');
      expect(
        again.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(' ')[0])
      ).toEqual(new Array(5).fill('unchanged'));
    });

    it("writes the templates on Headroom's alert queries in their own group, accepted as Grafana validates them", async () => {
      const write = (...extra: string[]) =>
        headroom([
          '--headroom-uid',
          'headroom-uid',
          '--grafana-url',
          double.url,
          '--monthly-budget',
          '40000',
          ...extra,
        ]);
      const first = await write();
      expect([first.status, first.stderr]).toEqual([0, '']);
      // Six measures and the three budget levels, every one through the double's validation (ruleModel.ts).
      expect(actionsOf(first.stdout)).toEqual(new Array(9).fill('create'));
      const written = [...double.rules.values()];
      expect(written.every((r) => r.ruleGroup === 'headroom-query-templates' && !r.provenance)).toBe(true);
      expect(double.groupIntervals.get('headroom/headroom-query-templates')).toBe(300);
      // Grafana copies the model's queryType onto the stored query (AlertQuery.PreSave).
      expect(written.every((r) => r.data[0].queryType === 'alert')).toBe(true);
      expect(
        written
          .map((r) => r.labels?.headroom_budget_level)
          .filter(Boolean)
          .sort()
      ).toEqual(['circuit-break', 'control', 'notify']);

      const again = await write();
      expect(actionsOf(again.stdout)).toEqual(new Array(9).fill('unchanged'));

      // A person narrows the exhaustion window in Grafana's rule editor: Headroom asks before overwriting it.
      const modelA = (rule: { data: Array<{ model: unknown }> }) => rule.data[0].model as Record<string, unknown>;
      const exhaustion = written.find((r) => modelA(r).measure === 'exhaustionProbability')!;
      double.personEdits(exhaustion.uid, (rule) => {
        rule.data[0].model = { ...modelA(rule), withinDays: '7' };
      });
      const asked = await write();
      expect(asked.status).toBe(1);
      expect(asked.stdout).toContain(`edited by a person, not overwritten: ${exhaustion.uid}`);
      expect(modelA(double.rules.get(exhaustion.uid)!).withinDays).toBe('7');
    });

    it('a token that may not open the app: says which settings it could not read and how to give them by flag', async () => {
      const { 'plugins.app:access': _appAccess, ...editor } = permissionsOf('Editor', []);
      double.role = { custom: editor };
      const denied = await headroom(['--headroom-uid', 'headroom-uid', '--grafana-url', double.url]);
      expect(denied.status).toBe(1);
      expect(denied.stderr).toContain(
        'Reading the settings of app headroom-capacity-app: Grafana answered 403 "Access Denied". The service ' +
          "account may not open the app: it needs plugins.app:access on plugins:id:headroom-capacity-app (Grafana's " +
          "Viewer role has it). The Headroom query templates carry the app's GPU prices, business calendar, monthly " +
          'budget and its time zone: fix that, or pass them by flag and leave the app alone with --no-app-settings: ' +
          '--prices FILE, --monthly-budget X, --time-zone ZONE (the rules then carry no business calendar).'
      );
      expect(denied.stderr + denied.stdout).not.toContain(TOKEN);
      expect(denied.stderr).not.toMatch(/authorization|bearer/i);
      expect(double.requests.filter((r) => r.method !== 'GET')).toEqual([]);

      // The same settings by flag: the app is not asked, and each query rule carries exactly them.
      const prices = join(dir, 'contract.json');
      writeFileSync(prices, '{"NVIDIA H100 80GB HBM3": {"on_demand": 7.5, "reserved": 5, "spot": 3}}');
      const byFlag = await headroom([
        '--headroom-uid',
        'headroom-uid',
        '--grafana-url',
        double.url,
        '--no-app-settings',
        '--prices',
        prices,
        '--monthly-budget',
        '40000',
        '--time-zone',
        'Europe/Berlin',
      ]);
      expect([byFlag.status, byFlag.stderr]).toEqual([0, '']);
      expect(double.requests.filter((r) => r.path.startsWith('/api/plugins/'))).toHaveLength(1);
      const carried = [...double.rules.values()].map((r) => (r.data[0].model as { appSettings?: unknown }).appSettings);
      expect(carried).toHaveLength(9);
      expect(new Set(carried.map((settings) => JSON.stringify(settings))).size).toBe(1);
      expect(carried[0]).toEqual({
        gpuPrices: [
          {
            gpuModel: 'NVIDIA H100 80GB HBM3',
            source: `--prices ${prices}`,
            onDemandPerGpuHour: 7.5,
            reservedPerGpuHour: 5,
            spotPerGpuHour: 3,
          },
        ],
        monthlyBudget: 40000,
        budgetTimeZone: 'Europe/Berlin',
      });
    });

    it("refuses a flag the configuration page would refuse, in the page's words, before asking Grafana", async () => {
      const zero = await headroom([
        '--headroom-uid',
        'headroom-uid',
        '--grafana-url',
        double.url,
        '--monthly-budget',
        '0',
      ]);
      expect(zero.status).toBe(2);
      expect(zero.stderr).toContain('The monthly budget must be a positive number of dollars, or empty for none.');
      expect(double.requests).toEqual([]);
    });

    it('refuses a data source UID Grafana does not have, before writing anything', async () => {
      const typo = await headroom(['--prometheus-uid', 'prom-uidd', '--grafana-url', double.url]);
      expect(typo.status).toBe(1);
      expect(typo.stderr).toContain(
        'Checking data source prom-uidd: Grafana answered 404 "Data source not found". The rules query data source ' +
          'prom-uidd, which this Grafana does not have: Grafana would save them and fail every evaluation. Give the UID ' +
          'of an existing Prometheus data source'
      );
      // A typo in --headroom-uid names the Headroom data source, not a Prometheus one.
      const headroomTypo = await headroom(['--headroom-uid', 'hr-uidd', '--grafana-url', double.url]);
      expect(headroomTypo.status).toBe(1);
      expect(headroomTypo.stderr).toContain(
        'The rules query data source hr-uidd, which this Grafana does not have: Grafana would save them and fail ' +
          'every evaluation. Give the UID of an existing Headroom data source'
      );
      expect(headroomTypo.stderr).not.toContain('Prometheus');
      expect(double.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    });

    it('says when the token is refused', async () => {
      const refused = await headroom(['--prometheus-uid', 'p', '--grafana-url', double.url], {
        HEADROOM_GRAFANA_TOKEN: 'wrong',
      });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('HEADROOM_GRAFANA_TOKEN');
    });
  });
});
