/** @jest-environment node */
import { nabFileScore, nabNormalisedScore, nabWindowsFromLabels, pointAdjustedF1, scaledSigmoid } from './scoring';

const standard = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

describe('NAB scoring', () => {
  it('scaled sigmoid: 2/(1+e^(5x)) − 1, and −1 well after a window', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(2 / (1 + Math.exp(-5)) - 1, 12); // 0.98661
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3.5)).toBe(-1);
  });

  // Rows at 0..9 (60 s apart); one window over rows 4–7 (width 4); probation 2 rows.
  const t = Array.from({ length: 10 }, (_, k) => k * 60);
  const windows: Array<[number, number]> = [[240, 420]];

  it('counts only the earliest detection in a window, by its relative position', () => {
    const s = nabFileScore(t, [300, 360], windows, 2, standard);
    // Row 5: position −(7 − 5 + 1)/4 = −0.75 → 2/(1+e^−3.75) − 1 = 0.95298.
    expect(s.raw).toBeCloseTo(2 / (1 + Math.exp(-3.75)) - 1, 12);
    expect([s.truePositives, s.falsePositives, s.missedWindows]).toEqual([1, 0, 0]);
  });

  it('charges detections outside windows, less when just after one; ignores probation', () => {
    const s = nabFileScore(t, [0, 180, 540], windows, 2, standard);
    // Row 0 is probationary. Row 3 precedes every window: −0.11. Row 9: (9 − 7)/(4 − 1) = 2/3 past
    // the window → 0.11·(2/(1+e^(10/3)) − 1). The window is missed: −1.
    const after = 0.11 * (2 / (1 + Math.exp(10 / 3)) - 1);
    expect(s.raw).toBeCloseTo(-0.11 + after - 1, 12);
    expect(s.null).toBe(-1);
    expect(s.perfect).toBeCloseTo(scaledSigmoid(-1), 12);
    expect(s.falsePositives).toBe(2);
  });

  it('normalises over files: 0 for the null detector, 100 for the perfect one', () => {
    const none = nabFileScore(t, [], windows, 2, standard);
    const perfect = nabFileScore(t, [240], windows, 2, standard);
    expect(nabNormalisedScore([none])).toBe(0);
    expect(nabNormalisedScore([perfect])).toBeCloseTo(100, 10);
  });
});

describe('pointAdjustedF1', () => {
  it('credits a whole labelled segment when any of its points is flagged', () => {
    const labels = [false, true, true, true, false, false, true, true];
    const predicted = [true, false, true, false, false, false, false, false];
    // Segment 1–3 adjusted to detected (tp 3), segment 6–7 missed (fn 2), row 0 is a false positive.
    const f = pointAdjustedF1(predicted, labels);
    expect(f.precision).toBeCloseTo(3 / 4, 12);
    expect(f.recall).toBeCloseTo(3 / 5, 12);
    expect(f.f1).toBeCloseTo((2 * 0.75 * 0.6) / 1.35, 12);
    expect(pointAdjustedF1([false], [false]).f1).toBe(0);
  });
});

describe('nabWindowsFromLabels', () => {
  const labelled = (length: number, rows: number[]) => Array.from({ length }, (_, i) => rows.includes(i));

  it('shares 10 % of the rows among the labelled runs, each window centred on its run', () => {
    // 100 rows, runs {10} and {50, 51}: 10 rows / 2 anomalies = 5 rows each, 2 on either side of the centre.
    // Run {10}: centre 10 → rows 8–12. Run {50, 51}: centre ⌊50.5⌋ = 50 → 48–52 (covers 51).
    expect(nabWindowsFromLabels(labelled(100, [10, 50, 51]))).toEqual([
      [8, 12],
      [48, 52],
    ]);
  });

  it('widens a window to cover a long run, clips at the ends and merges overlaps', () => {
    // 40 rows, runs {0} and {2..9}: 4 rows / 2 = 2 each, 1 on either side. Run {0}: 0–1 (clipped at 0).
    // Run {2..9}: centre 5 → 4–6, widened to 2–9; it starts after 1, so the windows stay apart.
    expect(nabWindowsFromLabels(labelled(40, [0, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual([
      [0, 1],
      [2, 9],
    ]);
    // Runs {0} and {2}: windows 0–1 and 1–3 overlap at row 1 → one window 0–3.
    expect(nabWindowsFromLabels(labelled(40, [0, 2]))).toEqual([[0, 3]]);
    expect(nabWindowsFromLabels(labelled(10, []))).toEqual([]);
  });
});
