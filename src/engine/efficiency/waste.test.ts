/** @jest-environment node */
import fc from 'fast-check';

import { EfficiencyInputError } from './errors';
import { medianGapSeconds } from './timeWeights';
import { analyseWaste, type PodUtilisation } from './waste';

const GIB = 2 ** 30;
const PRICES = { A100: { onDemand: 2, reserved: 1, spot: 0.5 } };

// Pod a: gaps 60, 60, 480, 60 → step (median gap) 60; the 480 s gap exceeds 300 s so that sample counts one step.
const A: PodUtilisation = {
  pod: 'a',
  namespace: 'team-a',
  gpuModel: 'A100',
  timestampsSeconds: [0, 60, 120, 600, 660],
  activityPercent: [100, 50, 0, 10, 200],
};
// Pod b: 2 GPUs, 10 samples 60 s apart, 9 of 10 under 5 %, holding 2 GiB of a 16 GiB GPU; priced at spot.
const B: PodUtilisation = {
  pod: 'b',
  namespace: 'team-b',
  gpuModel: 'A100',
  gpuCount: 2,
  pricing: 'spot',
  timestampsSeconds: Array.from({ length: 10 }, (_, i) => i * 60),
  activityPercent: [50, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  memoryTimestampsSeconds: Array.from({ length: 10 }, (_, i) => i * 60),
  memoryBytes: Array(10).fill(2 * GIB),
  gpuMemoryBytes: 16 * GIB,
};

describe('analyseWaste', () => {
  it('computes GPU-hours, idle, over-provisioning and cost by hand-checked rules', () => {
    const report = analyseWaste([A, B], { prices: PRICES });
    const [a, b] = report.pods;
    // a: 5 samples × 60 s = 300 s = 0.08333 GPU-h; busy 60 × (1 + 0.5 + 0 + 0.1 + 1 [200 % clamped]) = 156 s.
    expect(a.allocatedGpuHours).toBeCloseTo(300 / 3600, 12);
    expect(a.busyGpuHours).toBeCloseTo(156 / 3600, 12);
    // 1 of 5 samples under 5 % → not idle; no memory series → over-provisioning not judged.
    expect(a.idle).toBe(false);
    expect(a.overProvisioned).toBeUndefined();
    expect(a.allocatedCost).toBeCloseTo((300 / 3600) * 2, 12);
    // b: 10 × 60 s × 2 GPUs = 1200 GPU-s = 0.3333 GPU-h; busy 60 × (0.5 + 9 × 0.01) × 2 = 70.8 GPU-s; mean 5.9 %.
    expect(b.allocatedGpuHours).toBeCloseTo(1200 / 3600, 12);
    expect(b.busyGpuHours).toBeCloseTo(70.8 / 3600, 12);
    expect(b.meanActivityPercent).toBeCloseTo(5.9, 12);
    // 9/10 = 0.9 ≥ 0.9 under 5 % → idle; mean memory 2 GiB ≥ 1 GiB → holds memory; 5.9 % < 20 % and 2 < 8 GiB.
    expect([b.idle, b.memoryHeldComputeIdle, b.overProvisioned]).toEqual([true, true, true]);
    expect(b.wasteCost).toBeCloseTo(((1200 - 70.8) / 3600) * 0.5, 12);
    expect(report.idlePods).toEqual(['b']);
    expect(report.clampedSamples).toBe(1);
    expect(report.wasteGpuHours).toBeCloseTo((300 - 156 + 1200 - 70.8) / 3600, 12);
    expect(report.byNamespace.map((g) => g.key)).toEqual(['team-b', 'team-a']);
    expect(report.byModel).toEqual([
      expect.objectContaining({ key: 'A100', allocatedGpuHours: expect.closeTo(1500 / 3600, 12) }),
    ]);
    expect(report.warnings).toEqual(['1 activity sample(s) outside [0, 100] % were clamped into range']);
  });

  it('rejects out-of-range activity when asked to', () => {
    expect(() => analyseWaste([A], { rules: { outOfRange: 'reject' } })).toThrow(EfficiencyInputError);
    expect(() => analyseWaste([A], { rules: { outOfRange: 'reject' } })).toThrow('activity 200 %');
  });

  it('gives a one-sample pod one fleet step, and fails when no pod has two samples', () => {
    const single = { pod: 'c', timestampsSeconds: [600], activityPercent: [50] };
    const report = analyseWaste([A, single]);
    // Fleet step = median of per-pod steps [60] = 60 s.
    expect(report.pods[1].allocatedGpuHours).toBeCloseTo(60 / 3600, 12);
    expect(report.warnings).toContain('1 pod(s) have a single sample, each counted as one fleet step (60 s): c');
    expect(() => analyseWaste([single])).toThrow('sampling step is unknown');
  });

  it('warns when a pod’s memory and activity series end far apart (clock skew)', () => {
    const skewed = { ...B, memoryTimestampsSeconds: Array.from(B.timestampsSeconds, (t) => t + 1000) };
    expect(analyseWaste([skewed]).warnings).toContainEqual(expect.stringContaining('clock skew'));
  });

  /** An A100 pod at 50 %, sampled every hour from March 1 00:00, `hours` samples. */
  const march1 = Date.UTC(2024, 2, 1) / 1000;
  const hourlyPod = (hours: number) => ({
    pod: 'p',
    gpuModel: 'A100',
    timestampsSeconds: Array.from({ length: hours }, (_, i) => march1 + i * 3600),
    activityPercent: Array(hours).fill(50),
  });

  it('projects the month from the observed burn rate', () => {
    const { budget } = analyseWaste([hourlyPod(240)], {
      prices: PRICES,
      monthlyBudget: 1000,
      nowSeconds: march1 + 240 * 3600,
    });
    // 240 hourly samples (gap 3600 s > 300 s, so each counts one step of 3600 s) = 240 GPU-h × 2 = 480 by 10 March
    // 24:00; 480 / 240 h = 2 per hour × 744 h in March = 1488, 148.8 % of 1000.
    expect(budget).toMatchObject({
      monthToDateCost: 480,
      burnPerHour: 2,
      projectedMonthCost: 1488,
      observedShareOfElapsed: 1,
    });
    expect(budget!.projectedShareOfBudget).toBeCloseTo(1.488, 12);
  });

  it('counts no spend yet for the sample taken at now', () => {
    // 11 hourly samples from 00:00 to 10:00, now = 10:00: the first ten stand for the ten elapsed hours, the one at now
    // for nothing yet. 10 GPU-h × 2 = 20 (not 22), 2 per hour × 744 h = 1488.
    const { budget } = analyseWaste([hourlyPod(11)], {
      prices: PRICES,
      monthlyBudget: 1000,
      nowSeconds: march1 + 10 * 3600,
    });
    expect(budget).toMatchObject({ monthToDateCost: 20, burnPerHour: 2, projectedMonthCost: 1488, timeZone: 'UTC' });
  });

  it('counts no GPU-hours after the range end: a range query’s point at the end adds nothing', () => {
    // A range query over [00:00, 10:00] at an hourly step answers 11 points; the pod held its GPU for the ten hours
    // of the range: 10 GPU-h (not 11), busy 10 × 50 % = 5, and 10 × 2 = 20 on demand.
    const [pod] = analyseWaste([hourlyPod(11)], {
      prices: PRICES,
      nowSeconds: march1 + 10 * 3600,
    }).pods;
    expect(pod).toMatchObject({ allocatedGpuHours: 10, busyGpuHours: 5, allocatedCost: 20 });
  });

  it('keeps 0 ≤ busy ≤ allocated for any series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: -50, max: 150, noNaN: true })), {
          minLength: 2,
          maxLength: 50,
        }),
        (samples) => {
          const report = analyseWaste([
            { pod: 'p', timestampsSeconds: samples.map((s) => s[0]), activityPercent: samples.map((s) => s[1]) },
          ]);
          expect(report.busyGpuHours).toBeGreaterThanOrEqual(0);
          expect(report.busyGpuHours).toBeLessThanOrEqual(report.allocatedGpuHours + 1e-12);
        }
      )
    );
  });
});

/**
 * A pod's minute samples read as windows of `windowSeconds` ending at `endSeconds` (what `avg_over_time` and
 * `count_over_time` over `[window]` answer, each labelled with its window's start): the mean activity of the samples in
 * each window and the share of the window's minutes that had one.
 */
function windowed(pod: PodUtilisation, windowSeconds: number, endSeconds: number): PodUtilisation {
  const perWindow = windowSeconds / 60;
  const sums = new Map<number, { sum: number; count: number }>();
  for (let i = 0; i < pod.timestampsSeconds.length; i++) {
    const start = endSeconds - windowSeconds * Math.ceil((endSeconds - pod.timestampsSeconds[i]) / windowSeconds);
    const window = sums.get(start) ?? { sum: 0, count: 0 };
    window.sum += pod.activityPercent[i];
    window.count++;
    sums.set(start, window);
  }
  const starts = [...sums.keys()].sort((a, b) => a - b);
  return {
    ...pod,
    timestampsSeconds: starts,
    activityPercent: starts.map((w) => sums.get(w)!.sum / sums.get(w)!.count),
    heldShare: starts.map((w) => sums.get(w)!.count / perWindow),
  };
}

describe('analyseWaste at a step coarser than the samples', () => {
  const HOUR = 3600;
  const minutes = (fromSeconds: number, toSeconds: number) =>
    Array.from({ length: (toSeconds - fromSeconds) / 60 }, (_, i) => fromSeconds + 60 * i);

  it('a pod at 50 % for 10 h read at 60 s and at 600 s: 10 GPU-hours, 5 busy, both ways', () => {
    const ts = minutes(0, 10 * HOUR);
    const fine: PodUtilisation = { pod: 'p', timestampsSeconds: ts, activityPercent: ts.map(() => 50) };
    const coarse = windowed(fine, 600, 10 * HOUR);
    expect(coarse.timestampsSeconds).toHaveLength(60);
    for (const pod of [fine, coarse]) {
      const [report] = analyseWaste([pod], { prices: PRICES, nowSeconds: 10 * HOUR }).pods;
      expect(report.allocatedGpuHours).toBeCloseTo(10, 12);
      expect(report.busyGpuHours).toBeCloseTo(5, 12);
    }
  });

  it('a pod that starts inside a window counts only the part it held: 25 min into the day, 0 % and 100 % by turns', () => {
    // Held from 1,500 s to 10 h, busy on even minutes: (36,000 − 1,500) s = 9.5833 GPU-h. The window [1,200, 1,800 s)
    // has minutes 25–29 (0, 100, 0, 100, 0 %): mean 40 %, held share 5/10; every later window 50 % and full.
    const ts = minutes(1500, 10 * HOUR);
    const fine: PodUtilisation = {
      pod: 'p',
      timestampsSeconds: ts,
      activityPercent: ts.map((t) => (t % 120 === 0 ? 100 : 0)),
    };
    const coarse = windowed(fine, 600, 10 * HOUR);
    expect([coarse.timestampsSeconds[0], coarse.activityPercent[0], coarse.heldShare![0]]).toEqual([1200, 40, 0.5]);
    const busySeconds = 0.5 * 600 * 0.4 + (10 * HOUR - 1800) * 0.5;
    for (const pod of [fine, coarse]) {
      const [report] = analyseWaste([pod], { nowSeconds: 10 * HOUR }).pods;
      expect(report.allocatedGpuHours).toBeCloseTo((10 * HOUR - 1500) / HOUR, 12);
      expect(report.busyGpuHours).toBeCloseTo(busySeconds / HOUR, 12);
    }
  });

  it('judges idle by windows: the rule reads the mean of each window, not the minutes inside it', () => {
    // Over 6 h. "half": 0 % in minutes 0–4 of every 10, 50 % in 5–9: half its minutes idle (not idle at 60 s); every
    // 10-minute window averages 25 % (not idle at 600 s). "bursts": 0 % but 100 % in minutes 0, 10, 20 and 30 of each
    // hour: 56 of 60 minutes idle, 93 % ≥ 90 % (idle at 60 s); at 600 s four windows an hour average 10 % and two 0 %,
    // 2 of 6 idle (not idle).
    const ts = minutes(0, 6 * HOUR);
    const half: PodUtilisation = {
      pod: 'half',
      timestampsSeconds: ts,
      activityPercent: ts.map((t) => (t % 600 < 300 ? 0 : 50)),
    };
    const bursts: PodUtilisation = {
      pod: 'bursts',
      timestampsSeconds: ts,
      activityPercent: ts.map((t) => (t % HOUR < 2400 && t % 600 === 0 ? 100 : 0)),
    };
    const idleAt = (pods: PodUtilisation[]) => analyseWaste(pods, { nowSeconds: 6 * HOUR }).idlePods;
    expect(idleAt([half, bursts])).toEqual(['bursts']);
    expect(idleAt([windowed(half, 600, 6 * HOUR), windowed(bursts, 600, 6 * HOUR)])).toEqual([]);
  });

  it('a window held for part of its time counts for that part in the idle rule', () => {
    // One busy window held in full, nine idle (0 %) windows each held for a tenth of its 600 s.
    const pod: PodUtilisation = {
      pod: 'p',
      timestampsSeconds: Array.from({ length: 10 }, (_, i) => 600 * i),
      activityPercent: [50, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      heldShare: [1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    };
    // Held time: 600 + 9 × 60 = 1,140 s; idle share 540 / 1,140 = 47 % < 90 %: not idle. Counting samples: 9/10 idle.
    expect(analyseWaste([pod], { nowSeconds: 6000 }).pods[0]).toMatchObject({
      idle: false,
      allocatedGpuHours: 1140 / HOUR,
    });
    expect(analyseWaste([{ ...pod, heldShare: undefined }], { nowSeconds: 6000 }).pods[0].idle).toBe(true);
  });

  it('rejects a held share outside [0, 1] or of another length', () => {
    const pod: PodUtilisation = { pod: 'p', timestampsSeconds: [0, 600], activityPercent: [1, 2] };
    expect(() => analyseWaste([{ ...pod, heldShare: [1, 1.5] }])).toThrow(EfficiencyInputError);
    expect(() => analyseWaste([{ ...pod, heldShare: [1] }])).toThrow(EfficiencyInputError);
  });

  it('total GPU-hours, busy hours and cost do not depend on the window (windows of 5 minutes or more)', () => {
    // A pod shorter than one window has a single sample, read at the fleet's step: another pod holds a GPU all day.
    const allDay = minutes(0, 86_400);
    const steady: PodUtilisation = { pod: 'steady', timestampsSeconds: allDay, activityPercent: allDay.map(() => 30) };
    fc.assert(
      fc.property(
        // A pod holding 3/7 of a GPU from minute `first` of a day (end 86,400 s) for `length` minutes, its activity
        // repeating `pattern` minute by minute.
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 1, max: 1440 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(300, 600, 900, 1800, HOUR),
        (first, length, pattern, windowSeconds) => {
          const ts = minutes(60 * first, 60 * Math.min(1440, first + length));
          const fine: PodUtilisation = {
            pod: 'p',
            gpuModel: 'A100',
            gpuCount: 3 / 7,
            timestampsSeconds: ts,
            activityPercent: ts.map((t) => pattern[(t / 60) % pattern.length]),
          };
          const read = (pods: PodUtilisation[]) =>
            analyseWaste(pods, { prices: PRICES, nowSeconds: 86_400 }).pods.find((p) => p.pod === 'p')!;
          const a = read([fine, steady]);
          const b = read([windowed(fine, windowSeconds, 86_400), windowed(steady, windowSeconds, 86_400)]);
          expect(b.allocatedGpuHours).toBeCloseTo(a.allocatedGpuHours, 9);
          expect(b.busyGpuHours).toBeCloseTo(a.busyGpuHours, 9);
          expect(b.allocatedCost!).toBeCloseTo(a.allocatedCost!, 9);
        }
      )
    );
  });
});

describe('medianGapSeconds', () => {
  it('equals the lower median of the sorted gaps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 60 }), (gaps) => {
        const ts = gaps.reduce<number[]>((acc, g) => [...acc, acc[acc.length - 1] + g], [0]);
        const sorted = [...gaps].sort((x, y) => x - y);
        expect(medianGapSeconds(ts)).toBe(sorted[Math.floor((sorted.length - 1) / 2)]);
      })
    );
  });
});
