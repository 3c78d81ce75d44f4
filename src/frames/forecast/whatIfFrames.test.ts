/** @jest-environment node */
import type { FrameTexts } from '../frameTexts';
import type { CapacityPlanInput } from '../../engine/capacity';
import type { Frame } from '../types';
import { planWithWhatIf, WHAT_IF_FRAMES, whatIfFrames, type WhatIfSummaryMeta } from './whatIfFrames';

const HOUR = 3600;
// 2025-06-02T12:00:00Z; the forecast's 12 hours are 13:00 … 00:00.
const T0 = Date.UTC(2025, 5, 2, 12) / 1000;
const times = Array.from({ length: 12 }, (_, h) => T0 + (h + 1) * HOUR);
const flat = (v: number) => times.map(() => v);

/** 10 GPUs allocated every hour, an 80 % band of ±2, planned at its upper bound at 80 % utilisation. */
const input: CapacityPlanInput = {
  label: 'Allocated GPUs',
  unit: 'GPUs',
  forecast: { timestampsSeconds: times, mean: flat(10), intervals: { '80': { lower: flat(8), upper: flat(12) } } },
  demandLevel: '80',
  targetUtilisation: 0.8,
  coldStartLeadSeconds: 0,
  capacity: { value: 20, unit: 'gpus', source: 'entered' },
};

const forecastFrame: Frame = {
  name: 'Forecast',
  meta: { custom: { headroom: 'forecast' } },
  fields: [
    { name: 'Time', type: 'time', values: times.map((t) => t * 1000) },
    { name: 'Mean', type: 'number', values: flat(10) },
    { name: 'Lower 80', type: 'number', values: flat(8) },
    { name: 'Upper 80', type: 'number', values: flat(12) },
    { name: 'Capacity', type: 'number', values: flat(20) },
  ],
};

const LAUNCH = 'start=2025-06-02T16:00:00Z,end=2025-06-02T20:00:00Z,multiplier=2,name=launch';
const frameNamed = (frames: Frame[], name: string) => frames.find((f) => f.name === name)!;
const column = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!.values;

describe('planWithWhatIf and whatIfFrames', () => {
  const { plan, whatIf } = planWithWhatIf(input, LAUNCH);
  const frames = whatIfFrames(whatIf, forecastFrame, 'A', 'sum(x)');

  it('plans the baseline as without a launch: ceil(12 / 0.8) = 15 GPUs every hour', () => {
    expect(plan.gpus!.gpusNeeded).toEqual(flat(15));
    expect(planWithWhatIf(input, '').whatIf).toBeUndefined();
    expect(whatIfFrames(undefined, forecastFrame, 'A', 'sum(x)')).toEqual([]);
  });

  it('doubles the four launch hours: ceil(24 / 0.8) = 30 GPUs, +15 each, 60 more GPU-hours', () => {
    // 16:00, 17:00, 18:00, 19:00 lie in [16:00, 20:00).
    const changed = frameNamed(frames, WHAT_IF_FRAMES.changedHours);
    expect(column(changed, 'Time')).toEqual([16, 17, 18, 19].map((h) => Date.UTC(2025, 5, 2, h)));
    expect(column(changed, 'Baseline')).toEqual([15, 15, 15, 15]);
    expect(column(changed, 'With the launch')).toEqual([30, 30, 30, 30]);
    expect(column(changed, 'Difference')).toEqual([15, 15, 15, 15]);
    const summary = frameNamed(frames, WHAT_IF_FRAMES.summary).meta!.custom as WhatIfSummaryMeta;
    expect(summary).toMatchObject({
      difference: { peakGpus: 15, gpuHours: 60 },
      hoursMore: 4,
      hoursFewer: 0,
      horizon: { startSeconds: times[0], endSeconds: times[11] },
    });
  });

  it('draws the scenario with the Forecast panel: mean and bounds doubled in the window, time and capacity kept', () => {
    const scenario = frameNamed(frames, 'What-if Forecast');
    const doubled = (v: number) => times.map((_, h) => (h >= 3 && h <= 6 ? 2 * v : v));
    expect(column(scenario, 'Mean')).toEqual(doubled(10));
    expect(column(scenario, 'Lower 80')).toEqual(doubled(8));
    expect(column(scenario, 'Upper 80')).toEqual(doubled(12));
    expect(column(scenario, 'Capacity')).toEqual(flat(20));
    expect(scenario.meta).toEqual(forecastFrame.meta);
    // The scenario's own plan frames, named like the baseline's with a prefix, so the page reuses its panels.
    expect(frames.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'What-if GPUs needed',
        'What-if Scaling schedule',
        'What-if Cost mix',
        'What-if Exhaustion',
      ])
    );
  });

  it('puts peak and GPU-hours side by side, whole; no prices, no cost rows', () => {
    const costs = frameNamed(frames, WHAT_IF_FRAMES.costComparison);
    expect(column(costs, 'Over the horizon')).toEqual(['Peak GPUs needed', 'GPU-hours']);
    // 12 h × 15 = 180; with the launch 8 × 15 + 4 × 30 = 240.
    expect(column(costs, 'Baseline')).toEqual(['15', '180']);
    expect(column(costs, 'With the launch')).toEqual(['30', '240']);
    expect(column(costs, 'Difference')).toEqual(['+15', '+60']);
  });

  it('writes GPU counts whole and dollars in cents, each row by its own unit', () => {
    // One GPU model at $10.50 on demand, no reserved or spot price: every GPU-hour on demand. Baseline 180 GPU-h ×
    // $10.50 = $1,890.00 ($157.50 / h over 12 h); with the launch 240 × $10.50 = $2,520.00 ($210.00 / h).
    const gpuModel = 'NVIDIA L4';
    const priced = planWithWhatIf(
      {
        ...input,
        pricing: {
          prices: [{ gpuModel, onDemandPerGpuHour: 10.5, source: 'test list' }],
          fleet: { models: [{ gpuModel, gpus: 20 }], source: 'test fleet' },
        },
      },
      LAUNCH
    );
    const costs = frameNamed(whatIfFrames(priced.whatIf, forecastFrame, 'A', 'sum(x)'), WHAT_IF_FRAMES.costComparison);
    const row = (label: string) => {
      const at = column(costs, 'Over the horizon').indexOf(label);
      return ['Baseline', 'With the launch', 'Difference'].map((name) => column(costs, name)[at]);
    };
    expect(row('Peak GPUs needed')).toEqual(['15', '30', '+15']);
    expect(row('GPU-hours')).toEqual(['180', '240', '+60']);
    expect(row('Cost ($)')).toEqual(['1,890.00', '2,520.00', '+630.00']);
    expect(row('Expected cost ($ / h)')).toEqual(['157.50', '210.00', '+52.50']);
    expect(row('On-demand GPU-hours')).toEqual(['180', '240', '+60']);
    // Text cells, right-aligned as Grafana aligns numbers (TableNG getAlignment aligns a string left by default).
    expect(costs.fields.slice(1).map((f) => f.config?.custom?.align)).toEqual(['right', 'right', 'right']);
    // Beside the English: each row's code and each number rounded to its row's decimals, for the page to word.
    const texts = costs.meta?.custom?.texts as FrameTexts;
    const at = column(costs, 'Over the horizon').indexOf('Cost ($)');
    expect(texts.cells!['Over the horizon'][at]).toEqual({ code: 'what-if-row', row: 'cost' });
    expect(texts.cells!.Difference[at]).toEqual({ code: 'what-if-value', value: 630, decimals: 2, signed: true });
    expect(texts.cells!.Baseline[at]).toEqual({ code: 'what-if-value', value: 1890, decimals: 2, signed: false });
  });

  it('keeps the baseline and says why when the launch cannot be planned', () => {
    // The refusal's code rides beside the English for the page; a launch text that does not parse has none.
    for (const [text, message, code] of [
      [
        'start=2025-06-02T20:00:00Z,end=2025-06-02T16:00:00Z,multiplier=2',
        /end must be a time after the start/,
        'what-if-end-before-start',
      ],
      [
        'start=2025-06-02T16:00:00Z,end=2025-06-02T20:00:00Z,multiplier=-1',
        /multiplier must be a number ≥ 0/,
        'what-if-bad-multiplier',
      ],
      [
        'start=2025-07-01T00:00:00Z,end=2025-07-02T00:00:00Z,multiplier=2',
        /outside the forecast's horizon/,
        'what-if-outside-horizon',
      ],
      ['start=soon,end=2025-07-02T00:00:00Z,multiplier=2', /neither ISO 8601/, undefined],
    ] as const) {
      const refused = planWithWhatIf(input, text);
      expect(refused.plan.gpus!.gpusNeeded).toEqual(flat(15));
      const [summary] = whatIfFrames(refused.whatIf, forecastFrame, 'A', 'sum(x)');
      const meta = summary.meta!.custom as { error: string; refusal?: { code: string } };
      expect(meta.error).toMatch(message);
      expect(meta.refusal?.code).toBe(code);
    }
  });
});
