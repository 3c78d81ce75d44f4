/** @jest-environment node */
import fc from 'fast-check';
import { bandAt, bandLearner, BandOptions, learnBand } from './band';
import { DEFAULT_ALERT_RULE } from './deployedRule';
import { SeasonMode, slotOf } from './slots';

const HOUR = 3600;
// Hand-checkable options: no margin floor, no slot-quantile floor, no smoothing.
const plain: BandOptions = {
  ...DEFAULT_ALERT_RULE.band,
  width: 3,
  minMarginFraction: 0,
  floorQuantile: 0.5,
  smoothingSlots: 0,
};

describe('learnBand', () => {
  it('is median ± width·1.4826·MAD, untouched by an anomaly in the training data', () => {
    // Under a day of history: one flat slot. Median 3; |deviations| 2,1,0,1,97 → MAD 1.
    const t = [0, 60, 120, 180, 240];
    const band = learnBand(t, [1, 2, 3, 4, 100], 300, plain)!;
    expect(band.mode).toBe('flat');
    expect(band.upper).toEqual([7.4478]); // 3 + 3·1.4826
    expect(band.lower).toEqual([-1.4478]);
  });

  it('learns only from samples strictly before the calibration time', () => {
    const band = learnBand([0, 60, 120], [1, 1, 50], 120, plain)!;
    expect(band.upper).toEqual([1]);
    expect(learnBand([0], [null], 60, plain)).toBeUndefined();
    expect(learnBand([60], [5], 60, plain)).toBeUndefined();
  });

  it('keeps a minimum margin when the series is flat', () => {
    const band = learnBand([0, 60, 120], [45, 45, 45], 180, { ...plain, minMarginFraction: 0.1 })!;
    expect(band.upper).toEqual([49.5]);
    expect(band.lower).toEqual([40.5]);
  });

  it('follows the hour of day after two days, and covers its neighbours (circularly)', () => {
    // Two days, hourly: 10 at 05:00 UTC, 0 elsewhere.
    const t = Array.from({ length: 48 }, (_, k) => k * HOUR);
    const v = t.map((s) => (slotOf(s, 'hour-of-day') === 5 ? 10 : 0));
    const band = learnBand(t, v, 48 * HOUR, { ...plain, direction: 'upper', smoothingSlots: 1 })!;
    expect(band.mode).toBe('hour-of-day');
    expect(band.lower).toBeUndefined();
    // Each slot's samples are equal (MAD 0): edges 0 except hour 5; hours 4–6 take the neighbour's 10.
    expect(band.upper).toEqual(Array.from({ length: 24 }, (_, h) => (h >= 4 && h <= 6 ? 10 : 0)));
    expect(bandAt(band, 30 * HOUR)).toEqual({ upper: 10, lower: Number.NEGATIVE_INFINITY });
  });

  it('stays flat when the daily rhythm does not reduce the spread', () => {
    const t = Array.from({ length: 96 }, (_, k) => k * 1800);
    const v = t.map((_, k) => (k * 7919) % 13);
    expect(learnBand(t, v, 96 * 1800, plain)!.mode).toBe('flat');
  });

  it('contains the median of each training slot (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 24 * 7, maxLength: 24 * 16 }),
        (values) => {
          const t = values.map((_, k) => k * HOUR);
          const band = learnBand(t, values, values.length * HOUR, DEFAULT_ALERT_RULE.band)!;
          const slots = new Map<number, number[]>();
          t.forEach((s, k) => slots.set(slotOf(s, band.mode), [...(slots.get(slotOf(s, band.mode)) ?? []), values[k]]));
          for (const [slot, slotValues] of slots) {
            const sorted = [...slotValues].sort((a, b) => a - b);
            const mid = sorted.length / 2;
            const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
            expect(band.lower![slot]).toBeLessThanOrEqual(median);
            expect(band.upper![slot]).toBeGreaterThanOrEqual(median);
          }
        }
      ),
      { numRuns: 40 }
    );
  });
});

describe('bands within what is possible', () => {
  const STEP = 300;
  /** 8 days at 5 min: 10 busy GPUs by day (08–18 UTC), 3 at night, a small deterministic wobble. */
  const t = Array.from({ length: (8 * 86_400) / STEP }, (_, k) => 1_700_006_400 + k * STEP); // a Wednesday 00:00 UTC
  const hourOf = (s: number) => Math.floor((s % 86_400) / HOUR);
  const base = t.map((s, k) => (hourOf(s) >= 8 && hourOf(s) < 18 ? 10 : 3) + ((k * 7) % 5) * 0.2);
  const at = t[t.length - 1] + STEP;
  const withSpikes = (days: number[]) =>
    base.map((v, k) => {
      const day = Math.floor((t[k] - t[0]) / 86_400);
      return days.includes(day) && hourOf(t[k]) >= 20 && hourOf(t[k]) < 22 ? 20 : v;
    });

  it('one 2-hour spike on one evening does not lift that evening threshold', () => {
    const quiet = learnBand(t, base, at, DEFAULT_ALERT_RULE.band)!;
    const spiked = learnBand(t, withSpikes([3]), at, DEFAULT_ALERT_RULE.band)!;
    expect(spiked.mode).toBe('hour-of-day');
    // The evening values are 3…3.8 on 7 of 8 days: the band stays far below the spike's 20 (before: 20, the slot's
    // 98 % quantile, as the spike is 12 of the slot's 96 samples), within the wobble of the quiet band.
    for (const hour of [19, 20, 21, 22]) {
      expect(spiked.upper![hour]).toBeLessThan(10);
      expect(spiked.upper![hour]).toBeLessThanOrEqual(quiet.upper![hour] + 1);
    }
  });

  it('a spike that recurs on two evenings is learnt as normal', () => {
    const band = learnBand(t, withSpikes([2, 5]), at, DEFAULT_ALERT_RULE.band)!;
    for (const hour of [20, 21]) {
      expect(band.upper![hour]).toBeGreaterThanOrEqual(20);
    }
  });

  it('clamps both sides into the metric range: busy GPUs of a 16-GPU fleet in [0, 16]', () => {
    // A fleet busy at 15–16 of 16 GPUs by day, 0–1 at night: median ± 3σ reaches past both ends.
    const busy = t.map((s, k) => (hourOf(s) >= 8 && hourOf(s) < 18 ? 15 : 0) + ((k * 7) % 3) * 0.5);
    const free = learnBand(t, busy, at, DEFAULT_ALERT_RULE.band)!;
    expect(Math.max(...free.upper!)).toBeGreaterThan(16);
    expect(Math.min(...free.lower!)).toBeLessThan(0);
    const clamped = learnBand(t, busy, at, { ...DEFAULT_ALERT_RULE.band, valueRange: { min: 0, max: 16 } })!;
    expect(Math.max(...clamped.upper!)).toBe(16);
    expect(Math.min(...clamped.lower!)).toBe(0);
    // Where the unclamped edge is inside the range it is left as it is.
    clamped.upper!.forEach((u, h) => expect(u).toBe(Math.min(free.upper![h], 16)));
    clamped.lower!.forEach((l, h) => expect(l).toBe(Math.max(free.lower![h], 0)));
  });
});

/**
 * The band by its definition, sorting every slot's values afresh (the code learnBand had before it kept sorted
 * slots): the fast paths must give exactly this.
 */
function referenceBand(
  t: readonly number[],
  v: ReadonlyArray<number | null>,
  at: number,
  o: BandOptions
): ReturnType<typeof learnBand> {
  const samples = t
    .map((s, i) => ({ s, x: v[i] }))
    .filter(({ s, x }) => s < at && s >= at - o.maxTrainingSeconds && x !== null && Number.isFinite(x)) as Array<{
    s: number;
    x: number;
  }>;
  if (samples.length === 0) {
    return undefined;
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const q = (xs: number[], p: number) => {
    const pos = (xs.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.min(xs.length - 1, lo + 1);
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
  };
  const spread = (xs: number[], m: number) => 1.4826 * q(sorted(xs.map((x) => Math.abs(x - m))), 0.5);
  const groups = (mode: SeasonMode) => {
    const g = Array.from(
      { length: mode === 'hour-of-week' ? 168 : mode === 'hour-of-day' ? 24 : 1 },
      () => [] as number[]
    );
    samples.forEach(({ s, x }) => g[slotOf(s, mode)].push(x));
    return g;
  };
  /** A slot's values by cycle (UTC week for the hour of the week, else UTC day): [max, min] of each cycle. */
  const cycleExtremes = (mode: SeasonMode, slot: number | undefined) => {
    const cycle = mode === 'hour-of-week' ? 7 * 86_400 : 86_400;
    const byCycle = new Map<number, number[]>();
    samples
      .filter(({ s }) => slot === undefined || slotOf(s, mode) === slot)
      .forEach(({ s, x }) => byCycle.set(Math.floor(s / cycle), [...(byCycle.get(Math.floor(s / cycle)) ?? []), x]));
    const maxima = [...byCycle.values()].map((xs) => Math.max(...xs)).sort((a, b) => b - a);
    const minima = [...byCycle.values()].map((xs) => Math.min(...xs)).sort((a, b) => a - b);
    // One cycle: no cap (a single event cannot be told from the rhythm).
    return { high: maxima[1] ?? Infinity, low: minima[1] ?? -Infinity };
  };
  const all = sorted(samples.map(({ x }) => x));
  const flatSpread = spread(all, q(all, 0.5));
  const history = at - Math.min(...samples.map(({ s }) => s));
  const finest: SeasonMode = history >= 14 * 86_400 ? 'hour-of-week' : history >= 2 * 86_400 ? 'hour-of-day' : 'flat';
  let mode: SeasonMode = 'flat';
  for (const candidate of finest === 'hour-of-week' ? (['hour-of-week', 'hour-of-day'] as const) : [finest]) {
    if (candidate === 'flat') {
      break;
    }
    const medians = groups(candidate).map((g) => q(sorted(g), 0.5));
    const residuals = samples.map(({ s, x }) => x - medians[slotOf(s, candidate)]);
    if (spread(residuals, 0) <= o.seasonalGainRatio * flatSpread) {
      mode = candidate;
      break;
    }
  }
  const size = Math.max(Math.abs(q(all, 0.5)), q(all, 0.99) - q(all, 0.01));
  const edges = groups(mode).map((g, slot) => {
    const xs = sorted(g.length > 0 ? g : all);
    const m = q(xs, 0.5);
    const above = o.method === 'median-mad' ? spread(xs, m) : q(xs, o.scaleQuantile) - m;
    const below = o.method === 'median-mad' ? spread(xs, m) : m - q(xs, 1 - o.scaleQuantile);
    // The floor quantiles, at most what the slot reached in two cycles (an empty slot: all the data, by day).
    const recurring =
      g.length > 0 ? cycleExtremes(mode, mode === 'flat' ? undefined : slot) : cycleExtremes('flat', undefined);
    return {
      upper: Math.max(
        m + Math.max(o.minMarginFraction * size, o.width * above),
        Math.min(q(xs, o.floorQuantile), recurring.high)
      ),
      lower: Math.min(
        m - Math.max(o.minMarginFraction * size, o.width * below),
        Math.max(q(xs, 1 - o.floorQuantile), recurring.low)
      ),
    };
  });
  const n = edges.length;
  const r = Math.min(o.smoothingSlots, n - 1);
  const around = (k: number) => Array.from({ length: 2 * r + 1 }, (_, d) => edges[(((k + d - r) % n) + n) % n]);
  const rounded = (x: number) => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(o.significantDigits)));
  const { min = -Infinity, max = Infinity } = o.valueRange ?? {};
  const round = (x: number) => {
    const r = rounded(x);
    return r > max ? max : r < min ? min : r;
  };
  const band: NonNullable<ReturnType<typeof learnBand>> = { mode, calibratedAtSeconds: at };
  if (o.direction !== 'lower') {
    band.upper = edges.map((_, k) => round(Math.max(...around(k).map((e) => e.upper))));
  }
  if (o.direction !== 'upper') {
    band.lower = edges.map((_, k) => round(Math.min(...around(k).map((e) => e.lower))));
  }
  return band;
}

describe('bandLearner', () => {
  it('learns at each recalibration exactly the band of the definition, with gaps and out-of-order samples (property)', () => {
    const series = fc.record({
      stepMinutes: fc.constantFrom(30, 60, 90),
      values: fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }), {
        minLength: 1,
        maxLength: 24 * 20,
        size: 'max',
      }),
      method: fc.constantFrom<BandOptions['method']>('median-mad', 'robust-quantile'),
      direction: fc.constantFrom<BandOptions['direction']>('both', 'upper', 'lower'),
      seasonalGainRatio: fc.constantFrom(0.8, 1, 10),
      maxTrainingDays: fc.constantFrom(3, 28),
      shuffle: fc.boolean(),
      valueRange: fc.constantFrom(undefined, { min: 0 }, { min: -10, max: 10 }, { max: 0 }),
    });
    fc.assert(
      fc.property(series, (s) => {
        const options: BandOptions = {
          ...DEFAULT_ALERT_RULE.band,
          method: s.method,
          direction: s.direction,
          seasonalGainRatio: s.seasonalGainRatio,
          maxTrainingSeconds: s.maxTrainingDays * 86_400,
          valueRange: s.valueRange,
        };
        let t = s.values.map((_, k) => 1_700_000_000 + k * s.stepMinutes * 60);
        let v = s.values;
        if (s.shuffle) {
          const order = t.map((_, k) => (k * 7919) % t.length).filter((k, i, all) => all.indexOf(k) === i);
          t = order.map((k) => t[k]);
          v = order.map((k) => v[k]);
        }
        const learn = bandLearner(t, v, options);
        const end = Math.max(...t);
        for (let at = Math.min(...t); at <= end + 86_400; at += 86_400) {
          expect(learn(at)).toEqual(referenceBand(t, v, at, options));
        }
        expect(learnBand(t, v, end + 1, options)).toEqual(referenceBand(t, v, end + 1, options));
        // A calibration earlier than the last one starts over.
        expect(learn(end - 86_400)).toEqual(referenceBand(t, v, end - 86_400, options));
      }),
      { numRuns: 40 }
    );
  });

  it('reads each threshold as the definition has it, slot by slot in any order, at calibrations days apart, with NaN, ties and −0 (property)', () => {
    const series = fc.record({
      stepMinutes: fc.constantFrom(5, 60, 150),
      days: fc.integer({ min: 1, max: 20 }),
      values: fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) },
          { weight: 3, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
          fc.constantFrom(null, NaN, -0, 0, Number.NEGATIVE_INFINITY)
        ),
        { minLength: 1, maxLength: 64 }
      ),
      // Days between calibrations: a batch then spans several days, or lands within one.
      gapsDays: fc.array(fc.constantFrom(0.25, 1, 2.5, 4), { minLength: 1, maxLength: 10 }),
      direction: fc.constantFrom<BandOptions['direction']>('both', 'upper', 'lower'),
      method: fc.constantFrom<BandOptions['method']>('median-mad', 'robust-quantile'),
      readSeed: fc.nat(),
    });
    fc.assert(
      fc.property(series, (s) => {
        const options: BandOptions = { ...DEFAULT_ALERT_RULE.band, direction: s.direction, method: s.method };
        const count = Math.round((s.days * 86_400) / (s.stepMinutes * 60));
        const start = 1_700_000_000 + 1_234;
        const t = Array.from({ length: count }, (_, k) => start + k * s.stepMinutes * 60);
        // The values repeat with a period of 7 + length rows, so slots share values (ties) across days.
        const v = t.map((_, k) => s.values[(k * 7 + Math.floor(k / s.values.length)) % s.values.length]);
        const learner = bandLearner(t, v, options);
        let at = start + 86_400;
        for (const gap of s.gapsDays) {
          const expected = referenceBand(t, v, at, options);
          const thresholds = learner.thresholdsAt(at);
          expect(thresholds?.mode).toBe(expected?.mode);
          if (thresholds && expected) {
            const n = expected.mode === 'hour-of-week' ? 168 : expected.mode === 'hour-of-day' ? 24 : 1;
            for (let k = 0; k < n; k++) {
              const slot = (k * 37 + s.readSeed) % n;
              expect(thresholds.upperAt(slot)).toBe(expected.upper ? expected.upper[slot] : Number.POSITIVE_INFINITY);
              expect(thresholds.lowerAt(slot)).toBe(expected.lower ? expected.lower[slot] : Number.NEGATIVE_INFINITY);
            }
            expect(thresholds.band()).toEqual(expected);
          }
          at += gap * 86_400;
        }
      }),
      { numRuns: 60 }
    );
  });
});
