/**
 * Leave-one-family-out choice of auto's selection variant (candidate set, combination rule, choice of the steps after
 * the first day), for bench/forecast.ts --lofo. Tasks are bench/forecast.ts's: origins spread over the end of each
 * series, a day and a week ahead, MASE against the daily seasonal-naive scale. Every variant and every candidate
 * alone forecasts every task (fits are memoised per series, so variants share them). For each held-out family the
 * variant with the lowest mean, over the other families and both horizons, of the log of their median MASE is chosen,
 * and scored on the held-out family.
 */
import {
  DEFAULT_AUTO_OPTIONS,
  autoForecast,
  drift,
  mase,
  type AutoForecastOptions,
  type Forecaster,
} from '../src/engine/forecast';
import type { Combination } from '../src/engine/forecast/combine';
import { HOUR, foldOf, type Series } from './realSeries';
import { median } from './stats';
import { rollingOrigins } from './rollingOrigins';

const HORIZONS = [24, 168] as const;
const LEVELS = [80, 95];

export interface Variant {
  name: string;
  withDrift: boolean;
  options: AutoForecastOptions;
}

type CombinationSpec = Combination & { drift?: boolean };

/**
 * The variants compared: combination rule (with the drift model among the candidates or, for the rule used before
 * and the leading one, without) × how the steps after the first day are chosen. An earlier, wider grid (every rule at
 * sizes 2–7 and limits 1.25–3) chose less consistently and did worse held out; see README.md.
 */
export function variants(): Variant[] {
  const combinations: CombinationSpec[] = [
    { rule: 'pick', size: 3, drift: false },
    { rule: 'pick', size: 3 },
    { rule: 'inverse-mae', size: 3 },
    { rule: 'equal', size: 3 },
    { rule: 'median', size: 5, drift: false },
    { rule: 'median', size: 5 },
    { rule: 'median', size: 5, within: 3, drift: false },
    { rule: 'median', size: 5, within: 3 },
    { rule: 'median', size: 5, within: 3, undominated: true },
    { rule: 'median', size: 5, within: 3, compete: true },
    { rule: 'median', size: 5, compete: true },
    { rule: 'median', size: 3, distinct: true },
    { rule: 'median', size: 3, distinct: true, compete: true },
    { rule: 'weighted-median', size: 5 },
    { rule: 'weighted-median', size: 5, within: 3 },
    { rule: 'weighted-median', size: 7, within: 3 },
    { rule: 'weighted-median-mse', size: 5, within: 3 },
    { rule: 'weighted-median-mse', size: 7, within: 3 },
  ];
  const laters: Array<[string, AutoForecastOptions['later']]> = [
    ['same', undefined],
    ['week/same', { origins: 7, minOrigins: 3, fallback: [] }],
    ['week/mstl', { origins: 7, minOrigins: 3, fallback: ['mstl', 'seasonal_naive_week', 'seasonal_naive_day'] }],
    ['week/snaive', { origins: 7, minOrigins: 3, fallback: ['seasonal_naive_week', 'seasonal_naive_day'] }],
  ];
  const out: Variant[] = [];
  for (const { drift: withDrift = true, ...combination } of combinations) {
    const { rule, size, within, distinct, undominated, compete } = combination;
    const label = [
      withDrift ? '' : '-drift ',
      `${rule}${size}`,
      within ? `≤${within}` : '',
      distinct ? ' distinct' : '',
      undominated ? ' undom' : '',
      compete ? ' compete' : '',
    ].join('');
    for (const [laterName, later] of laters) {
      out.push({
        name: `${label} ${laterName}`,
        withDrift,
        options: { ...DEFAULT_AUTO_OPTIONS, maxBlendSize: size, combination, later },
      });
    }
  }
  return out;
}

/** Forecasts cached by the window (start and length) they were fitted on; one cache per series. */
function memoised(model: Forecaster): Forecaster {
  const cache = new Map<string, number[]>();
  return {
    name: model.name,
    usesEvents: model.usesEvents,
    minHistorySteps: (s) => model.minHistorySteps(s),
    forecast: (input) => {
      const key = `${input.startSeconds}:${input.values.length}`;
      let mean = cache.get(key);
      if (!mean || mean.length < input.horizonSteps) {
        mean = model.forecast({ ...input, horizonSteps: Math.max(input.horizonSteps, 168) }).mean;
        cache.set(key, mean);
      }
      return { mean: mean.slice(0, input.horizonSteps) };
    },
  };
}

interface Task {
  fold: string;
  horizon: number;
  /** MASE by method: `auto:<variant>` or the candidate's name. */
  mase: Record<string, number>;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Runs every variant and candidate on every task and prints, per held-out family, the chosen variant and the median
 * MASE a day and a week ahead of auto (held-out choice) and of every candidate alone.
 */
export function lofo(
  series: Array<Series & { origins?: number }>,
  baseModels: readonly Forecaster[],
  originCount: number,
  log: (line: string) => void
): void {
  const all = variants();
  const tasks: Task[] = [];
  const base = baseModels.filter((m) => m.name !== 'drift');
  for (const s of series) {
    const models = base.map(memoised);
    const driftModel = memoised(drift());
    const candidates = [...models, driftModel];
    for (const horizon of HORIZONS) {
      for (const { history, startSeconds, actual, scale } of rollingOrigins(s, horizon, s.origins ?? originCount)) {
        const task: Task = { fold: foldOf(s), horizon, mase: {} };
        for (const m of candidates) {
          const f = m.forecast({ values: history, startSeconds, stepSeconds: HOUR, horizonSteps: horizon });
          task.mase[m.name] = mase(actual, f.mean, scale);
        }
        for (const v of all) {
          // A day ahead the later steps do not exist: the variants differing only there give the same forecast.
          const twin = horizon <= 24 && v.options.later ? all.find((w) => w.name === sameLater(v)) : undefined;
          if (twin) {
            task.mase[`auto:${v.name}`] = task.mase[`auto:${twin.name}`];
            continue;
          }
          const f = autoForecast(
            { values: history, startSeconds, stepSeconds: HOUR, horizonSteps: horizon, levels: LEVELS },
            v.withDrift ? candidates : models,
            v.options
          );
          task.mase[`auto:${v.name}`] = mase(actual, f.mean, scale);
        }
        tasks.push(task);
      }
    }
    log(`# ${s.name}: ${tasks.length} tasks so far`);
  }
  report(tasks, all, [...base.map((m) => m.name), 'drift'], log);
}

const sameLater = (v: Variant) => v.name.replace(/ week\/\w+$/, ' same');

function report(tasks: Task[], all: Variant[], candidates: string[], log: (line: string) => void): void {
  const folds = [...new Set(tasks.map((t) => t.fold))];
  const med = (subset: Task[], method: string, horizon: number) =>
    median(subset.filter((t) => t.horizon === horizon).map((t) => t.mase[method]));
  // Mean log of the family medians: every family and both horizons weigh the same, in relative terms (a family
  // whose MASE is 25, the NAB series that jump in the horizon, would otherwise decide alone).
  const loss = (subset: Task[], method: string) =>
    avg(
      [...new Set(subset.map((t) => t.fold))].flatMap((fold) => {
        const inFold = subset.filter((t) => t.fold === fold);
        return HORIZONS.map((h) => Math.log(Math.max(med(inFold, method, h), 1e-6)));
      })
    );
  const heldOut: Array<{ task: Task; method: string }> = [];
  // The variant auto ships with (DEFAULT_AUTO_OPTIONS), shown beside each fold's choice.
  const shipped = all.find(
    (v) =>
      v.withDrift &&
      !v.options.later &&
      JSON.stringify(v.options.combination) === JSON.stringify(DEFAULT_AUTO_OPTIONS.combination)
  );
  const shippedMethod = `auto:${shipped?.name ?? all[0].name}`;
  const chosenCount = new Map<string, number>();
  const columns = ['auto', 'default', ...candidates];
  log(
    `\nleave one family out (${tasks.length} tasks): variant chosen on the other families (lowest mean over them and both horizons ` +
      `of the log of the median MASE), median MASE on the held-out family, 24 h | 168 h`
  );
  log(`${'held out'.padEnd(26)} ${'chosen'.padEnd(26)} n24 n168  ${columns.map((c) => c.padStart(14)).join('')}`);
  for (const fold of folds) {
    const train = tasks.filter((t) => t.fold !== fold);
    const test = tasks.filter((t) => t.fold === fold);
    const chosen = [...all].sort((a, b) => loss(train, `auto:${a.name}`) - loss(train, `auto:${b.name}`))[0];
    chosenCount.set(chosen.name, (chosenCount.get(chosen.name) ?? 0) + 1);
    test.forEach((task) => heldOut.push({ task, method: `auto:${chosen.name}` }));
    const cell = (method: string) =>
      `${med(test, method, 24).toFixed(2)}|${med(test, method, 168).toFixed(2)}`.padStart(14);
    const counts = HORIZONS.map((h) => String(test.filter((t) => t.horizon === h).length).padStart(4));
    log(
      `${fold.padEnd(26)} ${chosen.name.padEnd(26)}${counts.join('')}  ${[
        `auto:${chosen.name}`,
        shippedMethod,
        ...candidates,
      ]
        .map(cell)
        .join('')}`
    );
  }
  const pooled = (horizon: number, pick: (t: Task) => number) =>
    median(tasks.filter((t) => t.horizon === horizon).map(pick)).toFixed(3);
  const heldOutOf = (t: Task) => t.mase[heldOut.find((x) => x.task === t)!.method];
  log('\nall tasks pooled, median MASE 24 h | 168 h (auto: each family scored with its fold choice)');
  log(`  auto (held-out)            ${pooled(24, heldOutOf)} | ${pooled(168, heldOutOf)}`);
  for (const c of [shippedMethod, ...candidates, `auto:${all[0].name}`]) {
    log(`  ${c.padEnd(26)} ${pooled(24, (t) => t.mase[c])} | ${pooled(168, (t) => t.mase[c])}`);
  }
  const real = (h: number, c: string) =>
    median(tasks.filter((t) => t.horizon === h && t.fold !== 'fleet').map((t) => t.mase[c])).toFixed(3);
  log('  without the simulated fleet (the tasks of the tables of bench:forecast), 24 h | 168 h:');
  for (const c of [shippedMethod, `auto:${all[0].name}`, ...candidates]) {
    log(`  ${c.padEnd(26)} ${real(24, c)} | ${real(168, c)}`);
  }
  log('  family medians, mean over families (24 h | 168 h):');
  for (const c of [shippedMethod, `auto:${all[0].name}`, ...candidates]) {
    const perFamily = (h: number) =>
      avg(
        folds.map((f) =>
          med(
            tasks.filter((t) => t.fold === f),
            c,
            h
          )
        )
      );
    log(`  ${c.padEnd(26)} ${perFamily(24).toFixed(3)} | ${perFamily(168).toFixed(3)}`);
  }
  log(`\nfolds' choices: ${[...chosenCount.entries()].map(([v, c]) => `${v} ×${c}`).join(', ')}`);
  log('\nevery variant, loss on all families (for reading only, never for choosing):');
  for (const v of [...all].sort((a, b) => loss(tasks, `auto:${a.name}`) - loss(tasks, `auto:${b.name}`))) {
    log(`  ${v.name.padEnd(28)} ${loss(tasks, `auto:${v.name}`).toFixed(3)}`);
  }
}
