/**
 * Thrown when a capacity calculation gets an input it cannot honestly compute with (no capacity, a throughput of
 * zero, a utilisation outside (0, 1], mismatched lengths). `field` names the offending input so a form can mark it;
 * the message is written for a person and says what to enter instead.
 */
export class CapacityInputError extends Error {
  readonly name = 'CapacityInputError';
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}
