/**
 * The inventory recording rules in a real Prometheus rule engine (`promtool check rules`, `promtool test rules`),
 * on a fleet whose sums are worked out by hand:
 *
 *   node a  2 × H100, whole:  GPU a0, a1 held by ml/p1 (Running, 2 GPUs), activity 0.5 each
 *   node b  A100: GPU b0 whole and idle (activity 0); GPU b1 in MIG mode:
 *             3g.40gb instance held by infer/p2 (Running), activity 0.7; 1g.10gb instance idle
 *   ml/p3   asks for 1 GPU and stays Pending on no node
 *
 *   capacity   a: 2 allocatable; b: 1 allocatable whole GPU + 1 physical MIG GPU (one UUID) = 2; fleet 4
 *   allocated  p1 2 + p2 3/7 (3 of 7 slices) = 17/7; p3 is not Running → 0. H100 2, A100 3/7; ml 2, infer 3/7
 *   busy       p1 0.5 + 0.5 = 1; p2 0.7 × 3/7 = 0.3; idle 0. fleet 1.3; H100 1, A100 0.3; ml 1, infer 0.3
 *   activity   mean of the five DCGM devices (a MIG instance is one device): (0.5 + 0.5 + 0 + 0.7 + 0) / 5 = 0.34
 *   held       devices with a pod label, as GPU-equivalents: H100 a0 + a1 = 2; A100 the 3g instance 3/7
 *   per node   capacity a 2, b 2; allocated a 2, b 3/7; busy a 1, b 0.3; models a H100, b A100
 *   memory     FB_USED + FB_FREE (MiB), the largest device's: H100 81,559 (a1's use grows by 1,000 a minute, its
 *              free memory shrinks as much); A100 whole 81,920; 3g.40gb 40,192; 1g.10gb 9,728 (a whole GPU's record
 *              has no profile label)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { inventoryRecordingRuleFile } from '../../src/alerting/recordingRules';
import { INVENTORY_RECORDS } from '../../src/prometheus/inventoryRecords';
import { runHeadroom } from '../kit/cli';

const PROMTOOL = '/usr/bin/promtool';
const H100 = 'NVIDIA H100 80GB HBM3';
const A100 = 'NVIDIA A100-SXM4-80GB';

/** A device's series: of its framebuffer `memoryMiB`, 1,000 MiB used, or 1,000 more each minute when `growing`. */
const dcgm = (device: string, activity: number, memoryMiB: number, growing = false) =>
  [
    `      - series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{${device}}'\n        values: '${activity}x10'`,
    `      - series: 'DCGM_FI_DEV_FB_USED{${device}}'\n        values: '${growing ? '1000+1000x9' : '1000x10'}'`,
    `      - series: 'DCGM_FI_DEV_FB_FREE{${device}}'\n        values: '${memoryMiB - 1000}${growing ? '-1000x9' : 'x10'}'`,
  ].join('\n');

const DEVICES = [
  dcgm(`Hostname="a",UUID="GPU-a0",gpu="0",modelName="${H100}",namespace="ml",pod="p1"`, 0.5, 81_559),
  dcgm(`Hostname="a",UUID="GPU-a1",gpu="1",modelName="${H100}",namespace="ml",pod="p1"`, 0.5, 81_559, true),
  dcgm(`Hostname="b",UUID="GPU-b0",gpu="0",modelName="${A100}"`, 0, 81_920),
  dcgm(
    `Hostname="b",UUID="GPU-b1",gpu="1",modelName="${A100}",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1",namespace="infer",pod="p2"`,
    0.7,
    40_192
  ),
  dcgm(`Hostname="b",UUID="GPU-b1",gpu="1",modelName="${A100}",GPU_I_PROFILE="1g.10gb",GPU_I_ID="2"`, 0, 9_728),
].join('\n');

const KUBE = `      - series: 'kube_node_status_allocatable{node="a",resource="nvidia_com_gpu"}'
        values: '2x10'
      - series: 'kube_node_status_allocatable{node="b",resource="nvidia_com_gpu"}'
        values: '1x10'
      - series: 'kube_node_status_allocatable{node="b",resource="nvidia_com_mig_3g_40gb"}'
        values: '1x10'
      - series: 'kube_node_status_allocatable{node="b",resource="nvidia_com_mig_1g_10gb"}'
        values: '1x10'
      - series: 'kube_node_status_allocatable{node="a",resource="cpu"}'
        values: '64x10'
      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="p1",container="main",node="a",resource="nvidia_com_gpu"}'
        values: '2x10'
      - series: 'kube_pod_container_resource_requests{namespace="infer",pod="p2",container="main",node="b",resource="nvidia_com_mig_3g_40gb"}'
        values: '1x10'
      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="p3",container="main",node="",resource="nvidia_com_gpu"}'
        values: '1x10'
      - series: 'kube_pod_status_phase{namespace="ml",pod="p1",phase="Running"}'
        values: '1x10'
      - series: 'kube_pod_status_phase{namespace="infer",pod="p2",phase="Running"}'
        values: '1x10'
      - series: 'kube_pod_status_phase{namespace="ml",pod="p3",phase="Pending"}'
        values: '1x10'
      - series: 'kube_pod_status_phase{namespace="ml",pod="p3",phase="Running"}'
        values: '0x10'`;

const R = INVENTORY_RECORDS;
/** [record, label set, value], worked by hand. */
const EXPECTED: Array<[string, string, number]> = [
  [R.fleetCapacity, '', 4],
  [R.modelCapacity, `modelName="${H100}"`, 2],
  [R.modelCapacity, `modelName="${A100}"`, 2],
  [R.fleetAllocated, '', 2 + 3 / 7],
  [R.modelAllocated, `modelName="${H100}"`, 2],
  [R.modelAllocated, `modelName="${A100}"`, 3 / 7],
  [R.namespaceAllocated, 'namespace="ml"', 2],
  [R.namespaceAllocated, 'namespace="infer"', 3 / 7],
  [R.fleetBusy, '', 1 + (0.7 * 3) / 7],
  [R.modelBusy, `modelName="${H100}"`, 1],
  [R.modelBusy, `modelName="${A100}"`, (0.7 * 3) / 7],
  [R.namespaceBusy, 'namespace="ml"', 1],
  [R.namespaceBusy, 'namespace="infer"', (0.7 * 3) / 7],
  [R.fleetActivity, '', (0.5 + 0.5 + 0 + 0.7 + 0) / 5],
  [R.modelHeld, `modelName="${H100}"`, 2],
  [R.modelHeld, `modelName="${A100}"`, 3 / 7],
  [R.nodeCapacity, 'node="a"', 2],
  [R.nodeCapacity, 'node="b"', 2],
  [R.nodeAllocated, 'node="a"', 2],
  [R.nodeAllocated, 'node="b"', 3 / 7],
  [R.nodeBusy, 'Hostname="a"', 1],
  [R.nodeBusy, 'Hostname="b"', (0.7 * 3) / 7],
  [R.nodeModels, `Hostname="a",modelName="${H100}"`, 1],
  [R.nodeModels, `Hostname="b",modelName="${A100}"`, 1],
  [R.modelMemory, `modelName="${H100}"`, 81_559],
  [R.modelMemory, `modelName="${A100}"`, 81_920],
  [R.modelMemory, `GPU_I_PROFILE="3g.40gb",modelName="${A100}"`, 40_192],
  [R.modelMemory, `GPU_I_PROFILE="1g.10gb",modelName="${A100}"`, 9_728],
];

/**
 * Each record is compared in whole billionths (`round(x * 1e9)`): Prometheus sums and averages the devices in an order
 * it does not fix, so the last bit varies from run to run (0.34 or 0.33999999999999997 for the mean activity), and
 * every order rounds to the same billionth.
 */
const BILLION = 1_000_000_000;

function testFile(): string {
  const records = [...new Set(EXPECTED.map(([record]) => record))];
  const cases = records.map((record) => {
    const samples = EXPECTED.filter(([r]) => r === record).map(
      ([, labels, value]) => `          - labels: '{${labels}}'\n            value: ${Math.round(value * BILLION)}`
    );
    return `      - expr: round(${record} * ${BILLION})\n        eval_time: 5m\n        exp_samples:\n${samples.join('\n')}`;
  });
  return `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
${KUBE}
${DEVICES}
    promql_expr_test:
${cases.join('\n')}
`;
}

describe('the inventory recording rules in promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-recording-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a valid rule file whose fifteen records match the hand-worked fleet', () => {
    writeFileSync(join(dir, 'rules.yml'), inventoryRecordingRuleFile());
    writeFileSync(join(dir, 'test.yml'), testFile());
    const check = spawnSync(PROMTOOL, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('SUCCESS: 15 rules found');
    const test = spawnSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('is the file shipped in rules/headroom-recording.yml', () => {
    const shipped = readFileSync(join(__dirname, '../../rules/headroom-recording.yml'), 'utf8');
    expect(shipped).toBe(inventoryRecordingRuleFile());
  });

  it('is what `headroom rules recording` prints, at the interval asked; a bad interval is refused with exit code 2', async () => {
    const run = await runHeadroom(['rules', 'recording', '--interval-seconds', '30']);
    expect(run.stdout).toBe(inventoryRecordingRuleFile({ evaluationIntervalSeconds: 30 }));
    expect(run.stdout).toContain('    interval: 30s\n');
    const bad = await runHeadroom(['rules', 'recording', '--interval-seconds', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('whole number of seconds from 1 to 300, got 0');
    // Above the 5-minute lookback a record would leave steps empty where the raw series has a value.
    const long = await runHeadroom(['rules', 'recording', '--interval-seconds', '301']);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('from 1 to 300, got 301');
    expect((await runHeadroom(['rules', 'recording', '--interval-seconds', '300'])).code).toBe(0);
  });
});
