/**
 * The recorded series of the inventory's, the Forecast targets' and the month to date's heavy aggregations (rules/headroom-recording.yml,
 * `headroom rules recording`): each record is the data source's own unfiltered expression for a Prometheus with every
 * exporter under its default names, so a query whose expression equals a record's can read the recorded series instead, with the
 * same numbers (as of the rule's last evaluation) for one sample per evaluation instead of every GPU's.
 */
import { createCatalog, type MetricCatalog } from './catalog';
import type { FamilyDetection } from './detect';
import { buildInventoryQueries, chooseActivitySource, type InventoryQueries } from './inventoryQueries';
import { gpuMemoryByModelExpr, heldGpusByModelExpr } from './podQueries';
import { regexEscape } from './promql';
import { ASSUME_EVERYTHING, targetExpr } from './targets';
import { chooseStepSeconds } from './step';
import type { PrometheusClient, QueryResult, RangeQueryOptions, TimeRangeSeconds } from './types';

/**
 * Recorded series, named `headroom:<level>_gpus_<what>:sum` like the fragmentation template's records (`held`: the
 * GPU-equivalents pods hold by DCGM's pod labels); the mean activity of every DCGM device (the GPU utilisation target)
 * is `headroom:fleet_gpu_activity:avg`; which GPU models each node has, `headroom:node_gpu_models:group`; each GPU
 * model's and MIG profile's memory, `headroom:model_gpu_memory_mib:max`. The node records are the Overview's rows per
 * node, read at the range's end: one series per node instead of every GPU's.
 */
export const INVENTORY_RECORDS = {
  fleetCapacity: 'headroom:fleet_gpus_capacity:sum',
  modelCapacity: 'headroom:model_gpus_capacity:sum',
  fleetAllocated: 'headroom:fleet_gpus_allocated:sum',
  modelAllocated: 'headroom:model_gpus_allocated:sum',
  namespaceAllocated: 'headroom:namespace_gpus_allocated:sum',
  fleetBusy: 'headroom:fleet_gpus_busy:sum',
  modelBusy: 'headroom:model_gpus_busy:sum',
  namespaceBusy: 'headroom:namespace_gpus_busy:sum',
  fleetActivity: 'headroom:fleet_gpu_activity:avg',
  modelHeld: 'headroom:model_gpus_held:sum',
  nodeCapacity: 'headroom:node_gpus_capacity:sum',
  nodeAllocated: 'headroom:node_gpus_allocated:sum',
  nodeBusy: 'headroom:node_gpus_busy:sum',
  nodeModels: 'headroom:node_gpu_models:group',
  modelMemory: 'headroom:model_gpu_memory_mib:max',
} as const;

export type InventoryRecord = keyof typeof INVENTORY_RECORDS;

/** The records without labels: one series each on one Prometheus. */
const FLEET_RECORDS: ReadonlySet<InventoryRecord> = new Set([
  'fleetCapacity',
  'fleetAllocated',
  'fleetBusy',
  'fleetActivity',
]);

/** One instant query naming every recorded series present (one sample each, whatever the fleet's size). */
const RECORDS_PRESENT = `count by (__name__)({__name__=~"${Object.values(INVENTORY_RECORDS).map(regexEscape).join('|')}"})`;

function recordedExpressions(
  q: InventoryQueries
): Record<Exclude<InventoryRecord, 'fleetActivity' | 'modelHeld' | 'modelMemory'>, string | undefined> {
  return {
    fleetCapacity: q.capacity?.fleet,
    modelCapacity: q.capacity?.byModel,
    fleetAllocated: q.allocated?.fleet,
    modelAllocated: q.allocated?.byModel,
    namespaceAllocated: q.allocated?.byNamespace,
    fleetBusy: q.busy?.fleet,
    modelBusy: q.busy?.byModel,
    namespaceBusy: q.busy?.byNamespace,
    nodeCapacity: q.capacity?.byNode,
    nodeAllocated: q.allocated?.byNode,
    nodeBusy: q.busy?.byNode,
    nodeModels: q.nodeModels,
  };
}

/** The PromQL of each record; a record is left out when the exporters it needs are absent. */
export function inventoryRecordExpressions(
  catalog: MetricCatalog = createCatalog(),
  detection: FamilyDetection = ASSUME_EVERYTHING
): Partial<Record<InventoryRecord, string>> {
  const all = {
    ...recordedExpressions(buildInventoryQueries(catalog, detection)),
    // Read over 28 days by the Forecast page: every DCGM device series of the fleet, pods coming and going.
    fleetActivity: chooseActivitySource(detection, catalog) && targetExpr('gpu_utilisation', catalog, detection),
    // Read hourly since the month began by the Efficiency page's month to date: every DCGM device a pod holds.
    modelHeld: heldGpusByModelExpr(catalog, detection),
    // Read over the range by the Efficiency page's waste view: every DCGM device's memory fields, for a few values.
    modelMemory: gpuMemoryByModelExpr(catalog, detection),
  };
  return Object.fromEntries(Object.entries(all).filter(([, expr]) => expr !== undefined));
}

/**
 * A function giving, for an expression that equals a record's, the recorded series' name when the Prometheus holds
 * that record at both ends of the range (two instant queries, only when one of `expressions` is a record's), and the
 * expression itself otherwise. Filtered queries never equal a record, and a Prometheus whose exporters differ from
 * the defaults builds other expressions, so both keep reading the raw series.
 */
async function recordedSeriesSwap(
  client: PrometheusClient,
  expressions: ReadonlyArray<string | undefined>,
  range: TimeRangeSeconds,
  signal?: AbortSignal
): Promise<<T extends string | undefined>(expr: T) => T> {
  const records = Object.entries(inventoryRecordExpressions()) as Array<[InventoryRecord, string]>;
  const usable = records.filter(([, expr]) => expressions.includes(expr));
  const unchanged = <T extends string | undefined>(expr: T) => expr;
  if (usable.length === 0) {
    return unchanged;
  }
  // Covered at both ends: rules installed yesterday would leave most of a week's range empty, removed rules its end.
  // Each record on its own: a rule file with only some of the rules must not empty the others' panels.
  const ends = await Promise.all(
    [range.startSeconds, range.endSeconds].map((t) => client.queryInstant(RECORDS_PRESENT, t, signal))
  );
  const [atStart, atEnd] = ends.map(
    (answer) => new Map(answer.series.map((s) => [s.labels.__name__, s.values[s.values.length - 1]]))
  );
  // A fleet-wide record is one series. More means several Prometheus servers' records read together (a global view
  // through Thanos or Mimir, each cluster's rules labelled apart), whose fleet totals are not the raw query's answer.
  const usableAt = (counts: Map<string, number>, key: InventoryRecord) => {
    const count = counts.get(INVENTORY_RECORDS[key]);
    return count !== undefined && (!FLEET_RECORDS.has(key) || count === 1);
  };
  const covered = usable.filter(([key]) => usableAt(atStart, key) && usableAt(atEnd, key));
  if (covered.length === 0) {
    return unchanged;
  }
  return <T extends string | undefined>(expr: T) => {
    const record = covered.find(([, recorded]) => recorded === expr);
    return (record ? INVENTORY_RECORDS[record[0]] : expr) as T;
  };
}

/** The queries with each expression that equals a covered record's replaced by the recorded series (above). */
export async function preferRecordedSeries(
  client: PrometheusClient,
  queries: InventoryQueries,
  range: TimeRangeSeconds,
  signal?: AbortSignal
): Promise<InventoryQueries> {
  const swap = await recordedSeriesSwap(client, Object.values(recordedExpressions(queries)), range, signal);
  const { capacity, allocated, busy } = queries;
  return {
    ...queries,
    capacity: capacity && {
      ...capacity,
      fleet: swap(capacity.fleet),
      byModel: swap(capacity.byModel),
      byNode: swap(capacity.byNode),
    },
    allocated: allocated && {
      ...allocated,
      fleet: swap(allocated.fleet),
      byModel: swap(allocated.byModel),
      byNamespace: swap(allocated.byNamespace),
      byNode: swap(allocated.byNode),
    },
    busy: busy && {
      ...busy,
      fleet: swap(busy.fleet),
      byModel: swap(busy.byModel),
      byNamespace: swap(busy.byNamespace),
      byNode: swap(busy.byNode),
    },
    nodeModels: swap(queries.nodeModels),
  };
}

/**
 * The recorded series' name when `expr` equals a record's expression and the Prometheus holds that record at both ends
 * of the range (as `preferRecordedSeries` decides), else undefined: for a query that reads the record in its own way
 * (each GPU model's memory, read over the range by `max_over_time`).
 */
export async function recordCovering(
  client: PrometheusClient,
  expr: string,
  range: TimeRangeSeconds,
  signal?: AbortSignal
): Promise<string | undefined> {
  const read = (await recordedSeriesSwap(client, [expr], range, signal))(expr);
  return read === expr ? undefined : read;
}

/** A range query's answer, and what it read: the record's name where the record gave any of it, else the expression. */
export interface RecordedRange {
  result: QueryResult;
  expr: string;
}

/**
 * A range query of one expression, reading the recorded series it equals from the record's first sample in the range
 * on, and the expression itself before that: the Forecast targets' 28 days of history and the month to date read the
 * fleet sums the Overview reads. Rules installed within the range, or a fleet younger than the range, leave the
 * record's start empty; the raw series fill it (a query of a span with no sample costs the store next to nothing).
 * The record must hold a sample within a step of the range's end (removed rules leave it stale) and, when fleet-wide,
 * be one series (several are several Prometheus servers' records read together); otherwise the raw series answer it
 * all. The two parts are joined on the labels the raw series carry: a record may carry more (a server's external
 * labels behind Thanos). An
 * expression no record equals (filtered, or another Prometheus' names) is one plain query.
 */
export async function queryRangePreferringRecords(
  client: PrometheusClient,
  expr: string,
  options: RangeQueryOptions,
  signal?: AbortSignal
): Promise<RecordedRange> {
  const record = (Object.entries(inventoryRecordExpressions()) as Array<[InventoryRecord, string]>).find(
    ([, recorded]) => recorded === expr
  )?.[0];
  if (record === undefined) {
    return { result: await client.queryRange(expr, options, signal), expr };
  }
  const recordName = INVENTORY_RECORDS[record];
  const recorded = await client.queryRange(recordName, options, signal);
  const stepSeconds = recorded.stepSeconds ?? options.stepSeconds ?? chooseStepSeconds(options);
  // Within a step of the end: VictoriaMetrics rounds a range's start and end to multiples of the step, Prometheus
  // keeps the start, so the last point falls either side of the end.
  const holdsEnd = recorded.series.some(
    (s) => s.timestampsSeconds[s.timestampsSeconds.length - 1] > options.endSeconds - stepSeconds
  );
  if (!holdsEnd || (FLEET_RECORDS.has(record) && recorded.series.length !== 1)) {
    return { result: await client.queryRange(expr, { ...options, stepSeconds }, signal), expr };
  }
  const firstRecordedSeconds = Math.min(...recorded.series.map((s) => s.timestampsSeconds[0]));
  if (firstRecordedSeconds < options.startSeconds + stepSeconds) {
    return { result: recorded, expr: recordName };
  }
  const before = await client.queryRange(
    expr,
    { startSeconds: options.startSeconds, endSeconds: firstRecordedSeconds - stepSeconds, stepSeconds },
    signal
  );
  return { result: joinedInTime(before, recorded), expr: recordName };
}

/**
 * Each series of `earlier` followed by the series of `later` with the same values of the labels `earlier` carries (the
 * expression's grouping): a record may carry more (the record's name, a server's external labels behind Thanos).
 */
function joinedInTime(earlier: QueryResult, later: QueryResult): QueryResult {
  const grouping = [...new Set(earlier.series.flatMap((s) => Object.keys(s.labels)))].filter((n) => n !== '__name__');
  const key = (labels: Record<string, string>) => JSON.stringify(grouping.map((name) => labels[name] ?? ''));
  const earlierByKey = new Map(earlier.series.map((s) => [key(s.labels), s]));
  const joined = later.series.map((s) => {
    const head = earlierByKey.get(key(s.labels));
    earlierByKey.delete(key(s.labels));
    return head
      ? {
          labels: s.labels,
          timestampsSeconds: [...head.timestampsSeconds, ...s.timestampsSeconds],
          values: [...head.values, ...s.values],
        }
      : s;
  });
  return {
    series: [...earlierByKey.values(), ...joined],
    warnings: [...earlier.warnings, ...later.warnings],
    stepSeconds: later.stepSeconds,
  };
}
