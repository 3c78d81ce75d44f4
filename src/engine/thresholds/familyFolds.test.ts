/** @jest-environment node */
import fc from 'fast-check';

import { leaveOneFamilyOut } from './familyFolds';

describe('leaveOneFamilyOut', () => {
  it('chooses each fold on the other families only', () => {
    // Items 0, 1 in family a; 2 in b; 3 in c. Candidate 0 is good on a, candidate 1 on b and c:
    // scores[c][i], summed over a fold's training items.
    const scores = [
      [10, 10, 0, 0],
      [0, 0, 6, 6],
    ];
    const folds = leaveOneFamilyOut(['a', 'a', 'b', 'c'], 2, (c, items) =>
      items.reduce((acc, i) => acc + scores[c][i], 0)
    );
    // Without a: candidate 0 scores 0, candidate 1 scores 12 → 1. Without b: 20 vs 6 → 0. Without c: 20 vs 6 → 0.
    expect(folds).toEqual([
      { family: 'a', items: [0, 1], chosen: 1 },
      { family: 'b', items: [2], chosen: 0 },
      { family: 'c', items: [3], chosen: 0 },
    ]);
  });

  it('a fold never reads its own family, so its choice does not depend on it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (families, candidates, seed) => {
          // Any deterministic scores; then the held-out family's scores are replaced by others.
          const base = (c: number, i: number) => ((c * 7919 + i * 104729 + seed) % 97) / 97;
          const folds = leaveOneFamilyOut(families, candidates, (c, items) =>
            items.reduce((a, i) => a + base(c, i), 0)
          );
          for (const fold of folds) {
            // If the fold read its own family, candidate c would score 1000·c there and the last would win.
            const changed = leaveOneFamilyOut(families, candidates, (c, items) =>
              items.reduce((a, i) => a + (families[i] === fold.family ? 1000 * c : base(c, i)), 0)
            ).find((f) => f.family === fold.family)!;
            expect(changed.chosen).toBe(fold.chosen);
          }
          // Every question is about all the items of every family but one.
          leaveOneFamilyOut(families, candidates, (_, items) => {
            const left = families.map((f, i) => (items.includes(i) ? undefined : f)).filter((f) => f !== undefined);
            expect(new Set(left).size).toBe(1);
            expect(left.length).toBe(families.filter((f) => f === left[0]).length);
            return 0;
          });
        }
      )
    );
  });
});
