/** @jest-environment node */
import fc from 'fast-check';
import { InsufficientHistoryError } from './errors';
import { fitReady } from './fitReady';

const series = (values: number[]) => ({
  startSeconds: 0,
  stepSeconds: 3600,
  values,
  bridged: values.map(() => false),
  droppedNonFiniteCount: 0,
});

describe('fitReady', () => {
  it('fills a long gap with the value one season earlier and trims leading gaps', () => {
    const out = fitReady(series([NaN, 1, 2, 3, NaN, NaN, 6]), 3);
    expect(out.values).toEqual([1, 2, 3, 1, 2, 6]);
    expect(out.startSeconds).toBe(3600);
    expect(out.trimmedLeadingCount).toBe(1);
    expect(out.filledCount).toBe(2);
  });

  it('carries the last value when no earlier season exists, including at the end', () => {
    expect(fitReady(series([5, NaN, 7, NaN]), 24).values).toEqual([5, 5, 7, 7]);
  });

  it('refuses a series that is more than half missing', () => {
    expect(() => fitReady(series([1, NaN, NaN, NaN, 2]), 2)).toThrow(InsufficientHistoryError);
  });

  it('returns only finite values and keeps every observation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 4 }), {
          minLength: 1,
          maxLength: 100,
        }),
        fc.integer({ min: 1, max: 30 }),
        (raw, season) => {
          const values = raw.map((v) => (v === null ? NaN : v));
          let out;
          try {
            out = fitReady(series(values), season);
          } catch (e) {
            expect(e).toBeInstanceOf(InsufficientHistoryError);
            return;
          }
          expect(out.values.every(Number.isFinite)).toBe(true);
          raw.slice(out.trimmedLeadingCount).forEach((v, k) => {
            if (v !== null) {
              expect(out.values[k]).toBe(v);
            }
          });
        }
      )
    );
  });
});
