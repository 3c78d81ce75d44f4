/**
 * The step of the per-pod range queries (podActivity.ts). Each answers one series per pod and one point per step the
 * pod held GPUs in, so the answer grows with pods × steps: at 10,000 GPUs (28,459 pods in a day) a day at a minute
 * would be up to 41 M points per query (docs/scale.md). Below the budget the step is the one asked for; above it a
 * coarser step is chosen and every point is a window's mean (`avg_over_time`) with the share of the window the pod
 * held its GPUs (`count_over_time`), so GPU-hours, busy hours and cost stay what the finer step gives
 * (docs/formulas.md, "Waste").
 */
import { DEFAULT_WASTE_RULES } from '../engine/efficiency';
import { chooseStepSeconds, humanStepAtLeast } from './step';
import type { PromSeries, TimeRangeSeconds } from './types';

/**
 * Points one per-pod range query may answer: 11–14 MB of JSON at 10,000 GPUs (436,206 points in 15-minute windows),
 * five such answers a page within the 500 MiB browser heap target (388 MiB measured, docs/scale.md).
 */
export const MAX_POD_POINTS_PER_QUERY = 500_000;

/**
 * Never a window under this (the waste rule's 5-minute gap): a window with no sample leaves a gap of two windows
 * between its neighbours, which the waste analysis must not bridge as a scrape gap (sampleWeightsSeconds).
 */
export const MIN_WINDOW_SECONDS = DEFAULT_WASTE_RULES.maxGapSeconds;

/**
 * Pods with a scrape in each window of `windowSeconds` (the finest window), summed over the range: the points a per-pod
 * query answers at that window.
 */
export interface PodWindowCount {
  windowSeconds: number;
  podWindows: number;
}

export interface PodStep {
  stepSeconds: number;
  /** Defined when the step is coarser than asked: each point is the mean of the `windowSeconds` before it. */
  windowSeconds?: number;
  /** Pods counted in the range (the series one per-pod query answers). */
  pods: number;
}

/**
 * `fineStepSeconds` while pods × points fit `maxPoints` (every pod held its GPUs throughout: the most the answer can
 * be); else the smallest human window of at least `MIN_WINDOW_SECONDS` whose points fit, unless one window would
 * outlast the range. A window's points are bounded two ways, and the smaller bound chooses: pods × windows, and, from
 * `measured` (the pod-windows counted at a window w₀), that count itself at w₀, and podWindows × w₀ / w + 2 × pods
 * for a coarser w: a pod holding its GPUs for an unbroken stretch of n windows of w₀ touches at most n w₀ / w + 2
 * windows of w (a multiple of w₀, both ending at the range's end). Fleets whose pods come and go answer far fewer
 * points than pods × windows; a pod scraped less often than w₀ is not unbroken at w₀, so the caller counts again at
 * the window chosen (podActivity.ts).
 */
export function choosePodStep(
  range: TimeRangeSeconds,
  fineStepSeconds: number,
  pods: number,
  maxPoints: number = MAX_POD_POINTS_PER_QUERY,
  measured?: PodWindowCount
): PodStep {
  const spanSeconds = range.endSeconds - range.startSeconds;
  if (!overBudget(range, fineStepSeconds, pods, maxPoints)) {
    return { stepSeconds: fineStepSeconds, pods };
  }
  const minWindowSeconds = finestWindowSeconds(fineStepSeconds);
  const everyPodThroughout = chooseStepSeconds(range, {
    minStepSeconds: minWindowSeconds,
    maxPoints: Math.max(2, Math.floor(maxPoints / pods)),
  });
  const room = maxPoints - 2 * pods;
  const fromMeasured = !measured
    ? Infinity
    : measured.podWindows <= maxPoints
      ? measured.windowSeconds
      : room > 0
        ? humanStepAtLeast(Math.max(minWindowSeconds, (measured.podWindows * measured.windowSeconds) / room))
        : Infinity;
  const stepSeconds = Math.min(everyPodThroughout, fromMeasured);
  // A range shorter than the window has few points per pod at the asked step anyway.
  return stepSeconds > spanSeconds
    ? { stepSeconds: fineStepSeconds, pods }
    : { stepSeconds, windowSeconds: stepSeconds, pods };
}

/** Range queries of one series each that may count the pod-windows after the first two, one after another. */
const MAX_FURTHER_POD_WINDOW_COUNTS = 2;

/** `pods` pods had `scrapes` scrapes each on their best-covered device in the range (one instant query, podActivity.ts). */
export interface PodScrapes {
  scrapes: number;
  pods: number;
}

/**
 * The pod-windows of `windowSeconds` the pods of `scrapes` touch if each held its GPUs for one unbroken stretch scraped
 * at a steady interval: a pod with n scrapes touches at most n windows, at most every window of the range, and at most
 * ⌈(n − 1) s / w⌉ + 1, its stretch of n − 1 intervals s. The interval s is taken from the best-covered pod,
 * range / (its scrapes − 1), which is never under the true one when pods are scraped alike (short-lived pods make it
 * high, which finestWithinCount makes up for), so for such pods the estimate is never under the
 * count. A pod whose scrapes stop and start again may touch more windows, so countedPodStep counts before it reads.
 */
export function estimatedPodWindows(range: TimeRangeSeconds, scrapes: PodScrapes[], windowSeconds: number): number {
  const spanSeconds = range.endSeconds - range.startSeconds;
  const most = Math.max(...scrapes.map((s) => s.scrapes));
  const intervalSeconds = spanSeconds / Math.max(1, most - 1);
  const windows = Math.floor(spanSeconds / windowSeconds);
  return scrapes.reduce(
    (sum, { scrapes: n, pods }) =>
      sum + pods * Math.min(windows, n, Math.ceil(((n - 1) * intervalSeconds) / windowSeconds) + 1),
    0
  );
}

/**
 * choosePodStep with the pod-windows counted (`countAt`, one range query each): pods that come and go answer far fewer
 * points than pods × steps. The smallest human window whose estimate (estimatedPodWindows) fits is counted together
 * with the window below it, so that both counts take the time of one; the finer of them whose count fits is read.
 * When neither fits (pods with broken stretches), each window the count suggests is counted in turn, as
 * choosePodStep bounds it, until a count fits or the bound of every pod held throughout is reached (at most
 * MAX_FURTHER_POD_WINDOW_COUNTS counts after the first two).
 */
export async function countedPodStep(
  range: TimeRangeSeconds,
  fineStepSeconds: number,
  scrapes: PodScrapes[],
  maxPoints: number,
  countAt: (windowSeconds: number) => Promise<PodWindowCount>
): Promise<PodStep> {
  const pods = scrapes.reduce((sum, s) => sum + s.pods, 0);
  const everyPodThroughout = choosePodStep(range, fineStepSeconds, pods, maxPoints);
  if (everyPodThroughout.windowSeconds === undefined) {
    return everyPodThroughout;
  }
  const candidates = windowsBetween(finestWindowSeconds(fineStepSeconds), everyPodThroughout.stepSeconds);
  if (candidates.length === 0) {
    return everyPodThroughout;
  }
  const estimated = candidates.findIndex((w) => estimatedPodWindows(range, scrapes, w) <= maxPoints);
  // None estimated to fit below every pod throughout: the coarsest of them is still counted, as an estimate can be high.
  const at = estimated === -1 ? candidates.length - 1 : estimated;
  const counted = await Promise.all(candidates.slice(Math.max(0, at - 1), at + 1).map((w) => countAt(w)));
  const fitting = counted.find((c) => c.podWindows <= maxPoints);
  if (fitting) {
    const windowSeconds = finestWithinCount(fitting, counted, candidates, pods, maxPoints);
    return { stepSeconds: windowSeconds, windowSeconds, pods };
  }
  let measured = counted[counted.length - 1];
  for (let further = 0; ; further++) {
    const candidate = choosePodStep(range, fineStepSeconds, pods, maxPoints, measured);
    if (candidate.windowSeconds === measured.windowSeconds || candidate.stepSeconds >= everyPodThroughout.stepSeconds) {
      return candidate;
    }
    if (further === MAX_FURTHER_POD_WINDOW_COUNTS) {
      return everyPodThroughout;
    }
    measured = await countAt(candidate.stepSeconds);
  }
}

/**
 * The finest window that a count at a coarser window proves fits, no query needed: with w′ dividing the counted w, a
 * window of w′ overlaps at most two windows of w whatever their alignment (VictoriaMetrics moves a query of 50 points
 * or more onto multiples of its step, so the count and the read need not nest), so a pod touches at most
 * (w / w′ + 1) windows of w′ per counted window, and k = w / w′ more at the range's edges: count × (k + 1) + k × pods.
 * A window at or below one counted over the budget is never taken. Without it, an estimate taken from the
 * best-covered pod (a fleet of short-lived pods) could keep a coarser window than counting from the finest would read.
 */
function finestWithinCount(
  fitting: PodWindowCount,
  counted: PodWindowCount[],
  candidates: number[],
  pods: number,
  maxPoints: number
): number {
  const w = fitting.windowSeconds;
  const overBudgetSeconds = Math.max(0, ...counted.filter((c) => c.podWindows > maxPoints).map((c) => c.windowSeconds));
  const finer = candidates.find((finerSeconds) => {
    const parts = w / finerSeconds;
    return (
      finerSeconds > overBudgetSeconds &&
      finerSeconds < w &&
      Number.isInteger(parts) &&
      fitting.podWindows * (parts + 1) + parts * pods <= maxPoints
    );
  });
  return finer ?? w;
}

/** The human windows from `fromSeconds` up to, not including, `belowSeconds`. */
function windowsBetween(fromSeconds: number, belowSeconds: number): number[] {
  const windows: number[] = [];
  for (let w = humanStepAtLeast(fromSeconds); w < belowSeconds; w = humanStepAtLeast(w + 1)) {
    windows.push(w);
  }
  return windows;
}

/** The finest window read when the asked step does not fit: the step itself, at least `MIN_WINDOW_SECONDS`. */
export function finestWindowSeconds(fineStepSeconds: number): number {
  return humanStepAtLeast(Math.max(fineStepSeconds, MIN_WINDOW_SECONDS));
}

/** Whether pods × points at the asked step exceed the budget, so that the pod-windows are worth counting. */
function overBudget(range: TimeRangeSeconds, fineStepSeconds: number, pods: number, maxPoints: number): boolean {
  return pods * (Math.floor((range.endSeconds - range.startSeconds) / fineStepSeconds) + 1) > maxPoints;
}

/**
 * The range query of whole windows ending at the range's end: its points are end, end − w, … down to the first whole
 * window after the start (a remainder shorter than one window at the start is not read). The range must hold a window.
 */
export function windowQueryRange(range: TimeRangeSeconds, windowSeconds: number): TimeRangeSeconds {
  const windows = Math.floor((range.endSeconds - range.startSeconds) / windowSeconds);
  return { startSeconds: range.endSeconds - (windows - 1) * windowSeconds, endSeconds: range.endSeconds };
}

/**
 * A window's point at t covers (t − w, t]; the waste analysis reads a sample as the time after it, so the point is
 * moved to the window's start.
 */
export function toWindowStarts(series: PromSeries[], windowSeconds: number): PromSeries[] {
  return series.map((s) => ({ ...s, timestampsSeconds: s.timestampsSeconds.map((t) => t - windowSeconds) }));
}

/**
 * The windows (their starts) of `sampleCounts` in which a pod has scrapes and no pod is taken to have held its GPUs
 * across the window (heldSharesOf): where the share of the window needs the scrapes of a full window from elsewhere,
 * the exporter's own (podActivity.ts), which cost one more read of every device series in the range.
 */
export function windowsWithoutSpanningPod(sampleCounts: PromSeries[], windowSeconds: number): number[] {
  const { all, spanning } = countsByWindow(sampleCounts, windowSeconds);
  return [...all.keys()].filter((t) => !spanning.has(t)).sort((a, b) => a - b);
}

/**
 * The share of each window a pod held its GPUs, by its series' labels: the scrapes its best-covered GPU has in the
 * window (`count_over_time`, the points at window starts `windowSeconds` apart) over the scrapes of a window held
 * throughout, at most 1. That full count is, in order:
 *
 * - `fullScrapes` at the window, when given: the scrapes the exporter made of each device in the window whoever held
 *   it, the median over devices (podActivity.ts), which depends on no pod. It is asked for only when some window has
 *   no pod held across it (windowsWithoutSpanningPod), and then decides every window it counts: a pod that began
 *   inside the range's first window and held on into the second looks, to the rule below, like one that held the
 *   whole first window;
 * - the median count, in the window, of the pods that also have scrapes in the windows on both sides (only the one
 *   side at the range's first and last window), which held their GPUs across it; a median ignores the odd scrape that
 *   lands on a window's edge and makes one count one higher;
 * - the median of `fullScrapes` over the windows it counts (an exporter scrapes at a steady interval), for a window it
 *   misses (answers read at different moments, or a store that lost the window);
 * - the largest count of a pod in the window: no pod can have more scrapes than a full window, so shares are at worst
 *   overstated.
 *
 * Keyed by `keyOf` (the series' labels unless given).
 */
export function heldSharesOf(
  sampleCounts: PromSeries[],
  windowSeconds: number,
  fullScrapes: ReadonlyMap<number, number> = new Map(),
  keyOf: (s: PromSeries) => string = (s) => JSON.stringify(s.labels)
): Map<string, Map<number, number>> {
  const { all, spanning } = countsByWindow(sampleCounts, windowSeconds);
  const typicalFull = fullScrapes.size > 0 ? median([...fullScrapes.values()]) : undefined;
  const fullAt = new Map(
    [...all].map(([t, counts]) => {
      const spanningCounts = spanning.get(t);
      const full =
        fullScrapes.get(t) ??
        (spanningCounts ? median(spanningCounts) : undefined) ??
        typicalFull ??
        Math.max(...counts);
      return [t, full];
    })
  );
  return new Map(
    sampleCounts.map((s) => [
      keyOf(s),
      new Map(s.timestampsSeconds.map((t, i) => [t, Math.min(1, s.values[i] / fullAt.get(t)!)])),
    ])
  );
}

/** The lower median (one of the counts, never between two). */
function median(counts: number[]): number {
  return [...counts].sort((a, b) => a - b)[Math.floor((counts.length - 1) / 2)];
}

/**
 * Each window's counts: of every pod with scrapes in it (`all`), and of the pods that also have scrapes in the windows
 * on both sides, the one side at the first and last window (`spanning`).
 */
function countsByWindow(sampleCounts: PromSeries[], windowSeconds: number) {
  let first = Infinity;
  let last = -Infinity;
  for (const s of sampleCounts) {
    first = Math.min(first, s.timestampsSeconds[0]);
    last = Math.max(last, s.timestampsSeconds[s.timestampsSeconds.length - 1]);
  }
  const spanning = new Map<number, number[]>();
  const all = new Map<number, number[]>();
  const add = (into: Map<number, number[]>, t: number, count: number) => {
    const counts = into.get(t);
    if (counts) {
      counts.push(count);
    } else {
      into.set(t, [count]);
    }
  };
  for (const s of sampleCounts) {
    const present = new Set(s.timestampsSeconds);
    s.timestampsSeconds.forEach((t, i) => {
      add(all, t, s.values[i]);
      const before = t === first || present.has(t - windowSeconds);
      const after = t === last || present.has(t + windowSeconds);
      if (before && after && first !== last) {
        add(spanning, t, s.values[i]);
      }
    });
  }
  return { all, spanning };
}
