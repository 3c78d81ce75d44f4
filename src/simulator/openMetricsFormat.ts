/**
 * Text formatting shared by the OpenMetrics history and the Prometheus text endpoint:
 * label escaping, label sets and compact numbers.
 */

/** Escapes a label value: backslash, double quote and newline, as both formats require. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="1",b="2"}` from ordered pairs; pairs with an empty value are left out (Prometheus treats them as absent). */
export function formatLabels(pairs: Array<[string, string]>): string {
  const parts = pairs.filter(([, v]) => v !== '').map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Adds one label to an already formatted label set. */
export function withLabel(labels: string, name: string, value: string): string {
  const pair = `${name}="${escapeLabelValue(value)}"`;
  return labels === '' ? `{${pair}}` : `${labels.slice(0, -1)},${pair}}`;
}

/** Numbers with at most four decimals and no exponent for ordinary magnitudes: smaller files, same meaning. */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf';
  }
  return String(Math.round(value * 10000) / 10000);
}

const DIGIT_0 = 48;
const MINUS = 45;
const DOT = 46;
/** Below this magnitude round(value × 10^4) has at most 15 digits, which a double tells apart exactly. */
const FAST_DECIMAL_LIMIT = 1e11;

/** Writes a non-negative integer below 2^53 as ASCII digits at `offset`; returns the offset after it. */
export function encodeUnsignedInteger(buffer: Uint8Array, offset: number, n: number): number {
  let digits = 1;
  for (let power = 10; power <= n; power *= 10) {
    digits++;
  }
  const end = offset + digits;
  for (let i = end - 1; i >= offset; i--) {
    const q = Math.floor(n / 10);
    buffer[i] = DIGIT_0 + (n - q * 10);
    n = q;
  }
  return end;
}

/**
 * Writes `formatValue(value)` as ASCII bytes at `offset` and returns the offset after it, without building a string.
 * The history writer calls it once per sample. For ordinary magnitudes the digits are those of the integer
 * round(value × 10^4) with the point put back; that is exactly what `String` prints for the double nearest to it
 * (such a decimal has at most 15 significant digits, so its shortest round-trip form is itself).
 * `buffer` needs room for 32 bytes.
 */
export function encodeValue(buffer: Uint8Array, offset: number, value: number): number {
  if (Number.isInteger(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER) {
    if (value < 0) {
      buffer[offset++] = MINUS;
      value = -value;
    }
    // -0 prints as 0, like String(-0).
    return encodeUnsignedInteger(buffer, offset, value === 0 ? 0 : value);
  }
  if (!(Math.abs(value) < FAST_DECIMAL_LIMIT)) {
    // NaN, infinities and huge values: rare, so the string path is fine.
    const text = formatValue(value);
    for (let i = 0; i < text.length; i++) {
      buffer[offset + i] = text.charCodeAt(i);
    }
    return offset + text.length;
  }
  let scaled = Math.round(value * 10000);
  if (scaled < 0) {
    buffer[offset++] = MINUS;
    scaled = -scaled;
  } else if (scaled === 0) {
    // Rounds to (possibly negative) zero, which String prints as 0.
    buffer[offset] = DIGIT_0;
    return offset + 1;
  }
  const whole = Math.floor(scaled / 10000);
  let fraction = scaled - whole * 10000;
  offset = encodeUnsignedInteger(buffer, offset, whole);
  if (fraction === 0) {
    return offset;
  }
  buffer[offset++] = DOT;
  // Four fraction digits without the trailing zeros.
  let width = 4;
  while (fraction % 10 === 0) {
    fraction /= 10;
    width--;
  }
  for (let i = offset + width - 1; i >= offset; i--) {
    const q = Math.floor(fraction / 10);
    buffer[i] = DIGIT_0 + (fraction - q * 10);
    fraction = q;
  }
  return offset + width;
}
