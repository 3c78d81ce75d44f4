import { useEffect, useState } from 'react';
import { analyseSeries, type SeriesAnalysis, type Sensitivity } from './alertAnalysis';
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
 * off React's render. A replay of 4 weeks at 5-minute steps takes tens of milliseconds (bench/recalibrate.ts), so
 * it runs on the main thread; while it is pending the previous answer stays on screen.
 */
export function useDebouncedAnalysis(history: WatchedHistory | undefined, sensitivity: Sensitivity): AnalysisState {
  const sensitivityKey = JSON.stringify(sensitivity);
  const [answer, setAnswer] = useState<{ history: WatchedHistory; key: string; result: AnalysisState }>();
  useEffect(() => {
    if (!history) {
      return;
    }
    const timer = setTimeout(() => {
      const started = performance.now();
      try {
        const analysis = analyseSeries(
          history.timestampsSeconds,
          history.values,
          JSON.parse(sensitivityKey) as Sensitivity,
          history.stepSeconds
        );
        setAnswer({
          history,
          key: sensitivityKey,
          result: { state: 'done', analysis, computeMs: performance.now() - started },
        });
      } catch (error) {
        setAnswer({ history, key: sensitivityKey, result: { state: 'error', error } });
      }
    }, ANALYSIS_DEBOUNCE_MS);
    return () => clearTimeout(timer);
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
