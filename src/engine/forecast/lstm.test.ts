/** @jest-environment node */
import * as tf from '@tensorflow/tfjs';
import { InsufficientHistoryError } from '../series/errors';
import { trainLstm, type LstmOptions } from './lstm';
import { TINY_LSTM_OPTIONS } from './lstmTesting';

const HOUR = 3600;
const MIDNIGHT = 1_700_006_400;
const options: LstmOptions = { ...TINY_LSTM_OPTIONS, tf };
// Value = 10 + hour of day, five days.
const series = {
  values: Array.from({ length: 24 * 5 }, (_, k) => 10 + (k % 24)),
  startSeconds: MIDNIGHT,
  stepSeconds: HOUR,
  horizonSteps: 6,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainLstm', () => {
  it('is repeatable with a seed, reports every epoch and lowers the loss', async () => {
    const losses: number[] = [];
    const first = await trainLstm(series, options, { onProgress: (_epoch, loss) => void losses.push(loss) });
    const second = await trainLstm(series, options);
    expect(second.mean).toEqual(first.mean);
    expect(first.mean).toHaveLength(6);
    expect(first.epochsRun).toBe(6);
    expect(losses).toHaveLength(6);
    expect(first.finalLoss).toBe(losses[5]);
    expect(losses[5]).toBeLessThan(losses[0] / 2);
    // Forecasts are in the series' unit: min-max scaling is undone (the range is 10..33).
    first.mean.forEach((m) => {
      expect(m).toBeGreaterThan(0);
      expect(m).toBeLessThan(45);
    });
  });

  it('stops when cancelled and still forecasts with the weights so far', async () => {
    let checks = 0;
    // Window ends 24, 26, …, 114: 46 windows in batches of 16, 3 batches an epoch; cancel in the 2nd.
    const out = await trainLstm(series, options, { shouldCancel: () => ++checks > 4 });
    expect(out.cancelled).toBe(true);
    expect(out.epochsRun).toBe(1);
    expect(out.mean).toHaveLength(6);
    expect(out.mean.every(Number.isFinite)).toBe(true);
  });

  it('returns a constant history as it is, without training', async () => {
    const out = await trainLstm({ ...series, values: new Array(24 * 5).fill(3) }, options);
    expect(out).toMatchObject({ mean: new Array(6).fill(3), epochsRun: 0 });
  });

  it('refuses a history shorter than window + horizon + 23 training windows', async () => {
    // 24 + 6 + 24 − 1 = 53 steps needed.
    await expect(trainLstm({ ...series, values: series.values.slice(0, 52) }, options)).rejects.toThrow(
      InsufficientHistoryError
    );
    await expect(trainLstm({ ...series, values: series.values.slice(0, 53) }, options)).resolves.toBeDefined();
  });
});
