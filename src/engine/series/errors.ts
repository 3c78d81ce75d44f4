/**
 * Why a series cannot support the analysis asked, as a code and its figures: the English below is what the command
 * line, the backend and alert evaluation read; the data source words the same code in the user's language.
 */
export type InsufficientHistoryReason =
  /** Every value of the series is missing. */
  | { reason: 'no-observed-values' }
  /** After the first observed value, more than half of the steps are missing. */
  | { reason: 'mostly-missing' }
  /** No sample is a finite number. */
  | { reason: 'no-finite-values' }
  /** Fewer steps with a sample than the analysis needs. */
  | { reason: 'too-few-buckets' }
  /** Shorter than the LSTM's window, its horizon and its training windows. */
  | { reason: 'lstm-windows' }
  /** Too short for the LSTM once the newest steps are held out to check it on; `patchSteps` its smallest window. */
  | { reason: 'lstm-holdout'; patchSteps: number }
  /** Too few times with both served throughput and busy GPUs to calibrate throughput per GPU. */
  | { reason: 'calibration-pairs' };

/** The error as a code and figures: the reason, the steps the series has and the steps the analysis needs. */
export type InsufficientHistoryText = {
  code: 'insufficient-history-error';
  haveSteps: number;
  neededSteps: number;
} & InsufficientHistoryReason;

/** The reason in English, as the error's message writes it. */
export function insufficientHistoryReasonText(reason: InsufficientHistoryReason): string {
  switch (reason.reason) {
    case 'no-observed-values':
      return 'the series has no observed values';
    case 'mostly-missing':
      return 'more than half of the buckets are missing; widen the step or the range';
    case 'no-finite-values':
      return 'the series has no finite values';
    case 'too-few-buckets':
      return 'too few observed buckets';
    case 'lstm-windows':
      return 'the LSTM needs a window, a horizon and training windows';
    case 'lstm-holdout':
      return (
        `the LSTM needs a window of at least ${reason.patchSteps} steps, the horizon and enough training windows, ` +
        'before and after holding out the newest steps to check itself on; choose a shorter horizon, or auto'
      );
    case 'calibration-pairs':
      return 'too few times with both served throughput and busy GPUs';
  }
}

/**
 * Thrown when a series cannot support the requested analysis; `reason` is written for a person, in English, and
 * `text` carries it as a code and figures (`insufficientHistory` makes the engine's own; a caller with a reason of its
 * own, frames/forecast/forecastQuery.ts ShortHistoryError, brings its code).
 */
export class InsufficientHistoryError<Text extends { code: string } = InsufficientHistoryText> extends Error {
  readonly name = 'InsufficientHistoryError';
  constructor(
    readonly reason: string,
    readonly haveSteps: number,
    readonly neededSteps: number,
    readonly text: Text
  ) {
    super(`insufficient history: ${reason} (have ${haveSteps} steps, need at least ${neededSteps})`);
  }
}

/** The code of an engine's InsufficientHistoryError; undefined for any other error. */
export function insufficientHistoryTextOf(error: unknown): InsufficientHistoryText | undefined {
  return error instanceof InsufficientHistoryError && error.text.code === 'insufficient-history-error'
    ? (error.text as InsufficientHistoryText)
    : undefined;
}

/** The engine's error for `reason`, with its English and its code. */
export function insufficientHistory(
  reason: InsufficientHistoryReason,
  haveSteps: number,
  neededSteps: number
): InsufficientHistoryError {
  return new InsufficientHistoryError(insufficientHistoryReasonText(reason), haveSteps, neededSteps, {
    code: 'insufficient-history-error',
    haveSteps,
    neededSteps,
    ...reason,
  });
}
