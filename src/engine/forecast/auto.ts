import { calibratedIntervals, type Interval } from './intervals';
import { seasonalNaive } from './seasonalNaive';
import { DAY_SECONDS, seasonSteps } from './seasons';
import type { Forecaster } from './types';

export interface AutoForecastInput {
  /** Fit-ready history (finite, regular). */
  values: readonly number[];
  startSeconds: number;
  stepSeconds: number;
  horizonSteps: number;
  /** Interval levels in percent, e.g. [80, 95]. */
  levels: readonly number[];
}

export interface AutoForecastOptions {
  /** Rolling origins in the backtest. */
  origins: number;
  /** Models are fitted on at most this many most recent steps. */
  maxTrainSteps: number;
  /** The best few models by backtest error are also tried as an inverse-error weighted blend. */
  maxBlendSize: number;
}

export interface AutoForecast {
  /** The chosen model, or `blend(a,b)` for a weighted combination. */
  model: string;
  mean: number[];
  intervals: Record<string, Interval>;
  /** Backtest mean absolute error per model that completed it. */
  backtestMae: Record<string, number>;
  /** Models that were not used and why (too little history, or the error they threw). */
  skipped: Array<{ model: string; reason: string }>;
}

interface Backtested {
  name: string;
  members: Array<{ model: Forecaster; weight: number }>;
  /** errors[origin][step] = actual − forecast. */
  errors: number[][];
  mae: number;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Picks the model (or blend of the best few) with the lowest error in a rolling-origin backtest on
 * the series' own recent history, refits it on all of it, and derives the prediction intervals from
 * the same backtest errors, so they reflect how wrong this model has actually been on this series.
 */
export function autoForecast(
  input: AutoForecastInput,
  models: readonly Forecaster[],
  options: AutoForecastOptions
): AutoForecast {
  const { stepSeconds, horizonSteps } = input;
  const n = input.values.length;
  const skipped: AutoForecast['skipped'] = [];
  const eligible = models.filter((m) => {
    const need = m.minHistorySteps(stepSeconds);
    if (n < need) {
      skipped.push({ model: m.name, reason: `needs ${need} steps of history, has ${n}` });
    }
    return n >= need;
  });
  // A backtest leaves at least one season (or half the data) for training.
  const daily = seasonSteps(DAY_SECONDS, stepSeconds) || 1;
  const testSteps = Math.max(1, Math.min(horizonSteps, n - Math.max(daily, Math.ceil(n / 2))));
  // Origins a day apart for short horizons; for long ones half a horizon apart, so the test
  // windows are not near-copies of each other and the errors reflect more than one week.
  const stride = Math.max(1, Math.min(testSteps, Math.max(daily, Math.ceil(testSteps / 2))));
  const origins: number[] = [];
  for (let k = 0; k < options.origins; k++) {
    const origin = n - testSteps - k * stride;
    if (origin >= 2) {
      origins.push(origin);
    }
  }
  const window = (end: number) => {
    const start = Math.max(0, end - options.maxTrainSteps);
    return {
      values: input.values.slice(start, end),
      startSeconds: input.startSeconds + start * stepSeconds,
    };
  };
  const forecasts = new Map<Forecaster, number[][]>();
  for (const model of eligible) {
    const usable = origins.filter((o) => Math.min(o, options.maxTrainSteps) >= model.minHistorySteps(stepSeconds));
    if (usable.length < origins.length || usable.length === 0) {
      skipped.push({ model: model.name, reason: 'too little history for a backtest' });
      continue;
    }
    try {
      forecasts.set(
        model,
        origins.map((o) => checkedMean(model, { ...window(o), stepSeconds, horizonSteps: testSteps }))
      );
    } catch (error) {
      skipped.push({ model: model.name, reason: `failed in backtest: ${reasonOf(error)}` });
    }
  }
  const actual = origins.map((o) => input.values.slice(o, o + testSteps));
  const singles: Backtested[] = [...forecasts.entries()].map(([model, f]) =>
    scored(model.name, [{ model, weight: 1 }], f, actual)
  );
  singles.sort((a, b) => a.mae - b.mae);
  const candidates = [...singles];
  for (let size = 2; size <= Math.min(options.maxBlendSize, singles.length); size++) {
    const best = singles.slice(0, size);
    const inverse = best.map((s) => 1 / Math.max(s.mae, 1e-12));
    const total = inverse.reduce((a, b) => a + b, 0);
    const members = best.map((s, i) => ({ model: s.members[0].model, weight: inverse[i] / total }));
    const blended = origins.map((_, o) =>
      actual[o].map((_, h) => members.reduce((sum, m) => sum + m.weight * forecasts.get(m.model)![o][h], 0))
    );
    candidates.push(scored(`blend(${best.map((s) => s.name).join(',')})`, members, blended, actual));
  }
  candidates.sort((a, b) => a.mae - b.mae);
  const backtestMae = Object.fromEntries(singles.map((s) => [s.name, s.mae]));

  for (const choice of candidates) {
    try {
      const full = { ...window(n), stepSeconds, horizonSteps };
      const means = choice.members.map((m) => checkedMean(m.model, full));
      const mean = means[0].map((_, h) => choice.members.reduce((sum, m, i) => sum + m.weight * means[i][h], 0));
      return {
        model: choice.name,
        mean,
        intervals: calibratedIntervals(mean, rescaledToNow(choice.errors, origins, input.values, daily), input.levels),
        backtestMae,
        skipped,
      };
    } catch (error) {
      skipped.push({ model: choice.name, reason: `failed on the full history: ${reasonOf(error)}` });
    }
  }
  return fallback(input, skipped, backtestMae, window(n));
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

function scored(name: string, members: Backtested['members'], forecasts: number[][], actual: number[][]): Backtested {
  const errors = actual.map((row, o) => row.map((y, h) => y - forecasts[o][h]));
  const flat = errors.flat();
  return { name, members, errors, mae: flat.reduce((s, e) => s + Math.abs(e), 0) / flat.length };
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
 * last value, with intervals from its one-step errors grown like √h.
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
  return {
    model: naive.name,
    mean: result.mean,
    intervals: calibratedIntervals(result.mean, oneStepErrors, input.levels),
    backtestMae,
    skipped,
  };
}
