/** @jest-environment node */
import fc from 'fast-check';
import {
  kthSmallest,
  pooledRobustSpreadAtMost,
  quantileOfSorted,
  robustSpread,
  robustSpreadOfSorted,
  roundSignificant,
  sortedCopy,
} from './robust';

// Few distinct values, so ties and equal deviations are common.
const values = fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), {
  minLength: 1,
  maxLength: 60,
});

describe('robustSpreadOfSorted', () => {
  it('is 1.4826 · MAD: deviations 2,1,0,1,97 of 1,2,3,4,100 have median 1', () => {
    expect(robustSpreadOfSorted([1, 2, 3, 4, 100], 3)).toBeCloseTo(1.4826, 12);
    // Even count, median 2.5: deviations 1.5,0.5,0.5,1.5 → 1.
    expect(robustSpreadOfSorted([1, 2, 3, 4], 2.5)).toBeCloseTo(1.4826, 12);
    expect(robustSpreadOfSorted([5, 7, 9, 11], 8, 1, 3)).toBeCloseTo(1.4826, 12); // [7, 9] around 8
  });

  it('equals sorting the deviations, bit for bit (property)', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const sorted = sortedCopy(xs);
        const median = quantileOfSorted(sorted, 0.5);
        expect(robustSpreadOfSorted(Float64Array.from(sorted), median)).toBe(robustSpread(xs, median));
      }),
      { numRuns: 300 }
    );
  });
});

describe('pooledRobustSpreadAtMost', () => {
  const groupsOf = (xss: number[][]) => {
    const sorted = xss.map(sortedCopy);
    const offsets = sorted.map((_, g) => sorted.slice(0, g).reduce((n, s) => n + s.length, 0));
    return { values: sorted.flat(), offsets, lengths: sorted.map((s) => s.length) };
  };
  const residualSpread = (xss: number[][]) =>
    robustSpread(
      xss.flatMap((xs) => xs.map((x) => x - quantileOfSorted(sortedCopy(xs), 0.5))),
      0
    );

  it('decides by the median residual: residuals 0,0,0,0,±1 → spread 0; ±1 spread across groups → 1.4826', () => {
    const flat = [
      [5, 5, 6],
      [7, 7],
    ];
    expect(pooledRobustSpreadAtMost(groupsOf(flat), 0)).toBe(true);
    // An empty group adds nothing; ties across a group's middle (5, 5 | 5, 9) leave its median 5.
    expect(pooledRobustSpreadAtMost(groupsOf([[], [5, 5, 5, 9], [7, 7]]), 0)).toBe(true);
    expect(pooledRobustSpreadAtMost(groupsOf([[]]), 0)).toBe(false);
    const wobbly = [
      [4, 5, 6],
      [6, 7, 8],
    ];
    expect(pooledRobustSpreadAtMost(groupsOf(wobbly), 1.4826)).toBe(true);
    expect(pooledRobustSpreadAtMost(groupsOf(wobbly), 1.4825)).toBe(false);
  });

  it('agrees with computing the spread, right at and around it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(values, { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (xss, f) => {
          const spread = residualSpread(xss);
          for (const limit of [
            spread,
            spread * f,
            spread + Number.EPSILON * spread,
            spread - Number.EPSILON * spread,
            0,
          ]) {
            expect(pooledRobustSpreadAtMost(groupsOf(xss), limit)).toBe(spread <= limit);
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});

describe('kthSmallest', () => {
  it('is the k-th of the sorted values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 2000 }), fc.nat(), (xs, k) => {
        const at = k % xs.length;
        expect(kthSmallest(Float64Array.from(xs), at)).toBe(sortedCopy(xs)[at]);
      }),
      { numRuns: 200 }
    );
  });
});

describe('roundSignificant', () => {
  // The definition: toPrecision's number; zeros (and non-finite values) are left as they are, −0 included.
  const reference = (x: number, digits: number) => (x === 0 ? x : Number(x.toPrecision(digits)));

  it('rounds to significant digits, ties away from zero as toPrecision does', () => {
    expect(roundSignificant(123.456, 5)).toBe(123.46);
    expect(roundSignificant(-0.000123456, 3)).toBe(-0.000123);
    expect(roundSignificant(99999.5, 5)).toBe(100000);
    expect(roundSignificant(1234567890123, 5)).toBe(1.2346e12);
    expect(roundSignificant(2.5, 1)).toBe(3);
    expect(Object.is(roundSignificant(-0, 5), -0)).toBe(true);
    expect(roundSignificant(Infinity, 5)).toBe(Infinity);
  });

  it('equals Number(x.toPrecision(digits)) bit for bit, near decimal ties too (property)', () => {
    const bits = new Float64Array(1);
    const asInteger = new BigUint64Array(bits.buffer);
    fc.assert(
      fc.property(
        fc.double({ noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: -12, max: 12 }),
        (x, digits, mantissa, exponent) => {
          expect(roundSignificant(x, digits)).toBe(reference(x, digits));
          // mantissa.5 × 10^exponent is a decimal tie at 5 or 6 digits; its float and both neighbours.
          bits[0] = (mantissa + 0.5) * 10 ** exponent;
          for (const step of [BigInt(0), BigInt(1), BigInt(-2)]) {
            asInteger[0] += step;
            for (const d of [5, 6]) {
              expect(roundSignificant(bits[0], d)).toBe(reference(bits[0], d));
            }
          }
        }
      ),
      { numRuns: 3000 }
    );
  });
});
