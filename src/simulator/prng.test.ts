import { createRng, hashUniform } from './prng';

describe('createRng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(first);
  });

  it('stays in [0, 1) with mean near 1/2 and Poisson mean near its parameter', () => {
    const rng = createRng(7);
    const draws = Array.from({ length: 20000 }, () => rng.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    // Standard error of the mean of U(0,1) over 20,000 draws is 0.002.
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
    const counts = Array.from({ length: 20000 }, () => rng.poisson(0.3));
    expect(counts.reduce((s, x) => s + x, 0) / counts.length).toBeCloseTo(0.3, 1);
  });

  it('weightedIndex never picks a zero weight', () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      expect(rng.weightedIndex([0, 1, 0, 2])).not.toBe(0);
    }
  });
});

describe('hashUniform', () => {
  it('is a pure function of its inputs and spreads over [0, 1)', () => {
    expect(hashUniform(1, 2, 3)).toBe(hashUniform(1, 2, 3));
    expect(hashUniform(1, 2, 3)).not.toBe(hashUniform(1, 2, 4));
    const values = Array.from({ length: 10000 }, (_, t) => hashUniform(9, 5, 1_700_000_000 + 60 * t));
    const belowHalf = values.filter((v) => v < 0.5).length;
    expect(belowHalf).toBeGreaterThan(4700);
    expect(belowHalf).toBeLessThan(5300);
  });
});
