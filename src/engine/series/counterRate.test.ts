/** @jest-environment node */
import fc from 'fast-check';
import { counterToRate } from './counterRate';

describe('counterToRate', () => {
  it('treats a drop as a reset from zero', () => {
    // 10 → 40 over 30 s = 1/s; reset to 5 over 10 s = 0.5/s; 5 → 25 over 20 s = 1/s.
    const out = counterToRate({ timestampsSeconds: [0, 30, 40, 60], values: [10, 40, 5, 25] });
    expect(out.timestampsSeconds).toEqual([30, 40, 60]);
    expect(out.values).toEqual([1, 0.5, 1]);
  });

  it('skips missing samples, measuring over the longer interval', () => {
    const out = counterToRate({ timestampsSeconds: [0, 10, 20], values: [0, null, 40] });
    expect(out.values).toEqual([2]);
  });

  it('recovers the true increments of a counter that resets (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()), { minLength: 1, maxLength: 100 }),
        (steps) => {
          // Build a counter with known per-step increases; a reset restarts it at exactly that increase.
          let counter = 500;
          const values = [counter];
          for (const [increase, reset] of steps) {
            counter = reset && increase > 0 ? increase : counter + increase;
            values.push(counter);
          }
          const out = counterToRate({ timestampsSeconds: values.map((_, i) => i * 15), values });
          // A reset with a new value below the old one is seen as a reset; one above is
          // indistinguishable from growth, so only check non-negativity there.
          out.values.forEach((rate, i) => {
            expect(rate).toBeGreaterThanOrEqual(0);
            const [increase, reset] = steps[i];
            if (!reset || values[i + 1] < values[i]) {
              expect(rate).toBeCloseTo(increase / 15, 10);
            }
          });
        }
      )
    );
  });
});
