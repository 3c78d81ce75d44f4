/** @jest-environment node */
import * as tf from '@tensorflow/tfjs';
import { TINY_LSTM_OPTIONS } from '../../engine/forecast/lstmTesting';
import { LSTM_CANCELLED_MESSAGE } from './lstmTask';
import type { ForecastTask } from './forecastTask';
import { forecastWorkerHandler } from './workerHandler';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

const HOUR = 3600;
const MONDAY = Date.UTC(2025, 0, 6) / 1000;
// Ten days with a daily rhythm, the last hour missing (Prometheus had no sample yet).
const timestampsSeconds = Array.from({ length: 240 }, (_, h) => MONDAY + h * HOUR);
const values: Array<number | null> = timestampsSeconds.map((t) => 20 + ((t / HOUR) % 24));
values[239] = null;
const task: ForecastTask = {
  timestampsSeconds,
  values,
  stepSeconds: HOUR,
  horizonSteps: 6,
  levels: [80, 95],
  model: 'lstm',
};
const lstmOptions = { ...TINY_LSTM_OPTIONS, epochs: 3, batchSize: 32, sampleStrideSteps: 4 };

function worker() {
  const replies: WorkerReply[] = [];
  const handle = forecastWorkerHandler({
    loadAugurs: () => Promise.resolve(undefined),
    loadTfjs: () => Promise.resolve({ tf, backend: 'cpu' }),
    lstmOptions,
    post: (reply) => {
      replies.push(reply);
      onPost(reply);
    },
    // As in the worker: a macrotask, so a message queued with setTimeout is taken first.
    yieldToMessages: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
  let onPost: (reply: WorkerReply) => void = () => {};
  return {
    replies,
    handle,
    onPost: (listener: (reply: WorkerReply) => void) => (onPost = listener),
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the forecast worker with model lstm', () => {
  it('reports every epoch of both trainings, then the forecast with its held-out accuracy and backend', async () => {
    const { replies, handle } = worker();
    await handle({ id: 1, task });
    const progress = replies.flatMap((r) => ('progress' in r ? [r.progress.epoch] : []));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    const last = replies[replies.length - 1];
    if (!('outcome' in last)) {
      throw new Error(`expected an outcome, got ${JSON.stringify(last)}`);
    }
    const { outcome } = last;
    expect(outcome).toMatchObject({
      model: 'lstm',
      backend: 'cpu',
      fallback: false,
      holdoutSteps: 6,
      stepSeconds: HOUR,
    });
    // The history's last bucket is hour 239 (empty, bridged): the forecast starts at hour 240.
    expect(outcome.startSeconds).toBe(MONDAY + 240 * HOUR);
    expect(outcome.mean).toHaveLength(6);
    expect(Object.keys(outcome.intervals).sort()).toEqual(['80', '95']);
    outcome.mean.forEach((m, h) => {
      expect(outcome.intervals['95'].lower[h]).toBeLessThanOrEqual(m);
      expect(outcome.intervals['95'].upper[h]).toBeGreaterThanOrEqual(outcome.intervals['80'].upper[h]);
    });
    expect(outcome.accuracy?.model).toBe('lstm');
    expect(outcome.accuracy?.wape).toBeGreaterThanOrEqual(0);
    // The other models, scored on the same 6 held-out hours, for the backtest table.
    expect(outcome.backtest.map((row) => row.model)).toContain('seasonal_naive_day');
  });

  it('stops training when a cancel message arrives, and answers with an error', async () => {
    const { replies, handle, onPost } = worker();
    const requests: WorkerRequest[] = [];
    onPost((reply) => {
      if ('progress' in reply && requests.length === 0) {
        // Delivered as a message would be: after the current task yields.
        requests.push({ id: 2, cancel: true });
        setTimeout(() => handle(requests[0]), 0);
      }
    });
    await handle({ id: 2, task });
    expect(replies.filter((r) => 'progress' in r)).toHaveLength(1);
    expect(replies[replies.length - 1]).toEqual({ id: 2, error: LSTM_CANCELLED_MESSAGE });
  });

  it('ignores a cancel for a task that is not running, and still answers the next one', async () => {
    const { replies, handle } = worker();
    await handle({ id: 3, cancel: true });
    await handle({ id: 3, task: { ...task, model: 'naive' } });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ id: 3, outcome: { model: 'naive' } });
  });

  // 30 hours: even a one-patch window (6) needs 6 + 6 + 23 training windows + 6 held out = 41.
  it('says what the LSTM needs when the history is too short for it', async () => {
    const { replies, handle } = worker();
    await handle({
      id: 4,
      task: { ...task, timestampsSeconds: timestampsSeconds.slice(0, 30), values: values.slice(0, 30) },
    });
    // The message, and its code and figures for the page to word in the user's language: 30 steps of the 41 needed.
    expect(replies).toEqual([
      {
        id: 4,
        error: expect.stringMatching(
          /^insufficient history: the LSTM needs a window of at least 6 steps.*\(have 30 steps, need at least 41\)$/
        ),
        text: {
          code: 'insufficient-history-error',
          reason: 'lstm-holdout',
          patchSteps: 6,
          haveSteps: 30,
          neededSteps: 41,
        },
      },
    ]);
  });
});
