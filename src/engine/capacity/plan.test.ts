/** @jest-environment node */
import { CapacityInputError } from './errors';
import type { ForecastBands } from './exhaustion';
import { demandKind, planCapacity, type CapacityPlanInput } from './plan';

const HOUR = 3600;
const T0 = 1_700_000_000 - (1_700_000_000 % HOUR);

/** A forecast with no spread: every quantile is the value itself. */
function flat(values: number[]): ForecastBands {
  const interval = { lower: [...values], upper: [...values] };
  return {
    timestampsSeconds: values.map((_, h) => T0 + (h + 1) * HOUR),
    mean: [...values],
    intervals: { '80': interval, '95': interval },
  };
}

const base = (patch: Partial<CapacityPlanInput>): CapacityPlanInput => ({
  label: 'Generated tokens/s',
  unit: 'tokens/s',
  forecast: flat([1000, 1000, 3000]),
  demandLevel: '95',
  targetUtilisation: 0.8,
  coldStartLeadSeconds: 0,
  ...patch,
});

describe('demandKind', () => {
  it('tells GPU counts, throughputs and the rest apart; a custom expression is GPUs unless a throughput is given', () => {
    expect(demandKind('GPUs', false)).toBe('gpus');
    expect(demandKind('tokens/s', false)).toBe('throughput');
    expect(demandKind('ratio', true)).toBe('other');
    expect(demandKind('requests', false)).toBe('other');
    expect(demandKind(undefined, false)).toBe('gpus');
    expect(demandKind(undefined, true)).toBe('throughput');
  });
});

describe('planCapacity', () => {
  it('plans a tokens/s demand with the entered throughput per GPU, never tokens/s ÷ utilisation', () => {
    // ceil(1000 / (250 × 0.8)) = 5 and ceil(3000 / 200) = 15; tokens/s ÷ 0.8 would be 1250 and 3750.
    const plan = planCapacity(base({ throughput: { perGpu: 250 } }));
    expect(plan.gpus).toMatchObject({ throughputPerGpu: 250, throughputSource: 'entered', gpusNeeded: [5, 5, 15] });
    expect(plan.gpus!.peakGpus).toBe(15);
    expect(plan.notes).toEqual([]);
  });

  it('calibrates throughput per GPU from served tokens/s against busy GPUs, paired by time', () => {
    // Served = 100 × busy at the four shared hours (busy starts an hour later): 100 tokens/s per GPU, so
    // ceil(1000 / 80) = 13 (12.5) and ceil(3000 / 80) = 38 (37.5).
    const hours = [0, 1, 2, 3, 4].map((h) => T0 - h * HOUR);
    const served = { timestampsSeconds: hours, values: [500, 400, 300, 200, 999] };
    const busyGpus = { timestampsSeconds: hours.slice(0, 4), values: [5, 4, 3, 2] };
    const plan = planCapacity(base({ throughput: { calibrateFrom: { served, busyGpus } } }));
    expect(plan.gpus!.throughputSource).toBe('calibrated');
    expect(plan.gpus!.throughputPerGpu).toBeCloseTo(100, 9);
    expect(plan.gpus!.calibration!.samples).toBe(4);
    expect(plan.gpus!.gpusNeeded).toEqual([13, 13, 38]);
  });

  it('plans no GPUs for a throughput it has no throughput per GPU for, and says why', () => {
    const flatBusy = { timestampsSeconds: [T0, T0 + HOUR, T0 + 2 * HOUR], values: [4, 4, 4] };
    const flatServed = { timestampsSeconds: flatBusy.timestampsSeconds, values: [1, 2, 3] };
    const cases: Array<[CapacityPlanInput['throughput'], RegExp]> = [
      [undefined, /none was entered or calibrated/],
      [{ unavailable: 'Busy GPUs needs DCGM activity series.' }, /could not be calibrated: Busy GPUs needs DCGM/],
      [
        { calibrateFrom: { served: flatServed, busyGpus: flatBusy } },
        /could not be calibrated: Busy GPUs did not vary/,
      ],
    ];
    for (const [throughput, why] of cases) {
      const plan = planCapacity(base({ throughput, capacity: { value: 20, unit: 'gpus', source: 'entered' } }));
      expect(plan.gpus).toBeUndefined();
      expect(plan.mix).toBeUndefined();
      expect(plan.notes[0]).toMatch(
        /^Generated tokens\/s is a throughput, so GPUs are planned from a throughput per GPU/
      );
      expect(plan.notes[0]).toMatch(why);
      // 20 GPUs are some amount of tokens/s that nothing says: no exhaustion rather than 20 tokens/s.
      expect(plan.capacity).toBeUndefined();
      expect(plan.exhaustion).toBeUndefined();
      expect(plan.notes[1]).toMatch(/capacity of 20 GPUs cannot be turned into tokens\/s/);
      expect(plan.noteCodes[1]).toEqual({ code: 'capacity-not-convertible', gpus: 20, unit: 'tokens/s' });
    }
  });

  it('gives each note as a code with its figures, in the order of the notes', () => {
    const label = 'Generated tokens/s';
    expect(planCapacity(base({})).noteCodes).toEqual([{ code: 'no-throughput', label }]);
    expect(planCapacity(base({ throughput: { unavailable: 'Busy GPUs needs DCGM.' } })).noteCodes).toEqual([
      { code: 'throughput-not-calibrated', label, reason: 'Busy GPUs needs DCGM.' },
    ]);
    // A custom expression with a throughput per GPU to calibrate has no unit.
    const expression = planCapacity(
      base({
        unit: undefined,
        throughput: { unavailable: 'x' },
        capacity: { value: 2.5, unit: 'gpus', source: 'entered' },
      })
    );
    expect(expression.noteCodes[1]).toEqual({ code: 'capacity-not-convertible', gpus: 2.5, unit: undefined });
    expect(expression.notes[1]).toBe(
      "The capacity of 2.5 GPUs cannot be turned into the expression's unit without a throughput per GPU, so when it " +
        'runs out is not shown.'
    );
    const queue = planCapacity(base({ label: 'Queued requests', unit: 'requests' }));
    expect(queue.noteCodes).toEqual([
      { code: 'not-gpus', label: 'Queued requests', unit: 'requests', capacityInGpus: false },
    ]);
    expect(queue.notes).toEqual([
      'Queued requests is measured in requests, not in GPUs or a throughput: no GPUs are planned for it. Forecast ' +
        'allocated or busy GPUs, or generated tokens/s, to plan GPUs.',
    ]);
  });

  it('compares a throughput with capacity in its own unit: GPUs × throughput per GPU', () => {
    // 3 GPUs × 250 tokens/s = 750 tokens/s, below the first hour's 1000: exceeded from the first hour.
    const plan = planCapacity(
      base({ throughput: { perGpu: 250 }, capacity: { value: 3, unit: 'gpus', source: 'gpu_capacity' } })
    );
    expect(plan.capacity).toEqual({ value: 750, gpus: 3, source: 'gpu_capacity' });
    expect(plan.exhaustion!.meanCrossingSeconds).toBe(T0 + HOUR);
    // 2000 tokens/s entered in the demand's unit is 8 GPUs; only the last hour's 3000 exceeds it.
    const own = planCapacity(
      base({ throughput: { perGpu: 250 }, capacity: { value: 2000, unit: 'demand', source: 'entered' } })
    );
    expect(own.capacity).toEqual({ value: 2000, gpus: 8, source: 'entered' });
    expect(own.exhaustion!.meanCrossingSeconds).toBe(T0 + 3 * HOUR);
  });

  it('plans GPU counts directly, with capacity in GPUs', () => {
    // ceil(10 / 0.8) = 13, ceil(20 / 0.8) = 25; the mean (10, 20) never exceeds the 24 GPUs.
    const plan = planCapacity(
      base({
        label: 'Allocated GPUs',
        unit: 'GPUs',
        forecast: flat([10, 20]),
        capacity: { value: 24, unit: 'gpus', source: 'gpu_capacity' },
      })
    );
    expect(plan.gpus).toMatchObject({ throughputPerGpu: 1, throughputSource: 'unit', gpusNeeded: [13, 25] });
    expect(plan.capacity).toEqual({ value: 24, gpus: 24, source: 'gpu_capacity' });
    expect(plan.exhaustion!.meanCrossingSeconds).toBeUndefined();
  });

  it('refuses a throughput per GPU for a demand already counted in GPUs', () => {
    const ask = () => planCapacity(base({ label: 'Allocated GPUs', unit: 'GPUs', throughput: { perGpu: 2 } }));
    expect(ask).toThrow(CapacityInputError);
    expect(ask).toThrow('Allocated GPUs is already counted in GPUs');
  });

  it('plans no GPUs for a ratio and does not compare it with GPUs, but with a capacity in its own unit', () => {
    const ratio = base({ label: 'GPU utilisation', unit: 'ratio', forecast: flat([0.5, 0.95]) });
    const inGpus = planCapacity({ ...ratio, capacity: { value: 24, unit: 'gpus', source: 'gpu_capacity' } });
    expect(inGpus.gpus).toBeUndefined();
    expect(inGpus.exhaustion).toBeUndefined();
    expect(inGpus.notes).toEqual([
      'GPU utilisation is measured in ratio, not in GPUs or a throughput: no GPUs are planned for it, and a ' +
        'capacity in GPUs cannot be compared with it. Forecast allocated or busy GPUs, or generated tokens/s, to plan GPUs.',
    ]);
    const own = planCapacity({ ...ratio, capacity: { value: 0.9, unit: 'demand', source: 'entered' } });
    expect(own.exhaustion!.meanCrossingSeconds).toBe(T0 + 2 * HOUR);
  });

  it('prices the GPUs needed as the fleet’s models and gives the cost per million tokens', () => {
    // 250 tokens/s per GPU: 5, 5, 15 GPUs. All on demand at $2 (no reserved price): 25 GPU-h × $2 / 3 h = $50/3 per
    // hour for 25/3 GPUs on average: $2 per GPU-hour; 5000/3 tokens/s = 6e6 tokens per hour → $50/3 / 6 per million.
    const plan = planCapacity(
      base({
        throughput: { perGpu: 250 },
        pricing: {
          prices: [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 2, source: 'entered' }],
          fleet: { models: [{ gpuModel: 'NVIDIA L4', gpus: 4 }], source: 'the query’s GPU model filter' },
        },
      })
    );
    expect(plan.mix!.expectedCostPerHour).toBeCloseTo(50 / 3, 12);
    expect(plan.unitCosts!.costPerGpuHour).toBeCloseTo(2, 12);
    expect(plan.unitCosts!.costPerMillionTokens).toBeCloseTo(50 / 3 / 6, 12);
    expect(plan.notes).toEqual([
      'Cost mix: no reserved price known for NVIDIA L4 (the price list has none): no reserved recommendation.',
    ]);
    expect(plan.noteCodes).toEqual([
      {
        code: 'cost-mix',
        gpuModel: 'NVIDIA L4',
        note: 'no reserved price known for NVIDIA L4 (the price list has none): no reserved recommendation',
      },
    ]);
  });

  it('says when the fleet’s GPU models are unknown or unpriced', () => {
    const gpus = base({ label: 'Allocated GPUs', unit: 'GPUs', forecast: flat([4]) });
    const unknown = planCapacity({
      ...gpus,
      pricing: { prices: [], fleet: { models: [], source: 'no DCGM modelName in the range' } },
    });
    expect(unknown.mix).toBeUndefined();
    expect(unknown.notes).toEqual([
      "The fleet's GPU models are unknown (no DCGM modelName in the range): the cost mix needs the model to price.",
    ]);
    expect(unknown.noteCodes).toEqual([
      { code: 'unknown-gpu-models', source: 'no DCGM modelName in the range', sourceCode: undefined },
    ]);
    const unpriced = planCapacity({
      ...gpus,
      pricing: { prices: [], fleet: { models: [{ gpuModel: 'NVIDIA T4', gpus: 2 }], source: 'inventory' } },
    });
    expect(unpriced.notes).toEqual([
      "No price for NVIDIA T4 in the price list: the cost mix is not shown. Add the model's prices.",
    ]);
    expect(unpriced.noteCodes).toEqual([{ code: 'no-prices', gpuModels: ['NVIDIA T4'] }]);
  });

  it('asks for a level the forecast has', () => {
    expect(() => planCapacity(base({ demandLevel: '99', throughput: { perGpu: 1 } }))).toThrow(
      'The forecast has no 99 % interval to plan for; choose the mean or one of 80, 95 %.'
    );
  });
});
