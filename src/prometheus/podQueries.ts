/**
 * PromQL of the GPUs pods hold, from the DCGM series that carry a pod label (dcgm-exporter adds it while a pod holds
 * the GPU): the selectors the per-pod efficiency queries share (podActivity.ts), and the GPU-equivalents held per GPU
 * model that the month to date reads hourly since the month began, and each GPU model's memory, which recording rules
 * record (inventoryRecords.ts).
 */
import { DEFAULT_DCGM_HOSTNAME_LABEL, DEFAULT_DCGM_MODEL_LABEL, type MetricCatalog } from './catalog';
import type { FamilyDetection } from './detect';
import { chooseActivitySource, dcgmGpuEquivalents } from './inventoryQueries';
import { anyOfMatcher, matcher, selector } from './promql';
import type { FleetFilters } from './types';

/** dcgm-exporter's MIG profile of an instance (`3g.40gb`); empty or absent on a whole GPU. */
export const MIG_PROFILE_LABEL = 'GPU_I_PROFILE';

/** The DCGM labels naming a device's workload (`namespace`, `pod`, or their `exported_` forms). */
export interface PodLabels {
  namespace: string;
  pod: string;
}

export function podSelectors(catalog: MetricCatalog, labels: PodLabels, filters: FleetFilters = {}) {
  const gpuModel = catalog.name(DEFAULT_DCGM_MODEL_LABEL);
  // A pod's GPUs are on one node, so filtering DCGM series by Hostname keeps or drops whole pods.
  const deviceMatchers = [
    anyOfMatcher(gpuModel, filters.gpuModels),
    anyOfMatcher(catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL), filters.nodes),
  ];
  const held = (metric: string, ...more: string[]) =>
    selector(metric, [
      ...more,
      matcher(labels.pod, '!=', ''),
      anyOfMatcher(labels.namespace, filters.namespaces),
      ...deviceMatchers,
    ]);
  /**
   * Every scrape of a device of the request's GPU models and nodes, held or not (the exporter's own): not filtered by
   * pod or namespace, so that it counts what a window held throughout would (podActivity.ts).
   */
  const scraped = (metric: string) => selector(metric, deviceMatchers);
  /** Each held device as its share of a GPU (a MIG instance of an `Ng` profile N/7, as inventory counts it). */
  const heldGpuEquivalents = (metric: string) =>
    dcgmGpuEquivalents((profile) => `count without () (${held(metric, profile)})`);
  return { gpuModel, held, scraped, heldGpuEquivalents };
}

/**
 * `selector` as is, or `fn(selector[window])` when read in windows (podStep.ts). The window is a millisecond short of
 * the step: Prometheus before 3.0 reads [t − w, t] (closed), VictoriaMetrics and Prometheus 3 (t − w, t], so a scrape
 * exactly on a boundary (as backfilled history has) would fall in two windows; (t − w + 1 ms, t] holds it in one on all
 * (and on the open-start stores loses a scrape exactly 1 ms after a boundary, which whole-second history never has).
 */
export function overWindow(fn: string, selector: string, windowSeconds: number | undefined): string {
  return windowSeconds === undefined ? selector : `${fn}(${selector}[${windowSeconds * 1000 - 1}ms])`;
}

/**
 * GPU-equivalents held by pods per GPU model: framebuffer use has a series per whole GPU and per MIG instance; without
 * it the activity metric stands in (GPU_UTIL misses MIG instances). Undefined without DCGM workload labels.
 */
export function heldGpusByModelExpr(
  catalog: MetricCatalog,
  detection: FamilyDetection,
  filters: FleetFilters = {}
): string | undefined {
  const activity = chooseActivitySource(detection, catalog);
  const { namespace, pod } = detection.dcgmLabels;
  if (!activity || !namespace || !pod) {
    return undefined;
  }
  const { gpuModel, heldGpuEquivalents } = podSelectors(catalog, { namespace, pod }, filters);
  const device = detection.present.includes('DCGM_FI_DEV_FB_USED')
    ? catalog.name('DCGM_FI_DEV_FB_USED')
    : activity.metric;
  return `sum by (${gpuModel}) (${heldGpuEquivalents(device)})`;
}

/**
 * Each GPU model's and MIG profile's memory in MiB, the largest device's: FB_USED + FB_FREE, sampled together, is the
 * framebuffer the device's programs can use, fixed by the hardware, the driver and the MIG profile, so it changes only
 * when GPUs do. Undefined without both fields.
 */
export function gpuMemoryByModelExpr(catalog: MetricCatalog, detection: FamilyDetection): string | undefined {
  if (!detection.present.includes('DCGM_FI_DEV_FB_USED') || !detection.present.includes('DCGM_FI_DEV_FB_FREE')) {
    return undefined;
  }
  const used = catalog.name('DCGM_FI_DEV_FB_USED');
  const free = catalog.name('DCGM_FI_DEV_FB_FREE');
  return `max by (${catalog.name(DEFAULT_DCGM_MODEL_LABEL)}, ${MIG_PROFILE_LABEL}) (${used} + ${free})`;
}
