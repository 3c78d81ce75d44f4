import { detectLevelShift } from '../series/levelShift';
import { anyEventIn, type BusinessEvent } from './calendar';
import { combinerFor, joining, type Combination, type Combiner } from './combine';
import {
  calibratedIntervalsWithCoverage,
  DEFAULT_INTERVAL_OPTIONS,
  type CalibratedIntervals,
  type Interval,
  type IntervalOptions,
} from './intervals';
import { valueResolution } from './resolution';
import { seasonalNaive } from './seasonalNaive';
import { checkHorizon } from './horizon';
import { DAY_SECONDS, WEEK_SECONDS, seasonSteps } from './seasons';
import type { Forecaster, ForecastInput } from './types';

export interface AutoForecastInput {
  /** Fit-ready history (finite, regular). */
  values: readonly number[];
  startSeconds: number;
  stepSeconds: number;
  horizonSteps: number;
  /** Interval levels in percent, e.g. [80, 95]. */
  levels: readonly number[];
  /**
   * Business calendar, passed to every model (those without `usesEvents` ignore it). When an event
   * overlaps the horizon only event-aware models are candidates: the others would miss it.
   */
  events?: readonly BusinessEvent[];
}

export interface AutoForecastOptions {
  /** Rolling origins in the backtest. */
  origins: number;
  /** Models are fitted on at most this many most recent steps. */
  maxTrainSteps: number;
  /** The best few models by backtest error are also tried as an inverse-error weighted blend. */
  maxBlendSize: number;
  /**
   * How the best models by backtest error become the forecast (combine.ts). Default: `pick` the lowest backtest
   * MAE among the single models and the inverse-MAE blends of the best 2..`maxBlendSize`.
   */
  combination?: Combination;
  /**
   * The steps after the backtest window (a day) chosen on their own backtest, when the horizon reaches past it:
   * `origins` origins a day apart whose week-long windows end in the history and leave at least a week of
   * training, scored on the steps after the first day. With fewer than `minOrigins` such origins, those steps come
   * from the first of the `fallback` models that can be fitted, else from the near-term choice. Absent: the
   * near-term choice forecasts every step.
   */
  later?: { origins: number; minOrigins: number; fallback: readonly string[] };
  /**
   * Origins, a day apart, whose errors of the chosen model calibrate the intervals (default:
   * `origins`). More than the selection uses: the chosen model's errors on the very origins that
   * chose it are optimistic (it won there), and a few origins hold too few large errors for a
   * 95 % quantile.
   */
  calibrationOrigins?: number;
  /**
   * Length of the backtest window that chooses the model and calibrates the intervals, in seconds (default a day),
   * shortened only by a short history, never by the horizon asked: the choice and the near-term intervals are the
   * same whatever the horizon, and a longer horizon only adds steps at the end.
   */
  backtestSeconds?: number;
  /**
   * After a level shift (series/levelShift) each model is also tried trained only on the data
   * after it, as `<model>@shift`, and wins where that backtests better. Default true; never with a business event
   * in the horizon.
   */
  levelShiftVariants?: boolean;
  /**
   * The rule that turns the backtest errors into intervals (default `calibratedIntervals`). Only the benchmark's
   * comparison of interval rules (bench/intervalRules.ts) passes another.
   */
  intervalRule?: (
    mean: readonly number[],
    errors: number[][],
    levels: readonly number[],
    options: IntervalOptions
  ) => CalibratedIntervals;
}

export interface AutoForecast {
  /** The chosen model, or `blend(a,b)` for a weighted combination (`median(a,b,c)`, … for the other rules). */
  model: string;
  /** The model that forecasts the steps from `fromStep` on, when they were chosen apart (options.later). */
  later?: { fromStep: number; model: string };
  mean: number[];
  intervals: Record<string, Interval>;
  /**
   * Per level, the share of the backtest's actuals inside the interval the earlier origins gave them (intervals.ts):
   * the series' own empirical coverage, to show beside the intervals.
   */
  backtestCoverage: Record<string, number>;
  /** Backtest mean absolute error per model that completed it. */
  backtestMae: Record<string, number>;
  /** Models that were not used and why (too little history, or the error they threw). */
  skipped: SkippedModel[];
}

/** Why a model was not used, as a code and its figures; `reason` is its English (skipCauseText). */
export type SkipCause =
  | { code: 'too-short'; needSteps: number; haveSteps: number }
  | { code: 'ignores-events' }
  | { code: 'no-backtest' }
  | { code: 'failed-backtest'; error: string }
  | { code: 'failed-fit'; error: string };

export interface SkippedModel {
  model: string;
  reason: string;
  cause: SkipCause;
}

export function skipCauseText(cause: SkipCause): string {
  switch (cause.code) {
    case 'too-short':
      return `needs ${cause.needSteps} steps of history, has ${cause.haveSteps}`;
    case 'ignores-events':
      return 'ignores the business events in the horizon';
    case 'no-backtest':
      return 'too little history for a backtest';
    case 'failed-backtest':
      return `failed in backtest: ${cause.error}`;
    case 'failed-fit':
      return `failed on the full history: ${cause.error}`;
  }
}

const skip = (model: string, cause: SkipCause): SkippedModel => ({ model, reason: skipCauseText(cause), cause });

interface Backtested {
  name: string;
  members: Forecaster[];
  /** Turns the members' forecasts (in `members` order) into the candidate's. */
  combine: Combiner;
  /** The backtest origins this candidate could be fitted at. */
  origins: number[];
  /** errors[k][step] = actual − forecast at origins[k]. */
  errors: number[][];
  /** Mean absolute error, restated on all origins (see relativeToReference). */
  mae: number;
  /** Mean squared error, restated like `mae`. */
  mse: number;
  /** Mean absolute error at each of its origins. */
  maeByOrigin: number[];
}

/**
 * The backtest window when the options give none: a day. Measured on `bench:forecast` against the window the
 * horizon used to set: day-ahead accuracy is unchanged (it was a day), week-ahead WAPE 31.3 → 32.7 % with the peak
 * error 0.38 → 0.30 and coverage 82.7 / 93.4 → 89.7 / 94.5 % (85.6 / 93.4 % with today's intervals, intervals.ts); a fixed
 * week instead cost day-ahead WAPE 9.1 → 11.7 %.
 */
export const DEFAULT_BACKTEST_SECONDS = DAY_SECONDS;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Ranks the models by their error in a rolling-origin backtest on the series' own recent history, combines the
 * best (options.combination), refits them on all of it, and derives the prediction intervals from the combination's
 * errors in the same backtest, so they reflect how wrong it has actually been on this series.
 */
export function autoForecast(
  input: AutoForecastInput,
  models: readonly Forecaster[],
  options: AutoForecastOptions
): AutoForecast {
  const { stepSeconds, horizonSteps, events = [] } = input;
  const n = input.values.length;
  checkHorizon(horizonSteps, n, stepSeconds);
  const skipped: AutoForecast['skipped'] = [];
  const endSeconds = input.startSeconds + n * stepSeconds;
  const eventInHorizon = anyEventIn(events, endSeconds, endSeconds + horizonSteps * stepSeconds);
  const daily = seasonSteps(DAY_SECONDS, stepSeconds) || 1;
  const eligible = withShiftVariants(
    models.filter((m) => {
      const need = m.minHistorySteps(stepSeconds);
      if (n < need) {
        skipped.push(skip(m.name, { code: 'too-short', needSteps: need, haveSteps: n }));
      } else if (eventInHorizon && !m.usesEvents) {
        skipped.push(skip(m.name, { code: 'ignores-events' }));
      }
      return n >= need && (m.usesEvents || !eventInHorizon);
    }),
    // With an event in the horizon the event-aware models learn its effect from its past occurrences, which a
    // variant trained after a level shift (often the past events themselves) would throw away.
    options.levelShiftVariants === false || eventInHorizon
      ? undefined
      : detectLevelShift(input.values, { windowSteps: daily, threshold: 4 })?.index,
    input.startSeconds,
    stepSeconds
  );
  // The backtest window is fixed (a day by default), not the horizon asked: the model chosen and the intervals of
  // the first steps must not change when a person looks further ahead; beyond the window the intervals grow with
  // the step alone (intervals.ts). It leaves at least one season (or half the data) for training.
  const basisSteps = Math.max(1, Math.round((options.backtestSeconds ?? DEFAULT_BACKTEST_SECONDS) / stepSeconds));
  const testSteps = Math.max(1, Math.min(basisSteps, n - Math.max(daily, Math.ceil(n / 2))));
  // Origins a day apart for short windows; for long ones half a window apart, so the test
  // windows are not near-copies of each other and the errors reflect more than one week.
  const stride = Math.max(1, Math.min(testSteps, Math.max(daily, Math.ceil(testSteps / 2))));
  const originsEvery = (count: number, every: number, windowSteps = testSteps) => {
    const out: number[] = [];
    for (let k = 0; k < count; k++) {
      const origin = n - windowSteps - k * every;
      if (origin >= 2) {
        out.push(origin);
      }
    }
    return out;
  };
  // The newest origins, a day apart inside the last test window: their windows stop at the end of the history, but
  // they alone see how the newest days went (a recent level shift, a changed rhythm) at short lead times.
  const recentOrigins: number[] = [];
  for (let o = n - daily; o > n - testSteps; o -= daily) {
    recentOrigins.push(o);
  }
  const origins = [...recentOrigins, ...originsEvery(options.origins, stride)];
  const window = (end: number) => {
    const start = Math.max(0, end - options.maxTrainSteps);
    return {
      values: input.values.slice(start, end),
      startSeconds: input.startSeconds + start * stepSeconds,
      events,
    };
  };
  // Models are fitted once per origin at the longest window any backtest reads (a model's first steps do not depend
  // on how many are asked), and every window reads its slice.
  const weekSteps = seasonSteps(WEEK_SECONDS, stepSeconds) || 7 * daily;
  const laterWanted = options.later !== undefined && horizonSteps > testSteps;
  const fitSteps = laterWanted ? Math.max(testSteps, weekSteps) : testSteps;
  const cache = new Map<Forecaster, Map<number, number[]>>();
  // A shift variant at an origin before the shift trains on what its model does: the model's forecast is reused.
  const forecastAt = (variant: Forecaster, origin: number): number[] => {
    const input = { ...window(origin), stepSeconds, horizonSteps: fitSteps };
    const model = fittedAs(variant, input);
    const byOrigin = cache.get(model) ?? new Map<number, number[]>();
    cache.set(model, byOrigin);
    if (!byOrigin.has(origin)) {
      byOrigin.set(origin, checkedMean(model, input));
    }
    return byOrigin.get(origin)!;
  };
  const usableAt = (model: Forecaster, origin: number) =>
    Math.min(origin, options.maxTrainSteps) >= model.minHistorySteps(stepSeconds);
  const combination = options.combination ?? { rule: 'pick', size: options.maxBlendSize };
  /**
   * Candidates ranked by backtest MAE at the origins `at`, on steps [from, to) after each origin. Each model is
   * backtested on the origins it has enough history for (a weekly model skips the earliest ones).
   */
  const rank = (at: number[], from: number, to: number, report: boolean) => {
    const actualAt = (o: number) => input.values.slice(o + from, o + to);
    const forecastOf = (members: readonly Forecaster[], combine: Combiner, o: number) =>
      combine(members.map((m) => forecastAt(m, o).slice(from, to)));
    const singles: Backtested[] = [];
    for (const model of eligible) {
      const usable = at.filter((o) => usableAt(model, o));
      if (usable.length === 0) {
        if (report) {
          skipped.push(skip(model.name, { code: 'no-backtest' }));
        }
        continue;
      }
      try {
        const forecasts = usable.map((o) => forecastOf([model], (rows) => [...rows[0]], o));
        singles.push(scored(model.name, [model], (rows) => [...rows[0]], usable, forecasts, actualAt));
      } catch (error) {
        if (report) {
          skipped.push(skip(model.name, { code: 'failed-backtest', error: reasonOf(error) }));
        }
      }
    }
    const fair = relativeToReference(singles);
    singles.forEach((s) => {
      const restated = fair(s);
      s.mse *= s.mae > 0 ? (restated / s.mae) ** 2 : 1;
      s.mae = restated;
    });
    singles.sort((a, b) => a.mae - b.mae);
    const pick = combination.rule === 'pick';
    const sizes = pick
      ? Array.from({ length: Math.max(0, combination.size - 1) }, (_, i) => i + 2)
      : [Math.min(combination.size, singles.length)];
    const compete = pick || combination.compete === true;
    const candidates = compete ? [...singles] : [];
    for (const size of sizes.filter((k) => k >= 1 && k <= singles.length)) {
      const best = joining(singles, { ...combination, size });
      const shared = at.filter((o) => best.every((s) => s.origins.includes(o)));
      if (best.length === 1 || shared.length === 0) {
        if (!compete) {
          candidates.push(best[0]);
        }
        continue;
      }
      const members = best.map((s) => s.members[0]);
      const combine = combinerFor(combination.rule, best);
      const forecasts = shared.map((o) => forecastOf(members, combine, o));
      const name = `${COMBINED_NAME[combination.rule]}(${best.map((s) => s.name).join(',')})`;
      const candidate = scored(name, members, combine, shared, forecasts, actualAt);
      candidate.mae = fair(candidate);
      candidates.push(candidate);
    }
    return { singles, candidates: candidates.sort((a, b) => a.mae - b.mae) };
  };
  const { singles, candidates } = rank(origins, 0, testSteps, true);
  const backtestMae = Object.fromEntries(singles.map((s) => [s.name, s.mae]));

  const full = { ...window(n), stepSeconds, horizonSteps };
  const fullMeans = new Map<Forecaster, number[]>();
  const meanOf = (choice: Backtested) =>
    choice.combine(
      choice.members.map((variant) => {
        const m = fittedAs(variant, full);
        const mean = fullMeans.get(m) ?? checkedMean(m, full);
        fullMeans.set(m, mean);
        return mean;
      })
    );
  const firstFitting = <T>(list: readonly T[], name: (item: T) => string, fit: (item: T) => number[]) => {
    for (const item of list) {
      try {
        return { item, mean: fit(item) };
      } catch (error) {
        skipped.push(skip(name(item), { code: 'failed-fit', error: reasonOf(error) }));
      }
    }
    return undefined;
  };
  const near = firstFitting(candidates, (c) => c.name, meanOf);
  if (!near) {
    return fallback(input, skipped, backtestMae, window(n));
  }
  const choice = near.item;
  const mean = near.mean;
  let later: AutoForecast['later'];
  if (laterWanted && options.later) {
    // The steps after the first day, chosen on week-long windows that each leave a week of training; the choice
    // depends on the history alone, so a longer horizon still only adds steps at the end.
    const weekOrigins = originsEvery(options.later.origins, daily, weekSteps).filter((o) => o >= weekSteps);
    const ranked =
      weekOrigins.length >= options.later.minOrigins ? rank(weekOrigins, testSteps, weekSteps, false).candidates : [];
    const chosen =
      firstFitting(ranked, (c) => c.name, meanOf) ??
      firstFitting(
        options.later.fallback.flatMap((name) => eligible.filter((m) => m.name === name && usableAt(m, n))),
        (m) => m.name,
        (m) => meanOf({ members: [m], combine: (rows) => [...rows[0]] } as Backtested)
      );
    if (chosen) {
      later = { fromStep: testSteps, model: chosen.item.name };
      for (let h = testSteps; h < horizonSteps; h++) {
        mean[h] = chosen.mean[h];
      }
    }
  }

  // Intervals: the selection's origins and more full windows a day apart.
  const calibrationOrigins = originsEvery(options.calibrationOrigins ?? options.origins, daily);
  // Calibrate on the extra origins the chosen model can be fitted at, plus the selection's.
  const extra = calibrationOrigins.filter(
    (o) => !choice.origins.includes(o) && choice.members.every((m) => usableAt(m, o))
  );
  const unordered = [...choice.origins, ...extra];
  const errorsAt = [
    ...choice.errors,
    ...extra.map((o) => {
      const f = choice.combine(choice.members.map((m) => forecastAt(m, o)));
      return input.values.slice(o, o + testSteps).map((y, h) => y - f[h]);
    }),
  ];
  // Oldest origin first: the intervals adapt to the errors in the order they arrived (intervals.ts).
  const order = unordered.map((_, k) => k).sort((x, y) => unordered[x] - unordered[y]);
  const calibration = order.map((k) => unordered[k]);
  const errors = order.map((k) => errorsAt[k]);
  const { intervals, backtestCoverage } = (options.intervalRule ?? calibratedIntervalsWithCoverage)(
    mean,
    rescaledToNow(errors, calibration, input.values, daily),
    input.levels,
    { ...DEFAULT_INTERVAL_OPTIONS, resolution: valueResolution(input.values) }
  );
  return {
    model: choice.name,
    ...(later ? { later } : {}),
    mean,
    intervals,
    backtestCoverage,
    backtestMae,
    skipped,
  };
}

const COMBINED_NAME: Record<Combination['rule'], string> = {
  pick: 'blend',
  'inverse-mae': 'blend',
  'inverse-mse': 'blend_mse',
  equal: 'mean',
  median: 'median',
  'weighted-median': 'wmedian',
  'weighted-median-mse': 'wmedian_mse',
};

/**
 * Each model plus, when a level shift was found, the same model trained only from the shift on
 * (where the window holds enough steps after it; otherwise it is the model itself). Origins before
 * the shift see no shift, so the variant there is the model itself too: the backtest compares them
 * on the origins after it.
 */
function withShiftVariants(
  models: Forecaster[],
  shiftIndex: number | undefined,
  seriesStartSeconds: number,
  stepSeconds: number
): Forecaster[] {
  if (shiftIndex === undefined) {
    return models;
  }
  const shiftSeconds = seriesStartSeconds + shiftIndex * stepSeconds;
  const variants = models.map((model): Forecaster => {
    const afterShift = (input: ForecastInput): ForecastInput | undefined => {
      const after = Math.ceil((shiftSeconds - input.startSeconds) / input.stepSeconds);
      const usable = after > 0 && input.values.length - after >= model.minHistorySteps(input.stepSeconds);
      return usable
        ? { ...input, values: input.values.slice(after), startSeconds: input.startSeconds + after * input.stepSeconds }
        : undefined;
    };
    const variant: Forecaster = {
      name: `${model.name}@shift`,
      usesEvents: model.usesEvents,
      minHistorySteps: (s) => model.minHistorySteps(s),
      forecast: (input) => model.forecast(afterShift(input) ?? input),
    };
    shiftTwins.set(variant, { base: model, afterShift });
    return variant;
  });
  return [...models, ...variants];
}

/** Each level-shift variant's model, and the window it trains on (undefined: the whole window, as the model). */
const shiftTwins = new WeakMap<
  Forecaster,
  { base: Forecaster; afterShift: (input: ForecastInput) => ForecastInput | undefined }
>();

/** The model that gives `model`'s forecast on `input`: a shift variant trained on the whole window is its model. */
function fittedAs(model: Forecaster, input: ForecastInput): Forecaster {
  const twin = shiftTwins.get(model);
  return twin && !twin.afterShift(input) ? twin.base : model;
}

/**
 * Backtest errors restated at today's volatility: each origin's errors are multiplied by the ratio of
 * the recent step-to-step variability at the end of the history to that just before the origin, so
 * intervals widen when the series has become noisier since the backtest windows (and narrow when
 * calmer). Without variability to compare (a flat stretch) the errors are used as they are.
 */
function rescaledToNow(errors: number[][], origins: number[], values: readonly number[], daily: number): number[][] {
  const span = 7 * daily;
  const variability = (end: number) => {
    let sum = 0;
    const start = Math.max(1, end - span);
    for (let t = start; t < end; t++) {
      sum += Math.abs(values[t] - values[t - 1]);
    }
    return end > start ? sum / (end - start) : 0;
  };
  const now = variability(values.length);
  const before = origins.map(variability);
  if (!(now > 0) || before.some((b) => !(b > 0))) {
    return errors;
  }
  return errors.map((row, o) => row.map((e) => (e * now) / before[o]));
}

function scored(
  name: string,
  members: Forecaster[],
  combine: Combiner,
  origins: number[],
  forecasts: number[][],
  actualAt: (origin: number) => number[]
): Backtested {
  const errors = origins.map((o, k) => actualAt(o).map((y, h) => y - forecasts[k][h]));
  const maeByOrigin = errors.map((row) => row.reduce((s, e) => s + Math.abs(e), 0) / row.length);
  const mse = mean(errors.map((row) => row.reduce((s, e) => s + e * e, 0) / row.length));
  return { name, members, combine, origins, errors, maeByOrigin, mae: mean(maeByOrigin), mse };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Candidates backtested on fewer origins than others (too little history for the earliest) are compared on the
 * same footing by a relative error: their MAE over their origins divided by a reference model's MAE over the same
 * origins, times the reference's MAE over all of them. The reference is the best model scored on the most origins.
 * Where the reference made no error on those origins the candidate's own MAE stands.
 */
function relativeToReference(singles: readonly Backtested[]): (candidate: Backtested) => number {
  const most = Math.max(0, ...singles.map((s) => s.origins.length));
  const reference = singles
    .filter((s) => s.origins.length === most)
    .reduce<Backtested | undefined>((best, s) => (best && best.mae <= s.mae ? best : s), undefined);
  return (candidate) => {
    if (!reference || candidate.origins.length === most) {
      return candidate.mae;
    }
    const onSame = mean(candidate.origins.map((o) => reference.maeByOrigin[reference.origins.indexOf(o)]));
    return onSame > 0 ? (candidate.mae / onSame) * reference.mae : candidate.mae;
  };
}

function checkedMean(model: Forecaster, input: Parameters<Forecaster['forecast']>[0]): number[] {
  const { mean } = model.forecast(input);
  if (mean.length !== input.horizonSteps || !mean.every(Number.isFinite)) {
    throw new Error(`${model.name} returned a non-finite or short forecast`);
  }
  return mean;
}

/**
 * No model survived a backtest (the history is shorter than any test window needs): repeat the
 * last value, with intervals from its one-step errors grown with the lead time (intervals.ts).
 */
function fallback(
  input: AutoForecastInput,
  skipped: AutoForecast['skipped'],
  backtestMae: Record<string, number>,
  history: { values: number[]; startSeconds: number }
): AutoForecast {
  const naive = seasonalNaive('naive', 'step');
  const result = naive.forecast({ ...history, stepSeconds: input.stepSeconds, horizonSteps: input.horizonSteps });
  const oneStepErrors = (result.residuals?.length ? result.residuals : [0]).map((r) => [r]);
  const { intervals, backtestCoverage } = calibratedIntervalsWithCoverage(result.mean, oneStepErrors, input.levels, {
    ...DEFAULT_INTERVAL_OPTIONS,
    resolution: valueResolution(history.values),
  });
  return {
    model: naive.name,
    mean: result.mean,
    intervals,
    backtestCoverage,
    backtestMae,
    skipped,
  };
}
