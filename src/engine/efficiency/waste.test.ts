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
