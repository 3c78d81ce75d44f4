/**
 * Seeded randomness. Two kinds: a stateful stream for the simulation's decisions (arrivals, durations),
 * and a stateless hash for per-sample noise, so a value at time t is the same whichever writer asks for it.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [min, max] (inclusive). */
  int(min: number, max: number): number;
  uniform(min: number, max: number): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Poisson count with the given mean (Knuth's method; fine for the small means used per tick). */
  poisson(mean: number): number;
  /** Index drawn with probability proportional to weights[i]. */
  weightedIndex(weights: readonly number[]): number;
}

/** mulberry32: small, fast, and good enough for simulation (not for cryptography). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uniform: (min, max) => min + next() * (max - min),
    exponential: (mean) => -mean * Math.log(1 - next()),
    poisson: (mean) => {
      const limit = Math.exp(-mean);
      let count = 0;
      let product = next();
      while (product > limit) {
        count++;
        product *= next();
      }
      return count;
    },
    weightedIndex: (weights) => {
      const total = weights.reduce((sum, w) => sum + w, 0);
      let target = next() * total;
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i];
        if (target < 0) {
          return i;
        }
      }
      return weights.length - 1;
    },
  };
}

/** Stateless uniform in [0, 1) from three integers (seed, series key, time). */
export function hashUniform(seed: number, key: number, time: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ key;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h ^= time;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= Math.imul(time >>> 16, 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 16), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

/** Stateless value in [-1, 1) for symmetric noise. */
export function hashSigned(seed: number, key: number, time: number): number {
  return hashUniform(seed, key, time) * 2 - 1;
}

/** A stable 32-bit key for a string, to seed per-series noise. */
export function stringKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}
