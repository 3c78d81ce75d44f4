import fc from 'fast-check';

import { spotInterruptionRate } from './spotInterruptions';

const H = 3600;

describe('spotInterruptionRate', () => {
  it('counts GPUs of nodes gone before the end per spot GPU-day (worked by hand)', () => {
    // Window 0 … 48 h sampled hourly. a: 8 GPUs all along (its last sample is at the end) → 8 × 48 h = 16 GPU-days,
    // not interrupted. b: 4 GPUs, last seen at 11 h → 4 × 12 h = 2 GPU-days, interrupted. c: 4 GPUs from 12 h to the
    // end → 4 × 36 h = 6 GPU-days. 4 interrupted GPUs / 24 GPU-days = 1/6 of spot GPUs per day.
    const rate = spotInterruptionRate({
      nodes: [
        { node: 'a', gpus: 8, firstSeenSeconds: 0, lastSeenSeconds: 48 * H },
        { node: 'b', gpus: 4, firstSeenSeconds: 0, lastSeenSeconds: 11 * H },
        { node: 'c', gpus: 4, firstSeenSeconds: 12 * H, lastSeenSeconds: 48 * H },
      ],
      startSeconds: 0,
      endSeconds: 48 * H,
      stepSeconds: H,
    });
    expect(rate).toEqual({ spotGpuDays: 24, interruptedGpus: 4, interruptedNodes: ['b'], sharePerDay: 1 / 6 });
  });

  it('has no rate without spot GPUs, and refuses a window that ends before it starts', () => {
    expect(spotInterruptionRate({ nodes: [], startSeconds: 0, endSeconds: H, stepSeconds: 60 }).sharePerDay).toBe(
      undefined
    );
    expect(() => spotInterruptionRate({ nodes: [], startSeconds: H, endSeconds: 0, stepSeconds: 60 })).toThrow(
      'end after its start'
    );
  });

  it('never counts more interrupted GPUs than spot GPUs, and nothing when every node stays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gpus: fc.integer({ min: 0, max: 8 }), first: fc.nat(47), span: fc.nat(48) })),
        (raw) => {
          const nodes = raw.map((n, i) => ({
            node: `n${i}`,
            gpus: n.gpus,
            firstSeenSeconds: n.first * H,
            lastSeenSeconds: Math.min(48, n.first + n.span) * H,
          }));
          const rate = spotInterruptionRate({ nodes, startSeconds: 0, endSeconds: 48 * H, stepSeconds: H });
          expect(rate.interruptedGpus).toBeLessThanOrEqual(nodes.reduce((s, n) => s + n.gpus, 0));
          const staying = nodes.map((n) => ({ ...n, lastSeenSeconds: 48 * H }));
          expect(
            spotInterruptionRate({ nodes: staying, startSeconds: 0, endSeconds: 48 * H, stepSeconds: H })
              .interruptedGpus
          ).toBe(0);
        }
      )
    );
  });
});
