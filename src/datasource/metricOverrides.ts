/**
 * The metric-name overrides a person edits in the data source settings: which names can be overridden (the
 * catalog's defaults, grouped by exporter) and whether an entered name is one Prometheus accepts.
 */
import {
  DEFAULT_DCGM_HOSTNAME_LABEL,
  DEFAULT_DCGM_MODEL_LABEL,
  DEFAULT_GPU_RESOURCE,
  METRIC_FAMILIES,
  type CatalogName,
} from '../prometheus/catalog';
import type { MetricNameOverrides } from './types';

export interface OverrideGroup {
  title: string;
  description: string;
  names: readonly CatalogName[];
}

export const OVERRIDE_GROUPS: readonly OverrideGroup[] = [
  {
    title: 'DCGM exporter',
    description: 'GPU utilisation, memory, power and clocks per GPU.',
    names: METRIC_FAMILIES.dcgm,
  },
  {
    title: 'DCGM profiling fields',
    description: 'Engine, SM and tensor activity ratios; preferred for busy GPUs and MFU.',
    names: METRIC_FAMILIES.dcgmProfiling,
  },
  {
    title: 'kube-state-metrics',
    description: 'GPU capacity of nodes and GPU requests of pods.',
    names: METRIC_FAMILIES.kubeStateMetrics,
  },
  {
    title: 'vLLM',
    description: 'Requests, tokens and KV-cache of LLM inference servers.',
    names: METRIC_FAMILIES.vllm,
  },
  {
    title: 'Labels and resources',
    description: 'DCGM label names for the node and GPU model, and the Kubernetes resource name of a whole GPU.',
    names: [DEFAULT_DCGM_HOSTNAME_LABEL, DEFAULT_DCGM_MODEL_LABEL, DEFAULT_GPU_RESOURCE],
  },
];

/** Sets the override of `defaultName`; an empty value removes it, so the default name applies again. */
export function withOverride(
  overrides: MetricNameOverrides,
  defaultName: CatalogName,
  value: string
): MetricNameOverrides {
  const next = { ...overrides };
  if (value.trim() === '') {
    delete next[defaultName];
  } else {
    next[defaultName] = value.trim();
  }
  return next;
}

/** The one rule the settings and the command line apply (prometheus/catalog.ts). */
export { overrideError } from '../prometheus/catalog';
