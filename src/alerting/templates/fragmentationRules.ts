/**
 * An alert-rule template for GPU fragmentation, written as people write Prometheus rules, from kube-state-metrics
 * alone: "at least G GPUs are free in the cluster, yet no node has G free, for 30 minutes": a G-GPU job would
 * queue although the cluster has room for it. Free GPUs per node are allocatable minus the requests of pods bound
 * to the node (Pending while starting, or Running); MIG resources and CPU are left out, as in the largest-gang number
 * of the Fragmentation page.
 */
import { createCatalog, DEFAULT_GPU_RESOURCE, type MetricCatalog } from '../../prometheus/catalog';
import { matcher, selector } from '../../prometheus/promql';
import { runbookLine, RUNBOOKS } from '../runbooks';

export interface FragmentationRuleOptions {
  /** The job size that must fit on one node, in whole GPUs (default 8). */
  gangGpus?: number;
  /** How long the condition must hold before the alert fires (default 1800 s). */
  forSeconds?: number;
  /** How often Prometheus evaluates the group (default 60 s). */
  evaluationIntervalSeconds?: number;
  catalog?: MetricCatalog;
  /** Grafana's URL: the alert links the Fragmentation triage dashboard (`runbook_url`); no link without it. */
  grafanaUrl?: string;
}

/** Names of the recording rules, so dashboards and other rules can use them. */
export const FRAGMENTATION_RECORDS = {
  nodeFree: 'headroom:node_gpus_free:sum',
  clusterFree: 'headroom:cluster_gpus_free:sum',
  largestNodeFree: 'headroom:node_gpus_free:max',
} as const;

export const FRAGMENTATION_ALERT = 'HeadroomGpuGangBlockedByFragmentation';

const quote = (text: string) => JSON.stringify(text);

/** The PromQL of each rule, for the rule file and for Grafana-managed rules alike. */
export function fragmentationExpressions(options: FragmentationRuleOptions = {}) {
  const catalog = options.catalog ?? createCatalog();
  const gangGpus = options.gangGpus ?? 8;
  if (!Number.isInteger(gangGpus) || gangGpus < 1) {
    throw new RangeError(`The gang size must be a whole number of GPUs ≥ 1, got ${gangGpus}.`);
  }
  const gpu = matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE));
  const allocatable = `sum by (node) (${selector(catalog.name('kube_node_status_allocatable'), [gpu])})`;
  const bound = `max by (namespace, pod) (${selector(catalog.name('kube_pod_status_phase'), [matcher('phase', '=~', 'Pending|Running')])} == 1)`;
  const requested =
    `sum by (node) (${selector(catalog.name('kube_pod_container_resource_requests'), [gpu, matcher('node', '!=', '')])} ` +
    `* on (namespace, pod) group_left () ${bound})`;
  return {
    gangGpus,
    // A node without GPU pods has no requests series: count its requests as 0.
    nodeFree: `${allocatable} - (${requested} or ${allocatable} * 0)`,
    clusterFree: `sum(${FRAGMENTATION_RECORDS.nodeFree})`,
    largestNodeFree: `max(${FRAGMENTATION_RECORDS.nodeFree})`,
    alert:
      `${FRAGMENTATION_RECORDS.clusterFree} >= ${gangGpus} ` +
      `and on () ${FRAGMENTATION_RECORDS.largestNodeFree} < ${gangGpus}`,
  };
}

/** The rule file (YAML): recording rules for free GPUs per node and in the cluster, and the alert. */
export function fragmentationRuleFile(options: FragmentationRuleOptions = {}): string {
  const e = fragmentationExpressions(options);
  const forSeconds = options.forSeconds ?? 1800;
  return (
    [
      'groups:',
      `  - name: ${quote('headroom_fragmentation')}`,
      `    interval: ${options.evaluationIntervalSeconds ?? 60}s`,
      '    rules:',
      `      - record: ${FRAGMENTATION_RECORDS.nodeFree}`,
      `        expr: ${quote(e.nodeFree)}`,
      `      - record: ${FRAGMENTATION_RECORDS.clusterFree}`,
      `        expr: ${quote(e.clusterFree)}`,
      `      - record: ${FRAGMENTATION_RECORDS.largestNodeFree}`,
      `        expr: ${quote(e.largestNodeFree)}`,
      `      - alert: ${FRAGMENTATION_ALERT}`,
      `        expr: ${quote(e.alert)}`,
      `        for: ${forSeconds}s`,
      '        labels:',
      '          managed_by: "headroom"',
      '          severity: "warning"',
      '        annotations:',
      `          summary: ${quote(`{{ $value }} GPUs are free, but no node has ${e.gangGpus} free: a ${e.gangGpus}-GPU job cannot start`)}`,
      `          description: ${quote(
        `Free GPUs are scattered across nodes. Open Headroom's Fragmentation page for the defragmentation plan, or ` +
          `drain the node closest to ${e.gangGpus} free GPUs.`
      )}`,
      ...runbookLine(RUNBOOKS.gangBlocked, options.grafanaUrl),
    ].join('\n') + '\n'
  );
}
