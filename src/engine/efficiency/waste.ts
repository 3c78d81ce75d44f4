import { DEFAULT_BUDGET_TIME_ZONE, monthBounds } from './calendarMonth';
import { EfficiencyInputError } from './errors';
import { medianGapSeconds, sampleWeightsSeconds } from './timeWeights';

export type PricingTier = 'onDemand' | 'reserved' | 'spot';

/** Price of one GPU-hour per model and tier, in the catalog's currency; editable by the user. */
export type PriceCatalog = Record<string, Record<PricingTier, number>>;

export interface PodUtilisation {
  pod: string;
  namespace?: string;
  gpuModel?: string;
  /**
   * GPUs the pod holds, in GPU-equivalents (default 1): a whole GPU is 1, a MIG instance of an `Ng` profile N/7;
   * activity is the mean over them.
   */
  gpuCount?: number;
  pricing?: PricingTier;
  timestampsSeconds: ArrayLike<number>;
  /** GPU activity in percent (DCGM GPU_UTIL or GR_ENGINE_ACTIVE × 100), one per timestamp. */
  activityPercent: ArrayLike<number>;
  /**
   * Share of each sample's time the pod held its GPUs, in [0, 1], one per timestamp (default 1 each). Read at a step
   * coarser than the scrape interval a sample is the mean of a window, and a pod that started or ended inside the
   * window held its GPUs for only part of it (docs/formulas.md, "Waste").
   */
  heldShare?: ArrayLike<number>;
  /** GPU memory used in bytes, on its own timestamps (a separate exporter series may be sampled elsewhen). */
  memoryTimestampsSeconds?: ArrayLike<number>;
  memoryBytes?: ArrayLike<number>;
  /** Memory of one of its GPUs in bytes; without it over-provisioning cannot be judged. */
  gpuMemoryBytes?: number;
}

export interface WasteRules {
  /** A sample stands for the time to the next one when the gap is at most this (default 300 s), else one step. */
  maxGapSeconds: number;
  /** Idle is judged over the last this many seconds before `nowSeconds` (default 6 h). */
  idleWindowSeconds: number;
  /** A sample is idle under this activity (default 5 %)… */
  idleActivityPercent: number;
  /** …and a pod is idle when at least this share of its window's samples are (default 0.9), each counted for its held share. */
  idleSampleShare: number;
  /** Over-provisioned: mean activity under this (default 20 %) and… */
  overProvisionedActivityPercent: number;
  /** …peak memory under this share of its GPU memory (default 0.5). */
  overProvisionedMemoryShare: number;
  /** An idle pod holds memory when its mean memory in the idle window is at least this (default 1 GiB). */
  memoryHeldBytes: number;
  /** Activity outside [0, 100]: 'clamp' it and count the samples (default), or 'reject' the input. */
  outOfRange: 'clamp' | 'reject';
}

export const DEFAULT_WASTE_RULES: WasteRules = {
  maxGapSeconds: 300,
  idleWindowSeconds: 6 * 3600,
  idleActivityPercent: 5,
  idleSampleShare: 0.9,
  overProvisionedActivityPercent: 20,
  overProvisionedMemoryShare: 0.5,
  memoryHeldBytes: 2 ** 30,
  outOfRange: 'clamp',
};

export interface WasteOptions {
  rules?: Partial<WasteRules>;
  prices?: PriceCatalog;
  /**
   * End of the analysis; default the newest activity sample of any pod. When given (a query's range end), no sample
   * stands for time after it: a range query's last point, at the end itself, adds nothing.
   */
  nowSeconds?: number;
  /** Monthly budget in the catalog's currency: projects the month's spend against it. */
  monthlyBudget?: number;
  /** IANA time zone whose calendar month the budget covers (default UTC). */
  timeZone?: string;
}

export interface PodWaste {
  pod: string;
  namespace: string;
  gpuModel: string;
  samples: number;
  allocatedGpuHours: number;
  busyGpuHours: number;
  /** allocated − busy. */
  wasteGpuHours: number;
  /** busy / allocated × 100: the time-weighted mean activity. */
  meanActivityPercent: number;
  peakMemoryBytes?: number;
  /** Undefined when the pod has no sample in the idle window (it stopped before it). */
  idle?: boolean;
  /** Undefined without memory samples or the GPU's memory size. */
  overProvisioned?: boolean;
  memoryHeldComputeIdle?: boolean;
  /** Undefined when the catalog has no price for the pod's model. */
  allocatedCost?: number;
  wasteCost?: number;
}

export interface WasteGroup {
  key: string;
  allocatedGpuHours: number;
  busyGpuHours: number;
  wasteGpuHours: number;
  allocatedCost?: number;
  wasteCost?: number;
}

export interface BudgetProjection {
  /** IANA time zone of the calendar month. */
  timeZone: string;
  monthStartSeconds: number;
  monthEndSeconds: number;
  /** Cost of the GPU-hours observed since the month began. */
  monthToDateCost: number;
  /** monthToDateCost over the observed hours of the month. */
  burnPerHour: number;
  /** burnPerHour over every hour of the month: the observed rate stands in for the hours not observed. */
  projectedMonthCost: number;
  monthlyBudget: number;
  projectedShareOfBudget: number;
  /** Observed hours / elapsed hours of the month: below 1 the month-to-date figure misses the early month. */
  observedShareOfElapsed: number;
}

export interface WasteReport {
  nowSeconds: number;
  rules: WasteRules;
  allocatedGpuHours: number;
  busyGpuHours: number;
  wasteGpuHours: number;
  allocatedCost?: number;
  wasteCost?: number;
  pods: PodWaste[];
  byNamespace: WasteGroup[];
  byModel: WasteGroup[];
  idlePods: string[];
  overProvisionedPods: string[];
  memoryHeldComputeIdlePods: string[];
  budget?: BudgetProjection;
  /** Samples whose activity was outside [0, 100] and clamped; samples dropped for not being numbers. */
  clampedSamples: number;
  droppedSamples: number;
  warnings: string[];
}

interface Series {
  timestampsSeconds: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Index in the input of each sample kept, when samples were dropped or reordered. */
  order?: number[];
}

/** Ascending, finite samples of a series; `dropped` counts what was not a number. */
function cleanSeries(
  timestampsSeconds: ArrayLike<number>,
  values: ArrayLike<number>,
  counts: { dropped: number }
): Series {
  const n = timestampsSeconds.length;
  let ascending = true;
  let finite = true;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(timestampsSeconds[i]) || !Number.isFinite(values[i])) {
      finite = false;
    }
    if (i > 0 && timestampsSeconds[i] < timestampsSeconds[i - 1]) {
      ascending = false;
    }
  }
  if (ascending && finite) {
    return { timestampsSeconds, values };
  }
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => Number.isFinite(timestampsSeconds[i]) && Number.isFinite(values[i]))
    .sort((a, b) => timestampsSeconds[a] - timestampsSeconds[b]);
  counts.dropped += n - order.length;
  return {
    timestampsSeconds: Float64Array.from(order, (i) => timestampsSeconds[i]),
    values: Float64Array.from(order, (i) => values[i]),
    order,
  };
}

/** The held share of each kept activity sample (1 without shares), checked to lie in [0, 1]. */
function heldShares(pod: PodUtilisation, p: number, activity: Series): Float64Array {
  const n = activity.timestampsSeconds.length;
  const shares = new Float64Array(n).fill(1);
  if (!pod.heldShare) {
    return shares;
  }
  if (pod.heldShare.length !== pod.timestampsSeconds.length) {
    throw new EfficiencyInputError(
      `pods[${p}].heldShare`,
      `Pod "${pod.pod}" has ${pod.timestampsSeconds.length} timestamps and ${pod.heldShare.length} held shares.`
    );
  }
  for (let i = 0; i < n; i++) {
    const share = pod.heldShare[activity.order ? activity.order[i] : i];
    if (!(share >= 0 && share <= 1)) {
      throw new EfficiencyInputError(
        `pods[${p}].heldShare`,
        `Pod "${pod.pod}" has a held share of ${share}; a share of a sample's time is in [0, 1].`
      );
    }
    shares[i] = share;
  }
  return shares;
}

function resolveRules(partial: Partial<WasteRules> | undefined): WasteRules {
  const rules = { ...DEFAULT_WASTE_RULES, ...partial };
  const positive = ['maxGapSeconds', 'idleWindowSeconds', 'memoryHeldBytes'] as const;
  for (const field of positive) {
    if (!(rules[field] > 0)) {
      throw new EfficiencyInputError(field, `${field} must be > 0, got ${rules[field]}.`);
    }
  }
  const shares = ['idleSampleShare', 'overProvisionedMemoryShare'] as const;
  for (const field of shares) {
    if (!(rules[field] > 0 && rules[field] <= 1)) {
      throw new EfficiencyInputError(field, `${field} is a share in (0, 1], got ${rules[field]}.`);
    }
  }
  const percents = ['idleActivityPercent', 'overProvisionedActivityPercent'] as const;
  for (const field of percents) {
    if (!(rules[field] > 0 && rules[field] <= 100)) {
      throw new EfficiencyInputError(field, `${field} is a percentage in (0, 100], got ${rules[field]}.`);
    }
  }
  if (rules.outOfRange !== 'clamp' && rules.outOfRange !== 'reject') {
    throw new EfficiencyInputError(
      'outOfRange',
      `outOfRange is 'clamp' or 'reject', got "${String(rules.outOfRange)}".`
    );
  }
  return rules;
}

/**
 * Where GPU-hours go (docs/formulas.md, "Waste"): allocated and busy GPU-hours per pod (Σ activity × time, each sample
 * weighted by sampleWeightsSeconds), idle pods, over-provisioned pods, pods holding memory while idle, cost by
 * namespace, pod and model from the price catalog, and the month's projected spend against a budget.
 */
export function analyseWaste(pods: readonly PodUtilisation[], options: WasteOptions = {}): WasteReport {
  const rules = resolveRules(options.rules);
  if (pods.length === 0) {
    throw new EfficiencyInputError('pods', 'No pod utilisation series; give at least one pod with samples.');
  }
  const warnings: string[] = [];
  const counts = { dropped: 0, clamped: 0 };
  const names = new Set<string>();
  const cleaned = pods.map((pod, p) => {
    if (names.has(pod.pod)) {
      throw new EfficiencyInputError(`pods[${p}].pod`, `Pod "${pod.pod}" is listed twice; merge its samples.`);
    }
    names.add(pod.pod);
    if (pod.timestampsSeconds.length !== pod.activityPercent.length) {
      throw new EfficiencyInputError(
        `pods[${p}].activityPercent`,
        `Pod "${pod.pod}" has ${pod.timestampsSeconds.length} timestamps and ${pod.activityPercent.length} values.`
      );
    }
    const gpuCount = pod.gpuCount ?? 1;
    if (!(Number.isFinite(gpuCount) && gpuCount > 0)) {
      throw new EfficiencyInputError(
        `pods[${p}].gpuCount`,
        `Pod "${pod.pod}" holds ${gpuCount} GPUs; give a count > 0 in GPU-equivalents (a 3g MIG instance is 3/7).`
      );
    }
    const activity = cleanSeries(pod.timestampsSeconds, pod.activityPercent, counts);
    const memory =
      pod.memoryTimestampsSeconds && pod.memoryBytes
        ? cleanSeries(pod.memoryTimestampsSeconds, pod.memoryBytes, counts)
        : undefined;
    const shares = heldShares(pod, p, activity);
    return { pod, gpuCount, activity, shares, memory, stepSeconds: medianGapSeconds(activity.timestampsSeconds) };
  });
  const live = cleaned.filter((c) => c.activity.timestampsSeconds.length > 0);
  if (live.length === 0) {
    throw new EfficiencyInputError('pods', 'No pod has a usable activity sample.');
  }
  const steps = live.map((c) => c.stepSeconds).filter((s): s is number => s !== undefined);
  if (steps.length === 0) {
    throw new EfficiencyInputError(
      'pods',
      'Every pod has a single sample, so the sampling step is unknown and no sample can be given a duration.'
    );
  }
  const fleetStepSeconds = [...steps].sort((a, b) => a - b)[Math.floor((steps.length - 1) / 2)];
  const onePointPods = live.filter((c) => c.activity.timestampsSeconds.length === 1).map((c) => c.pod.pod);
  if (onePointPods.length > 0) {
    warnings.push(
      `${onePointPods.length} pod(s) have a single sample, each counted as one fleet step (${fleetStepSeconds} s): ` +
        `${onePointPods.slice(0, 5).join(', ')}${onePointPods.length > 5 ? ', …' : ''}`
    );
  }
  const nowSeconds =
    options.nowSeconds ??
    Math.max(...live.map((c) => c.activity.timestampsSeconds[c.activity.timestampsSeconds.length - 1]));
  const rangeEndSeconds = options.nowSeconds ?? Infinity;
  const windowStartSeconds = nowSeconds - rules.idleWindowSeconds;
  const month = monthBounds(nowSeconds, options.timeZone);
  let monthCost = 0;
  let firstSampleSeconds = Infinity;
  const missingPrices = new Set<string>();
  const skewed: string[] = [];

  const results = cleaned.map(({ pod, gpuCount, activity, shares, memory, stepSeconds: ownStepSeconds }): PodWaste => {
    const ts = activity.timestampsSeconds;
    const n = ts.length;
    const stepSeconds = ownStepSeconds ?? fleetStepSeconds;
    const weights = sampleWeightsSeconds(ts, stepSeconds, rules.maxGapSeconds);
    let allocatedSeconds = 0;
    let busySeconds = 0;
    let monthSeconds = 0;
    let windowSamples = 0;
    let windowIdle = 0;
    for (let i = 0; i < n; i++) {
      let a = activity.values[i];
      if (a < 0 || a > 100) {
        if (rules.outOfRange === 'reject') {
          throw new EfficiencyInputError(
            `pods.${pod.pod}.activityPercent`,
            `Pod "${pod.pod}" has activity ${a} % at ${ts[i]}; activity is a percentage in [0, 100] (pass a ratio × 100, ` +
              "or choose outOfRange 'clamp')."
          );
        }
        counts.clamped++;
        a = a < 0 ? 0 : 100;
      }
      const heldSeconds = Math.min(weights[i], Math.max(0, rangeEndSeconds - ts[i])) * shares[i];
      allocatedSeconds += heldSeconds;
      busySeconds += (heldSeconds * a) / 100;
      if (ts[i] >= month.startSeconds && ts[i] <= nowSeconds) {
        // A sample stands for the time after it, cut at now (as monthlyBurn counts it).
        monthSeconds += Math.min(weights[i], nowSeconds - ts[i]) * shares[i];
      }
      if (ts[i] > windowStartSeconds && ts[i] <= nowSeconds) {
        // A window the pod held for part of the time counts for that part (1 each at the scrape interval).
        windowSamples += shares[i];
        if (a < rules.idleActivityPercent) {
          windowIdle += shares[i];
        }
      }
    }
    if (n > 0) {
      firstSampleSeconds = Math.min(firstSampleSeconds, ts[0]);
    }
    const meanActivityPercent = allocatedSeconds > 0 ? (100 * busySeconds) / allocatedSeconds : 0;
    const idle = windowSamples > 0 ? windowIdle >= rules.idleSampleShare * windowSamples : undefined;
    let peakMemoryBytes: number | undefined;
    let memoryHeldComputeIdle: boolean | undefined;
    if (memory && memory.timestampsSeconds.length > 0) {
      const mts = memory.timestampsSeconds;
      peakMemoryBytes = 0;
      let windowSum = 0;
      let windowCount = 0;
      for (let i = 0; i < mts.length; i++) {
        peakMemoryBytes = Math.max(peakMemoryBytes, memory.values[i]);
        if (mts[i] > windowStartSeconds && mts[i] <= nowSeconds) {
          windowSum += memory.values[i];
          windowCount++;
        }
      }
      if (idle !== undefined && windowCount > 0) {
        memoryHeldComputeIdle = idle && windowSum / windowCount >= rules.memoryHeldBytes;
      }
      // The two series come from different exporters; an end far apart means one of their clocks (or scrapes) is off.
      if (n > 0 && Math.abs(mts[mts.length - 1] - ts[n - 1]) > rules.maxGapSeconds) {
        skewed.push(pod.pod);
      }
    }
    const overProvisioned =
      peakMemoryBytes !== undefined && pod.gpuMemoryBytes !== undefined && n > 0
        ? meanActivityPercent < rules.overProvisionedActivityPercent &&
          peakMemoryBytes < rules.overProvisionedMemoryShare * pod.gpuMemoryBytes
        : undefined;
    const allocatedGpuHours = (allocatedSeconds * gpuCount) / 3600;
    const busyGpuHours = (busySeconds * gpuCount) / 3600;
    const gpuModel = pod.gpuModel ?? '';
    const price = options.prices?.[gpuModel]?.[pod.pricing ?? 'onDemand'];
    if (options.prices && price === undefined) {
      missingPrices.add(`${gpuModel || '(unknown model)'}/${pod.pricing ?? 'onDemand'}`);
    }
    if (price !== undefined) {
      monthCost += ((monthSeconds * gpuCount) / 3600) * price;
    }
    return {
      pod: pod.pod,
      namespace: pod.namespace ?? '',
      gpuModel,
      samples: n,
      allocatedGpuHours,
      busyGpuHours,
      wasteGpuHours: allocatedGpuHours - busyGpuHours,
      meanActivityPercent,
      peakMemoryBytes,
      idle,
      overProvisioned,
      memoryHeldComputeIdle,
      allocatedCost: price === undefined ? undefined : allocatedGpuHours * price,
      wasteCost: price === undefined ? undefined : (allocatedGpuHours - busyGpuHours) * price,
    };
  });
  if (counts.clamped > 0) {
    warnings.push(`${counts.clamped} activity sample(s) outside [0, 100] % were clamped into range`);
  }
  if (counts.dropped > 0) {
    warnings.push(`${counts.dropped} sample(s) with a missing timestamp or value were dropped`);
  }
  if (missingPrices.size > 0) {
    warnings.push(`no price in the catalog for ${[...missingPrices].sort().join(', ')}; those pods carry no cost`);
  }
  if (skewed.length > 0) {
    warnings.push(
      `${skewed.length} pod(s) have memory and activity series ending more than ${rules.maxGapSeconds} s apart ` +
        `(exporter clock skew or a stalled scrape; both are compared over the same wall-clock window): ` +
        `${skewed.slice(0, 5).join(', ')}${skewed.length > 5 ? ', …' : ''}`
    );
  }
  const priced = results.filter((r) => r.allocatedCost !== undefined);
  const total = summarise('all', results);
  let budget: BudgetProjection | undefined;
  if (options.monthlyBudget !== undefined) {
    if (!(options.monthlyBudget > 0) || !options.prices) {
      throw new EfficiencyInputError(
        'monthlyBudget',
        'A monthly budget needs a price catalog and must be > 0 in the catalog currency.'
      );
    }
    const observedSeconds = Math.max(0, nowSeconds - Math.max(month.startSeconds, firstSampleSeconds));
    const burnPerHour = observedSeconds > 0 ? monthCost / (observedSeconds / 3600) : 0;
    const projectedMonthCost = (burnPerHour * (month.endSeconds - month.startSeconds)) / 3600;
    budget = {
      timeZone: options.timeZone ?? DEFAULT_BUDGET_TIME_ZONE,
      monthStartSeconds: month.startSeconds,
      monthEndSeconds: month.endSeconds,
      monthToDateCost: monthCost,
      burnPerHour,
      projectedMonthCost,
      monthlyBudget: options.monthlyBudget,
      projectedShareOfBudget: projectedMonthCost / options.monthlyBudget,
      observedShareOfElapsed: nowSeconds > month.startSeconds ? observedSeconds / (nowSeconds - month.startSeconds) : 1,
    };
  }
  return {
    nowSeconds,
    rules,
    allocatedGpuHours: total.allocatedGpuHours,
    busyGpuHours: total.busyGpuHours,
    wasteGpuHours: total.wasteGpuHours,
    allocatedCost: priced.length > 0 ? total.allocatedCost : undefined,
    wasteCost: priced.length > 0 ? total.wasteCost : undefined,
    pods: results,
    byNamespace: groupBy(results, (r) => r.namespace),
    byModel: groupBy(results, (r) => r.gpuModel),
    idlePods: results.filter((r) => r.idle).map((r) => r.pod),
    overProvisionedPods: results.filter((r) => r.overProvisioned).map((r) => r.pod),
    memoryHeldComputeIdlePods: results.filter((r) => r.memoryHeldComputeIdle).map((r) => r.pod),
    budget,
    clampedSamples: counts.clamped,
    droppedSamples: counts.dropped,
    warnings,
  };
}

function summarise(key: string, rows: readonly PodWaste[]): WasteGroup {
  const group: WasteGroup = { key, allocatedGpuHours: 0, busyGpuHours: 0, wasteGpuHours: 0 };
  for (const r of rows) {
    group.allocatedGpuHours += r.allocatedGpuHours;
    group.busyGpuHours += r.busyGpuHours;
    group.wasteGpuHours += r.wasteGpuHours;
    if (r.allocatedCost !== undefined) {
      group.allocatedCost = (group.allocatedCost ?? 0) + r.allocatedCost;
      group.wasteCost = (group.wasteCost ?? 0) + r.wasteCost!;
    }
  }
  return group;
}

/** Groups ordered by wasted GPU-hours, largest first (ties by key), so the biggest leak leads. */
function groupBy(rows: readonly PodWaste[], key: (r: PodWaste) => string): WasteGroup[] {
  const groups = new Map<string, PodWaste[]>();
  for (const r of rows) {
    const members = groups.get(key(r));
    if (members) {
      members.push(r);
    } else {
      groups.set(key(r), [r]);
    }
  }
  return [...groups.entries()]
    .map(([k, members]) => summarise(k, members))
    .sort((a, b) => b.wasteGpuHours - a.wasteGpuHours || a.key.localeCompare(b.key));
}
