/** @jest-environment node */
import { costMix, type GpuModelPrice } from './costMix';

const A = 'NVIDIA A100-SXM4-80GB';
const B = 'NVIDIA L4';
const price = (gpuModel: string, onDemand: number, reserved?: number, spot?: number): GpuModelPrice => ({
  gpuModel,
  onDemandPerGpuHour: onDemand,
  reservedPerGpuHour: reserved,
  spotPerGpuHour: spot,
  source: `test list for ${gpuModel}`,
});
const fleet = (models: Array<[string, number]>) => ({
  models: models.map(([gpuModel, gpus]) => ({ gpuModel, gpus })),
  source: 'test fleet',
});

describe('costMix', () => {
  it('prices a one-model fleet at its own prices: reserved = the (1 − r/o) quantile of hourly GPUs', () => {
    // r/o = 1/4: reserve the 0.75 quantile of {10, 20, 30, 40}, the smallest count with 3 of 4 hours at or below
    // it: 30. Cost: 30 GPUs × $1 × 4 h + (40 − 30) GPU-h × $4 = $160 over 4 h = $40/h; all on demand 100 GPU-h × $4
    // / 4 h = $100/h.
    const mix = costMix([10, 20, 30, 40], { prices: [price(B, 9, 8), price(A, 4, 1)], fleet: fleet([[A, 16]]) })!;
    expect(mix.byModel).toEqual([
      {
        gpuModel: A,
        share: 1,
        price: price(A, 4, 1),
        reservedGpus: 30,
        quantile: 0.75,
        expectedCostPerHour: 40,
        costAllOnDemandPerHour: 100,
        savingsPerHour: 60,
        onDemandGpuHours: 10,
        spotGpuHours: 0,
      },
    ]);
    expect(mix).toMatchObject({
      fleetSource: 'test fleet',
      reservedGpus: 30,
      expectedCostPerHour: 40,
      costAllOnDemandPerHour: 100,
      savingsPerHour: 60,
      pricedShare: 1,
    });
  });

  it('splits a mixed fleet by its GPUs per model and decides each share at its own prices', () => {
    // 12 A100s and 4 L4s: shares 3/4 and 1/4 of {10, 20, 30, 40} GPUs per hour.
    // A100 (r = 1, o = 4): demand 7.5, 15, 22.5, 30; the 0.75 quantile is 22.5, so 22 or 23 reserved:
    //   22: 22 × 1 × 4 = 88 + (0.5 + 8) × 4 = 34 → 122;  23: 92 + 7 × 4 = 28 → 120. 23 it is, $30/h.
    // L4 (r = 3, o = 4): demand 2.5, 5, 7.5, 10; the 0.25 quantile is 2.5, so 2 or 3:
    //   2: 2 × 3 × 4 = 24 + (0.5 + 3 + 5.5 + 8) × 4 = 68 → 92;  3: 36 + (2 + 4.5 + 7) × 4 = 54 → 90. 3 it is, $22.5/h.
    // All on demand: 75 × 4 / 4 = $75/h and 25 × 4 / 4 = $25/h.
    const mix = costMix([10, 20, 30, 40], {
      prices: [price(A, 4, 1), price(B, 4, 3)],
      fleet: fleet([
        [A, 12],
        [B, 4],
      ]),
    })!;
    expect(mix.byModel.map((m) => [m.gpuModel, m.share, m.reservedGpus, m.expectedCostPerHour])).toEqual([
      [A, 0.75, 23, 30],
      [B, 0.25, 3, 22.5],
    ]);
    expect(mix.byModel.map((m) => m.onDemandGpuHours)).toEqual([7, 13.5]);
    expect(mix).toMatchObject({
      reservedGpus: 26,
      expectedCostPerHour: 52.5,
      costAllOnDemandPerHour: 100,
      savingsPerHour: 47.5,
      onDemandGpuHours: 20.5,
    });
  });

  it('says "no reserved price known" instead of recommending zero when reserved is not below on-demand', () => {
    // A list row with reserved = on-demand (the list had no 1-year price): everything on demand, $4 × 25 GPU-h / 4 h.
    for (const reserved of [4, 5, undefined]) {
      const mix = costMix([5, 5, 5, 10], { prices: [price(A, 4, reserved)], fleet: fleet([[A, 8]]) })!;
      const [row] = mix.byModel;
      expect(row.reservedGpus).toBeUndefined();
      expect(row.quantile).toBeUndefined();
      expect(row.note).toMatch(
        /^no reserved price known for NVIDIA A100-SXM4-80GB \(.+\): no reserved recommendation$/
      );
      expect(mix.reservedGpus).toBeUndefined();
      expect(mix.expectedCostPerHour).toBe(25);
      expect(mix.costAllOnDemandPerHour).toBe(25);
    }
  });

  it('leaves a model without a price out of the costs and says which', () => {
    // 6 of 8 GPUs are priced: $2 × 0.75 × (8 + 8) GPU-h / 2 h = $12/h, all on demand (no reserved price).
    const mix = costMix([8, 8], {
      prices: [price(A, 2)],
      fleet: fleet([
        [A, 6],
        ['NVIDIA A10G', 2],
      ]),
    })!;
    expect(mix.byModel[1]).toEqual({
      gpuModel: 'NVIDIA A10G',
      share: 0.25,
      note: 'no price for NVIDIA A10G: its 25 % of the GPUs is not costed',
    });
    expect(mix.pricedShare).toBe(0.75);
    expect(mix.expectedCostPerHour).toBe(12);
  });

  it('has no mix without a known, priced model', () => {
    expect(costMix([1, 2], { prices: [price(A, 2, 1)], fleet: fleet([]) })).toBeUndefined();
    expect(costMix([1, 2], { prices: [price(A, 2, 1)], fleet: fleet([['NVIDIA T4', 4]]) })).toBeUndefined();
  });

  it('runs the interruptible share on spot at the model’s spot price', () => {
    // Half of {4, 4} on spot at $1: 4 GPU-h × $1 / 2 h = $2/h; the firm 2 GPUs every hour are reserved (r/o = 1/3,
    // the 2/3 quantile of {2, 2} is 2) at $1 × 2 = $2/h.
    const mix = costMix([4, 4], { prices: [price(A, 3, 1, 1)], fleet: fleet([[A, 1]]), interruptibleShare: 0.5 })!;
    expect(mix.byModel[0]).toMatchObject({ reservedGpus: 2, spotGpuHours: 4, expectedCostPerHour: 4 });
  });
});

describe('costMix with spot interruptions', () => {
  it('adds the expected cost of redoing interrupted spot work (worked by hand)', () => {
    // 10 GPUs every hour for 24 h, half on spot at $2: 120 spot GPU-hours. 10 % of spot GPUs interrupted per day:
    // 120 × 0.1 / 24 = 0.5 interruptions, each redoing 2 GPU-hours at $2: $2 over 24 h = $1/12 per hour.
    // Without it: 5 firm GPUs on demand at $4 (reserved = on-demand, nothing reserved) = $20/h + 5 × $2 = $10/h.
    const demand = new Array(24).fill(10);
    const input = { prices: [price(A, 4, 4, 2)], fleet: fleet([[A, 1]]), interruptibleShare: 0.5 };
    const plain = costMix(demand, input)!;
    const withInterruptions = costMix(demand, {
      ...input,
      spotInterruption: { sharePerDay: 0.1, lostGpuHoursPerInterruption: 2 },
    })!;
    expect(plain.expectedCostPerHour).toBe(30);
    expect(plain.interruptionCostPerHour).toBeUndefined();
    expect(withInterruptions.byModel[0].interruptionCostPerHour).toBeCloseTo(1 / 12, 12);
    expect(withInterruptions.interruptionCostPerHour).toBeCloseTo(1 / 12, 12);
    expect(withInterruptions.expectedCostPerHour).toBeCloseTo(30 + 1 / 12, 12);
    expect(withInterruptions.savingsPerHour).toBeCloseTo(40 - 30 - 1 / 12, 12);
  });

  it('costs nothing without spot work, and refuses a negative rate or loss', () => {
    const none = costMix([4, 4], {
      prices: [price(A, 3, 1, 1)],
      fleet: fleet([[A, 1]]),
      spotInterruption: { sharePerDay: 0.5, lostGpuHoursPerInterruption: 3 },
    })!;
    expect(none.interruptionCostPerHour).toBe(0);
    const bad = (sharePerDay: number, lost: number) => () =>
      costMix([4], {
        prices: [price(A, 3, 1, 1)],
        fleet: fleet([[A, 1]]),
        interruptibleShare: 0.5,
        spotInterruption: { sharePerDay, lostGpuHoursPerInterruption: lost },
      });
    expect(bad(-0.1, 1)).toThrow('share interrupted per day');
    expect(bad(0.1, NaN)).toThrow('GPU-hours lost per interruption');
  });
});
