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
import { chooseActivitySource, dcgmGpuEquivalentsOf } from './inventoryQueries';
import { queryRangePreferringRecords, recordCovering } from './inventoryRecords';
import { gpuMemoryByModelExpr, heldGpusByModelExpr, MIG_PROFILE_LABEL, overWindow, podSelectors } from './podQueries';
import {
  countedPodStep,
  heldSharesOf,
  MAX_POD_POINTS_PER_QUERY,
  toWindowStarts,
  windowQueryRange,
  windowsWithoutSpanningPod,
  type PodStep,
  type PodWindowCount,
} from './podStep';
import { createPipelinedQueries } from './pipelinedQueries';
import { selector } from './promql';
import { chooseStepSeconds } from './step';
import type { FleetFilters, PrometheusClient, PromSeries, RangeQueryOptions } from './types';

/** dcgm-exporter's GPU index (the SM clock's key with the host). */
const DCGM_GPU_INDEX_LABEL = 'gpu';
/**
 * One physical device, GPU or MIG instance (an instance carries its parent's `UUID`): not the host, which is the
 * exporter's own pod name when dcgm-exporter runs without NODE_NAME and so changes when the exporter is replaced.
 */
const PHYSICAL_DEVICE_LABELS = `UUID, ${DCGM_GPU_INDEX_LABEL}, GPU_I_ID`;
/** The label `count_values` names a count of scrapes by (the pods counted, the devices in windows). */
const SAMPLES_LABEL = 'headroom_samples';
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
 * Per-pod range queries of one call at the store at once when read in windows (the next leaves when the previous
 * answer has arrived, while Headroom parses it: pipelinedQueries.ts): each reads every held series of the range
 * for about a second at 10,000 GPUs, and the page's two per-pod panels (waste and MFU) run together, beside its
 * instant queries and other panels: one each keeps the page within the store's concurrent queries (VictoriaMetrics
 * answers 503 past -search.maxConcurrentRequests, 4 by default, once a query has waited 10 s in its queue). Two at a
 * time measured no faster on 2 CPUs, where VictoriaMetrics already spreads one query over both (docs/scale.md).
 */
const MAX_POD_QUERIES_AT_ONCE = 1;

/**
 * What every per-pod query shares: detected label names, the filtered selector of held GPUs, and the instant queries
 * at the range's end, which need no step.
 */
async function podLabels(client: PrometheusClient, catalog: MetricCatalog, request: PodRequest, signal?: AbortSignal) {
  const range = { startSeconds: request.startSeconds, endSeconds: request.endSeconds };
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
  const { gpuModel, held, scraped } = podSelectors(catalog, { namespace, pod }, filters);
  const queries: Array<{ name: string; expr: string }> = [];
  const instant = async (name: string, expr: string | false) => {
    if (!expr) {
      return [];
    }
    queries.push({ name, expr });
    return (await client.queryInstant(expr, range.endSeconds, signal)).series;
  };
  return {
    range,
    span: range.endSeconds - range.startSeconds,
    detection,
    activity,
    namespace,
    pod,
    gpuModel,
    held,
    scraped,
    instant,
    queries,
    filters,
  };
}

type PodLabels = Awaited<ReturnType<typeof podLabels>>;

/**
 * The step of the per-pod range queries and a runner of them at it. `perPod`: the queries answer a series per pod, so
 * the pods in the range are counted first (one instant query) and the step is coarsened to keep pods × points within
 * the budget.
 */
async function podQueries(
  client: PrometheusClient,
  labels: PodLabels,
  request: PodRequest,
  signal?: AbortSignal,
  perPod = true
) {
  const { range, span, namespace, pod, gpuModel, held, activity, queries } = labels;
  const fineStepSeconds = request.stepSeconds ?? chooseStepSeconds(range);
  const maxPoints = request.maxPodPoints ?? MAX_POD_POINTS_PER_QUERY;
  let step: PodStep = { stepSeconds: fineStepSeconds, pods: 0 };
  if (perPod) {
    const device = `${namespace}, ${pod}, ${gpuModel}, ${MIG_PROFILE_LABEL}`;
    // The pods by the scrapes of their best-covered device in the range: how many pods, and the estimate of the
    // points each window would answer (podStep.ts).
    const bestCovered = `max by (${device}) (count_over_time(${held(activity.metric)}[${span}s]))`;
    const podsExpr = `count_values("${SAMPLES_LABEL}", ${bestCovered})`;
    const scrapes = (await labels.instant('pods', podsExpr)).map((s) => ({
      scrapes: Number(s.labels[SAMPLES_LABEL]),
      pods: s.values[0],
    }));
    const countAt = async (windowSeconds: number): Promise<PodWindowCount> => {
      const expr = `count(count by (${device}) (${overWindow('last_over_time', held(activity.metric), windowSeconds)}))`;
      queries.push({ name: `podWindows${windowSeconds}s`, expr });
      const windows = { ...windowQueryRange(range, windowSeconds), stepSeconds: windowSeconds };
      const perWindow = (await client.queryRange(expr, windows, signal)).series[0]?.values ?? [];
      return { windowSeconds, podWindows: perWindow.reduce((a, b) => a + b, 0) };
    };
    step = await countedPodStep(range, fineStepSeconds, scrapes, maxPoints, countAt);
  }
  const { stepSeconds, windowSeconds } = step;
  const queryRange = windowSeconds === undefined ? range : windowQueryRange(range, windowSeconds);
  // A small fleet's queries run together, as before; a large fleet's a few at a time at the store
  // (MAX_POD_QUERIES_AT_ONCE), each answer parsed while the next is answered.
  const turns = windowSeconds === undefined ? undefined : createPipelinedQueries(client, MAX_POD_QUERIES_AT_ONCE);
  const runNow = async (store: PrometheusClient, name: string, expr: string) => {
    // A range query that is a recording rule's expression (the month's held GPUs per model) reads the record.
    const read = await queryRangePreferringRecords(store, expr, { ...queryRange, stepSeconds }, signal);
    queries.push({ name, expr: read.expr });
    const { series } = read.result;
    return windowSeconds === undefined ? series : toWindowStarts(series, windowSeconds);
  };
  const run = async (name: string, expr: string | false): Promise<PromSeries[]> => {
    if (!expr) {
      return [];
    }
    return turns ? turns.run((store) => runNow(store, name, expr), signal) : runNow(client, name, expr);
  };
  const windows: PodWindows | undefined =
    windowSeconds === undefined ? undefined : { pods: step.pods, windowSeconds, fineStepSeconds, maxPoints };
  return { stepSeconds, windowSeconds, windows, run };
}

/**
 * Activity in % (GR_ENGINE_ACTIVE × 100, else GPU_UTIL) as the mean over the pod's GPUs at each step, the
 * GPU-equivalents it held (the most at any step; a 3g MIG instance is 3/7 of a GPU), its memory as FB_USED of its fullest GPU in bytes, and the
 * memory of one of its GPUs (FB_USED + FB_FREE, by model and MIG profile, as last reported in the range, or the most
 * its record holds in the range: a device's framebuffer is fixed, so both are the same, gpuMemoryByModelExpr). Read in
 * windows (podStep.ts): the window's mean activity, the share of the window held, the devices with a sample in it,
 * and the window's peak memory.
 */
export async function fetchPodActivity(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: PodRequest,
  signal?: AbortSignal
): Promise<PodActivityResult> {
  const labels = await podLabels(client, catalog, request, signal);
  const { span, detection, activity, namespace, pod, gpuModel, held, scraped } = labels;
  const byPod = `${namespace}, ${pod}`;
  const device = `${byPod}, ${gpuModel}, ${MIG_PROFILE_LABEL}`;
  const physicalDevice = `${device}, ${PHYSICAL_DEVICE_LABELS}`;
  const fbUsed = catalog.name('DCGM_FI_DEV_FB_USED');
  const fbFree = catalog.name('DCGM_FI_DEV_FB_FREE');
  const hasMemory = detection.present.includes('DCGM_FI_DEV_FB_USED');
  const memoryByModel = gpuMemoryByModelExpr(catalog, detection);

  const percent = activity.scale === 1 ? ' * 100' : '';
  const perPod = async () => {
    const scope = await podQueries(client, labels, request, signal);
    const w = scope.windowSeconds;
    const series = await Promise.all([
      scope.run(
        'activityPercent',
        `avg by (${device}) (${overWindow('avg_over_time', held(activity.metric), w)})${percent}`
      ),
      // Devices counted by MIG profile and weighed here (dcgmGpuEquivalentsOf); in windows, each count of scrapes a
      // device has in the window with the devices that have it: the most is the pod's best-covered GPU, for the share
      // of the window it held them. One selector read once for both. In a window a device's series can change labels
      // (dcgm-exporter replaced: a new instance), which staleness ends at the asked step but not within a window: its
      // scrapes are summed per physical device first, so one GPU counts once (the share is capped at 1).
      scope.run(
        'devices',
        w === undefined
          ? `count by (${device}) (${held(activity.metric)})`
          : `count_values by (${device}) ("${SAMPLES_LABEL}", sum by (${physicalDevice}) (${overWindow('count_over_time', held(activity.metric), w)}))`
      ),
      scope.run(
        'memoryBytes',
        hasMemory && `max by (${byPod}) (${overWindow('max_over_time', held(fbUsed), w)}) * ${BYTES_PER_MIB}`
      ),
    ]);
    return { scope, series };
  };
  // Each GPU's last used + free, sampled together, wherever in the range its exporter last reported; or the record of
  // it, a few series instead of every GPU's two. It needs no step, so it is asked while the pods are counted.
  const byModel = `${gpuModel}, ${MIG_PROFILE_LABEL}`;
  const rawMemoryRead = (name: string) =>
    labels.instant(
      name,
      `max by (${byModel}) (last_over_time(${fbUsed}[${span}s]) + last_over_time(${fbFree}[${span}s])) * ${BYTES_PER_MIB}`
    );
  const gpuMemoryRead = async () => {
    if (!memoryByModel) {
      return { series: [], fromRecord: false };
    }
    const record = await recordCovering(client, memoryByModel, labels.range, signal);
    return record
      ? {
          series: await labels.instant(
            'gpuMemoryBytes',
            `max by (${byModel}) (max_over_time(${record}[${span}s])) * ${BYTES_PER_MIB}`
          ),
          fromRecord: true,
        }
      : { series: await rawMemoryRead('gpuMemoryBytes'), fromRecord: false };
  };
  const [gpuMemory, { scope, series }] = await Promise.all([gpuMemoryRead(), perPod()]);
  const [activitySeries, deviceCounts, memory] = series;
  const w = scope.windowSeconds;

  const warnings: string[] = [];
  const keyOf = (s: PromSeries) => `${s.labels[namespace] ?? ''}/${s.labels[pod]}`;
  const deviceKeyOf = (s: PromSeries) =>
    JSON.stringify([s.labels[namespace], s.labels[pod], s.labels[gpuModel], s.labels[MIG_PROFILE_LABEL]]);
  const modelKeyOf = (s: PromSeries) => `${s.labels[gpuModel] ?? ''}|${s.labels[MIG_PROFILE_LABEL] ?? ''}`;
  const memoryOfModel = new Map(gpuMemory.series.map((s) => [modelKeyOf(s), s.values[0]]));
  // The record may lack a model: rules run on only some of the servers behind a global view, or stopped while the
  // model's GPUs reported. Those models are sized from their raw series, as without the record.
  if (gpuMemory.fromRecord && activitySeries.some((s) => !memoryOfModel.has(modelKeyOf(s)))) {
    for (const s of await rawMemoryRead('gpuMemoryBytesNotRecorded')) {
      if (!memoryOfModel.has(modelKeyOf(s))) {
        memoryOfModel.set(modelKeyOf(s), s.values[0]);
      }
    }
  }
  const devices =
    w === undefined ? devicesAtSteps(deviceCounts, deviceKeyOf) : devicesInWindows(deviceCounts, deviceKeyOf);
  const memoryOf = new Map(memory.map((s) => [keyOf(s), s]));
  const sharesOf =
    w === undefined
      ? new Map<string, Map<number, number>>()
      : heldSharesOf(
          devices.bestCovered,
          w,
          await fullWindowScrapes(scope, devices.bestCovered, w, scraped(activity.metric)),
          deviceKeyOf
        );
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
    const mostDevices = devices.mostOf.get(deviceKeyOf(s));
    const gpuEquivalents = mostDevices === undefined ? undefined : dcgmGpuEquivalentsOf(profile, mostDevices);
    if (profile !== '' && gpuEquivalents === undefined) {
      unsizedMigPods.push(`${key} (${profile})`);
    }
    const podMemory = memoryOf.get(key);
    const shares = sharesOf.get(deviceKeyOf(s));
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
      gpuMemoryBytes: memoryOfModel.get(modelKeyOf(s)),
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
  if (!memoryByModel) {
    warnings.push(`${fbUsed} or ${fbFree} is missing: GPU memory sizes are unknown and over-provisioning not judged`);
  }
  return {
    pods,
    stepSeconds: scope.stepSeconds,
    windows: scope.windows,
    activitySource: activity.metric,
    warnings,
    queries: labels.queries,
  };
}

/**
 * The scrapes of a window held throughout, from the exporter's own scrapes, when some window has no pod held across
 * it (heldSharesOf; else nothing is asked): dcgm-exporter writes each of its devices' series on every scrape, whoever
 * holds it, so the median over the device series of their scrapes in the window is a full window's count, whatever
 * pods the request keeps (a namespace of short jobs has none held across a window). Series, not devices: a
 * time-sliced GPU has a series per pod sharing it at once, each scraped every time, which a sum per device would
 * count k times; a series whose labels change inside the window (its pod, its exporter's `instance`) is short there,
 * as few are in one window, and the median passes them over. It needs no device label either (`UUID` may be absent).
 * One range query answering one series, which reads every device series in the range, held or not
 * (docs/formulas.md, "Large fleets").
 */
async function fullWindowScrapes(
  scope: Awaited<ReturnType<typeof podQueries>>,
  bestCovered: PromSeries[],
  windowSeconds: number,
  devices: string
): Promise<Map<number, number>> {
  if (windowsWithoutSpanningPod(bestCovered, windowSeconds).length === 0) {
    return new Map();
  }
  const [median] = await scope.run(
    'fullWindowScrapes',
    `quantile(0.5, ${overWindow('count_over_time', devices, windowSeconds)})`
  );
  return new Map<number, number>(median?.timestampsSeconds.map((t, i) => [t, median.values[i]]));
}

/** The most devices each pod held at once, from `count by (pod…)` at each step. */
function devicesAtSteps(deviceCounts: PromSeries[], keyOf: (s: PromSeries) => string) {
  return {
    mostOf: new Map(deviceCounts.map((s) => [keyOf(s), Math.max(...s.values)])),
    bestCovered: [] as PromSeries[],
  };
}

/**
 * From `count_values by (pod…)` of each device's scrapes in each window (a series per pod and count, valued by the
 * devices with that count): the most devices the pod held in a window, and per pod the scrapes of its best-covered
 * device in each window (the highest count), as a series labelled like the pod's.
 */
function devicesInWindows(deviceCounts: PromSeries[], keyOf: (s: PromSeries) => string) {
  const byPod = new Map<
    string,
    { labels: Record<string, string>; devices: Map<number, number>; best: Map<number, number> }
  >();
  for (const s of deviceCounts) {
    const key = keyOf(s);
    let entry = byPod.get(key);
    if (!entry) {
      const { [SAMPLES_LABEL]: _samples, ...labels } = s.labels;
      entry = { labels, devices: new Map(), best: new Map() };
      byPod.set(key, entry);
    }
    const samples = Number(s.labels[SAMPLES_LABEL]);
    s.timestampsSeconds.forEach((t, i) => {
      entry.devices.set(t, (entry.devices.get(t) ?? 0) + s.values[i]);
      entry.best.set(t, Math.max(entry.best.get(t) ?? 0, samples));
    });
  }
  const mostOf = new Map<string, number>();
  const bestCovered: PromSeries[] = [];
  for (const [key, { labels, devices, best }] of byPod) {
    mostOf.set(key, Math.max(...devices.values()));
    const timestampsSeconds = [...best.keys()].sort((a, b) => a - b);
    bestCovered.push({ labels, timestampsSeconds, values: timestampsSeconds.map((t) => best.get(t)!) });
  }
  return { mostOf, bestCovered };
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
  const labels = await podLabels(client, catalog, request, signal);
  const { span, detection, namespace, pod, gpuModel, held, queries } = labels;
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
  const perPod = async () => {
    const scope = await podQueries(client, labels, request, signal);
    const w = scope.windowSeconds;
    const series = await Promise.all([
      scope.run('tensorActiveRatio', `avg by (${byPod}) (${overWindow('avg_over_time', held(tensor), w)})`),
      scope.run(
        'smClockMhz',
        hasClock &&
          `avg by (${byPod}) (max by (${gpuKey}) (${overWindow('avg_over_time', selector(clock, []), w)}) * on (${gpuKey}) group_right () ` +
            `group by (${byPod}, ${gpuKey}) (${overWindow('last_over_time', held(tensor), w)}))`
      ),
    ]);
    return { scope, series };
  };
  const [maxClocks, { scope, series }] = await Promise.all([
    // Needs no step: asked while the pods are counted.
    labels.instant(
      'observedMaxSmClockMhz',
      hasClock && `max by (${gpuModel}) (max_over_time(${selector(clock, [])}[${span}s]))`
    ),
    perPod(),
  ]);
  const [tensorSeries, clockSeries] = series;
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
    stepSeconds: scope.stepSeconds,
    windows: scope.windows,
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
  const labels = await podLabels(client, catalog, request, signal);
  const { detection, gpuModel, queries, filters } = labels;
  const { stepSeconds, run } = await podQueries(client, labels, request, signal, false);
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
