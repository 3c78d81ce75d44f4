/** @jest-environment node */
import * as tf from '@tensorflow/tfjs';
import { lstmWithHoldout, type LstmProgress } from './lstmHoldout';
import type { LstmOptions } from './lstm';
import { TINY_LSTM_OPTIONS } from './lstmTesting';

const HOUR = 3600;
const MIDNIGHT = 1_700_006_400;
// Three epochs per training.
const options: LstmOptions = { ...TINY_LSTM_OPTIONS, tf, epochs: 3 };
const input = (values: number[]) => ({
  values,
  startSeconds: MIDNIGHT,
  stepSeconds: HOUR,
  horizonSteps: 6,
  levels: [80, 95],
  holdoutSteps: 6,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('lstmWithHoldout', () => {
  it('scores the check on the held-out tail and calibrates the intervals from its errors', async () => {
    // Flat at 10 for 90 hours, then 12 for the 6 held out: the check trains on a constant (nothing to learn, so it
    // forecasts 10 without training) and misses every held-out hour by +2.
    const values = [...new Array(90).fill(10), ...new Array(6).fill(12)];
    const progress: LstmProgress[] = [];
    const out = await lstmWithHoldout(input(values), options, { onProgress: (p) => void progress.push(p) });
    if (out.cancelled) {
      throw new Error('not cancelled');
    }
    // WAPE = Σ|2| / Σ|12| = 12 / 72; MASE needs a non-zero seasonal-naive error, and a constant has none.
    expect(out.accuracy.model).toBe('lstm');
    expect(out.accuracy.wape).toBeCloseTo(1 / 6, 10);
    expect(out.accuracy.mase).toBeNaN();
    expect(out.accuracy.coverage).toEqual({});
    // Every error is 2, so the error scale is 2 at each step and every ratio error / scale is 1 (n = 6, mean 1).
    // 80 %: ceil(7 · 0.8) = 6 ≤ 6, the 6th ratio, 1: ± 2. 95 %: ceil(7 · 0.95) = 7 is past the six held-out errors,
    // so the exponential tail, 1 + 1·ln((1/7) / 0.05) = 1 + ln(20/7): ± 2·(1 + ln(20/7)) ≈ ± 4.10, not ± 2 as 80 %.
    expect(out.mean).toHaveLength(6);
    const halfWidth: Record<string, number> = { '80': 2, '95': 2 * (1 + Math.log(20 / 7)) };
    for (const level of ['80', '95']) {
      out.mean.forEach((m, h) => {
        expect(out.intervals[level].lower[h]).toBeCloseTo(m - halfWidth[level], 5);
        expect(out.intervals[level].upper[h]).toBeCloseTo(m + halfWidth[level], 5);
      });
    }
    // Only the final training (on the non-constant whole) ran: epochs 4..6 of 6.
    expect(out.epochsRun).toBe(3);
    expect(progress.map((p) => [p.phase, p.epoch, p.epochs])).toEqual([
      ['final', 4, 6],
      ['final', 5, 6],
      ['final', 6, 6],
    ]);
  });

  it('reports both trainings epoch by epoch on a daily rhythm', async () => {
    const values = Array.from({ length: 24 * 5 }, (_, k) => 10 + (k % 24));
    const phases: string[] = [];
    const out = await lstmWithHoldout(input(values), options, {
      onProgress: (p) => void phases.push(`${p.phase} ${p.epoch}`),
    });
    expect(phases).toEqual(['check 1', 'check 2', 'check 3', 'final 4', 'final 5', 'final 6']);
    expect(out).toMatchObject({ cancelled: false, epochsRun: 6 });
  });

  it('stops at a cancel in either training and returns no forecast', async () => {
    const values = Array.from({ length: 24 * 5 }, (_, k) => 10 + (k % 24));
    let epochs = 0;
    const out = await lstmWithHoldout(input(values), options, {
      onProgress: () => void epochs++,
      // Cancelled once the check has finished: the final training stops at its first batch.
      shouldCancel: () => epochs >= 3,
    });
    expect(out).toEqual({ cancelled: true });
    expect(epochs).toBe(3);
  });
});
