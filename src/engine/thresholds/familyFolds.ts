/**
 * Leave-one-family-out choice of a rule (issue 13: choose on data the choice is not scored on). Items are series,
 * each in one family (a NAB folder, a KPI set); for each family, the candidate that scores best on the other
 * families' items is the one that family is scored with.
 */
export interface FamilyFold {
  family: string;
  /** The held-out family's items. */
  items: number[];
  /** The candidate chosen without them. */
  chosen: number;
}

/**
 * One fold per family (in order of first appearance): `score(candidate, items)` is asked only about the items of
 * the other families, never the held-out one's, and the highest-scoring candidate wins (the first on a tie).
 */
export function leaveOneFamilyOut(
  familyOfItem: readonly string[],
  candidateCount: number,
  score: (candidate: number, items: readonly number[]) => number
): FamilyFold[] {
  const families = [...new Set(familyOfItem)];
  return families.map((family) => {
    const items: number[] = [];
    const others: number[] = [];
    familyOfItem.forEach((f, i) => (f === family ? items : others).push(i));
    let chosen = 0;
    let best = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < candidateCount; c++) {
      const s = score(c, others);
      if (s > best) {
        best = s;
        chosen = c;
      }
    }
    return { family, items, chosen };
  });
}
