/** Thrown when a series cannot support the requested analysis; `reason` is written for a person. */
export class InsufficientHistoryError extends Error {
  readonly name = 'InsufficientHistoryError';
  constructor(
    readonly reason: string,
    readonly haveSteps: number,
    readonly neededSteps: number
  ) {
    super(`insufficient history: ${reason} (have ${haveSteps} steps, need at least ${neededSteps})`);
  }
}
