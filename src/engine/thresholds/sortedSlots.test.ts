/** @jest-environment node */
import fc from 'fast-check';
import { SortedSlots } from './sortedSlots';

describe('SortedSlots', () => {
  it('keeps each slot ascending through adds and removes, skipping NaN', () => {
    const samples = Float64Array.from([5, 1, NaN, 3, 2, 9, 1]);
    const slotOf = Uint8Array.from([0, 1, 0, 0, 1, 1, 0]);
    const slots = new SortedSlots([3, 3], new Float64Array(6));
    slots.add(samples, slotOf, 0, 4);
    slots.add(samples, slotOf, 4, 7);
    const slot = (s: number) =>
      Array.from(slots.values.subarray(slots.offsets[s], slots.offsets[s] + slots.lengths[s]));
    expect([slot(0), slot(1)]).toEqual([
      [1, 3, 5],
      [1, 2, 9],
    ]);
    slots.remove(samples, slotOf, 0, 2);
    expect([slot(0), slot(1)]).toEqual([
      [1, 3],
      [2, 9],
    ]);
    expect(() => slots.add(samples, slotOf, 0, 7)).toThrow(/holds at most 3 values/);
  });

  it("bumps a slot's version only when its values change", () => {
    const samples = Float64Array.from([5, 1, NaN, 3]);
    const slotOf = Uint8Array.from([0, 0, 1, 0]);
    const slots = new SortedSlots([3, 3], new Float64Array(4));
    slots.add(samples, slotOf, 0, 2);
    expect(Array.from(slots.versions)).toEqual([1, 0]);
    slots.add(samples, slotOf, 2, 3); // only a NaN for slot 1: nothing changes
    expect(Array.from(slots.versions)).toEqual([1, 0]);
    slots.remove(samples, slotOf, 0, 1);
    expect(Array.from(slots.versions)).toEqual([2, 0]);
    slots.clear();
    expect(Array.from(slots.versions)).toEqual([3, 0]);
  });

  it('holds what sorting the window holds, for any sliding window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: 0, max: 2 })), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        (pairs, moves) => {
          const samples = Float64Array.from(pairs, ([v]) => v);
          const slotOf = Uint8Array.from(pairs, ([, s]) => s);
          const capacities = [0, 1, 2].map((s) => pairs.filter(([, slot]) => slot === s).length);
          const slots = new SortedSlots(capacities, new Float64Array(pairs.length));
          let lo = 0;
          let hi = 0;
          for (const move of moves) {
            const nextHi = Math.min(pairs.length, hi + (move % 50));
            const nextLo = Math.min(nextHi, lo + (move % 7));
            slots.remove(samples, slotOf, lo, Math.min(nextLo, hi));
            slots.add(samples, slotOf, Math.max(hi, nextLo), nextHi);
            [lo, hi] = [nextLo, nextHi];
            for (let s = 0; s < 3; s++) {
              const expected = pairs
                .slice(lo, hi)
                .filter(([, slot]) => slot === s)
                .map(([v]) => v)
                .sort((a, b) => a - b);
              expect(Array.from(slots.values.subarray(slots.offsets[s], slots.offsets[s] + slots.lengths[s]))).toEqual(
                expected
              );
            }
          }
        }
      ),
      { numRuns: 200 }
    );
  });
  it('holds what sorting holds when samples come in runs of one slot, as hours do, with NaN, ties and −0 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            slot: fc.integer({ min: 0, max: 5 }),
            values: fc.array(fc.constantFrom(NaN, -0, 0, 1, 1, 2.5, -7), { minLength: 1, maxLength: 14 }),
          }),
          { minLength: 1, maxLength: 30 }
        ),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        (runs, cuts) => {
          const samples = Float64Array.from(runs.flatMap((run) => run.values));
          const slotOf = Uint8Array.from(runs.flatMap((run) => run.values.map(() => run.slot)));
          const capacities = Array.from({ length: 6 }, (_, s) => runs.filter((r) => r.slot === s).length * 14);
          const slots = new SortedSlots(capacities, new Float64Array(samples.length));
          // Batches that cut runs anywhere.
          let from = 0;
          for (const cut of [...cuts, samples.length]) {
            const to = Math.min(samples.length, from + (cut % 40));
            slots.add(samples, slotOf, from, to);
            from = to;
          }
          slots.add(samples, slotOf, from, samples.length);
          for (let s = 0; s < 6; s++) {
            const expected = Array.from(samples)
              .filter((v, i) => slotOf[i] === s && !Number.isNaN(v))
              .sort((a, b) => a - b);
            const held = Array.from(slots.values.subarray(slots.offsets[s], slots.offsets[s] + slots.lengths[s]));
            // Equal as numbers (0 and −0 are one value to the band): same length, pairwise ===.
            expect(held.length).toBe(expected.length);
            held.forEach((v, k) => expect(v === expected[k]).toBe(true));
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});
