/**
 * Grafana's "Save & test" answer, built from what the Prometheus behind Headroom holds: which metric families exist,
 * what each missing one costs, and which labels name the workload's pod.
 */
import type { TestDataSourceResponse } from '@grafana/data';

import type { FamilyDetection, WorkloadLabels } from '../prometheus/detect';

/** Wide enough to see exporters scraped at long intervals or briefly down, narrow enough to stay cheap. */
export const HEALTH_CHECK_WINDOW_SECONDS = 6 * 60 * 60;

export type HealthStatus = 'success' | 'warning' | 'error';

export function healthCheckResult(detection: FamilyDetection): TestDataSourceResponse & { status: HealthStatus } {
  const hasDcgm = detection.dcgm || detection.dcgmProfiling;
  const found: string[] = [];
  const missing: string[] = [];
  (hasDcgm ? found : missing).push(
    hasDcgm ? `DCGM exporter (profiling fields ${detection.dcgmProfiling ? 'on' : 'off'})` : 'DCGM exporter'
  );
  (detection.kubeStateMetrics ? found : missing).push('kube-state-metrics GPU allocatable and requests');
  (detection.vllm ? found : missing).push('vLLM (optional)');

  const status = healthStatus(detection, hasDcgm);
  const summary = [
    status === 'error' ? 'No GPU metrics Headroom can use in the last 6 hours.' : 'Connected to Prometheus.',
    found.length > 0 ? `Found: ${found.join(', ')}.` : '',
    missing.length > 0 ? `Missing: ${missing.join(', ')}.` : '',
    podLabelSummary(detection),
  ]
    .filter((part) => part !== '')
    .join(' ');

  return {
    status,
    message: summary,
    details: {
      // What each missing piece costs and how to fix it.
      message: detection.messages.length > 0 ? detection.messages.join('\n') : undefined,
      verboseMessage: verboseMessage(detection),
    },
  };
}

function healthStatus(detection: FamilyDetection, hasDcgm: boolean): HealthStatus {
  if (!hasDcgm && !detection.kubeStateMetrics) {
    return 'error';
  }
  const degraded =
    !hasDcgm ||
    !detection.kubeStateMetrics ||
    !detection.dcgmProfiling ||
    !detection.dcgmLabels.hostname ||
    !detection.dcgmLabels.gpuModel;
  return degraded ? 'warning' : 'success';
}

function podLabelSummary(detection: FamilyDetection): string {
  const parts = [
    describePodLabel('kube-state-metrics', detection.kubeStateMetrics, detection.kubeStateMetricsLabels),
    describePodLabel('DCGM', detection.dcgm || detection.dcgmProfiling, detection.dcgmLabels),
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? `Pod label: ${parts.join(', ')}.` : '';
}

function describePodLabel(family: string, present: boolean, labels: WorkloadLabels): string | undefined {
  if (!present) {
    return undefined;
  }
  return labels.pod ? `${family} uses "${labels.pod}"` : `${family} has none`;
}

function verboseMessage(detection: FamilyDetection): string {
  const labels = (name: string, found: WorkloadLabels) =>
    `${name} labels: namespace "${found.namespace ?? 'none'}", pod "${found.pod ?? 'none'}"`;
  return [
    detection.present.length > 0
      ? `Metrics found: ${detection.present.join(', ')}.`
      : 'No metric of the catalog was found; if yours are renamed, map them under "Metric names".',
    labels('kube-state-metrics', detection.kubeStateMetricsLabels),
    labels('DCGM', detection.dcgmLabels),
  ].join('\n');
}
