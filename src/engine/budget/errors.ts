/**
 * Thrown when a budget guard rail gets input it cannot honestly act on (a budget of zero or below, levels out of
 * order, a name Kubernetes would refuse). `field` names the offending input; the message says what to enter instead.
 */
export class BudgetInputError extends Error {
  readonly name = 'BudgetInputError';
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}
