/**
 * The budget guard rails' query (projected month-end GPU spend) in a real Prometheus rule engine
 * (`promtool test rules`), on a fleet whose month is worked out by hand. promtool's clock starts at
 * 1970-01-01T00:00:00Z, so January 1970 (31 days, 744 h) is the previous month and February 1970 (28 days, 672 h)
 * the month being projected.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BUDGET_RECORD, budgetRuleFile } from '../../src/alerting/templates/budgetRules';
import { grafanaTemplateRules } from '../../src/alerting/templates/grafanaTemplates';

const PROMTOOL = '/usr/bin/promtool';
const H100 = 'NVIDIA H100 80GB HBM3';
const A100 = 'NVIDIA A100-SXM4-80GB';
/** Prices chosen to keep the arithmetic readable. */
const PRICES = { [H100]: 10, [A100]: 7 };
/** 2026-12-07: the year whose clock changes give the month boundaries' offsets. */
const WRITTEN_AT = 1796601600;

/** Samples `perHour` times an hour: 1 (GPU held by a pod) from `fromHour` to `toHour`, else missing (`_`), 41 days. */
const HOURS = 984;
const FEB_1 = 744; // hours from 1970-01-01 to 1970-02-01
const FEB_5 = FEB_1 + 96;
function presence(fromHour: number, toHour: number, perHour: number): string {
  const [from, to, all] = [fromHour * perHour, toHour * perHour, HOURS * perHour];
  const parts: string[] = [];
  if (from > 0) {
    parts.push(`_x${from}`);
  }
  parts.push(`1x${to - from - 1}`);
  if (to < all) {
    parts.push(`_x${all - to}`);
  }
  return parts.join(' ');
}

/**
 * January: H100 gpu 0 (all along), gpus 3 and 4 (January only) held → 3 × 10 = 30 $/h.
 * February: gpu 0 alone until Feb 5 00:00 (10 $/h), then gpus 1 and 2 join (30 $/h); all February a 3g.40gb MIG
 * instance of an A100 is held: 3/7 × 7 = 3 $/h. An L4 (no price) and a free H100 (no pod label) add nothing.
 */
function fleet(perHour: number): string {
  const fb = (labels: string, fromHour: number, toHour: number) =>
    `      - series: 'DCGM_FI_DEV_FB_USED{${labels}}'\n        values: '${presence(fromHour, toHour, perHour)}'\n`;
  return (
    fb(`gpu="0",modelName="${H100}",pod="a"`, 0, HOURS) +
    fb(`gpu="1",modelName="${H100}",pod="b"`, FEB_5, HOURS) +
    fb(`gpu="2",modelName="${H100}",pod="c"`, FEB_5, HOURS) +
    fb(`gpu="3",modelName="${H100}",pod="d"`, 0, FEB_1) +
    fb(`gpu="4",modelName="${H100}",pod="e"`, 0, FEB_1) +
    fb(`gpu="0",modelName="${A100}",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1",pod="m"`, FEB_1, HOURS) +
    fb(`gpu="0",modelName="NVIDIA L4",pod="l"`, 0, HOURS) +
    fb(`gpu="5",modelName="${H100}"`, 0, HOURS)
  );
}
const FLEET = fleet(1);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-budget-rules-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function projectionOf(timeZone: string): string {
  const rules = grafanaTemplateRules({
    prometheusUid: 'prom',
    pricesPerGpuHour: PRICES,
    budget: { monthlyBudget: 20000, timeZone, writtenAtSeconds: WRITTEN_AT },
  });
  const exprs = new Set(rules.filter((r) => r.labels?.headroom_budget_level).map((r) => r.data[0].model.expr));
  expect(exprs.size).toBe(1); // one query, three thresholds
  return [...exprs][0] as string;
}

/** promtool's verdict on the projection's value at each evaluation time (`40d5h`). */
function promtool(expr: string, checks: Array<[evalTime: string, value: number]>): string {
  const tests = checks
    .map(
      ([evalTime, value]) =>
        `      - expr: ${JSON.stringify(expr)}\n        eval_time: ${evalTime}\n` +
        `        exp_samples:\n          - labels: '{}'\n            value: ${value}`
    )
    .join('\n');
  writeFileSync(join(dir, 'none.yml'), 'groups: []\n');
  writeFileSync(
    join(dir, 'test.yml'),
    `rule_files: [none.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1h\n    input_series:\n${FLEET}` +
      `    promql_expr_test:\n${tests}\n`
  );
  const run = spawnSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
  return run.stdout + run.stderr;
}

describe('projected month-end GPU spend in promtool', () => {
  it('UTC: month to date + spend now × hours after the current one, January left out', () => {
    // Feb 10 05:00 (40d5h): month to date = 96 h × 13 (Feb 1 00:00 … Feb 4 23:00) + 126 h × 33 (Feb 5 00:00 …
    // Feb 10 05:00, the current hour included) = 1248 + 4158 = 5406. Hours after the current one: 28 × 24 − (9 × 24
    // + 5) − 1 = 450; 33 × 450 = 14850. Projection 20256 (= 13 × 96 + 33 × 576: every February hour at its rate).
    // At Feb 1 00:00 (31d): 13 × 672 = 8736 (January's 30 $/h is not in it). At Jan 31 23:00 (743h): the whole of
    // January, 744 × 30 = 22320, and no hour left.
    const out = promtool(projectionOf('UTC'), [
      ['40d5h', 20256],
      ['31d', 8736],
      ['743h', 22320],
    ]);
    expect(out).toContain('SUCCESS');
  });

  it("Europe/Berlin (UTC+1 in winter): February starts at 23:00 UTC on January's last day", () => {
    // 743h = Jan 31 23:00 UTC = Feb 1 00:00 in Berlin: month to date is that hour at January's 30 $/h; hours after
    // it 671; 30 + 30 × 671 = 20160. At 40d5h (06:00 in Berlin): 30 + 1248 + 4158 = 5436 so far, hours after the
    // current one 672 − (9 × 24 + 6) − 1 = 449, 33 × 449 = 14817; 20253.
    const out = promtool(projectionOf('Europe/Berlin'), [
      ['743h', 20160],
      ['40d5h', 20253],
    ]);
    expect(out).toContain('SUCCESS');
  });

  it('is 0 with no GPU held, not empty (the rules stay OK rather than NoData)', () => {
    const idle = FLEET.replace(/values: '[^']*'/g, `values: '_x${HOURS}'`);
    const expr = projectionOf('UTC');
    writeFileSync(join(dir, 'none.yml'), 'groups: []\n');
    writeFileSync(
      join(dir, 'idle.yml'),
      `rule_files: [none.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1h\n    input_series:\n${idle}` +
        `    promql_expr_test:\n      - expr: ${JSON.stringify(expr)}\n        eval_time: 40d5h\n` +
        `        exp_samples:\n          - labels: '{}'\n            value: 0\n`
    );
    const run = spawnSync(PROMTOOL, ['test', 'rules', 'idle.yml'], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toContain('SUCCESS');
  });

  it('as a Prometheus rule file: records the projection, and only the levels it passes fire after 30 minutes', () => {
    // In January (promtool evaluates every rule from time 0, so an early time keeps the test short): 3 H100s at
    // 10 $/h all month. At Jan 10 05:00 (9d5h): 222 hours so far × 30 = 6660, 744 − 221 − 1 = 522 hours after the
    // current one × 30 = 15660; 22320 (= 744 × 30), the same 30 minutes before. Budget 18000: notify above 18000 and
    // control above 19800 fire; circuit-break above 23400 does not.
    const rules = budgetRuleFile(PRICES, { monthlyBudget: 18000, timeZone: 'UTC', writtenAtSeconds: WRITTEN_AT });
    writeFileSync(join(dir, 'budget.rules.yml'), rules);
    const check = spawnSync(PROMTOOL, ['check', 'rules', join(dir, 'budget.rules.yml')], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('SUCCESS: 4 rules found');
    const firing = (level: string, severity: string, share: string, audience: string, runbook: string) =>
      [
        '          - exp_labels:',
        `              managed_by: headroom`,
        `              headroom_budget_level: ${level}`,
        `              severity: ${severity}`,
        '            exp_annotations:',
        `              summary: ${JSON.stringify(`Month-end GPU spend is projected at 22320 USD, above ${share} of the 18000 USD budget (${level})`)}`,
        `              description: ${JSON.stringify(
          'Projection = spend so far this month (UTC) + current hourly GPU spend × hours left in the month; GPUs ' +
            `held by pods (DCGM), priced per GPU model. For: ${audience}.`
        )}`,
        `              runbook: ${JSON.stringify(runbook)}`,
        '              headroom_monthly_budget: "18000"',
        '              headroom_budget_time_zone: UTC',
      ].join('\n');
    const grafana = grafanaTemplateRules({
      prometheusUid: 'p',
      pricesPerGpuHour: PRICES,
      budget: { monthlyBudget: 18000, writtenAtSeconds: WRITTEN_AT },
    }).slice(2);
    const runbookOf = (i: number) => grafana[i].annotations!.runbook;
    const alertTest = (name: string, expected: string) =>
      `      - eval_time: 9d5h\n        alertname: ${name}\n        exp_alerts:${expected ? `\n${expected}` : ' []'}`;
    writeFileSync(
      join(dir, 'budget.test.yml'),
      [
        'rule_files: [budget.rules.yml]',
        // Every 30 minutes: enough for `for: 30m` (pending, then firing), and few evaluations of the 31-day subquery.
        'evaluation_interval: 30m',
        'tests:',
        '  - interval: 5m',
        '    input_series:',
        fleet(12).trimEnd(),
        '    promql_expr_test:',
        `      - expr: ${BUDGET_RECORD}`,
        '        eval_time: 9d5h',
        '        exp_samples:',
        `          - labels: '${BUDGET_RECORD}'`,
        '            value: 22320',
        '    alert_rule_test:',
        alertTest('HeadroomBudgetNotify', firing('notify', 'info', '100 %', 'tech lead and finance', runbookOf(0))),
        alertTest(
          'HeadroomBudgetControl',
          firing(
            'control',
            'warning',
            '110 %',
            'platform on-call: stop spot scale-out, lower the priority of non-critical namespaces',
            runbookOf(1)
          )
        ),
        alertTest('HeadroomBudgetCircuitBreak', ''),
        '',
      ].join('\n')
    );
    const run = spawnSync(PROMTOOL, ['test', 'rules', 'budget.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toContain('SUCCESS');
  });
});
