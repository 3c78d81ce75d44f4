/** @jest-environment node */
import fc from 'fast-check';
import { InsufficientHistoryError } from './errors';
import { bridgeShortGaps, MAX_GRID_STEPS, regularise } from './regularise';

describe('regularise', () => {
  it('aggregates samples per bucket by mean, last and sum', () => {
    // Step 60 s: samples at 120,130,150 fall in bucket [120,180); 200 in [180,240).
    const raw = { timestampsSeconds: [150, 120, 130, 200], values: [6, 2, 4, 10] };
    const options = { stepSeconds: 60, maxBridgeSteps: 0 };
    expect(regularise(raw, { ...options, aggregation: 'mean' }).values).toEqual([4, 10]);
    expect(regularise(raw, { ...options, aggregation: 'sum' }).values).toEqual([12, 10]);
    // 'last' is by time, not by arrival order: 150 is the latest sample of the first bucket.
    expect(regularise(raw, { ...options, aggregation: 'last' }).values).toEqual([6, 10]);
    expect(regularise(raw, { ...options, aggregation: 'mean' }).startSeconds).toBe(120);
  });

  it('refuses timestamps too far apart for the step before allocating the grid', () => {
    // Two samples ten years apart on a 1 s step: 315,360,001 buckets, far above the 1,000,000 a series may hold.
    const raw = { timestampsSeconds: [0, 10 * 365 * 86400], values: [1, 2] };
    expect(() => regularise(raw, { stepSeconds: 1, aggregation: 'mean', maxBridgeSteps: 0 })).toThrow(
      /span 315,360,001 steps of 1 s, more than the 1,000,000 one series may hold/
    );
    // One million buckets exactly is still a series: timestamps 0 and 999,999 on a 1 s step.
    const edge = { timestampsSeconds: [0, MAX_GRID_STEPS - 1], values: [1, 2] };
    expect(regularise(edge, { stepSeconds: 1, aggregation: 'mean', maxBridgeSteps: 0 }).values).toHaveLength(
      MAX_GRID_STEPS
    );
  });

  it('aligns the first bucket to a multiple of the step', () => {
    const out = regularise(
      { timestampsSeconds: [3725, 7300], values: [1, 2] },
      { stepSeconds: 3600, aggregation: 'mean', maxBridgeSteps: 0 }
    );
    expect(out.startSeconds).toBe(3600);
    expect(out.values).toEqual([1, 2]);
  });

  it('bridges short gaps linearly and keeps long gaps marked', () => {
    const t = [0, 10, 20, 30, 40, 50, 60, 70, 80];
    const v = [0, null, 2, 3, null, null, null, null, 8];
    const out = regularise(
      { timestampsSeconds: t, values: v },
      { stepSeconds: 10, aggregation: 'mean', maxBridgeSteps: 2 }
    );
    expect(out.values[1]).toBe(1);
    expect(out.bridged[1]).toBe(true);
    expect(out.values.slice(4, 8).every(Number.isNaN)).toBe(true);
    expect(out.bridged.slice(4, 8)).toEqual([false, false, false, false]);
  });

  it('drops NaN and infinities and counts them', () => {
    const out = regularise(
      { timestampsSeconds: [0, 1, 2, 3], values: [1, NaN, Infinity, -Infinity] },
      { stepSeconds: 10, aggregation: 'mean', maxBridgeSteps: 0 }
    );
    expect(out.values).toEqual([1]);
    expect(out.droppedNonFiniteCount).toBe(3);
  });

  it('throws a typed error when there is too little history', () => {
    const tooShort = () =>
      regularise(
        { timestampsSeconds: [0, 60], values: [1, 2] },
        { stepSeconds: 60, aggregation: 'mean', maxBridgeSteps: 0, minObservedSteps: 24 }
      );
    expect(tooShort).toThrow(InsufficientHistoryError);
    expect(() =>
      regularise(
        { timestampsSeconds: [0], values: [null] },
        { stepSeconds: 60, aggregation: 'mean', maxBridgeSteps: 0 }
      )
    ).toThrow(InsufficientHistoryError);
  });

  it('gives the same grid for jittered timestamps as for exact ones (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 60, maxLength: 60 }),
        (values, jitter) => {
          // 1_700_000_040 is a multiple of 60, so each jittered sample stays in its bucket.
          const exact = values.map((_, i) => 1_700_000_040 + i * 60);
          const jittered = exact.map((t, i) => t + jitter[i]);
          const options = { stepSeconds: 60, aggregation: 'mean' as const, maxBridgeSteps: 0 };
          const a = regularise({ timestampsSeconds: exact, values }, options);
          const b = regularise({ timestampsSeconds: jittered, values }, options);
          expect(b.values).toEqual(a.values);
        }
      )
    );
  });

  it('conserves the total under sum aggregation and stays within range under mean (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -1000, max: 1000 })), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 900 }),
        (pairs, stepSeconds) => {
          const raw = { timestampsSeconds: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) };
          const summed = regularise(raw, { stepSeconds, aggregation: 'sum', maxBridgeSteps: 0 });
          const total = summed.values.filter((v) => !Number.isNaN(v)).reduce((a, b) => a + b, 0);
          expect(total).toBe(pairs.reduce((a, p) => a + p[1], 0));
          const mean = regularise(raw, { stepSeconds, aggregation: 'mean', maxBridgeSteps: 0 });
          const lo = Math.min(...raw.values);
          const hi = Math.max(...raw.values);
          for (const v of mean.values.filter((x) => !Number.isNaN(x))) {
            expect(v).toBeGreaterThanOrEqual(lo - 1e-9);
            expect(v).toBeLessThanOrEqual(hi + 1e-9);
          }
        }
      )
    );
  });
});

describe('bridgeShortGaps', () => {
  it('bridges exactly the interior gaps no longer than the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }), { maxLength: 80 }),
        fc.integer({ min: 0, max: 5 }),
        (raw, maxSteps) => {
          const values = raw.map((v) => (v === null ? NaN : v));
          const bridged = bridgeShortGaps(values, maxSteps);
          for (let k = 0; k < raw.length; k++) {
            if (raw[k] !== null) {
              expect(values[k]).toBe(raw[k]);
              expect(bridged[k]).toBe(false);
              continue;
            }
            let a = k;
            while (a > 0 && raw[a - 1] === null) {
              a--;
            }
            let b = k;
            while (b < raw.length - 1 && raw[b + 1] === null) {
              b++;
            }
            const shouldBridge = a > 0 && b < raw.length - 1 && b - a + 1 <= maxSteps;
            expect(bridged[k]).toBe(shouldBridge);
            if (shouldBridge) {
              // A linear bridge stays between its two ends.
              const lo = Math.min(raw[a - 1]!, raw[b + 1]!);
              const hi = Math.max(raw[a - 1]!, raw[b + 1]!);
              expect(values[k]).toBeGreaterThanOrEqual(lo - 1e-9);
              expect(values[k]).toBeLessThanOrEqual(hi + 1e-9);
            } else {
              expect(Number.isNaN(values[k])).toBe(true);
            }
          }
        }
      )
    );
  });
});

describe('regularise grid end', () => {
  it('extends the grid to the last timestamp even when its values are missing', () => {
    const out = regularise(
      { timestampsSeconds: [0, 60, 120, 180], values: [1, 2, null, null] },
      { stepSeconds: 60, aggregation: 'mean', maxBridgeSteps: 5 }
    );
    expect(out.values.length).toBe(4);
    expect(out.values.slice(2).every(Number.isNaN)).toBe(true);
  });
});
