/**
 * The step of the per-pod range queries (podActivity.ts). Each answers one series per pod and one point per step, so
 * the answer grows with pods × steps: at 10,000 GPUs a day at a minute was millions of points per query, tens of MB of
 * JSON and 801 MiB of browser heap (docs/scale.md). Below the budget the step is the one asked for; above it a coarser
 * step is chosen and every point is a window's mean (`avg_over_time`) with the share of the window the pod held its
 * GPUs (`count_over_time`), so GPU-hours, busy hours and cost stay what the finer step gives (docs/formulas.md, "Waste").
 */
import { DEFAULT_WASTE_RULES } from '../engine/efficiency';
import { chooseStepSeconds } from './step';
import type { PromSeries, TimeRangeSeconds } from './types';

/**
 * Points one per-pod range query may answer (pods × points per pod): about 12 MB of JSON, and well under 100 MiB of
 * browser heap while it is parsed. 10,000 GPUs held by about 3,300 pods over a day fit at 5 minutes.
 */
export const MAX_POD_POINTS_PER_QUERY = 500_000;

/**
 * Never a window under this (the waste rule's 5-minute gap): a window with no sample leaves a gap of two windows
 * between its neighbours, which the waste analysis must not bridge as a scrape gap (sampleWeightsSeconds).
 */
export const MIN_WINDOW_SECONDS = DEFAULT_WASTE_RULES.maxGapSeconds;

export interface PodStep {
  stepSeconds: number;
  /** Defined when the step is coarser than asked: each point is the mean of the `windowSeconds` before it. */
  windowSeconds?: number;
  /** Pods counted in the range (the series one per-pod query answers). */
  pods: number;
}

/**
 * `fineStepSeconds` while pods × points fit `maxPoints`; else the smallest human step of at least
 * `MIN_WINDOW_SECONDS` that fits (chooseStepSeconds), read as windows, unless one window would outlast the range.
 */
export function choosePodStep(
  range: TimeRangeSeconds,
  fineStepSeconds: number,
  pods: number,
  maxPoints: number = MAX_POD_POINTS_PER_QUERY
): PodStep {
  const spanSeconds = range.endSeconds - range.startSeconds;
  if (pods * (Math.floor(spanSeconds / fineStepSeconds) + 1) <= maxPoints) {
    return { stepSeconds: fineStepSeconds, pods };
  }
  const stepSeconds = chooseStepSeconds(range, {
    minStepSeconds: Math.max(fineStepSeconds, MIN_WINDOW_SECONDS),
    maxPoints: Math.max(2, Math.floor(maxPoints / pods)),
  });
  // A range shorter than the window has few points per pod at the asked step anyway.
  return stepSeconds > spanSeconds
    ? { stepSeconds: fineStepSeconds, pods }
    : { stepSeconds, windowSeconds: stepSeconds, pods };
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
 * The share of each window a pod held its GPUs, by its series' labels: the samples its best-covered GPU has in the
 * window (`count_over_time`) over the samples of a window held throughout, taken as the median count of all pods in
 * that window (most pods hold their GPUs across any one window; a median ignores the odd scrape that lands on the
 * window's edge and makes one count one higher). At most 1.
 */
export function heldSharesOf(sampleCounts: PromSeries[]): Map<string, Map<number, number>> {
  const countsAt = new Map<number, number[]>();
  for (const s of sampleCounts) {
    s.timestampsSeconds.forEach((t, i) => {
      const counts = countsAt.get(t) ?? [];
      counts.push(s.values[i]);
      countsAt.set(t, counts);
    });
  }
  const fullAt = new Map<number, number>();
  for (const [t, counts] of countsAt) {
    const sorted = counts.sort((a, b) => a - b);
    fullAt.set(t, sorted[Math.floor((sorted.length - 1) / 2)]);
  }
  return new Map(
    sampleCounts.map((s) => [
      JSON.stringify(s.labels),
      new Map(s.timestampsSeconds.map((t, i) => [t, Math.min(1, s.values[i] / fullAt.get(t)!)])),
    ])
  );
}
