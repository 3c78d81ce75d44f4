/** Numbers of the Plan page as a person reads them: "1.72 M GPU-hours", "8.4 × 10²³ FLOPs", "85.9 GB (80 GiB)". */

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Three significant digits, trailing zeros dropped ("8.40" → "8.4", "172" stays). */
function significant(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** 8.4e23 → "8.4 × 10²³": FLOP counts span too many orders of magnitude for thousands separators. */
export function formatPowerOfTen(value: number): string {
  if (value === 0) {
    return '0';
  }
  let exponent = Math.floor(Math.log10(Math.abs(value)));
  let mantissa = Number((value / 10 ** exponent).toPrecision(3));
  // Rounding can carry into the next power (9.996e23 → 10.0 × 10²³).
  if (Math.abs(mantissa) >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  const superscript = String(exponent)
    .split('')
    .map((c) => (c === '-' ? '⁻' : SUPERSCRIPT_DIGITS[Number(c)]))
    .join('');
  return `${significant(mantissa)} × 10${superscript}`;
}

const SCALES = [
  { factor: 1e12, suffix: 'T' },
  { factor: 1e9, suffix: 'B' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
];

/** 1,719,226 → "1.72 M"; below a thousand, three significant digits. Suffixes are powers of 1000 (B = 10⁹). */
export function formatScaled(value: number): string {
  const scale = SCALES.find(({ factor }) => Math.abs(value) >= factor * 0.9995);
  return scale ? `${significant(value / scale.factor)} ${scale.suffix}` : significant(value);
}

/** Bytes as decimal GB (how datasheets count memory), with GiB (how nvidia-smi and vLLM print it) after. */
export function formatGigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB (${(bytes / 2 ** 30).toFixed(1)} GiB)`;
}
