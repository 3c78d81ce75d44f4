import { useEffect, useState } from 'react';
import type { ValueRange } from '../../engine/thresholds';
import type { SeriesAnalysis, Sensitivity } from './alertAnalysis';
import { replayAlertRule } from './alertAnalysisRunner';
import type { WatchedHistory } from './alertsData';

/** Quiet time after the last slider move before the replay runs: dragging does not queue a replay per pixel. */
export const ANALYSIS_DEBOUNCE_MS = 250;

export type AnalysisState =
  | { state: 'idle' }
  | { state: 'computing'; previous?: SeriesAnalysis }
  | { state: 'done'; analysis: SeriesAnalysis; computeMs: number }
  | { state: 'error'; error: unknown };

/**
 * Replays the rule over the history whenever the history or the sensitivity changes, after a short debounce, and
 * off React's render. A replay of 4 weeks made a long task of 65 ms or more on every change on the main thread, so
 * it runs in a Web Worker (alertAnalysisRunner.ts; on the main thread only where no worker can start).
 * While it is pending the previous answer stays on screen; a replay made stale by a newer history or sensitivity,
 * or by unmounting, is cancelled. `computeMs` is the replay's wall time, the trip to the worker included.
 */
export function useDebouncedAnalysis(
  history: WatchedHistory | undefined,
  sensitivity: Sensitivity,
  valueRange?: ValueRange
): AnalysisState {
  // The range is part of what the replay depends on, as the sensitivity is.
  const sensitivityKey = JSON.stringify([sensitivity, valueRange ?? null]);
  const [answer, setAnswer] = useState<{ history: WatchedHistory; key: string; result: AnalysisState }>();
  useEffect(() => {
    if (!history) {
      return;
    }
    const stale = new AbortController();
    const timer = setTimeout(() => {
      const started = performance.now();
      const [chosen, range] = JSON.parse(sensitivityKey) as [Sensitivity, ValueRange | null];
      const task = {
        timestampsSeconds: history.timestampsSeconds,
        values: history.values,
        sensitivity: chosen,
        stepSeconds: history.stepSeconds,
        ...(range ? { valueRange: range } : {}),
      };
      const settle = (result: AnalysisState) => {
        if (!stale.signal.aborted) {
          setAnswer({ history, key: sensitivityKey, result });
        }
      };
      replayAlertRule(task, stale.signal).then(
        (analysis) => settle({ state: 'done', analysis, computeMs: performance.now() - started }),
        (error) => settle({ state: 'error', error })
      );
    }, ANALYSIS_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      stale.abort();
    };
  }, [history, sensitivityKey]);
  if (!history) {
    return { state: 'idle' };
  }
  if (answer?.history === history && answer.key === sensitivityKey) {
    return answer.result;
  }
  const previous = answer?.history === history && answer.result.state === 'done' ? answer.result.analysis : undefined;
  return { state: 'computing', previous };
}
