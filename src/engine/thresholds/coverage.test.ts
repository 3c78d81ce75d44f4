import fc from 'fast-check';
import { bandCoverage } from './coverage';

describe('bandCoverage', () => {
  it('counts judged rows inside the band, edges included, skipping the warm-up, gaps and rows without a band', () => {
    // Rows 0–1 warm-up; row 2 on the upper edge (inside: the rule fires on >), row 3 above, row 4 a gap, row 5 has no
    // threshold yet (NaN), row 6 below, row 7 inside, row 8 one-sided band (upper only) and inside: 3 of 5 judged.
    const values = [100, -100, 10, 11, null, 5, -1, 3, 50];
    const thresholds = {
      upper: [NaN, NaN, 10, 10, 10, NaN, 10, 10, 60],
      lower: [NaN, NaN, 0, 0, 0, NaN, 0, 0, Number.NEGATIVE_INFINITY],
    };
    expect(bandCoverage(values, thresholds, 2)).toBe(3 / 5);
  });

  it('is NaN when nothing was judged', () => {
    expect(bandCoverage([1, 2], { upper: [3, 3], lower: [0, 0] }, 2)).toBeNaN();
  });

  it('is 1 for a band that holds every value and 0 for one that holds none', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (values) => {
        const everything = { upper: values.map(() => Infinity), lower: values.map(() => -Infinity) };
        const nothing = { upper: values.map((v) => v - 1), lower: values.map((v) => v - 2) };
        expect(bandCoverage(values, everything, 0)).toBe(1);
        expect(bandCoverage(values, nothing, 0)).toBe(0);
      })
    );
  });
});
