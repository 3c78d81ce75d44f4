import { mase, seasonalNaiveMae, wape } from './accuracy';
import type { ModelAccuracy } from './holdout';
import { calibratedIntervals, type Interval } from './intervals';
import { trainLstm, type LstmOptions } from './lstm';
import { DAY_SECONDS, seasonSteps } from './seasons';
import type { ForecastInput } from './types';

export interface LstmHoldoutInput extends Omit<ForecastInput, 'events'> {
  /** Interval levels in percent. */
  levels: readonly number[];
  /** The newest steps held out for the check (as holdoutScores chooses them, so the rows compare). */
  holdoutSteps: number;
}

export interface LstmProgress {
  /** `check`: trained without the held-out tail; `final`: trained on the whole history. */
  phase: 'check' | 'final';
  /** Epochs done over both trainings, 1-based, out of `epochs`. */
  epoch: number;
  epochs: number;
  /** Mean training loss of the epoch (MSE on the scaled values). */
  loss: number;
}

export interface LstmHoldoutHooks {
  /** Awaited, like LstmHooks.onProgress, so a worker can take a cancel message between epochs. */
  onProgress?(progress: LstmProgress): void | Promise<void>;
  shouldCancel?(): boolean;
}

export type LstmHoldoutResult =
  | { cancelled: true }
  | {
      cancelled: false;
      mean: number[];
      intervals: Record<string, Interval>;
      /** WAPE and MASE of the check; no coverage, because the intervals are calibrated on that same window. */
      accuracy: ModelAccuracy;
      /** Epochs run by the check and the final training together. */
      epochsRun: number;
    };

/**
 * The LSTM with an honest check: trained once without the newest `holdoutSteps` and scored on them (WAPE, MASE
 * against the daily seasonal-naive error of the training part), then trained again on the whole history to
 * forecast. That check's errors, one origin, calibrate the intervals (intervals.ts widens them past the
 * held-out length). Two trainings instead of the rolling origins the other models get, because each costs seconds.
 */
export async function lstmWithHoldout(
  input: LstmHoldoutInput,
  options: LstmOptions,
  hooks: LstmHoldoutHooks = {}
): Promise<LstmHoldoutResult> {
  const { values, startSeconds, stepSeconds, horizonSteps, levels, holdoutSteps } = input;
  const train = values.slice(0, values.length - holdoutSteps);
  const actual = values.slice(values.length - holdoutSteps);
  const epochs = 2 * options.epochs;
  const progress = (phase: LstmProgress['phase'], before: number) => ({
    shouldCancel: hooks.shouldCancel,
    onProgress: (epoch: number, loss: number) => hooks.onProgress?.({ phase, epoch: before + epoch, epochs, loss }),
  });

  const check = await trainLstm(
    { values: train, startSeconds, stepSeconds, horizonSteps: holdoutSteps },
    options,
    progress('check', 0)
  );
  if (check.cancelled) {
    return { cancelled: true };
  }
  const final = await trainLstm(
    { values, startSeconds, stepSeconds, horizonSteps },
    options,
    progress('final', options.epochs)
  );
  if (final.cancelled) {
    return { cancelled: true };
  }
  const errors = actual.map((y, h) => y - check.mean[h]);
  const daily = seasonSteps(DAY_SECONDS, stepSeconds) || 1;
  return {
    cancelled: false,
    mean: final.mean,
    intervals: calibratedIntervals(final.mean, [errors], levels),
    accuracy: {
      model: 'lstm',
      wape: wape(actual, check.mean),
      mase: mase(actual, check.mean, seasonalNaiveMae(train, daily)),
      coverage: {},
    },
    epochsRun: check.epochsRun + final.epochsRun,
  };
}
