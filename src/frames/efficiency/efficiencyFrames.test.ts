import {
  BURN_FIELDS,
  EFFICIENCY_FRAMES,
  WASTE_FIELDS,
  burnFrames,
  disagreementFrames,
  mfuFrames,
  spotFrames,
  wasteFrames,
} from './efficiencyFrames';
import { runEfficiencyTask } from './efficiencyTask';

const GIB = 2 ** 30;
const minutes = (n: number) => Array.from({ length: n }, (_, i) => i * 60);
const PRICES = { L4: { onDemand: 1, reserved: 0.5, spot: 0.25 }, H100: { onDemand: 10, reserved: 6, spot: 4 } };

// busy: one L4, 60 samples a minute apart at 80 %: 1 GPU-h allocated, 0.8 busy, 0.2 idle = $0.20 wasted.
// notebook: one H100, 60 samples at 1 %, holding 4 GiB of 80: 1 GPU-h, 0.01 busy, 0.99 idle = $9.90 wasted.
const waste = runEfficiencyTask({
  kind: 'waste',
  pods: [
    {
      pod: 'busy',
      namespace: 'ml',
      gpuModel: 'L4',
      timestampsSeconds: minutes(60),
      activityPercent: Array(60).fill(80),
    },
    {
      pod: 'notebook',
      namespace: 'notebooks',
      gpuModel: 'H100',
      timestampsSeconds: minutes(60),
      activityPercent: Array(60).fill(1),
      memoryTimestampsSeconds: minutes(60),
      memoryBytes: Array(60).fill(4 * GIB),
      gpuMemoryBytes: 80 * GIB,
    },
  ],
  options: { prices: PRICES },
});

const field = (frame: { fields: Array<{ name: string; values: unknown[] }> }, name: string) =>
  frame.fields.find((f) => f.name === name)!.values;

describe('wasteFrames', () => {
  if (waste.kind !== 'waste') {
    throw new Error('expected a waste outcome');
  }
  const frames = wasteFrames(waste.report, { refId: 'A', groupBy: 'pod', activitySource: 'X', notices: [] });

  it('sums allocated, busy and idle GPU-hours and money by hand-checked numbers', () => {
    const [summary] = frames;
    expect(summary.name).toBe(EFFICIENCY_FRAMES.wasteSummary);
    expect(field(summary, WASTE_FIELDS.allocated)[0]).toBeCloseTo(2, 12);
    expect(field(summary, WASTE_FIELDS.busy)[0]).toBeCloseTo(0.81, 12);
    expect(field(summary, WASTE_FIELDS.idle)[0]).toBeCloseTo(1.19, 12);
    expect(field(summary, WASTE_FIELDS.wastedCost)[0]).toBeCloseTo(0.2 + 9.9, 12);
    expect(field(summary, 'Idle pods')).toEqual([1]);
  });

  it('lists pods by money wasted, with units and flags', () => {
    const table = frames[1];
    expect(field(table, 'Pod')).toEqual(['notebook', 'busy']);
    expect(field(table, WASTE_FIELDS.wastedCost)[0]).toBeCloseTo(9.9, 12);
    expect(field(table, WASTE_FIELDS.flags)).toEqual(['idle, over-provisioned, memory held while idle', '']);
    const config = (name: string) => table.fields.find((f) => f.name === name)!.config;
    expect(config(WASTE_FIELDS.idle)?.unit).toBe('suffix: GPU-h');
    expect(config(WASTE_FIELDS.wastedCost)?.unit).toBe('currencyUSD');
  });

  it('groups by GPU model, most money first', () => {
    const [, table] = wasteFrames(waste.report, { refId: 'A', groupBy: 'gpuModel', activitySource: 'X', notices: [] });
    expect(field(table, 'GPU model')).toEqual(['H100', 'L4']);
  });
});

describe('mfuFrames', () => {
  it('estimates per pod from tensor activity × clock / max clock and buckets the pods', () => {
    const outcome = runEfficiencyTask({
      kind: 'mfu',
      pods: [
        // (0.5 × 1410 + 0.3 × 705) / 1410 / 2 = (0.5 + 0.15) / 2 = 0.325 on an A100 (datasheet max 1410 MHz).
        {
          pod: 'train',
          namespace: 'ml',
          gpuModel: 'NVIDIA A100-SXM4-80GB',
          timestampsSeconds: [0, 60],
          tensorActiveRatio: [0.5, 0.3],
          smClockMhz: [1410, 705],
        },
        // No clock series: the tensor activity itself (0.05).
        { pod: 'nb', namespace: 'nb', gpuModel: 'X', timestampsSeconds: [0], tensorActiveRatio: [0.05] },
      ],
      observedMaxSmClockMhz: {},
    });
    if (outcome.kind !== 'mfu') {
      throw new Error('expected an mfu outcome');
    }
    const [byPod, distribution] = mfuFrames(outcome.pods, { refId: 'A', notices: [] });
    expect(field(byPod, 'Pod')).toEqual(['train', 'nb']);
    expect(field(byPod, 'MFU (estimate)')[0]).toBeCloseTo(0.325, 12);
    expect(byPod.meta?.notices?.[0].text).toMatch(/^Estimate: DCGM tensor-pipe activity × SM clock/);
    expect(field(distribution, 'Pods')).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(field(distribution, 'MFU estimate (% of peak)')[3]).toBe('30–40');
  });
});

describe('disagreementFrames', () => {
  it('says in words what each disagreement is', () => {
    const [frame] = disagreementFrames(
      [
        { kind: 'busy-without-pod', node: 'n1', gpu: 3, uuid: 'GPU-1', activityRatio: 0.42 },
        { kind: 'pod-not-in-dcgm', namespace: 'ml', pod: 'p', node: 'n2', requestedGpus: 2, dcgmGpus: 0 },
      ],
      'A'
    );
    expect(field(frame, 'Detail')).toEqual([
      '42 % busy but no pod holds it (DCGM GPU-1)',
      'requests 2 GPU(s); DCGM shows it on 0',
    ]);
  });
});

describe('burnFrames', () => {
  const JUNE_1 = Date.UTC(2025, 5, 1) / 1000;
  const JULY_1 = Date.UTC(2025, 6, 1) / 1000;
  const HOUR = 3600;
  // Observed at 01:00 and 02:00 (now); projected from 02:00 to the month's end.
  const [burn] = burnFrames(
    {
      timeZone: 'UTC',
      monthStartSeconds: JUNE_1,
      monthEndSeconds: JULY_1,
      timestampsSeconds: [JUNE_1 + HOUR, JUNE_1 + 2 * HOUR],
      monthToDate: [10, 20],
      projectionTimestampsSeconds: [JUNE_1 + 2 * HOUR, JULY_1],
      projection: [20, 7_200],
      monthToDateCost: 20,
      burnPerHour: 10,
      projectedMonthCost: 7_200,
      monthlyBudget: 5_000,
      observedShareOfElapsed: 1,
      observedHours: 2,
      elapsedHours: 2,
    },
    { refId: 'A', notices: [] }
  );
  const values = (name: string) => burn.fields.find((f) => f.name === name)!.values;

  it('spans the whole month, spend up to now, projection from now, budget throughout', () => {
    expect(burn.name).toBe(EFFICIENCY_FRAMES.burn);
    expect(values('Time')).toEqual([JUNE_1, JUNE_1 + HOUR, JUNE_1 + 2 * HOUR, JULY_1].map((t) => t * 1000));
    expect(values(BURN_FIELDS.spent)).toEqual([null, 10, 20, null]);
    expect(values(BURN_FIELDS.projection)).toEqual([null, null, 20, 7_200]);
    expect(values(BURN_FIELDS.budget)).toEqual([5_000, 5_000, 5_000, 5_000]);
  });

  it('prices every line in dollars', () => {
    for (const name of Object.values(BURN_FIELDS)) {
      expect(burn.fields.find((f) => f.name === name)!.config?.unit).toBe('currencyUSD');
    }
  });
});

describe('spotFrames', () => {
  it('gives the share of spot GPUs interrupted per day, with the GPU-days and nodes gone in the meta', () => {
    // 4 GPUs gone over 24 spot GPU-days: 1/6 a day.
    const [frame] = spotFrames(
      { spotGpuDays: 24, interruptedGpus: 4, interruptedNodes: ['spot-b'], sharePerDay: 4 / 24 },
      'S'
    );
    expect(frame.name).toBe('Spot interruptions');
    expect(frame.fields[0]).toMatchObject({ name: 'Spot GPUs interrupted per day', values: [4 / 24] });
    expect(frame.meta?.custom).toMatchObject({ spotGpuDays: 24, interruptedGpus: 4, interruptedNodes: ['spot-b'] });
  });

  it('is empty, saying "no spot nodes found", without spot GPUs', () => {
    const [frame] = spotFrames({ spotGpuDays: 0, interruptedGpus: 0, interruptedNodes: [] }, 'S');
    expect(frame.fields[0].values).toEqual([null]);
    expect(frame.fields[0].config?.noValue).toBe('no spot nodes found');
  });
});
