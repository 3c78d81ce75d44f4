import type { Band } from './band';

/** Prometheus refuses nothing this size, and a person can still read and diff it. */
export const MAX_PROMQL_BYTES = 8 * 1024;

/**
 * The number as a PromQL literal that parses back to the same float64: JavaScript's shortest
 * round-trip form, with a negative value in parentheses so it can follow `*`.
 */
export function promqlNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`a threshold must be finite, got ${value}`);
  }
  return value < 0 ? `(${String(value)})` : String(value);
}

const HOUR_TERMS = Array.from({ length: 24 }, (_, hour) => `(hour() == bool ${hour}) * `);

/**
 * Σ over hours of (hour() == bool h) · value: exactly one term is 1·value, the rest 0, so the sum is exact.
 * Neighbouring hours often share a threshold (edges cover their neighbours), so its literal is reused.
 */
function byHour(values: readonly number[]): string {
  let text = '';
  let previous = NaN;
  let literal = '';
  for (let hour = 0; hour < values.length; hour++) {
    if (!(values[hour] === previous)) {
      literal = promqlNumber(values[hour]);
      previous = values[hour];
    }
    text += (hour > 0 ? ' + ' : '') + HOUR_TERMS[hour] + literal;
  }
  return text;
}

/**
 * One side of a band as a PromQL instant-vector expression without labels, evaluated by
 * Prometheus from the evaluation time alone (UTC `hour()` and `day_of_week()`, 0 = Sunday):
 * a constant, a sum over the 24 hours, or for each weekday that day's sum over its hours.
 */
export function compileBandSide(band: Band, side: 'upper' | 'lower'): string {
  const values = band[side];
  if (!values) {
    throw new RangeError(`the band has no ${side} side`);
  }
  if (band.mode === 'flat') {
    return `vector(${String(values[0])})`;
  }
  if (band.mode === 'hour-of-day') {
    return byHour(values);
  }
  return Array.from(
    { length: 7 },
    (_, day) => `(day_of_week() == bool ${day}) * (${byHour(values.slice(day * 24, day * 24 + 24))})`
  ).join(' + ');
}

/**
 * The watched expression as one operand: in parentheses, so an operator in it that binds less tightly than the
 * comparison (`or`, `and`, `unless`, another comparison, `+`, `-`) stays inside it. Without them
 * `sum(x) or vector(0) > t` means `sum(x) or (vector(0) > t)`: the sum, always, whatever the threshold.
 * A line comment (`#`) in it is ended by a newline, so the closing parenthesis is not commented out.
 */
export function watchedOperand(selector: string): string {
  return selector.includes('#') ? `(${selector}\n)` : `(${selector})`;
}

/**
 * The alert condition on a series selector, given the threshold expressions of the sides watched
 * (usually the recording rules of `compileBandSide`): above the upper or below the lower one.
 * `scalar()` turns a label-less threshold into a number so the selector keeps its labels.
 */
export function compileAlertCondition(selector: string, thresholds: { upper?: string; lower?: string }): string {
  const parts: string[] = [];
  const watched = watchedOperand(selector);
  if (thresholds.upper !== undefined) {
    parts.push(`${watched} > scalar(${thresholds.upper})`);
  }
  if (thresholds.lower !== undefined) {
    parts.push(`${watched} < scalar(${thresholds.lower})`);
  }
  if (parts.length === 0) {
    throw new RangeError('an alert needs an upper or a lower threshold');
  }
  return parts.join(' or ');
}
