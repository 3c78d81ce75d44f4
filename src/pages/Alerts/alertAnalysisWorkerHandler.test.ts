/** @jest-environment node */
import type { WorkerReply, WorkerRequest } from '../../datasource/blobWorker';
import { analyseSeries, DEFAULT_SENSITIVITY, TooLittleHistoryError } from './alertAnalysis';
import { analysisOf, type AlertAnalysisOutcome, type AlertAnalysisTask } from './alertAnalysisTask';
import { alertAnalysisWorkerHandler } from './alertAnalysisWorkerHandler';

const STEP_SECONDS = 300;
const DAY_ROWS = 86_400 / STEP_SECONDS;
/** Midnight UTC, so the first day (the warm-up) is exactly the first 288 rows. */
const START_SECONDS = Date.UTC(2025, 4, 1) / 1000;

/** A daily wave with a little deterministic noise and one gap; `rows` five-minute samples. */
function taskOf(rows: number): AlertAnalysisTask {
  const timestampsSeconds = Array.from({ length: rows }, (_, i) => START_SECONDS + i * STEP_SECONDS);
  const values = timestampsSeconds.map((t, i) =>
    i === 500 ? null : 50 + 20 * Math.sin((2 * Math.PI * t) / 86_400) + ((i * 7919) % 13)
  );
  return { timestampsSeconds, values, sensitivity: DEFAULT_SENSITIVITY, stepSeconds: STEP_SECONDS };
}

/** A handler whose replies cross a real structured clone, transferred buffers moved, as postMessage does. */
function worker() {
  const replies: Array<WorkerReply<AlertAnalysisOutcome>> = [];
  const transferred: ArrayBuffer[] = [];
  const yielded: Array<() => void> = [];
  /** Lets every task waiting for its turn go on, as the worker does once it has taken its pending messages. */
  const release = () => yielded.splice(0).forEach((resume) => resume());
  const handle = alertAnalysisWorkerHandler({
    post: (reply, transfer) => {
      transferred.push(...(transfer as ArrayBuffer[]));
      replies.push(structuredClone(reply, { transfer }));
    },
    yieldToMessages: () => new Promise((resolve) => yielded.push(resolve)),
  });
  const send = (request: WorkerRequest<AlertAnalysisTask>) => handle(structuredClone(request));
  /** Sends a task and lets it run. */
  const answer = async (request: WorkerRequest<AlertAnalysisTask>) => {
    const answered = send(request);
    release();
    await answered;
  };
  return { replies, transferred, send, answer, release };
}

/** What `run` throws; fails the test when it returns. */
function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

const outcomeOf = (reply: WorkerReply<AlertAnalysisOutcome>): AlertAnalysisOutcome => {
  if (!('outcome' in reply)) {
    throw new Error(`expected an outcome, got ${JSON.stringify(reply)}`);
  }
  return reply.outcome;
};

describe('alert replay worker handler', () => {
  it('answers with the same analysis as a replay in place, its per-row arrays moved', async () => {
    const task = taskOf(3 * DAY_ROWS);
    const w = worker();
    await w.answer({ id: 7, task });

    expect(w.replies).toHaveLength(1);
    expect(w.replies[0].id).toBe(7);
    const analysis = analysisOf(outcomeOf(w.replies[0]));
    expect(analysis).toEqual(analyseSeries(task.timestampsSeconds, task.values, task.sensitivity, task.stepSeconds));
    // Plain arrays again, as the chart and table expect: NaN thresholds over the first day, numbers after it.
    expect(analysis.warmupRows).toBe(DAY_ROWS);
    expect(Array.isArray(analysis.thresholds.upper)).toBe(true);
    expect(Number.isNaN(analysis.thresholds.upper[DAY_ROWS - 1])).toBe(true);
    expect(Number.isFinite(analysis.thresholds.upper[DAY_ROWS])).toBe(true);
    expect(analysis.adaptive.firing).toHaveLength(3 * DAY_ROWS);
    expect(typeof analysis.adaptive.firing[0]).toBe('boolean');
    // Upper and lower thresholds (8 bytes a row) and firing flags (1 byte a row), moved rather than copied.
    expect(w.transferred.map((buffer) => buffer.byteLength)).toEqual([0, 0, 0]);
  });

  it('rebuilds "too little history" as a TooLittleHistoryError with its message', async () => {
    // 289 rows at 5 minutes span exactly 24 h: one day short of the two the band needs.
    const task = taskOf(DAY_ROWS + 1);
    const w = worker();
    await w.answer({ id: 1, task });

    const rebuilt = thrownBy(() => analysisOf(outcomeOf(w.replies[0])));
    expect(rebuilt).toBeInstanceOf(TooLittleHistoryError);
    expect(rebuilt.message).toMatch(
      /^The history before the calibration holds 289 samples with values covering 24\.1 h; a band needs at least 2 days/
    );
    expect(w.transferred).toEqual([]);
  });

  it('carries any other error as a plain Error with the same message', async () => {
    const task = { ...taskOf(3 * DAY_ROWS), values: undefined as unknown as Array<number | null> };
    const w = worker();
    await w.answer({ id: 2, task });

    const direct = thrownBy(() =>
      analyseSeries(task.timestampsSeconds, task.values, task.sensitivity, task.stepSeconds)
    );
    const outcome = outcomeOf(w.replies[0]);
    expect(outcome).toEqual({ failure: { kind: 'failed', message: direct.message } });
    expect(() => analysisOf(outcome)).toThrow(direct.message);
    expect(() => analysisOf(outcome)).not.toThrow(TooLittleHistoryError);
  });

  it('drops a task cancelled before it began, and only that one', async () => {
    const w = worker();
    const stale = w.send({ id: 3, task: taskOf(3 * DAY_ROWS) });
    const fresh = w.send({ id: 4, task: taskOf(3 * DAY_ROWS) });
    await w.send({ id: 3, cancel: true });
    w.release();
    await Promise.all([stale, fresh]);
    expect(w.replies.map((reply) => reply.id)).toEqual([4]);
  });

  it('answers with an error, rather than never, when the answer cannot be posted', async () => {
    const posted: Array<WorkerReply<AlertAnalysisOutcome>> = [];
    const handle = alertAnalysisWorkerHandler({
      post: (reply) => {
        if ('outcome' in reply) {
          throw new Error('The object could not be cloned.');
        }
        posted.push(reply);
      },
      yieldToMessages: () => Promise.resolve(),
    });
    await handle({ id: 9, task: taskOf(3 * DAY_ROWS) });
    expect(posted).toEqual([{ id: 9, error: 'The object could not be cloned.' }]);
  });
});
