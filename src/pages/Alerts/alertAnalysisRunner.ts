/**
 * Replays the alert rule in a Web Worker, so that a replay never blocks the page while a person tunes the
 * sensitivity: on the main thread, 4 weeks at 5-minute steps made a 65–72 ms long task per change in headless
 * Chromium on 2 cores (tests/browser/alertsPage.test.ts), more on a busy machine or a longer history.
 *
 * Fallback: where no Worker exists (jest's jsdom), or the worker cannot start (the Worker constructor throws, e.g.
 * under a Content-Security-Policy without `worker-src blob:`, or the worker script fails to load) or fails, this and
 * every later replay runs on the main thread as it did before the worker, with identical results and errors; the
 * page then blocks while it runs, as it used to.
 */
import { abortError, workerClient, workerScriptUrl } from '../../datasource/blobWorker';
import { analyseSeries, type SeriesAnalysis } from './alertAnalysis';
import { analysisOf, type AlertAnalysisOutcome, type AlertAnalysisTask } from './alertAnalysisTask';

const LABEL = 'alert replay';

const client = workerClient<AlertAnalysisTask, AlertAnalysisOutcome>(LABEL, () =>
  workerScriptUrl(() => new Worker(new URL('./alertAnalysis.worker.ts', import.meta.url)))
);

/** Set once the worker has failed: later replays go straight to the main thread. */
let workerFailed = false;

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * The rule's replay over the task's history. Rejects with TooLittleHistoryError (or another Error) as analyseSeries
 * throws, and with an AbortError at once when `signal` aborts (the worker then drops the replay if it has not begun).
 */
export async function replayAlertRule(task: AlertAnalysisTask, signal?: AbortSignal): Promise<SeriesAnalysis> {
  if (!workerFailed && typeof Worker !== 'undefined') {
    let outcome: AlertAnalysisOutcome | undefined;
    try {
      outcome = await client.run(task, { signal });
    } catch (error) {
      if (isAbort(error)) {
        throw error;
      }
      workerFailed = true;
      console.warn('Headroom: alert replays run on the main thread, the worker failed:', error);
    }
    if (outcome) {
      return analysisOf(outcome);
    }
  }
  if (signal?.aborted) {
    throw abortError(LABEL);
  }
  return analyseSeries(task.timestampsSeconds, task.values, task.sensitivity, task.stepSeconds, task.valueRange);
}
