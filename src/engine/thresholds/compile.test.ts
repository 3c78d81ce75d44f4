/** @jest-environment node */
import fc from 'fast-check';
import type { Band } from './band';
import { compileAlertCondition, compileBandSide, MAX_PROMQL_BYTES, promqlNumber } from './compile';

describe('compileBandSide', () => {
  it('writes a flat band as a constant and an hour-of-day band as a sum over hours', () => {
    expect(compileBandSide({ mode: 'flat', calibratedAtSeconds: 0, upper: [-2.5] }, 'upper')).toBe('vector(-2.5)');
    const daily: Band = {
      mode: 'hour-of-day',
      calibratedAtSeconds: 0,
      lower: Array.from({ length: 24 }, (_, h) => h - 1),
    };
    const expr = compileBandSide(daily, 'lower');
    expect(expr.startsWith('(hour() == bool 0) * (-1) + (hour() == bool 1) * 0 + (hour() == bool 2) * 1 + ')).toBe(
      true
    );
    expect(expr.endsWith(' + (hour() == bool 23) * 22')).toBe(true);
    expect(() => compileBandSide(daily, 'upper')).toThrow(RangeError);
  });

  it('writes an hour-of-week band as one hour sum per day of the week (0 = Sunday)', () => {
    const weekly: Band = {
      mode: 'hour-of-week',
      calibratedAtSeconds: 0,
      upper: Array.from({ length: 168 }, (_, s) => s),
    };
    const expr = compileBandSide(weekly, 'upper');
    expect(expr.match(/day_of_week\(\) == bool \d/g)).toEqual(
      ['0', '1', '2', '3', '4', '5', '6'].map((d) => `day_of_week() == bool ${d}`)
    );
    expect(expr).toContain('(day_of_week() == bool 6) * ((hour() == bool 0) * 144 + ');
    expect(expr.endsWith('(hour() == bool 23) * 167)')).toBe(true);
  });

  it(`stays within ${MAX_PROMQL_BYTES} bytes for any 5-significant-digit weekly band (property)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { minLength: 168, maxLength: 168 }),
        (values) => {
          const upper = values.map((v) => Number(v.toPrecision(5)));
          const expr = compileBandSide({ mode: 'hour-of-week', calibratedAtSeconds: 0, upper }, 'upper');
          expect(Buffer.byteLength(expr)).toBeLessThanOrEqual(MAX_PROMQL_BYTES);
        }
      ),
      { numRuns: 50 }
    );
  });
});

describe('promqlNumber and compileAlertCondition', () => {
  it('prints numbers that parse back exactly and refuses non-finite ones', () => {
    expect(promqlNumber(0.1)).toBe('0.1');
    expect(promqlNumber(-1.2345e-7)).toBe('(-1.2345e-7)');
    expect(() => promqlNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('joins the watched sides with or, the watched expression in parentheses', () => {
    expect(compileAlertCondition('m{a="1"}', { upper: 'u', lower: 'l' })).toBe(
      '(m{a="1"}) > scalar(u) or (m{a="1"}) < scalar(l)'
    );
    expect(compileAlertCondition('m', { lower: 'l' })).toBe('(m) < scalar(l)');
    // `or` binds less tightly than `>`: unparenthesised, the sum would be returned whatever the threshold.
    expect(compileAlertCondition('sum(m) or vector(0)', { upper: 'u' })).toBe('(sum(m) or vector(0)) > scalar(u)');
    // A line comment in the selector ends before the closing parenthesis.
    expect(compileAlertCondition('m # the watched series', { upper: 'u' })).toBe(
      '(m # the watched series\n) > scalar(u)'
    );
    expect(() => compileAlertCondition('m', {})).toThrow(RangeError);
  });
});
