/**
 * The GPU models a fleet runs and how many GPUs of each, for pricing a capacity plan as the fleet's own GPUs: the
 * one model a GPU model filter names, else the inventory's capacity per model (kube-state-metrics allocatable, each
 * node labelled with DCGM's modelName), restricted by the node and GPU model filters; unfiltered, the recorded
 * capacity per model where the recording rules hold it.
 */
import { fleetFrom, type FleetGpuModels } from '../engine/capacity';
import type { MetricCatalog } from './catalog';
import type { FamilyDetection } from './detect';
import { buildInventoryQueries } from './inventoryQueries';
import { queryRangePreferringRecords } from './inventoryRecords';
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
    return fleetFrom([{ gpuModel: filters.gpuModels[0], gpus: 1 }], { code: 'gpu-model-filter' });
  }
  const queries = buildInventoryQueries(catalog, detection, filters);
  const expr = queries.capacity?.byModel;
  if (!expr) {
    return fleetFrom([], {
      code: 'no-capacity-by-model',
      gpuModelLabel: queries.labels.gpuModel,
      hostnameLabel: queries.labels.hostname,
    });
  }
  const { result } = await queryRangePreferringRecords(
    client,
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
  return fleetFrom(models, models.length > 0 ? { code: 'inventory', atSeconds } : { code: 'no-inventory-capacity' });
}
