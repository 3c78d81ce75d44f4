/**
 * The GPU models a fleet runs and how many GPUs of each, for pricing a capacity plan as the fleet's own GPUs: the
 * one model a GPU model filter names, else the inventory's capacity per model (kube-state-metrics allocatable, each
 * node labelled with DCGM's modelName), restricted by the node and GPU model filters.
 */
import type { FleetGpuModels } from '../engine/capacity';
import type { MetricCatalog } from './catalog';
import type { FamilyDetection } from './detect';
import { buildInventoryQueries } from './inventoryQueries';
import type { FleetFilters, PrometheusClient } from './types';

/** Capacity changes in steps; the newest value in the last day before `atSeconds` is the fleet's current mix. */
const LOOKBACK_SECONDS = 24 * 3600;
const STEP_SECONDS = 3600;

export async function fleetGpuModels(
  client: PrometheusClient,
  catalog: MetricCatalog,
  detection: FamilyDetection,
  filters: Pick<FleetFilters, 'nodes' | 'gpuModels'>,
  atSeconds: number,
  signal?: AbortSignal
): Promise<FleetGpuModels> {
  if (filters.gpuModels?.length === 1) {
    return { models: [{ gpuModel: filters.gpuModels[0], gpus: 1 }], source: 'the GPU model filter' };
  }
  const queries = buildInventoryQueries(catalog, detection, filters);
  const expr = queries.capacity?.byModel;
  if (!expr) {
    return {
      models: [],
      source:
        `no GPU capacity per model: it needs kube-state-metrics and DCGM series with the ` +
        `${queries.labels.gpuModel} and ${queries.labels.hostname} labels`,
    };
  }
  const result = await client.queryRange(
    expr,
    { startSeconds: atSeconds - LOOKBACK_SECONDS, endSeconds: atSeconds, stepSeconds: STEP_SECONDS },
    signal
  );
  const models = result.series
    .map((series) => ({
      gpuModel: series.labels[queries.labels.gpuModel] ?? '',
      gpus: series.values[series.values.length - 1],
    }))
    .filter((m) => m.gpuModel !== '' && m.gpus > 0)
    .sort((a, b) => b.gpus - a.gpus || a.gpuModel.localeCompare(b.gpuModel));
  return {
    models,
    source:
      models.length > 0
        ? `GPU capacity per model in the inventory, at ${new Date(atSeconds * 1000).toISOString().replace('.000Z', 'Z')}`
        : 'no GPU capacity per model in the inventory in the day before the forecast',
  };
}
