import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { isActive, knownEffectAt, type BusinessEvent } from './calendar';
import { DAY_SECONDS, WEEK_SECONDS, seasonSteps } from './seasons';
import type { Forecaster, ForecastInput, ModelForecast } from './types';

export interface FourierRegressionOptions {
  dailyHarmonics: number;
  weeklyHarmonics: number;
}

/**
 * Least squares on a linear trend plus daily and weekly Fourier terms of the absolute time, so the
 * phase follows the clock (hour of day, day of week) rather than the start of the window. Weekly
 * terms are used only with two weeks of history, so that they are estimated, not memorised.
 *
 * Business events: known effects are divided (and subtracted) out of the history before the fit
 * and applied to the forecast. An event without an effect is learnt from its past occurrences in
 * the history: the baseline is fitted on the steps outside every such occurrence, and each name's
 * effect is a share of that baseline (an indicator regressor times the baseline), fitted jointly by
 * least squares over the occurrences, so overlapping learnt events add their shares. A name with no
 * past occurrence has nothing to learn from: it is left out (and absent from `eventEffects`).
 */
export function fourierRegression(options: FourierRegressionOptions): Forecaster {
  return {
    name: 'regression',
    usesEvents: true,
    minHistorySteps: (stepSeconds) => Math.max(seasonSteps(DAY_SECONDS, stepSeconds), 2 * options.dailyHarmonics + 2),
    forecast({ values, startSeconds, stepSeconds, horizonSteps, events = [] }: ForecastInput): ModelForecast {
      const n = values.length;
      const timeAt = (k: number) => startSeconds + k * stepSeconds;
      const useWeekly = n * stepSeconds >= 2 * WEEK_SECONDS;
      // Nyquist: a daily harmonic needs more than two steps per cycle.
      const dailyHarmonics = Math.min(options.dailyHarmonics, Math.floor((DAY_SECONDS / stepSeconds - 1) / 2));
      const features = (k: number): number[] => {
        const t = timeAt(k);
        const row = [k / n];
        for (let j = 1; j <= dailyHarmonics; j++) {
          const a = (2 * Math.PI * j * t) / DAY_SECONDS;
          row.push(Math.sin(a), Math.cos(a));
        }
        if (useWeekly) {
          for (let j = 1; j <= options.weeklyHarmonics; j++) {
            const a = (2 * Math.PI * j * t) / WEEK_SECONDS;
            row.push(Math.sin(a), Math.cos(a));
          }
        }
        return row;
      };
      const known = Array.from({ length: n + horizonSteps }, (_, k) => knownEffectAt(events, timeAt(k)));
      const base = values.map((v, k) => (v - known[k].offset) / known[k].factor);
      const learnt = learntEventsIn(events, timeAt(0), timeAt(n));
      const inLearnt = (k: number) => learnt.some((name) => activeNamed(events, name, timeAt(k)));

      const ordinary = base.map((_, k) => k).filter((k) => !inLearnt(k));
      const width = features(0).length + 1;
      if (ordinary.length < width) {
        throw new Error(`only ${ordinary.length} steps outside learnt events, the fit needs ${width}`);
      }
      const model = new MultivariateLinearRegression(
        ordinary.map(features),
        ordinary.map((k) => [base[k]]),
        { statistics: false }
      );
      const baseline = model
        .predict(Array.from({ length: n + horizonSteps }, (_, k) => features(k)))
        .map((row) => row[0]);
      const shares = learntShares(learnt, events, base, baseline, timeAt);
      const fitted = (k: number) => {
        let share = 1;
        learnt.forEach((name, e) => {
          share += activeNamed(events, name, timeAt(k)) ? shares[e] : 0;
        });
        return baseline[k] * share * known[k].factor + known[k].offset;
      };
      const mean = Array.from({ length: horizonSteps }, (_, h) => fitted(n + h));
      return {
        mean,
        residuals: values.map((v, k) => v - fitted(k)),
        eventEffects: Object.fromEntries(learnt.map((name, e) => [name, shares[e]])),
      };
    },
  };
}

const activeNamed = (events: readonly BusinessEvent[], name: string, timeSeconds: number) =>
  events.some((e) => !e.effect && e.name === name && isActive(e, timeSeconds));

/** Names of effect-less events with an occurrence inside [fromSeconds, toSeconds), sorted. */
function learntEventsIn(events: readonly BusinessEvent[], fromSeconds: number, toSeconds: number): string[] {
  const names = events
    .filter((e) => !e.effect && e.startSeconds < toSeconds && e.endSeconds > fromSeconds)
    .map((e) => e.name);
  return [...new Set(names)].sort();
}

/** Least squares of (value − baseline) on indicator × baseline per learnt name, over the history. */
function learntShares(
  learnt: readonly string[],
  events: readonly BusinessEvent[],
  base: readonly number[],
  baseline: readonly number[],
  timeAt: (k: number) => number
): number[] {
  if (learnt.length === 0) {
    return [];
  }
  const x: number[][] = [];
  const y: number[][] = [];
  base.forEach((v, k) => {
    const row = learnt.map((name) => (activeNamed(events, name, timeAt(k)) ? baseline[k] : 0));
    if (row.some((c) => c !== 0)) {
      x.push(row);
      y.push([v - baseline[k]]);
    }
  });
  if (x.length === 0) {
    return learnt.map(() => 0);
  }
  const fit = new MultivariateLinearRegression(x, y, { intercept: false, statistics: false });
  return fit.weights.map((w) => (Number.isFinite(w[0]) ? w[0] : 0));
}
