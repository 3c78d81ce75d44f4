/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from './errors';
import type { ForecastBands } from './exhaustion';
import type { CapacityPlanInput } from './plan';
import { whatIf, WhatIfRefusedError, withEvents, type LaunchEvent } from './whatIf';

const HOUR = 3600;
const T0 = 1_700_000_000 - (1_700_000_000 % HOUR);
const at = (h: number) => T0 + (h + 1) * HOUR;

function flat(values: number[], spread = 0): ForecastBands {
  return {
    timestampsSeconds: values.map((_, h) => at(h)),
    mean: [...values],
    intervals: { '95': { lower: values.map((v) => v - spread), upper: values.map((v) => v + spread) } },
  };
}

const gpus = (forecast: ForecastBands, patch: Partial<CapacityPlanInput> = {}): CapacityPlanInput => ({
  label: 'Allocated GPUs',
  unit: 'GPUs',
  forecast,
  demandLevel: 'mean',
  targetUtilisation: 1,
  coldStartLeadSeconds: 0,
  ...patch,
});

const launch = (patch: Partial<LaunchEvent> = {}): LaunchEvent => ({
  name: 'launch',
  startSeconds: at(4),
  endSeconds: at(8),
  multiplier: 2,
  ...patch,
});

describe('whatIf', () => {
  it('doubles a flat 10 GPUs in a 4-hour window: peak 20, +40 GPU-hours, +40 × on-demand price', () => {
    // 24 hours of 10 GPUs; hours 4–7 at 20. Priced all on-demand at 2 per GPU-hour (no reserved price):
    // baseline 24 × 10 × 2 = 480, scenario (20 × 10 + 4 × 20) × 2 = 560.
    const pricing = {
      prices: [{ gpuModel: 'X', onDemandPerGpuHour: 2, source: 'test' }],
      fleet: { models: [{ gpuModel: 'X', gpus: 1 }], source: 'test' },
      interruptibleShare: 0,
    };
    const result = whatIf(gpus(flat(Array(24).fill(10)), { pricing }), [launch()]);
    expect(result.scenario.plan.gpus!.gpusNeeded).toEqual([
      ...Array(4).fill(10),
      ...Array(4).fill(20),
      ...Array(16).fill(10),
    ]);
    expect(result.baseline.totals).toMatchObject({ peakGpus: 10, gpuHours: 240 });
    expect(result.scenario.totals).toMatchObject({ peakGpus: 20, gpuHours: 280 });
    expect(result.difference.peakGpus).toBe(10);
    expect(result.difference.gpuHours).toBe(40);
    expect(result.baseline.totals.cost).toBeCloseTo(480, 9);
    expect(result.difference.cost).toBeCloseTo(80, 9);
    expect(result.notes).toEqual([]);
  });

  it('adds the planning buffer on top: at 80 % utilisation ceil(20 / 0.8) − ceil(10 / 0.8) = 25 − 13 GPUs', () => {
    const result = whatIf(gpus(flat(Array(24).fill(10)), { targetUtilisation: 0.8 }), [launch()]);
    expect(result.difference.peakGpus).toBe(12);
    expect(result.difference.gpuHours).toBe(4 * 12);
  });

  it('brings exhaustion forward: capacity 15 is never reached by 10, reached at the launch by 20', () => {
    const capacity = { value: 15, unit: 'gpus' as const, source: 'entered' };
    const result = whatIf(gpus(flat(Array(24).fill(10)), { capacity }), [launch()]);
    expect(result.baseline.totals.exhaustionSeconds).toBeUndefined();
    expect(result.scenario.totals.exhaustionSeconds).toBe(at(4));
    expect(result.difference.exhaustionEarlierSeconds).toBeUndefined();
  });

  it('says how much earlier capacity runs out when both plans exceed it', () => {
    // Baseline exceeds 15 first at hour 10 (16); the launch makes hour 4 20: 6 hours earlier.
    const values = Array(24).fill(10);
    values[10] = 16;
    const capacity = { value: 15, unit: 'gpus' as const, source: 'entered' };
    const result = whatIf(gpus(flat(values), { capacity }), [launch()]);
    expect(result.baseline.totals.exhaustionSeconds).toBe(at(10));
    expect(result.difference.exhaustionEarlierSeconds).toBe(6 * HOUR);
  });

  it('scales interval bounds like the mean, and leaves steps outside the event alone', () => {
    const scenario = withEvents(flat([10, 10, 10], 2), [
      launch({ startSeconds: at(1), endSeconds: at(2), multiplier: 3 }),
    ]);
    expect(scenario.mean).toEqual([10, 30, 10]);
    expect(scenario.intervals['95']).toEqual({ lower: [8, 24, 8], upper: [12, 36, 12] });
  });

  it('multiplies overlapping events and names the overlap', () => {
    const a = launch({ name: 'launch', startSeconds: at(2), endSeconds: at(6), multiplier: 2 });
    const b = launch({ name: 'promo', startSeconds: at(4), endSeconds: at(8), multiplier: 1.5 });
    const result = whatIf(gpus(flat(Array(10).fill(10))), [a, b]);
    expect(result.scenario.forecast.mean).toEqual([10, 10, 20, 20, 30, 30, 15, 15, 10, 10]);
    expect(result.notes).toEqual([
      `Events launch and promo overlap ${iso(at(4))} – ${iso(at(6))}: their multipliers multiply there (×2 × 1.5 = ×3).`,
    ]);
    // The same note as a code with its figures, for the page to word in the user's language.
    expect(result.noteCodes).toEqual([
      {
        code: 'what-if-overlap',
        events: ['launch', 'promo'],
        fromSeconds: at(4),
        toSeconds: at(6),
        multipliers: [2, 1.5],
      },
    ]);
  });

  it('notes an event reaching past the horizon and plans its part inside', () => {
    const result = whatIf(gpus(flat(Array(6).fill(10))), [launch({ startSeconds: at(4), endSeconds: at(20) })]);
    expect(result.scenario.forecast.mean).toEqual([10, 10, 10, 10, 20, 20]);
    expect(result.notes).toEqual([expect.stringMatching(/^Event launch reaches beyond the forecast's horizon/)]);
  });

  it.each([
    ['a negative multiplier', launch({ multiplier: -0.5 }), /multiplier must be a number ≥ 0.*got -0.5/],
    [
      'an end before the start',
      launch({ startSeconds: at(8), endSeconds: at(4) }),
      /end must be a time after the start/,
    ],
    [
      'an event after the horizon',
      launch({ startSeconds: at(30), endSeconds: at(34) }),
      /is outside the forecast's horizon/,
    ],
    ['an event before the horizon', launch({ startSeconds: T0 - 10 * HOUR, endSeconds: at(0) }), /is outside/],
  ])('refuses %s', (_, event, message) => {
    const run = () => whatIf(gpus(flat(Array(24).fill(10))), [event]);
    expect(run).toThrow(CapacityInputError);
    // With the code of its reason, for the page to word it in the user's language.
    expect(run).toThrow(WhatIfRefusedError);
    expect(run).toThrow(message);
  });

  it('never plans fewer GPUs than the baseline for multipliers ≥ 1, and the same outside every event', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 8, maxLength: 8 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (values, multiplier, start) => {
          const event = launch({ startSeconds: at(start), endSeconds: at(start + 2), multiplier });
          const result = whatIf(gpus(flat(values), { targetUtilisation: 0.8 }), [event]);
          const base = result.baseline.plan.gpus!.gpusNeeded;
          const scenario = result.scenario.plan.gpus!.gpusNeeded;
          return scenario.every((g, h) => (h >= start && h < start + 2 ? g >= base[h] : g === base[h]));
        }
      )
    );
  });
});

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
