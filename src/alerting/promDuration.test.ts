/** @jest-environment node */
import fc from 'fast-check';
import { DurationSyntaxError, formatDurationMs, parseDurationMs } from './promDuration';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The largest duration Go's time.Duration holds, in whole milliseconds: ⌊(2^63 − 1) ns / 10^6⌋. */
const MAX_MS = 9_223_372_036_854;

describe('Prometheus durations', () => {
  // prometheus/common model/time_test.go, TestParseDuration (a version with exact years and weeks): input, value,
  // and what String() prints.
  it.each([
    ['0', 0, '0s'],
    ['0w', 0, '0s'],
    ['0s', 0, '0s'],
    ['324ms', 324, '324ms'],
    ['3s', 3 * SECOND, '3s'],
    ['5m', 5 * MINUTE, '5m'],
    ['1h', HOUR, '1h'],
    ['4d', 4 * DAY, '4d'],
    ['4d1h', 4 * DAY + HOUR, '4d1h'],
    ['14d', 14 * DAY, '2w'],
    ['3w', 21 * DAY, '3w'],
    ['3w2d1h', 23 * DAY + HOUR, '23d1h'],
    ['10y', 3650 * DAY, '10y'],
  ])("reads %s as Prometheus' own tests do", (text, ms, printed) => {
    expect(parseDurationMs(text)).toBe(ms);
    expect(formatDurationMs(ms)).toBe(printed);
  });

  // What Grafana answers for what Headroom and people write (worked by hand from model.Duration.String).
  it.each([
    ['90s', '1m30s'],
    ['5m0s', '5m'],
    ['3h0m0s', '3h'],
    ['36h', '1d12h'],
    ['7d', '1w'],
    ['8d', '8d'],
    ['90d', '90d'],
    ['365d', '1y'],
    ['366d', '366d'],
    ['1h0m30s', '1h30s'],
  ])('prints %s back as Grafana does: %s', (written, answered) => {
    expect(formatDurationMs(parseDurationMs(written))).toBe(answered);
  });

  it.each([
    // TestParseBadDuration, with Prometheus' messages.
    ['1', 'not a valid duration string: "1"'],
    ['1y1m1d', 'not a valid duration string: "1y1m1d"'],
    ['-1w', 'not a valid duration string: "-1w"'],
    ['1.5d', 'unknown unit "." in duration "1.5d"'],
    ['', 'empty duration string'],
    ['5 minutes', 'unknown unit " minutes" in duration "5 minutes"'],
    ['1h1h', 'not a valid duration string: "1h1h"'],
    ['1s5m', 'not a valid duration string: "1s5m"'],
    ['300y', 'duration out of range'],
    ['9223372036855ms', 'duration out of range'],
    ['106751d23h47m16s855ms', 'duration out of range'],
    ['99999999999999999999s', 'not a valid duration string: "99999999999999999999s"'],
  ])('refuses %j', (text, message) => {
    expect(() => parseDurationMs(text)).toThrow(new DurationSyntaxError(message));
  });

  it('reads the longest duration Go holds', () => {
    // 2^63 − 1 ns is 106751 d 23 h 47 m 16.854775807 s.
    expect(parseDurationMs('106751d23h47m16s854ms')).toBe(MAX_MS);
  });

  it('prints only whole milliseconds', () => {
    expect(() => formatDurationMs(1.5)).toThrow(RangeError);
    expect(() => formatDurationMs(Number.NaN)).toThrow(RangeError);
  });

  it('reads back every whole-millisecond duration it prints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MS }), (ms) => {
        const text = formatDurationMs(ms);
        expect(parseDurationMs(text)).toBe(ms);
      }),
      { numRuns: 5000 }
    );
  });

  it('prints any duration it reads in a form that reads back the same and prints the same', () => {
    const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
    // At most 200 y + 400 w + 400 d + … ≈ 76,200 days: within Go's 106,751.
    const count = (unit: string) => fc.integer({ min: 0, max: unit === 'y' ? 200 : 400 });
    const text = fc
      .subarray(units, { minLength: 1 })
      .chain((chosen) => fc.tuple(...chosen.map(count)).map((counts) => ({ chosen, counts })))
      .map(({ chosen, counts }) => chosen.map((unit, i) => `${counts[i]}${unit}`).join(''));
    fc.assert(
      fc.property(text, (written) => {
        const ms = parseDurationMs(written);
        const printed = formatDurationMs(ms);
        expect(parseDurationMs(printed)).toBe(ms);
        expect(formatDurationMs(parseDurationMs(printed))).toBe(printed);
      }),
      { numRuns: 5000 }
    );
  });
});
