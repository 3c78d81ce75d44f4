/** @jest-environment node */
import { combinerFor, joining } from './combine';

// Three models' forecasts over two steps, best first.
const rows = [
  [10, 20],
  [14, 16],
  [11, 29],
];

describe('combinerFor', () => {
  it('takes the median at each step', () => {
    // Step 0: sorted 10, 11, 14 → 11; step 1: 16, 20, 29 → 20.
    expect(combinerFor('median', [])(rows)).toEqual([11, 20]);
    // Two rows: the mean of the middle two, (10 + 14) / 2 = 12 and (20 + 16) / 2 = 18.
    expect(combinerFor('median', [])(rows.slice(0, 2))).toEqual([12, 18]);
  });

  it('weighs equally, by inverse MAE or by inverse MSE', () => {
    const errors = [
      { mae: 1, mse: 1 },
      { mae: 2, mse: 4 },
      { mae: 4, mse: 16 },
    ];
    // Equal: (10 + 14 + 11) / 3 = 35 / 3.
    expect(combinerFor('equal', errors)(rows)[0]).toBeCloseTo(35 / 3, 12);
    // Inverse MAE: weights 1, 1/2, 1/4 over 7/4 = 4/7, 2/7, 1/7: (40 + 28 + 11) / 7 = 79 / 7.
    expect(combinerFor('inverse-mae', errors)(rows)[0]).toBeCloseTo(79 / 7, 12);
    // Inverse MSE: weights 1, 1/4, 1/16 over 21/16 = 16/21, 4/21, 1/21: (160 + 56 + 11) / 21 = 227 / 21.
    expect(combinerFor('inverse-mse', errors)(rows)[0]).toBeCloseTo(227 / 21, 12);
  });
});

describe('weighted median', () => {
  it('takes the lowest forecast at which the weights from below reach half', () => {
    const errors = [
      { mae: 1, mse: 1 },
      { mae: 2, mse: 4 },
      { mae: 4, mse: 16 },
    ];
    // Inverse MAE: 4/7, 2/7, 1/7. Step 0 in order 10 (4/7 ≥ 1/2): 10. Step 1 in order 16 (2/7), 20 (6/7): 20.
    expect(combinerFor('weighted-median', errors)(rows)).toEqual([10, 20]);
    // Equal errors: the plain lower median of three, 11 and 20.
    const same = errors.map(() => ({ mae: 1, mse: 1 }));
    expect(combinerFor('weighted-median', same)(rows)).toEqual([11, 20]);
    // Inverse MSE 16/21, 4/21, 1/21: model 0 alone holds more than half, 10 and 20.
    expect(combinerFor('weighted-median-mse', errors)(rows)).toEqual([10, 20]);
  });
});

describe('joining', () => {
  // Backtested at origins 10 and 20; a has errors 1 and 1, b beats it at origin 20, c nowhere.
  const at = (mae: number, byOrigin = [mae, mae]) => ({ mae, origins: [10, 20], maeByOrigin: byOrigin });
  const ranked = [
    { name: 'a', ...at(1) },
    { name: 'a@shift', ...at(1.5) },
    { name: 'b', ...at(2.5, [4.5, 0.5]) },
    { name: 'c', ...at(3) },
    { name: 'd', ...at(3.5) },
  ];
  const names = (list: Array<{ name: string }>) => list.map((c) => c.name);

  it('takes the best few, only those within the limit of the best one', () => {
    expect(names(joining(ranked, { rule: 'median', size: 3 }))).toEqual(['a', 'a@shift', 'b']);
    // Within 3 × 1: d (3.5) is out, c (3) is in.
    expect(names(joining(ranked, { rule: 'median', size: 5, within: 3 }))).toEqual(['a', 'a@shift', 'b', 'c']);
  });

  it('counts a model and its level-shift variant once when asked, keeping the better', () => {
    expect(names(joining(ranked, { rule: 'median', size: 3, distinct: true }))).toEqual(['a', 'b', 'c']);
  });

  it('leaves out a model the best one beats at every origin when asked', () => {
    expect(names(joining(ranked, { rule: 'median', size: 5, undominated: true }))).toEqual(['a', 'b']);
  });

  it('keeps only the exact models when the best is exact', () => {
    const exact = [
      { name: 'a', ...at(0) },
      { name: 'b', ...at(0) },
      { name: 'c', ...at(0.1) },
    ];
    expect(names(joining(exact, { rule: 'median', size: 5, within: 3 }))).toEqual(['a', 'b']);
  });
});
