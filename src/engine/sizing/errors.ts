/**
 * Thrown when a sizing calculation gets input it cannot honestly compute with (a parameter count of zero, an unknown
 * GPU model, a data type the GPU has no datasheet peak for, an MFU outside (0, 1], a model that fits no tensor-parallel
 * size). `field` names the offending input; the message says what to enter instead.
 */
export class SizingInputError extends Error {
  readonly name = 'SizingInputError';
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}

/** `value` when it is a finite number > 0; otherwise a `SizingInputError` naming `field`. */
export function requirePositive(field: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new SizingInputError(field, `${field} must be a positive number, got ${String(value)}.`);
  }
  return value;
}

/** `value` when it is a whole number ≥ 1; otherwise a `SizingInputError` naming `field`. */
export function requireCount(field: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new SizingInputError(field, `${field} must be a whole number ≥ 1, got ${String(value)}.`);
  }
  return value;
}

/** `value` when it is a share in (0, 1]; otherwise a `SizingInputError` naming `field` ("e.g. 0.4 for 40 %"). */
export function requireShare(field: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0 && value <= 1)) {
    throw new SizingInputError(field, `${field} must be a share in (0, 1], e.g. 0.4 for 40 %, got ${String(value)}.`);
  }
  return value;
}
