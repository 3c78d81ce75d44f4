/**
 * Thrown when an efficiency calculation gets input it cannot honestly compute with (a non-positive peak FLOP rate,
 * series of different lengths, utilisation out of range under the "reject" rule). `field` names the offending input;
 * the message says what to enter instead.
 */
export class EfficiencyInputError extends Error {
  readonly name = 'EfficiencyInputError';
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}
