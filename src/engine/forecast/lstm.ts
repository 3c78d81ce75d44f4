import type * as TfModule from '@tensorflow/tfjs';
import { insufficientHistory } from '../series/errors';
import { DAY_SECONDS, WEEK_SECONDS } from './seasons';
import type { ForecastInput, ModelForecast } from './types';

/**
 * The tfjs module, passed in by the caller with its backend already chosen (wasm where its .wasm
 * files load, else cpu), so the engine neither imports tfjs at run time nor locates files.
 */
export type Tfjs = typeof TfModule;

export interface LstmOptions {
  tf: Tfjs;
  /** Past steps the network sees per forecast (168 = one week of hours). */
  windowSteps: number;
  /**
   * Consecutive steps fed to the LSTM as one time step (their features side by side). 1 is the
   * per-step form; 24 on hourly data makes a week 7 recurrent steps instead of 168, which is what
   * brings training under 10 s per series on the tfjs CPU and wasm backends (each recurrent step costs a
   * fixed few dozen tensor operations however small the tensors). Must divide windowSteps.
   */
  patchSteps: number;
  units: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the weight initialisation and the order of training windows, so a run is repeatable. */
  seed: number;
  /** Training windows start at most this many steps apart; > 1 trades accuracy for speed. */
  sampleStrideSteps: number;
}

export const DEFAULT_LSTM_OPTIONS: Omit<LstmOptions, 'tf'> = {
  windowSteps: 168,
  patchSteps: 24,
  units: 16,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.01,
  seed: 42,
  // Every second window: neighbours are near-duplicates, and it halves the training time.
  sampleStrideSteps: 2,
};

export interface LstmHooks {
  /**
   * Called after every epoch with the mean training loss (MSE on the min-max scaled values). Awaited: a Web Worker
   * yields to its message queue here, which is how it sees a cancel message while training.
   */
  onProgress?(epoch: number, loss: number): void | Promise<void>;
  /** Checked between batches; returning true stops training and forecasts with the weights so far. */
  shouldCancel?(): boolean;
}

export interface LstmForecast extends ModelForecast {
  name: 'lstm';
  epochsRun: number;
  cancelled: boolean;
  /** Mean training loss of the last completed epoch; NaN when none completed. */
  finalLoss: number;
}

/** Input features per step: scaled value, then hour of day and day of week as points on a circle. */
const FEATURES = 5;
/** Fewer training windows than this cannot fit the output layer's weights meaningfully. */
const MIN_TRAINING_WINDOWS = 24;

export const lstmMinHistorySteps = (windowSteps: number, horizonSteps: number) =>
  windowSteps + horizonSteps + MIN_TRAINING_WINDOWS - 1;

function calendarFeatures(timeSeconds: number): [number, number, number, number] {
  const day = (2 * Math.PI * (timeSeconds % DAY_SECONDS)) / DAY_SECONDS;
  const week = (2 * Math.PI * (timeSeconds % WEEK_SECONDS)) / WEEK_SECONDS;
  return [Math.sin(day), Math.cos(day), Math.sin(week), Math.cos(week)];
}

/** Park–Miller generator: a seeded permutation of training windows without tfjs' Math.random shuffle. */
function seededShuffle(count: number, seed: number): (epoch: number) => number[] {
  return (epoch) => {
    let state = (seed * 7919 + epoch * 104_729 + 1) % 2_147_483_647 || 1;
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      state = (state * 16_807) % 2_147_483_647;
      const j = state % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };
}

/**
 * An LSTM over the last `windowSteps` steps (value plus hour-of-day and day-of-week on the circle)
 * with a dense layer that outputs every horizon step at once (direct multi-step: no feedback of its
 * own errors). Values are min-max scaled with the training data's range only. Training can report
 * progress and be cancelled between batches, for a Web Worker; a cancelled run still forecasts.
 */
export async function trainLstm(
  series: ForecastInput,
  options: LstmOptions,
  hooks: LstmHooks = {}
): Promise<LstmForecast> {
  const { tf, windowSteps, patchSteps, units, epochs, batchSize, learningRate, seed, sampleStrideSteps } = options;
  const { values, startSeconds, stepSeconds, horizonSteps } = series;
  const n = values.length;
  if (!(patchSteps >= 1 && windowSteps % patchSteps === 0)) {
    throw new RangeError(`patchSteps (${patchSteps}) must divide windowSteps (${windowSteps})`);
  }
  const recurrentSteps = windowSteps / patchSteps;
  const inputWidth = patchSteps * FEATURES;
  const need = lstmMinHistorySteps(windowSteps, horizonSteps);
  if (n < need) {
    throw insufficientHistory({ reason: 'lstm-windows' }, n, need);
  }
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  if (!(high > low)) {
    // A constant history has nothing to learn, and scaling by a zero range would divide by zero.
    return { name: 'lstm', mean: new Array(horizonSteps).fill(low), epochsRun: 0, cancelled: false, finalLoss: NaN };
  }
  const scaled = values.map((v) => (v - low) / (high - low));
  const calendar = values.map((_, k) => calendarFeatures(startSeconds + k * stepSeconds));
  const inputAt = (end: number): number[] => {
    const rows: number[] = [];
    for (let k = end - windowSteps; k < end; k++) {
      rows.push(scaled[k], ...calendar[k]);
    }
    return rows;
  };
  const windowEnds: number[] = [];
  for (let end = n - horizonSteps; end >= windowSteps; end -= sampleStrideSteps) {
    windowEnds.push(end);
  }
  windowEnds.reverse();
  const xData = new Float32Array(windowEnds.length * windowSteps * FEATURES);
  const yData = new Float32Array(windowEnds.length * horizonSteps);
  windowEnds.forEach((end, i) => {
    xData.set(inputAt(end), i * windowSteps * FEATURES);
    yData.set(scaled.slice(end, end + horizonSteps), i * horizonSteps);
  });

  // Step-major layout, so a patch's steps are adjacent and the reshape to patches is free.
  const x = tf.tensor3d(xData, [windowEnds.length, recurrentSteps, inputWidth]);
  const y = tf.tensor2d(yData, [windowEnds.length, horizonSteps]);
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({
        units,
        inputShape: [recurrentSteps, inputWidth],
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1, gain: 1 }),
      }),
      tf.layers.dense({ units: horizonSteps, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  const order = seededShuffle(windowEnds.length, seed);
  let epochsRun = 0;
  let finalLoss = NaN;
  let cancelled = false;
  try {
    for (let epoch = 0; epoch < epochs && !cancelled; epoch++) {
      const permutation = order(epoch);
      let lossSum = 0;
      let batches = 0;
      for (let from = 0; from < permutation.length; from += batchSize) {
        if (hooks.shouldCancel?.()) {
          cancelled = true;
          break;
        }
        const indices = tf.tensor1d(permutation.slice(from, from + batchSize), 'int32');
        const xb = tf.gather(x, indices);
        const yb = tf.gather(y, indices);
        const loss = await model.trainOnBatch(xb, yb);
        tf.dispose([indices, xb, yb]);
        lossSum += Array.isArray(loss) ? loss[0] : loss;
        batches++;
      }
      if (!cancelled) {
        epochsRun++;
        finalLoss = lossSum / batches;
        await hooks.onProgress?.(epoch + 1, finalLoss);
      }
    }
    const mean = tf.tidy(() => {
      const last = tf.tensor3d(inputAt(n), [1, recurrentSteps, inputWidth]);
      return model.predict(last) as TfModule.Tensor;
    });
    const out = Array.from(await mean.data(), (v) => low + v * (high - low));
    mean.dispose();
    return { name: 'lstm', mean: out, epochsRun, cancelled, finalLoss };
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
}
