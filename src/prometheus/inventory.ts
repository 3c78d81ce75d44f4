/**
 * GPU inventory of a fleet over a time range: capacity, allocation and busy GPUs for the fleet, per GPU model and
 * per namespace, plus one row per node at the end of the range.
 */
import type { MetricCatalog } from './catalog';
import { detectFamilies, type FamilyDetection } from './detect';
import { buildInventoryQueries, chooseActivitySource, NODE_LABEL } from './inventoryQueries';
import { preferRecordedSeries } from './inventoryRecords';
import { chooseStepSeconds } from './step';
import type {
  GpuCountSeries,
  InventoryQuery,
  InventoryRequest,
  InventoryResult,
  InventoryWarning,
  PromSeries,
  PrometheusClient,
  QueryResult,
} from './types';

export async function fetchInventory(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: InventoryRequest,
  signal?: AbortSignal
): Promise<InventoryResult> {
  const range = { startSeconds: request.startSeconds, endSeconds: request.endSeconds };
  const stepSeconds = request.stepSeconds ?? chooseStepSeconds(range);
  const timestampsSeconds = gridTimestamps(range.startSeconds, range.endSeconds, stepSeconds);
  const lastSeconds = timestampsSeconds[timestampsSeconds.length - 1];

  const detection = await detectFamilies(client, range, catalog, signal);
  const q = await preferRecordedSeries(
    client,
    buildInventoryQueries(catalog, detection, request.filters),
    range,
    signal
  );
  const coded = inventoryWarnings(detection, catalog, request);
  const warnings: Array<[string, InventoryWarning | null]> = coded.map((w) => [inventoryWarningText(w), w]);

  const queries: InventoryQuery[] = [];
  const run = (name: string, kind: InventoryQuery['kind'], expr: string | undefined) => {
    if (!expr) {
      return Promise.resolve(undefined);
    }
    queries.push({ name, expr, kind });
    return kind === 'range'
      ? client.queryRange(expr, { ...range, stepSeconds }, signal)
      : client.queryInstant(expr, lastSeconds, signal);
  };

  const answers = await Promise.all([
    run('capacity.fleet', 'range', q.capacity?.fleet),
    run('capacity.byModel', 'range', q.capacity?.byModel),
    run('allocated.fleet', 'range', q.allocated?.fleet),
    run('allocated.byModel', 'range', q.allocated?.byModel),
    run('allocated.byNamespace', 'range', q.allocated?.byNamespace),
    run('busy.fleet', 'range', q.busy?.fleet),
    run('busy.byModel', 'range', q.busy?.byModel),
    run('busy.byNamespace', 'range', q.busy?.byNamespace),
    run('capacity.byNode', 'instant', q.capacity?.byNode),
    run('allocated.byNode', 'instant', q.allocated?.byNode),
    run('busy.byNode', 'instant', q.busy?.byNode),
    run('nodeModels', 'instant', q.nodeModels),
    run('migSliceEstimate', 'instant', q.migSliceEstimate),
  ] as const);
  for (const answer of answers) {
    warnings.push(...(answer?.warnings ?? []).map((text): [string, null] => [text, null]));
  }
  const [
    capacityFleet,
    capacityByModel,
    allocatedFleet,
    allocatedByModel,
    allocatedByNamespace,
    busyFleet,
    busyByModel,
    busyByNamespace,
    capacityByNode,
    allocatedByNode,
    busyByNode,
    nodeModels,
    migSliceEstimate,
  ] = answers;
  if (migSliceEstimate?.series.length) {
    const migEstimated: InventoryWarning = {
      code: 'inventory-mig-estimated',
      metrics: [catalog.name('DCGM_FI_DEV_FB_USED'), catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE')],
    };
    warnings.push([inventoryWarningText(migEstimated), migEstimated]);
  }

  const toGrid = (series: PromSeries | undefined) =>
    onGrid(series, range.startSeconds, stepSeconds, timestampsSeconds.length);
  const fleetCapacity = toGrid(capacityFleet?.series[0]);
  const fleetAllocated = zeroWhereKnown(toGrid(allocatedFleet?.series[0]), fleetCapacity);
  const fleet = {
    capacityGpus: fleetCapacity,
    allocatedGpus: fleetAllocated,
    busyGpus: toGrid(busyFleet?.series[0]),
    freeGpus: fleetCapacity.map((capacity, i) => capacity - fleetAllocated[i]),
  };

  const modelLabel = q.labels.gpuModel;
  const models = groupKeys([
    [capacityByModel, modelLabel],
    [allocatedByModel, modelLabel],
    [busyByModel, modelLabel],
  ]);
  const byModel = models.map((gpuModel) => {
    const capacityGpus = toGrid(find(capacityByModel, modelLabel, gpuModel));
    return {
      gpuModel,
      capacityGpus,
      allocatedGpus: zeroWhereKnown(toGrid(find(allocatedByModel, modelLabel, gpuModel)), capacityGpus),
      busyGpus: toGrid(find(busyByModel, modelLabel, gpuModel)),
    };
  });

  const busyNamespaceLabel = q.labels.busyNamespace ?? '';
  const namespaces = groupKeys([
    [allocatedByNamespace, q.labels.namespace],
    [busyByNamespace, busyNamespaceLabel],
  ]);
  const byNamespace: Array<GpuCountSeries & { namespace: string }> = namespaces.map((namespace) => ({
    namespace,
    // A namespace without running GPU pods holds none of the fleet's GPUs while the fleet is known.
    allocatedGpus: zeroWhereKnown(toGrid(find(allocatedByNamespace, q.labels.namespace, namespace)), fleetCapacity),
    busyGpus: busyByNamespace
      ? zeroWhereKnown(toGrid(find(busyByNamespace, busyNamespaceLabel, namespace)), fleet.busyGpus)
      : toGrid(undefined),
  }));

  const hostnameLabel = q.labels.hostname;
  const nodeNames = groupKeys([
    [capacityByNode, NODE_LABEL],
    [allocatedByNode, NODE_LABEL],
    [busyByNode, hostnameLabel],
  ]);
  const nodes = nodeNames.map((node) => {
    const capacityGpus = lastValue(find(capacityByNode, NODE_LABEL, node));
    const allocated = lastValue(find(allocatedByNode, NODE_LABEL, node));
    return {
      node,
      gpuModel: (nodeModels?.series ?? [])
        .filter((s) => s.labels[hostnameLabel] === node)
        .map((s) => s.labels[modelLabel])
        .sort()
        .join(', '),
      capacityGpus,
      allocatedGpus: Number.isNaN(allocated) && !Number.isNaN(capacityGpus) ? 0 : allocated,
      busyGpus: lastValue(find(busyByNode, hostnameLabel, node)),
    };
  });

  const activity = chooseActivitySource(detection, catalog);
  return {
    timestampsSeconds,
    stepSeconds,
    fleet,
    byModel,
    byNamespace,
    nodes,
    busySource: activity?.metric ?? 'none',
    ...distinctWarnings(warnings),
    queries,
  };
}

/** The evaluation times of a Prometheus range query: start, start + step, … up to end. */
export function gridTimestamps(startSeconds: number, endSeconds: number, stepSeconds: number): number[] {
  const count = Math.floor((endSeconds - startSeconds) / stepSeconds) + 1;
  return Array.from({ length: count }, (_, i) => startSeconds + i * stepSeconds);
}

/** Places a series' samples on the grid; NaN where a sample is missing. */
function onGrid(series: PromSeries | undefined, startSeconds: number, stepSeconds: number, length: number): number[] {
  const values = new Array<number>(length).fill(NaN);
  series?.timestampsSeconds.forEach((t, i) => {
    const index = Math.round((t - startSeconds) / stepSeconds);
    if (index >= 0 && index < length) {
      values[index] = series.values[i];
    }
  });
  return values;
}

/**
 * Prometheus returns nothing for a sum over no series (no running pods, no GPU of a namespace); that is 0 wherever
 * the reference total (capacity, fleet busy) shows the data exists.
 */
function zeroWhereKnown(values: number[], reference: number[]): number[] {
  return values.map((value, i) => (Number.isNaN(value) && !Number.isNaN(reference[i]) ? 0 : value));
}

/** Sorted distinct values of each result's grouping label. */
function groupKeys(results: Array<[QueryResult | undefined, string]>): string[] {
  const keys = results.flatMap(([result, label]) => (result?.series ?? []).map((s) => s.labels[label] ?? ''));
  return [...new Set(keys)].sort();
}

function find(result: QueryResult | undefined, label: string, key: string): PromSeries | undefined {
  return result?.series.find((s) => (s.labels[label] ?? '') === key);
}

function lastValue(series: PromSeries | undefined): number {
  return series && series.values.length > 0 ? series.values[series.values.length - 1] : NaN;
}

function inventoryWarnings(
  detection: FamilyDetection,
  catalog: MetricCatalog,
  request: InventoryRequest
): InventoryWarning[] {
  const warnings: InventoryWarning[] = [];
  if (!detection.kubeStateMetrics) {
    warnings.push({
      code: 'inventory-no-kube-state-metrics',
      metrics: (
        ['kube_node_status_allocatable', 'kube_pod_container_resource_requests', 'kube_pod_status_phase'] as const
      ).map((name) => catalog.name(name)),
    });
  }
  const activity = chooseActivitySource(detection, catalog);
  if (!activity) {
    warnings.push({
      code: 'inventory-no-dcgm-activity',
      metrics: [catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE'), catalog.name('DCGM_FI_DEV_GPU_UTIL')],
    });
  } else if (!detection.dcgmProfiling) {
    warnings.push({ code: 'inventory-dcgm-profiling-off', metric: activity.metric });
  }
  if (activity && !detection.dcgmLabels.namespace) {
    warnings.push({ code: 'inventory-no-namespace-label', filtered: Boolean(request.filters?.namespaces?.length) });
  }
  return warnings;
}

/** The inventory's warning in English, as the frames, the command line and its JSON write it. */
export function inventoryWarningText(warning: InventoryWarning): string {
  switch (warning.code) {
    case 'inventory-no-kube-state-metrics':
      return (
        `kube-state-metrics GPU series (${warning.metrics.join(', ')}) are missing in this range: capacity, ` +
        'allocated and free GPUs are unknown (NaN). Deploy kube-state-metrics.'
      );
    case 'inventory-no-dcgm-activity':
      return (
        `No DCGM activity metric (${warning.metrics.join(' or ')}) in this range: busy GPUs are unknown (NaN) and GPU ` +
        'models cannot be shown. Deploy NVIDIA dcgm-exporter.'
      );
    case 'inventory-dcgm-profiling-off':
      return (
        `Busy GPUs come from ${warning.metric} / 100 because DCGM profiling fields are off; it counts any kernel as ` +
        'busy, so busy GPUs are overstated, and DCGM does not report it for MIG instances, so busy MIG GPUs are ' +
        "missing. Enable DCGM_FI_PROF_GR_ENGINE_ACTIVE in dcgm-exporter's counters CSV."
      );
    case 'inventory-no-namespace-label':
      return warning.filtered
        ? 'DCGM series carry no namespace label, so busy GPUs cannot be filtered by namespace and are unknown (NaN). ' +
            "Enable dcgm-exporter's Kubernetes pod mapping."
        : "DCGM series carry no namespace label: busy GPUs per namespace are unknown. Enable dcgm-exporter's " +
            'Kubernetes pod mapping.';
    case 'inventory-mig-estimated':
      return (
        'MIG GPUs in capacity are estimated as Σ MIG instances × compute slices / 7, because no DCGM series per MIG ' +
        `instance (${warning.metrics.join(' or ')}) is in this range; a MIG layout that leaves slices unused is ` +
        'undercounted.'
      );
  }
}

/** Each warning once, in the order first given, with its code. */
function distinctWarnings(warnings: ReadonlyArray<[string, InventoryWarning | null]>): {
  warnings: string[];
  warningCodes: Array<InventoryWarning | null>;
} {
  const distinct = [...new Map(warnings.map(([text, code]) => [text, code] as const)).entries()];
  return { warnings: distinct.map(([text]) => text), warningCodes: distinct.map(([, code]) => code) };
}
