/**
 * Per-pod GPU activity and memory over a time range, from the DCGM series that carry a pod label (dcgm-exporter adds
 * it while a pod holds the GPU), shaped for the waste analysis (`analyseWaste`). Each expression aggregates by pod in
 * PromQL, so the answer grows with pods × steps, never with GPUs × samples; the step comes from the step chooser, and
 * a coarser one, read as windows, when the pods in the range would make the answer too large (podStep.ts).
 */
import type { PodUtilisation } from '../engine/efficiency';
import { DEFAULT_DCGM_HOSTNAME_LABEL, type MetricCatalog } from './catalog';
import { detectFamilies } from './detect';
import { FleetDataError } from './fleetState';
import { chooseActivitySource } from './inventoryQueries';
import { queryRangePreferringRecords } from './inventoryRecords';
import { heldGpusByModelExpr, overWindow, podSelectors } from './podQueries';
import {
  countedPodStep,
  heldSharesOf,
  MAX_POD_POINTS_PER_QUERY,
  toWindowStarts,
  windowQueryRange,
  type PodStep,
  type PodWindowCount,
} from './podStep';
import { selector } from './promql';
import { chooseStepSeconds } from './step';
import type { FleetFilters, PrometheusClient, PromSeries, RangeQueryOptions } from './types';

const MIG_PROFILE_LABEL = 'GPU_I_PROFILE';
const BYTES_PER_MIB = 2 ** 20;

export interface PodActivityResult {
  /** One per pod; `pod` is the pod name, or `namespace/pod` when the name occurs in several namespaces. */
  pods: PodUtilisation[];
  stepSeconds: number;
  /** Defined when the pods in the range did not fit the point budget at the step asked for (podStep.ts). */
  windows?: PodWindows;
  /** The activity metric used, e.g. `DCGM_FI_PROF_GR_ENGINE_ACTIVE`. */
  activitySource: string;
  warnings: string[];
  queries: Array<{ name: string; expr: string }>;
}

/** Each point is the mean of the `windowSeconds` before it, as `pods` at `fineStepSeconds` exceeded `maxPoints`. */
export interface PodWindows {
  pods: number;
  windowSeconds: number;
  fineStepSeconds: number;
  maxPoints: number;
}

type PodRequest = RangeQueryOptions & {
  filters?: FleetFilters;
  /** Points one per-pod range query may answer, pods × points (default MAX_POD_POINTS_PER_QUERY, podStep.ts). */
  maxPodPoints?: number;
};

/**
 * What every per-pod query shares: detected label names, the filtered selector of held GPUs, the step, and a query
 * runner. `perPod`: the queries answer a series per pod, so the pods in the range are counted first (one instant
 * query) and the step is coarsened to keep pods × points within the budget.
 */
async function podScope(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: PodRequest,
  signal?: AbortSignal,
  perPod = true
) {
  const range = { startSeconds: request.startSeconds, endSeconds: request.endSeconds };
  const fineStepSeconds = request.stepSeconds ?? chooseStepSeconds(range);
  const detection = await detectFamilies(client, range, catalog, signal);
  const activity = chooseActivitySource(detection, catalog);
  const { namespace, pod } = detection.dcgmLabels;
  if (!activity || !namespace || !pod) {
    throw new FleetDataError(
      'Per-pod GPU activity needs DCGM series with namespace and pod labels in this range. ' +
        detection.messages.join(' ')
    );
  }
  const filters = request.filters ?? {};
  const { gpuModel, held, heldGpuEquivalents } = podSelectors(catalog, { namespace, pod }, filters);
  const queries: Array<{ name: string; expr: string }> = [];
  const span = range.endSeconds - range.startSeconds;
  const maxPoints = request.maxPodPoints ?? MAX_POD_POINTS_PER_QUERY;
  let step: PodStep = { stepSeconds: fineStepSeconds, pods: 0 };
  if (perPod) {
    const device = `${namespace}, ${pod}, ${gpuModel}, ${MIG_PROFILE_LABEL}`;
    const podsExpr = `count(count by (${device}) (last_over_time(${held(activity.metric)}[${span}s])))`;
    queries.push({ name: 'pods', expr: podsExpr });
    const counted = await client.queryInstant(podsExpr, range.endSeconds, signal);
    const pods = counted.series[0]?.values[0] ?? 0;
    const countAt = async (windowSeconds: number): Promise<PodWindowCount> => {
      const expr = `count(count by (${device}) (${overWindow('last_over_time', held(activity.metric), windowSeconds)}))`;
      queries.push({ name: `podWindows${windowSeconds}s`, expr });
      const windows = { ...windowQueryRange(range, windowSeconds), stepSeconds: windowSeconds };
      const perWindow = (await client.queryRange(expr, windows, signal)).series[0]?.values ?? [];
      return { windowSeconds, podWindows: perWindow.reduce((a, b) => a + b, 0) };
    };
    step = await countedPodStep(range, fineStepSeconds, pods, maxPoints, countAt);
  }
  const { stepSeconds, windowSeconds } = step;
  const queryRange = windowSeconds === undefined ? range : windowQueryRange(range, windowSeconds);
  // A large fleet's per-pod queries each read every held series for seconds: one at a time, so that the page's panels
  // together stay within the store's concurrent queries (VictoriaMetrics answers 503 past -search.maxConcurrentRequests,
  // 4 by default, once a query has waited 10 s in its queue). A small fleet's run together, as before.
  let previous: Promise<unknown> = Promise.resolve();
  const run = async (name: string, expr: string | false, kind: 'range' | 'instant' = 'range') => {
    if (!expr) {
      return [];
    }
    if (windowSeconds === undefined) {
      return runNow(name, expr, kind);
    }
    const turn = previous.then(() => runNow(name, expr, kind));
    previous = turn.catch(() => undefined);
    return turn;
  };
  const runNow = async (name: string, expr: string, kind: 'range' | 'instant') => {
    if (kind === 'instant') {
      queries.push({ name, expr });
      return (await client.queryInstant(expr, range.endSeconds, signal)).series;
    }
    // A range query that is a recording rule's expression (the month's held GPUs per model) reads the record.
    const read = await queryRangePreferringRecords(client, expr, { ...queryRange, stepSeconds }, signal);
    queries.push({ name, expr: read.expr });
    const { series } = read.result;
    return windowSeconds === undefined ? series : toWindowStarts(series, windowSeconds);
  };
  const windows: PodWindows | undefined =
    windowSeconds === undefined ? undefined : { pods: step.pods, windowSeconds, fineStepSeconds, maxPoints };
  return {
    range,
    span,
    stepSeconds,
    windowSeconds,
    windows,
    detection,
    activity,
    namespace,
    pod,
    gpuModel,
    held,
    heldGpuEquivalents,
    run,
    queries,
    filters,
  };
}

/**
 * Activity in % (GR_ENGINE_ACTIVE × 100, else GPU_UTIL) as the mean over the pod's GPUs at each step, the
 * GPU-equivalents it held (the most at any step; a 3g MIG instance is 3/7 of a GPU), its memory as FB_USED of its fullest GPU in bytes, and the
 * memory of one of its GPUs (FB_USED + FB_FREE, by model and MIG profile, as last reported in the range). Read in
 * windows (podStep.ts): the window's mean activity, the share of the window held, the devices with a sample in it,
 * and the window's peak memory.
 */
export async function fetchPodActivity(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: PodRequest,
  signal?: AbortSignal
): Promise<PodActivityResult> {
  const scope = await podScope(client, catalog, request, signal);
  const { span, windowSeconds: w, detection, activity, namespace, pod, gpuModel, held, run } = scope;
  const byPod = `${namespace}, ${pod}`;
  const device = `${byPod}, ${gpuModel}, ${MIG_PROFILE_LABEL}`;
  const fbUsed = catalog.name('DCGM_FI_DEV_FB_USED');
  const fbFree = catalog.name('DCGM_FI_DEV_FB_FREE');
  const hasMemory = detection.present.includes('DCGM_FI_DEV_FB_USED');
  const hasTotal = hasMemory && detection.present.includes('DCGM_FI_DEV_FB_FREE');

  const percent = activity.scale === 1 ? ' * 100' : '';
  const [activitySeries, deviceCounts, sampleCounts, memory, gpuMemory] = await Promise.all([
    run('activityPercent', `avg by (${device}) (${overWindow('avg_over_time', held(activity.metric), w)})${percent}`),
    run('devices', `sum by (${device}) (${scope.heldGpuEquivalents(activity.metric, w)})`),
    // In windows: the samples of each pod's best-covered GPU, for the share of the window it held them.
    run(
      'heldSamples',
      w !== undefined && `max by (${device}) (${overWindow('count_over_time', held(activity.metric), w)})`
    ),
    run(
      'memoryBytes',
      hasMemory && `max by (${byPod}) (${overWindow('max_over_time', held(fbUsed), w)}) * ${BYTES_PER_MIB}`
    ),
    run(
      'gpuMemoryBytes',
      // Each GPU's last used + free, sampled together, wherever in the range its exporter last reported.
      hasTotal &&
        `max by (${gpuModel}, ${MIG_PROFILE_LABEL}) (last_over_time(${fbUsed}[${span}s]) + ` +
          `last_over_time(${fbFree}[${span}s])) * ${BYTES_PER_MIB}`,
      'instant'
    ),
  ]);

  const warnings: string[] = [];
  const keyOf = (s: PromSeries) => `${s.labels[namespace] ?? ''}/${s.labels[pod]}`;
  const memoryOfModel = new Map(
    gpuMemory.map((s) => [`${s.labels[gpuModel] ?? ''}|${s.labels[MIG_PROFILE_LABEL] ?? ''}`, s.values[0]])
  );
  const devicesOf = new Map(deviceCounts.map((s) => [JSON.stringify(s.labels), Math.max(...s.values)]));
  const memoryOf = new Map(memory.map((s) => [keyOf(s), s]));
  const sharesOf = w === undefined ? new Map<string, Map<number, number>>() : heldSharesOf(sampleCounts, w);
  const seen = new Set<string>();
  const nameOf = podNamer(activitySeries, namespace, pod);
  const pods: PodUtilisation[] = [];
  const unsizedMigPods: string[] = [];
  for (const s of activitySeries) {
    const key = keyOf(s);
    if (seen.has(key)) {
      warnings.push(`${key} appears on more than one GPU model or MIG profile; only its first is analysed`);
      continue;
    }
    seen.add(key);
    const profile = s.labels[MIG_PROFILE_LABEL] ?? '';
    const gpuEquivalents = devicesOf.get(JSON.stringify(s.labels));
    if (profile !== '' && gpuEquivalents === undefined) {
      unsizedMigPods.push(`${key} (${profile})`);
    }
    const podMemory = memoryOf.get(key);
    const shares = sharesOf.get(JSON.stringify(s.labels));
    pods.push({
      pod: nameOf(s),
      namespace: s.labels[namespace] ?? '',
      gpuModel: s.labels[gpuModel] ?? '',
      gpuCount: gpuEquivalents ?? 1,
      timestampsSeconds: s.timestampsSeconds,
      activityPercent: s.values,
      ...(w !== undefined && { heldShare: s.timestampsSeconds.map((t) => shares?.get(t) ?? 1) }),
      memoryTimestampsSeconds: podMemory?.timestampsSeconds,
      memoryBytes: podMemory?.values,
      gpuMemoryBytes: memoryOfModel.get(`${s.labels[gpuModel] ?? ''}|${profile}`),
    });
  }
  if (!detection.dcgmProfiling) {
    warnings.push(
      `Activity comes from ${activity.metric}, which counts any kernel as busy and is not reported for MIG ` +
        'instances; enable DCGM_FI_PROF_GR_ENGINE_ACTIVE for a truer figure.'
    );
  }
  if (unsizedMigPods.length > 0) {
    warnings.push(
      `${unsizedMigPods.length} pod(s) hold MIG instances of a profile not named Ng.* (1g, 2g, 3g, 4g or 7g of 7 ` +
        `slices); each counts as a whole GPU: ${unsizedMigPods.slice(0, 5).join(', ')}`
    );
  }
  if (!hasTotal) {
    warnings.push(`${fbUsed} or ${fbFree} is missing: GPU memory sizes are unknown and over-provisioning not judged`);
  }
  return {
    pods,
    stepSeconds: scope.stepSeconds,
    windows: scope.windows,
    activitySource: activity.metric,
    warnings,
    queries: scope.queries,
  };
}

/** The pod name, or `namespace/pod` when the name occurs in several namespaces among `series`. */
function podNamer(series: PromSeries[], namespace: string, pod: string): (s: PromSeries) => string {
  const namespaces = new Map<string, Set<string>>();
  for (const s of series) {
    const seen = namespaces.get(s.labels[pod]) ?? new Set<string>();
    seen.add(s.labels[namespace] ?? '');
    namespaces.set(s.labels[pod], seen);
  }
  return (s) =>
    (namespaces.get(s.labels[pod])?.size ?? 0) > 1 ? `${s.labels[namespace] ?? ''}/${s.labels[pod]}` : s.labels[pod];
}

export interface PodTensorSeries {
  pod: string;
  namespace: string;
  gpuModel: string;
  timestampsSeconds: number[];
  /** DCGM_FI_PROF_PIPE_TENSOR_ACTIVE, mean over the pod's GPUs, as a ratio. */
  tensorActiveRatio: number[];
  /** SM clock of the pod's GPUs (mean) at the same times; absent when DCGM_FI_DEV_SM_CLOCK is not scraped. */
  smClockMhz?: number[];
}

export interface PodTensorResult {
  pods: PodTensorSeries[];
  /** Highest SM clock seen per GPU model in the range, the fallback denominator for models without a datasheet. */
  observedMaxSmClockMhz: Record<string, number>;
  stepSeconds: number;
  /** Defined when the pods in the range did not fit the point budget at the step asked for (podStep.ts). */
  windows?: PodWindows;
  warnings: string[];
  queries: Array<{ name: string; expr: string }>;
}

const DCGM_GPU_INDEX_LABEL = 'gpu';

/**
 * Per pod, tensor-pipe activity and the SM clock of the GPUs it holds, aligned by time: the inputs of the DCGM MFU
 * estimate. The SM clock is a per-GPU field (dcgm-exporter need not label it with the pod, and MIG instances share
 * their GPU's clock), so it is joined to the pod's activity series on Hostname and GPU index.
 */
export async function fetchPodTensorActivity(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: PodRequest,
  signal?: AbortSignal
): Promise<PodTensorResult> {
  const {
    span,
    stepSeconds,
    windowSeconds: w,
    windows,
    detection,
    namespace,
    pod,
    gpuModel,
    held,
    run,
    queries,
  } = await podScope(client, catalog, request, signal);
  const tensor = catalog.name('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE');
  if (!detection.present.includes('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE')) {
    throw new FleetDataError(
      `The MFU estimate needs ${tensor}, a DCGM profiling field this Prometheus does not hold in the range. Add it ` +
        "to dcgm-exporter's counters CSV; waste and idle GPUs still work from " +
        `${chooseActivitySource(detection, catalog)?.metric ?? 'DCGM_FI_DEV_GPU_UTIL'}.`
    );
  }
  const hostname = catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL);
  const clock = catalog.name('DCGM_FI_DEV_SM_CLOCK');
  const hasClock = detection.present.includes('DCGM_FI_DEV_SM_CLOCK');
  const byPod = `${namespace}, ${pod}, ${gpuModel}`;
  const gpuKey = `${hostname}, ${DCGM_GPU_INDEX_LABEL}`;
  const [tensorSeries, clockSeries, maxClocks] = await Promise.all([
    run('tensorActiveRatio', `avg by (${byPod}) (${overWindow('avg_over_time', held(tensor), w)})`),
    run(
      'smClockMhz',
      hasClock &&
        `avg by (${byPod}) (max by (${gpuKey}) (${overWindow('avg_over_time', selector(clock, []), w)}) * on (${gpuKey}) group_right () ` +
          `group by (${byPod}, ${gpuKey}) (${overWindow('last_over_time', held(tensor), w)}))`
    ),
    run(
      'observedMaxSmClockMhz',
      hasClock && `max by (${gpuModel}) (max_over_time(${selector(clock, [])}[${span}s]))`,
      'instant'
    ),
  ]);
  const nameOf = podNamer(tensorSeries, namespace, pod);
  const keyOf = (s: PromSeries) => JSON.stringify([s.labels[namespace], s.labels[pod], s.labels[gpuModel]]);
  const clockOf = new Map(
    clockSeries.map((s) => [keyOf(s), new Map(s.timestampsSeconds.map((t, i) => [t, s.values[i]]))])
  );
  const pods = tensorSeries.map((s): PodTensorSeries => {
    const base = { pod: nameOf(s), namespace: s.labels[namespace] ?? '', gpuModel: s.labels[gpuModel] ?? '' };
    if (!hasClock) {
      return { ...base, timestampsSeconds: s.timestampsSeconds, tensorActiveRatio: s.values };
    }
    const clocks = clockOf.get(keyOf(s));
    const at = s.timestampsSeconds.map((t, i) => [t, s.values[i], clocks?.get(t)] as const);
    const aligned = at.filter((row): row is readonly [number, number, number] => row[2] !== undefined);
    return {
      ...base,
      timestampsSeconds: aligned.map((row) => row[0]),
      tensorActiveRatio: aligned.map((row) => row[1]),
      smClockMhz: aligned.map((row) => row[2]),
    };
  });
  const warnings = hasClock
    ? []
    : [`${clock} is missing: the MFU estimate takes every GPU to run at its maximum clock and so reads high`];
  return {
    pods,
    observedMaxSmClockMhz: Object.fromEntries(maxClocks.map((s) => [s.labels[gpuModel] ?? '', s.values[0]])),
    stepSeconds,
    windows,
    warnings,
    queries,
  };
}

export interface HeldGpusResult {
  /** GPU-equivalents (whole GPUs, and MIG instances as their share) held by pods, per GPU model, at each step. */
  byModel: Array<{ gpuModel: string; timestampsSeconds: number[]; heldGpus: number[] }>;
  stepSeconds: number;
  queries: Array<{ name: string; expr: string }>;
}

/**
 * GPU-equivalents held by pods per model over time: DCGM device series carrying a pod label, a whole GPU counted 1 and
 * a MIG instance of an `Ng` profile N/7. Framebuffer use has a series per whole GPU and per MIG instance; without it
 * the activity metric stands in (GPU_UTIL misses MIG instances).
 */
export async function fetchHeldGpusByModel(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: PodRequest,
  signal?: AbortSignal
): Promise<HeldGpusResult> {
  const { stepSeconds, detection, gpuModel, run, queries, filters } = await podScope(
    client,
    catalog,
    request,
    signal,
    false
  );
  const series = await run('heldGpus', heldGpusByModelExpr(catalog, detection, filters)!);
  return {
    byModel: series.map((s) => ({
      gpuModel: s.labels[gpuModel] ?? '',
      timestampsSeconds: s.timestampsSeconds,
      heldGpus: s.values,
    })),
    stepSeconds,
    queries,
  };
}
