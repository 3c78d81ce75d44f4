import { escapeLabelValue, formatLabels, formatValue, withLabel } from './openMetricsFormat';

describe('OpenMetrics text formatting', () => {
  it('escapes backslash, double quote and newline in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(formatLabels([['pod', 'say "hi"\n']])).toBe('{pod="say \\"hi\\"\\n"}');
  });

  it('drops empty label values and adds labels to a formatted set', () => {
    expect(formatLabels([['node', ''], ['pod', 'p']])).toBe('{pod="p"}');
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
});
