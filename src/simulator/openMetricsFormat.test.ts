import { createRng } from './prng';
import { encodeValue, escapeLabelValue, formatLabels, formatValue, withLabel } from './openMetricsFormat';

describe('OpenMetrics text formatting', () => {
  it('escapes backslash, double quote and newline in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(formatLabels([['pod', 'say "hi"\n']])).toBe('{pod="say \\"hi\\"\\n"}');
  });

  it('drops empty label values and adds labels to a formatted set', () => {
    expect(
      formatLabels([
        ['node', ''],
        ['pod', 'p'],
      ])
    ).toBe('{pod="p"}');
    expect(formatLabels([])).toBe('');
    expect(withLabel('{a="1"}', 'le', '+Inf')).toBe('{a="1",le="+Inf"}');
    expect(withLabel('', 'le', '0.5')).toBe('{le="0.5"}');
  });

  it('writes numbers compactly with at most four decimals', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NaN)).toBe('NaN');
  });

  // The history writer encodes bytes directly; the live endpoint formats strings. Both must print the same text.
  it('encodes the same bytes as formatValue writes text', () => {
    const buffer = Buffer.alloc(64);
    const encoded = (v: number) => buffer.toString('latin1', 0, encodeValue(buffer, 0, v));
    const edges = [
      0,
      -0,
      1,
      -1,
      0.5,
      -0.00004,
      -0.00005,
      0.00005,
      1e-7,
      1.00005,
      0.99995,
      99.99999,
      123456789.123456,
      99999999999.99995,
      1e11,
      557687926152.721,
      1e15,
      2 ** 53,
      -(2 ** 53),
      1e21,
      0.1 + 0.2,
    ];
    for (const v of [...edges, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(encoded(v)).toBe(formatValue(v));
    }
    const rng = createRng(7);
    let mismatches = 0;
    for (let i = 0; i < 100_000; i++) {
      const magnitude = 10 ** rng.int(-5, 12);
      const v = (rng.next() - 0.3) * magnitude;
      mismatches += encoded(v) === formatValue(v) ? 0 : 1;
      const fourDecimals = Math.round(rng.next() * 1e7) / 1e4;
      mismatches += encoded(fourDecimals) === formatValue(fourDecimals) ? 0 : 1;
    }
    expect(mismatches).toBe(0);
  });
});
