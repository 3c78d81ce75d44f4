/**
 * The fragmentation alert template in a real Prometheus rule engine (`promtool test rules`): three nodes, free GPUs
 * worked by hand from allocatable minus the requests of bound pods, the alert firing after 30 minutes of "9+ free
 * but no node with 8" and resolving when a node frees up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FRAGMENTATION_ALERT, fragmentationRuleFile } from '../../src/alerting/templates/fragmentationRules';

const PROMTOOL = '/usr/bin/promtool';

/**
 * One sample a minute for 60 minutes. a: 8 GPUs, train-1 (4 GPUs) Running until minute 39, then Succeeded.
 * b: 8 GPUs, train-2 (3 GPUs) Running; done-1 (1 GPU) Succeeded, not holding. c: 2 GPUs, no pod.
 * Free before minute 40: a 4, b 5, c 2 = 11 in the cluster, at most 5 on one node: an 8-GPU job cannot start.
 * From minute 40: a 8 free, so it can.
 */
const TEST = `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'kube_node_status_allocatable{node="a",resource="nvidia_com_gpu"}'
        values: '8x60'
      - series: 'kube_node_status_allocatable{node="b",resource="nvidia_com_gpu"}'
        values: '8x60'
      - series: 'kube_node_status_allocatable{node="c",resource="nvidia_com_gpu"}'
        values: '2x60'
      - series: 'kube_node_status_allocatable{node="a",resource="cpu"}'
        values: '64x60'
      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="train-1",container="main",node="a",resource="nvidia_com_gpu"}'
        values: '4x60'
      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="train-2",container="main",node="b",resource="nvidia_com_gpu"}'
        values: '3x60'
      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="done-1",container="main",node="b",resource="nvidia_com_gpu"}'
        values: '1x60'
      - series: 'kube_pod_container_resource_requests{namespace="ml",pod="train-2",container="main",node="b",resource="cpu"}'
        values: '16x60'
      - series: 'kube_pod_status_phase{namespace="ml",pod="train-1",phase="Running"}'
        values: '1x39 0x20'
      - series: 'kube_pod_status_phase{namespace="ml",pod="train-1",phase="Succeeded"}'
        values: '0x39 1x20'
      - series: 'kube_pod_status_phase{namespace="ml",pod="train-2",phase="Running"}'
        values: '1x60'
      - series: 'kube_pod_status_phase{namespace="ml",pod="done-1",phase="Running"}'
        values: '0x60'
      - series: 'kube_pod_status_phase{namespace="ml",pod="done-1",phase="Succeeded"}'
        values: '1x60'
    promql_expr_test:
      - expr: headroom:node_gpus_free:sum
        eval_time: 10m
        exp_samples:
          - labels: 'headroom:node_gpus_free:sum{node="a"}'
            value: 4
          - labels: 'headroom:node_gpus_free:sum{node="b"}'
            value: 5
          - labels: 'headroom:node_gpus_free:sum{node="c"}'
            value: 2
      - expr: headroom:cluster_gpus_free:sum
        eval_time: 10m
        exp_samples:
          - labels: 'headroom:cluster_gpus_free:sum'
            value: 11
      - expr: headroom:node_gpus_free:max
        eval_time: 45m
        exp_samples:
          - labels: 'headroom:node_gpus_free:max'
            value: 8
    alert_rule_test:
      - alertname: ${FRAGMENTATION_ALERT}
        eval_time: 25m
        exp_alerts: []
      - alertname: ${FRAGMENTATION_ALERT}
        eval_time: 35m
        exp_alerts:
          - exp_labels:
              managed_by: headroom
              severity: warning
            exp_annotations:
              summary: '11 GPUs are free, but no node has 8 free: a 8-GPU job cannot start'
              description: "Free GPUs are scattered across nodes. Open Headroom's Fragmentation page for the defragmentation plan, or drain the node closest to 8 free GPUs."
      - alertname: ${FRAGMENTATION_ALERT}
        eval_time: 45m
        exp_alerts: []
`;

describe('the fragmentation alert template in promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-fragmentation-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a valid rule file whose free GPUs and alert match the hand-worked fleet', () => {
    writeFileSync(join(dir, 'rules.yml'), fragmentationRuleFile());
    writeFileSync(join(dir, 'test.yml'), TEST);
    const check = spawnSync(PROMTOOL, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('SUCCESS: 4 rules found');
    const test = spawnSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('follows the gang size: with 4-GPU jobs the same fleet has room (node b has 5 free)', () => {
    writeFileSync(join(dir, 'rules.yml'), fragmentationRuleFile({ gangGpus: 4 }));
    const quiet = TEST.replace(
      /exp_alerts:\n {10}- exp_labels:[\s\S]*?drain the node closest to 8 free GPUs\."\n/,
      'exp_alerts: []\n'
    );
    writeFileSync(join(dir, 'test.yml'), quiet);
    const test = spawnSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
  });
});
