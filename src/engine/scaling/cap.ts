/** A plan that needed more GPUs than are allowed, and was cut down to what is allowed. */
export interface Cap {
  neededGpus: number;
  allowedGpus: number;
  /** For a person, and for the annotation on the capped object. */
  message: string;
}

/** The cap on `neededGpus` when it exceeds `allowedGpus`; `what` says what was needed ("the peak replicas"). */
export function capOf(neededGpus: number, allowedGpus: number | undefined, what: string): Cap | undefined {
  if (allowedGpus === undefined || neededGpus <= allowedGpus) {
    return undefined;
  }
  return {
    neededGpus,
    allowedGpus,
    message: `${what} need ${neededGpus} GPUs but at most ${allowedGpus} are allowed: capped at ${allowedGpus} GPUs.`,
  };
}
