/**
 * The Prometheus range of a Grafana request: Grafana's interval already follows the panel width (maxDataPoints),
 * is rounded to a readable value and respects the data source's minimum interval, so it becomes the step, never
 * finer than a scrape interval and coarser when Prometheus' point limit needs it.
 */
import { chooseStepSeconds, DEFAULT_MIN_STEP_SECONDS } from './step';
import type { RangeQueryOptions } from './types';

export interface GrafanaRange {
  fromMs: number;
  toMs: number;
  /** Grafana's suggested interval; 0 or absent when unknown (e.g. a variable query). */
  intervalMs?: number;
}

export function rangeQueryOptions({ fromMs, toMs, intervalMs }: GrafanaRange): RangeQueryOptions {
  const range = { startSeconds: Math.floor(fromMs / 1000), endSeconds: Math.floor(toMs / 1000) };
  const minStepSeconds = Math.max(DEFAULT_MIN_STEP_SECONDS, Math.ceil((intervalMs ?? 0) / 1000));
  const stepSeconds = chooseStepSeconds(range, { minStepSeconds });
  // Aligned starts make consecutive refreshes evaluate at the same instants, so points do not wobble.
  const startSeconds = Math.floor(range.startSeconds / stepSeconds) * stepSeconds;
  return { startSeconds, endSeconds: range.endSeconds, stepSeconds };
}
