/**
 * The idle-GPU cost alert template in a real Prometheus rule engine (`promtool test rules`): the recording rule gives
 * the dollars per hour of idle held GPUs worked out by hand, and the alert fires above the threshold only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { WASTE_COST_ALERT, WASTE_COST_RECORD, wasteCostRuleFile } from '../../src/alerting/templates/wasteCost';

const PROMTOOL = '/usr/bin/promtool';
const H100 = 'NVIDIA H100 80GB HBM3';
const L4 = 'NVIDIA L4';
const PRICES = { [H100]: 11.0612, [L4]: 1.1472 };

/** `count` one-minute samples of `value`, promtool's series notation. */
const flat = (value: number, count: number) => `${value}x${count - 1}`;
const series = (labels: Record<string, string>, values: string) =>
  `      - series: '${`DCGM_FI_DEV_GPU_UTIL{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`}'\n        values: '${values}'`;
const requests = (pod: string) =>
  `      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="${pod}",resource="nvidia_com_gpu"}'\n` +
  `        values: '${flat(1, 421)}'`;

const MINUTES = 421; // 7 hours and the sample at 7 h
const gpu = (index: number, model: string, pod: string) => ({
  gpu: String(index),
  Hostname: 'node-a',
  modelName: model,
  namespace: pod ? 'ml' : '',
  pod,
});

/**
 * idle-h100: 0 % all along → idle. busy-h100: 80 % → not idle. idle-l4: 2 % with one 10-minute burst of 50 % in the
 * last 6 h (10 of 360 steps over the floor: 97 % idle ≥ 90 %) → idle. gone-l4: idle but no longer requests a GPU in
 * kube-state-metrics → not counted. A free H100 (no pod label) at 0 % → not counted.
 * Idle cost = 1 × 11.0612 + 1 × 1.1472 = 12.2084 $/h.
 */
/** The start of a promtool test file up to its input series, evaluated every minute. */
const testHeader = (ruleFile: string) => [
  'rule_files:',
  `  - ${ruleFile}`,
  'evaluation_interval: 1m',
  'tests:',
  '  - interval: 1m',
  '    input_series:',
];

function testFile(ruleFile: string): string {
  const burst = `${flat(2, 200)} ${flat(50, 10)} ${flat(2, MINUTES - 210)}`;
  return [
    ...testHeader(ruleFile),
    series(gpu(0, H100, 'idle-h100'), flat(0, MINUTES)),
    series(gpu(1, H100, 'busy-h100'), flat(80, MINUTES)),
    series(gpu(2, L4, 'idle-l4'), burst),
    series(gpu(3, L4, 'gone-l4'), flat(1, MINUTES)),
    series(gpu(4, H100, ''), flat(0, MINUTES)),
    requests('idle-h100'),
    requests('busy-h100'),
    requests('idle-l4'),
    '    promql_expr_test:',
    '      - expr: ' + WASTE_COST_RECORD,
    '        eval_time: 7h',
    '        exp_samples:',
    `          - labels: '${WASTE_COST_RECORD}'`,
    '            value: 12.2084',
    '    alert_rule_test:',
    '      - eval_time: 7h',
    `        alertname: ${WASTE_COST_ALERT}`,
    '        exp_alerts:',
    '          - exp_labels:',
    '              managed_by: headroom',
    '            exp_annotations:',
    '              summary: "Idle GPUs held by pods cost 12.21 $/h"',
    '              description: "GPUs held by pods with at least 90 % of the last 6 h under 5 % activity cost more than 10 $/h. See the Headroom Efficiency page for the pods."',
    '',
  ].join('\n');
}

describe('idle-GPU cost rule in promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-waste-rule-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the hand-computed $/h of idle held GPUs and fires above the threshold', () => {
    const ruleFile = join(dir, 'waste.rules.yml');
    writeFileSync(ruleFile, wasteCostRuleFile({ pricesPerGpuHour: PRICES, thresholdDollarsPerHour: 10 }));
    const check = spawnSync(PROMTOOL, ['check', 'rules', ruleFile], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('SUCCESS: 2 rules found');
    const testPath = join(dir, 'waste.test.yml');
    writeFileSync(testPath, testFile(ruleFile));
    const test = spawnSync(PROMTOOL, ['test', 'rules', testPath], { encoding: 'utf8' });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('stays quiet when idle GPUs cost less than the threshold', () => {
    const ruleFile = join(dir, 'quiet.rules.yml');
    writeFileSync(ruleFile, wasteCostRuleFile({ pricesPerGpuHour: PRICES, thresholdDollarsPerHour: 20 }));
    const quiet = testFile(ruleFile).replace(/exp_alerts:[\s\S]*$/, 'exp_alerts: []\n');
    const testPath = join(dir, 'quiet.test.yml');
    writeFileSync(testPath, quiet);
    const test = spawnSync(PROMTOOL, ['test', 'rules', testPath], { encoding: 'utf8' });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
  });

  it('prices an idle MIG instance as its share of a GPU (3g = 3/7)', () => {
    // With GR_ENGINE_ACTIVE (reported per MIG instance): an A100 at 7 $/GPU-h, instance 1 (3g.40gb) held by mig-a and
    // idle (0), instance 2 (1g.10gb) held by mig-b and busy (0.8), and a whole A100 held by whole-a and idle.
    // Idle cost = 3/7 × 7 + 1 × 7 = 10 $/h (counting the instance as a GPU would give 14).
    const A100 = 'NVIDIA A100-SXM4-80GB';
    const ruleFile = join(dir, 'mig.rules.yml');
    writeFileSync(
      ruleFile,
      wasteCostRuleFile({
        pricesPerGpuHour: { [A100]: 7 },
        thresholdDollarsPerHour: 100,
        activityMetric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      })
    );
    const active = (labels: Record<string, string>, value: number) =>
      series(labels, flat(value, MINUTES)).replace('DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE');
    const request = (pod: string, resource: string) =>
      `      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="${pod}",resource="${resource}"}'\n` +
      `        values: '${flat(1, MINUTES)}'`;
    const base = { gpu: '0', Hostname: 'node-m', modelName: A100, namespace: 'ml' };
    const testPath = join(dir, 'mig.test.yml');
    writeFileSync(
      testPath,
      [
        ...testHeader(ruleFile),
        active({ ...base, GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1', pod: 'mig-a' }, 0),
        active({ ...base, GPU_I_PROFILE: '1g.10gb', GPU_I_ID: '2', pod: 'mig-b' }, 0.8),
        active({ ...base, gpu: '1', pod: 'whole-a' }, 0),
        request('mig-a', 'nvidia_com_mig_3g_40gb'),
        request('mig-b', 'nvidia_com_mig_1g_10gb'),
        request('whole-a', 'nvidia_com_gpu'),
        '    promql_expr_test:',
        '      - expr: ' + WASTE_COST_RECORD,
        '        eval_time: 7h',
        '        exp_samples:',
        `          - labels: '${WASTE_COST_RECORD}'`,
        '            value: 10',
        '',
      ].join('\n')
    );
    const test = spawnSync(PROMTOOL, ['test', 'rules', testPath], { encoding: 'utf8' });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('refuses a catalog without prices and a negative threshold', () => {
    expect(() => wasteCostRuleFile({ pricesPerGpuHour: {}, thresholdDollarsPerHour: 1 })).toThrow('at least one');
    expect(() => wasteCostRuleFile({ pricesPerGpuHour: PRICES, thresholdDollarsPerHour: -1 })).toThrow('≥ 0');
  });
});
