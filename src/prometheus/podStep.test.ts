/** @jest-environment node */
import fc from 'fast-check';

import {
  choosePodStep,
  countedPodStep,
  estimatedPodWindows,
  heldSharesOf,
  MAX_POD_POINTS_PER_QUERY,
  toWindowStarts,
  windowQueryRange,
  windowsWithoutSpanningPod,
} from './podStep';

const DAY = { startSeconds: 1_748_649_600, endSeconds: 1_748_736_000 };

describe('choosePodStep', () => {
  it('keeps the asked step while pods × points fit: 300 pods over a day at 60 s are 432,300 points', () => {
    expect(choosePodStep(DAY, 60, 300)).toEqual({ stepSeconds: 60, pods: 300 });
    expect(300 * 1441).toBeLessThanOrEqual(MAX_POD_POINTS_PER_QUERY);
  });

  it('reads 3,000 pods over a day in 10-minute windows: 1,441 points each would be 4.3 M, 145 are 435,000', () => {
    // 500,000 / 3,000 = 166 points per pod; 5 minutes gives 289, 10 minutes 145.
    expect(choosePodStep(DAY, 60, 3000)).toEqual({ stepSeconds: 600, windowSeconds: 600, pods: 3000 });
  });

  it('never windows under 5 minutes, even when 2 minutes would fit', () => {
    // 400 pods: 1,441 points at 60 s are 576,400; 2 minutes (721 points, 288,400) would fit.
    expect(choosePodStep(DAY, 60, 400)).toMatchObject({ stepSeconds: 300, windowSeconds: 300 });
  });

  it('keeps the asked step when one window would outlast the range', () => {
    expect(choosePodStep({ startSeconds: 0, endSeconds: 240 }, 15, 100_000)).toEqual({
      stepSeconds: 15,
      pods: 100_000,
    });
  });

  it('keeps pods × points within the budget whenever two points per pod fit it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3600, max: 90 * 86400 }),
        fc.constantFrom(15, 30, 60),
        fc.integer({ min: 1, max: 200_000 }),
        (spanSeconds, fineStepSeconds, pods) => {
          const range = { startSeconds: 1_700_000_000, endSeconds: 1_700_000_000 + spanSeconds };
          const step = choosePodStep(range, fineStepSeconds, pods);
          const points = Math.floor(spanSeconds / step.stepSeconds) + 1;
          if (step.windowSeconds === undefined) {
            expect(step.stepSeconds).toBe(fineStepSeconds);
            expect(pods * points).toBeLessThanOrEqual(MAX_POD_POINTS_PER_QUERY);
          } else {
            // With more pods than half the budget, two points each is the least a range query can answer.
            expect(step.stepSeconds).toBeGreaterThanOrEqual(300);
            expect(pods * points <= MAX_POD_POINTS_PER_QUERY || points === 2).toBe(true);
          }
        }
      )
    );
  });
});

describe('choosePodStep from the pod-windows counted at 5 minutes', () => {
  /** Windows of `windowSeconds` ending at the day's end that the held stretch [from, to) has a scrape in. */
  const touched = (from: number, to: number, windowSeconds: number) =>
    Math.ceil((DAY.endSeconds - from) / windowSeconds) - Math.floor((DAY.endSeconds - to) / windowSeconds);

  it('reads 28,459 pods that come and go in 15-minute windows, not the 2 hours every pod held throughout would need', () => {
    // The 10,000-GPU benchmark's day: 28,459 pods, about 4,300 holding GPUs at any time, so about 1,260,000 pod-windows
    // of 5 minutes. Bound at w: 1,260,000 × 300 / w + 2 × 28,459: 687,000 at 10 minutes, 477,000 at 15.
    const measured = { windowSeconds: 300, podWindows: 1_260_000 };
    expect(choosePodStep(DAY, 60, 28_459, MAX_POD_POINTS_PER_QUERY, measured)).toMatchObject({ windowSeconds: 900 });
    expect(choosePodStep(DAY, 60, 28_459)).toMatchObject({ windowSeconds: 7200 });
  });

  it('keeps the points a fleet of unbroken stretches answers within the budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 1, max: 86_400 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 500, max: 20_000 }),
        (stretches, maxPoints) => {
          const held = stretches.map(([offset, length]) => {
            const from = DAY.startSeconds + offset;
            return [from, Math.min(DAY.endSeconds, from + length)] as const;
          });
          const podWindows = held.reduce((sum, [from, to]) => sum + touched(from, to, 300), 0);
          const step = choosePodStep(DAY, 60, held.length, maxPoints, { windowSeconds: 300, podWindows });
          if (step.windowSeconds === undefined) {
            return;
          }
          const points = held.reduce((sum, [from, to]) => sum + touched(from, to, step.windowSeconds!), 0);
          const leastPossible = 2 * held.length;
          expect(points <= maxPoints || points <= leastPossible).toBe(true);
        }
      )
    );
  });
});

describe('windowQueryRange and toWindowStarts', () => {
  it('reads whole windows back from the end; each point moves to its window start', () => {
    // 1 h 25 min at 10 minutes: 8 whole windows ending at the end, the first 5 minutes not read.
    const range = { startSeconds: 0, endSeconds: 5100 };
    expect(windowQueryRange(range, 600)).toEqual({ startSeconds: 900, endSeconds: 5100 });
    const [moved] = toWindowStarts([{ labels: { pod: 'a' }, timestampsSeconds: [900, 1500], values: [1, 2] }], 600);
    expect(moved).toEqual({ labels: { pod: 'a' }, timestampsSeconds: [300, 900], values: [1, 2] });
  });
});

describe('heldSharesOf', () => {
  it('divides each count by the median count of the pods held across the window, at most 1', () => {
    // Windows 600 s apart at 0, 600, 1200. At 600: a, b, d span it (scrapes at 0 and 1200 too): counts 40, 40, 41 →
    // median 40; c (only at 600, 20 scrapes) gets 0.5, d's 41 is capped at 1. e came and went inside the window
    // with 8 scrapes, like the many short pods that would pull a median of every pod down.
    const at = (labels: string, counts: Record<number, number>) => ({
      labels: { pod: labels },
      timestampsSeconds: Object.keys(counts).map(Number),
      values: Object.values(counts),
    });
    const series = [
      at('a', { 0: 40, 600: 40, 1200: 40 }),
      at('b', { 0: 40, 600: 40, 1200: 40 }),
      at('c', { 600: 20 }),
      at('d', { 0: 40, 600: 41, 1200: 40 }),
      ...['e1', 'e2', 'e3', 'e4'].map((pod) => at(pod, { 600: 8 })),
    ];
    const shares = heldSharesOf(series, 600);
    const share = (pod: string, t: number) => shares.get(JSON.stringify({ pod }))!.get(t);
    expect([share('a', 600), share('c', 600), share('d', 600), share('e1', 600)]).toEqual([1, 0.5, 1, 0.2]);
    // The first and last windows need a neighbour on their one side only.
    expect([share('a', 0), share('b', 1200)]).toEqual([1, 1]);
  });

  it("takes a window's full count from the exporter's scrapes when given, else falls back in order", () => {
    // Window 600: a and c span it (their counts 10 and 10); b came and went. Window 1200: b alone, half held.
    const series = [
      { labels: { pod: 'a' }, timestampsSeconds: [0, 600, 1200], values: [10, 10, 5] },
      { labels: { pod: 'b' }, timestampsSeconds: [600, 1200], values: [5, 5] },
      { labels: { pod: 'c' }, timestampsSeconds: [0, 600], values: [10, 10] },
    ];
    const b = (full?: Map<number, number>) => heldSharesOf(series, 600, full).get(JSON.stringify({ pod: 'b' }))!;
    // a spans 1200 (the last window, one side), so every window has a spanning pod and no reference is needed.
    expect(windowsWithoutSpanningPod(series, 600)).toEqual([]);
    expect([...b()]).toEqual([
      [600, 0.5],
      [1200, 1],
    ]);
    // The exporter counted 10 scrapes of a full window at 1200: it decides, a's 5 at the range's end do not.
    expect([...b(new Map([[1200, 10]]))]).toEqual([
      [600, 0.5],
      [1200, 0.5],
    ]);
    // Without a: nothing spans 600 (b is not in 0, c not in 1200). A window the reference misses takes the
    // reference's median over the range, 10 here.
    const jobsOnly = series.slice(1);
    const bOf = (shares: Map<string, Map<number, number>>) => shares.get(JSON.stringify({ pod: 'b' }))!.get(600);
    expect(windowsWithoutSpanningPod(jobsOnly, 600)).toEqual([600]);
    expect(bOf(heldSharesOf(jobsOnly, 600, new Map([[0, 10]])))).toBe(0.5);
    // No reference at all (the store answered none): the largest count in the window, c's 10, is taken as full.
    expect(bOf(heldSharesOf(jobsOnly, 600))).toBe(0.5);
  });

  it('gives shares that sum to the time each set of jobs held, given the scrapes of every full window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(300, 600, 900),
        fc.constantFrom(15, 30, 60, 100),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })), { minLength: 1, maxLength: 20 }),
        (windowSeconds, scrapeSeconds, windows, jobs) => {
          // Scrape j (of every device, at (j + 1) × scrapeSeconds) falls in window ⌊j / perWindow⌋ (point at its start).
          const perWindow = Math.floor(windowSeconds / scrapeSeconds);
          const scrapes = windows * perWindow;
          const series = jobs.map(([from, length], job) => {
            const first = from % scrapes;
            const counts = new Map<number, number>();
            for (let j = first; j < Math.min(scrapes, first + length); j++) {
              const t = Math.floor(j / perWindow) * windowSeconds;
              counts.set(t, (counts.get(t) ?? 0) + 1);
            }
            return {
              labels: { pod: `job-${job}` },
              timestampsSeconds: [...counts.keys()],
              values: [...counts.values()],
            };
          });
          const heldSeconds = series.reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0) * scrapeSeconds;
          const full = new Map(Array.from({ length: windows }, (_, i) => [i * windowSeconds, perWindow]));
          const shares = heldSharesOf(series, windowSeconds, full);
          const sharedSeconds = [...shares.values()].reduce(
            (sum, byWindow) => sum + [...byWindow.values()].reduce((a, b) => a + b, 0) * perWindow * scrapeSeconds,
            0
          );
          expect(sharedSeconds).toBeCloseTo(heldSeconds, 6);
        }
      )
    );
  });

  it('finds a spanning pod in every window where one held its GPUs across it, as only then no reference is asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 })), { maxLength: 20 }),
        (windows, jobs) => {
          // A serving pod in every window, 5 scrapes each, and jobs of whole windows: no window lacks a spanning pod.
          const serving = {
            labels: { pod: 'serve' },
            timestampsSeconds: Array.from({ length: windows }, (_, i) => i * 600),
            values: Array<number>(windows).fill(5),
          };
          const series = [
            serving,
            ...jobs.map(([from, length], job) => {
              const at = Array.from({ length }, (_, i) => (from % windows) + i).filter((i) => i < windows);
              return {
                labels: { pod: `job-${job}` },
                timestampsSeconds: at.map((i) => i * 600),
                values: at.map(() => 2),
              };
            }),
          ];
          expect(windowsWithoutSpanningPod(series, 600)).toEqual([]);
        }
      )
    );
  });
});

describe('countedPodStep', () => {
  const day = { startSeconds: 0, endSeconds: 86_400 };
  // 100 pods scraped every 600 s all day (145 scrapes, an interval of 86,400 / 144 = 600 s) and 1,000 scraped for an
  // hour (7 scrapes). 1,100 pods: ⌊20,000 / 1,100⌋ = 18 points each if every pod held its GPUs all day, 2-hour
  // windows. Estimates (windows, n, ⌈(n − 1) 600 / w⌉ + 1, the least): at 5 minutes 100 × 145 + 1,000 × 7 = 21,500;
  // at 10, 100 × 144 + 1,000 × 7 = 21,400; at 15, 100 × 96 + 1,000 × 5 = 14,600, the first within 20,000.
  const scrapes = [
    { scrapes: 145, pods: 100 },
    { scrapes: 7, pods: 1_000 },
  ];

  it('counts nothing while every pod at the asked step fits the budget', async () => {
    const countAt = jest.fn();
    // 10 pods × 1,441 points at 60 s = 14,410 ≤ 500,000.
    expect(await countedPodStep(day, 60, [{ scrapes: 5760, pods: 10 }], 500_000, countAt)).toEqual({
      stepSeconds: 60,
      pods: 10,
    });
    expect(countAt).not.toHaveBeenCalled();
  });

  it('estimates the windows, counts the first estimated to fit and the one below it at once, and reads the finer that fits', async () => {
    expect([300, 600, 900].map((w) => estimatedPodWindows(day, scrapes, w))).toEqual([21_500, 21_400, 14_600]);
    const counts: Record<number, number> = { 600: 21_400, 900: 14_600 };
    const countAt = jest.fn(async (windowSeconds: number) => ({ windowSeconds, podWindows: counts[windowSeconds] }));
    expect(await countedPodStep(day, 60, scrapes, 20_000, countAt)).toEqual({
      stepSeconds: 900,
      windowSeconds: 900,
      pods: 1_100,
    });
    expect(countAt.mock.calls).toEqual([[600], [900]]);
    // Fewer counted than estimated at 10 minutes (pods that left early): 10 minutes.
    counts[600] = 19_000;
    expect(await countedPodStep(day, 60, scrapes, 20_000, countAt)).toMatchObject({ windowSeconds: 600 });
  });

  it('reads a finer window that a coarser count proves fits, when the estimate overshoots (short-lived pods)', async () => {
    // 10,000 pods held for one hour each, scraped every 15 s (241 scrapes). The estimate takes the interval from the
    // best-covered pod, 86,400 / 240 = 360 s, so it puts each pod in every window its 241 scrapes could reach: over
    // the budget at 5, 10 and 15 minutes. Every pod throughout: ⌊500,000 / 10,000⌋ = 50 points, 30-minute windows.
    const shortLived = [{ scrapes: 241, pods: 10_000 }];
    expect([300, 600, 900].map((w) => estimatedPodWindows(day, shortLived, w) > 500_000)).toEqual([true, true, true]);
    // Counted: an hour in 10-minute windows not aligned to it touches 7 of them, 70,000; in 15-minute ones 5, 50,000.
    const countAt = jest.fn(async (windowSeconds: number) => ({
      windowSeconds,
      podWindows: 10_000 * (3600 / windowSeconds + 1),
    }));
    // 70,000 at 10 minutes: at 5, at most 70,000 × (2 + 1) + 2 × 10,000 = 230,000 ≤ 500,000, without a third count.
    expect(await countedPodStep(day, 60, shortLived, 500_000, countAt)).toEqual({
      stepSeconds: 300,
      windowSeconds: 300,
      pods: 10_000,
    });
    expect(countAt.mock.calls).toEqual([[600], [900]]);
  });

  it('counts again at the window the count suggests when pods with broken stretches exceed the estimate', async () => {
    // 25,000 at 15 minutes: 25,000 × 900 / (20,000 − 2 × 1,100) = 1,264 s, so 30 minutes, where 12,000 fit.
    const counts: Record<number, number> = { 600: 30_000, 900: 25_000, 1800: 12_000 };
    const countAt = jest.fn(async (windowSeconds: number) => ({ windowSeconds, podWindows: counts[windowSeconds] }));
    expect(await countedPodStep(day, 60, scrapes, 20_000, countAt)).toMatchObject({ windowSeconds: 1800 });
    expect(countAt.mock.calls).toEqual([[600], [900], [1800]]);
    // Two counts more at most: 22,000 at 30 minutes suggests 1 hour (22,000 × 1,800 / 17,800 = 2,225 s), where
    // 21,000 do not fit either: the 2-hour windows every pod throughout fits.
    counts[1800] = 22_000;
    counts[3600] = 21_000;
    countAt.mockClear();
    expect(await countedPodStep(day, 60, scrapes, 20_000, countAt)).toMatchObject({ windowSeconds: 7200 });
    expect(countAt.mock.calls).toEqual([[600], [900], [1800], [3600]]);
  });

  it('stops after two further counts and reads the window every pod throughout fits', async () => {
    // 3,000 pods of two scrapes each: estimated at 5 minutes 3,000 × 2 = 6,000 ≤ 20,000, so only 5 minutes is counted
    // first. Every pod throughout: ⌊20,000 / 3,000⌋ = 6 points a day, 6-hour windows. Each count, 21,000, suggests
    // 21,000 × w / (20,000 − 2 × 3,000) = 1.5 w: 10 minutes, then 15, then 30, where the cap stops counting.
    const countAt = jest.fn(async (windowSeconds: number) => ({ windowSeconds, podWindows: 21_000 }));
    expect(await countedPodStep(day, 60, [{ scrapes: 2, pods: 3_000 }], 20_000, countAt)).toEqual({
      stepSeconds: 21_600,
      windowSeconds: 21_600,
      pods: 3_000,
    });
    expect(countAt.mock.calls).toEqual([[300], [600], [900]]);
  });

  it('never estimates fewer pod-windows than a fleet of unbroken, steadily scraped stretches touches', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(15, 60, 600),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 1, max: 6000 })), {
          minLength: 1,
          maxLength: 50,
        }),
        fc.constantFrom(300, 600, 900, 1800, 3600),
        (intervalSeconds, stretches, windowSeconds) => {
          const windows = Math.floor(86_400 / windowSeconds);
          const pods = stretches.map(([first, wanted]) => {
            // Scrapes at first, first + interval, … within the range (start, end].
            const n = Math.min(wanted, Math.floor((86_400 - first) / intervalSeconds) + 1);
            const touched = new Set<number>();
            for (let i = 0; i < n; i++) {
              const k = Math.floor((86_400 - (first + i * intervalSeconds)) / windowSeconds);
              if (k < windows) {
                touched.add(k);
              }
            }
            return { n, touched: touched.size };
          });
          const byScrapes = new Map<number, number>();
          pods.forEach(({ n }) => byScrapes.set(n, (byScrapes.get(n) ?? 0) + 1));
          const histogram = [...byScrapes].map(([n, count]) => ({ scrapes: n, pods: count }));
          const counted = pods.reduce((sum, p) => sum + p.touched, 0);
          expect(estimatedPodWindows(day, histogram, windowSeconds)).toBeGreaterThanOrEqual(counted);
        }
      )
    );
  });
});
