/**
 * Recording rules for the inventory's heavy aggregations: the fleet, per-GPU-model and per-namespace sums of
 * capacity, allocated and busy GPUs that the Overview page and the forecast targets ask for over days. Each rule
 * records exactly the expression the data source sends without filters (`buildInventoryQueries`), so a page
 * reading the recorded series sees the same numbers, and the rules cannot drift from the queries.
 * At 10,000 GPUs one of these expressions over a week reads every DCGM and kube-state-metrics sample of the fleet;
 * its recorded series is one sample per evaluation (docs/scale.md).
 */
import { createCatalog, type MetricCatalog } from '../prometheus/catalog';
import type { FamilyDetection } from '../prometheus/detect';
import { buildInventoryQueries } from '../prometheus/inventoryQueries';
import { ASSUME_EVERYTHING } from '../prometheus/targets';

/** Recorded series, named `headroom:<level>_gpus_<what>:sum` like the fragmentation template's records. */
export const INVENTORY_RECORDS = {
  fleetCapacity: 'headroom:fleet_gpus_capacity:sum',
  modelCapacity: 'headroom:model_gpus_capacity:sum',
  fleetAllocated: 'headroom:fleet_gpus_allocated:sum',
  modelAllocated: 'headroom:model_gpus_allocated:sum',
  namespaceAllocated: 'headroom:namespace_gpus_allocated:sum',
  fleetBusy: 'headroom:fleet_gpus_busy:sum',
  modelBusy: 'headroom:model_gpus_busy:sum',
  namespaceBusy: 'headroom:namespace_gpus_busy:sum',
} as const;

export type InventoryRecord = keyof typeof INVENTORY_RECORDS;

export const RECORDING_GROUP = 'headroom_inventory';

export interface RecordingRuleOptions {
  catalog?: MetricCatalog;
  /** Which exporters the Prometheus has; default all of them with their default labels. */
  detection?: FamilyDetection;
  /** How often Prometheus evaluates the group (default 60 s). */
  evaluationIntervalSeconds?: number;
}

/** The PromQL of each record; a record is left out when the exporters it needs are absent. */
export function inventoryRecordExpressions(
  options: RecordingRuleOptions = {}
): Partial<Record<InventoryRecord, string>> {
  const q = buildInventoryQueries(options.catalog ?? createCatalog(), options.detection ?? ASSUME_EVERYTHING);
  const all: Record<InventoryRecord, string | undefined> = {
    fleetCapacity: q.capacity?.fleet,
    modelCapacity: q.capacity?.byModel,
    fleetAllocated: q.allocated?.fleet,
    modelAllocated: q.allocated?.byModel,
    namespaceAllocated: q.allocated?.byNamespace,
    fleetBusy: q.busy?.fleet,
    modelBusy: q.busy?.byModel,
    namespaceBusy: q.busy?.byNamespace,
  };
  return Object.fromEntries(Object.entries(all).filter(([, expr]) => expr !== undefined));
}

const quote = (text: string) => JSON.stringify(text);

/** The rule file (YAML) for Prometheus, Mimir or VictoriaMetrics' vmalert. */
export function inventoryRecordingRuleFile(options: RecordingRuleOptions = {}): string {
  const interval = options.evaluationIntervalSeconds ?? 60;
  if (!Number.isInteger(interval) || interval < 1) {
    throw new RangeError(`The evaluation interval must be a whole number of seconds ≥ 1, got ${interval}.`);
  }
  const rules = Object.entries(inventoryRecordExpressions(options)).flatMap(([key, expr]) => [
    `      - record: ${INVENTORY_RECORDS[key as InventoryRecord]}`,
    `        expr: ${quote(expr!)}`,
  ]);
  return (
    ['groups:', `  - name: ${quote(RECORDING_GROUP)}`, `    interval: ${interval}s`, '    rules:', ...rules].join(
      '\n'
    ) + '\n'
  );
}
