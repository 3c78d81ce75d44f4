import { fixed, formatInUnit, formatPercent, formatShare, listSeparator } from './localeNumbers';

// In English (the tests' regional format is en-US); the Chinese is read in tests/browser/zhHans.test.ts.
describe('locale numbers', () => {
  it('writes decimals grouped as the regional format groups them', () => {
    expect(fixed(1234.5, 2)).toBe('1,234.50');
    expect(fixed(0.125, 0)).toBe('0');
  });

  it('writes shares and percentages with one decimal, and a dash when there is none', () => {
    expect(formatShare(0.129)).toBe('12.9 %');
    expect(formatPercent(100)).toBe('100.0 %');
    expect(formatPercent(undefined)).toBe('–');
    expect(formatShare(Number.NaN)).toBe('–');
    expect([formatShare(0.8), formatShare(0.95)].join(listSeparator())).toBe('80.0 %, 95.0 %');
  });

  it("writes Headroom's count units through its own words and every other unit as Grafana does", () => {
    expect(formatInUnit('suffix: GPUs', 28)).toBe('28 GPUs');
    expect(formatInUnit('suffix: GPUs', 6.284, 2)).toBe('6.28 GPUs');
    expect(formatInUnit('suffix: requests', 3)).toBe('3 requests');
    expect(formatInUnit('percentunit', 0.5)).toBe('50%');
    expect(formatInUnit(undefined, 7)).toBe('7');
  });
});
