import type { LstmOptions } from './lstm';

/** For tests only: a 24-step window as 4 recurrent steps of 6, 4 units, a few epochs; trains in a second on cpu. */
export const TINY_LSTM_OPTIONS: Omit<LstmOptions, 'tf'> = {
  windowSteps: 24,
  patchSteps: 6,
  units: 4,
  epochs: 6,
  batchSize: 16,
  learningRate: 0.05,
  seed: 7,
  sampleStrideSteps: 2,
};
