/**
 * Thrown when a fragmentation calculation gets a cluster state or workload it cannot honestly compute with
 * (duplicate node names, a free share outside [0, 1000] milli, an empty workload). `field` names the offending input
 * (`nodes[3].gpus[1].free_milli`) so a form or a CLI can point at it; the message says what to enter instead.
 */
export class FragmentationInputError extends Error {
  readonly name = 'FragmentationInputError';
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}
