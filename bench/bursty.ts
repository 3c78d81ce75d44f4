/**
 * Day-ahead forecasts of bursty 10-minute series (job submissions, queue depth, request and byte counts): the
 * series of bench/burstySeries.ts, the ones the detector (engine/forecast/burstiness.ts) calls bursty, rolling
 * origins a day apart (newest first, at most --origins per series), each training on at most 28 days before it and
 * at least 7, forecasting the next 144 steps (a day).
 *
 * Every method runs as the product would run it: through autoForecast with that model alone (auto: the usual
 * candidates; auto+bursty: the candidates the pipeline's hook gives a bursty series), so each has the same
 * calibrated 80 / 95 % intervals from its own backtest errors, and the capacity plan's peak is the largest 95 % upper
 * bound of the day.
 *
 * Choices made leave-one-family-out (helios, alibaba, nab): the Prometheus smoothing and trend factors, the bursty
 * model's variant and the hook's candidate list; each held-out family is scored with what the other families chose.
 * Score: relative MAE, a series' summed MAE over its origins divided by the last value's, geometric mean over the
 * family's series; families weigh the same.
 *
 * Usage: npx tsx bench/bursty.ts [--data DIR] [--origins N] [--all-series] [--per-series 'method;method']
 */
import { parseArgs } from 'node:util';
import { loadAugursInNode } from '../src/cli/augursInNode';
import {
  DEFAULT_AUTO_OPTIONS,
  autoForecast,
  defaultForecasters,
  seasonalNaive,
  seasonalNaiveMae,
  type AutoForecastOptions,
  type Forecaster,
} from '../src/engine/forecast';
import { burstiness } from '../src/engine/forecast/burstiness';
import { burstyProfile, DEFAULT_BURSTY_OPTIONS, type BurstyOptions } from '../src/engine/forecast/bursty';
import { prometheusDoubleExponential } from '../src/engine/forecast/doubleExponential';
import { burstyForecasters, routedAutoForecast } from '../src/engine/forecast/burstyRoute';
import { loadBurstySeries, TEN_MINUTES, type BurstySeries } from './burstySeries';
import { median, mean } from './stats';

const DAY_STEPS = 144;
const HORIZON_STEPS = DAY_STEPS;
const TRAIN_STEPS = 28 * DAY_STEPS;
const MIN_TRAIN_STEPS = 7 * DAY_STEPS;
const LEVELS = [80, 95];

interface Outcome {
  mae: number;
  mase: number;
  /** (max forecast − max actual) / max actual; NaN when the day had no demand. */
  peak: number;
  /** The day's largest 95 % upper bound is at least the day's largest actual. */
  planCovers: boolean;
  /** (largest 95 % upper bound − max actual) / max actual. */
  planExcess: number;
  /** Share of steps inside the 95 % interval. */
  cover95: number;
  model: string;
}

type Run = (
  history: number[],
  startSeconds: number
) => { model: string; mean: number[]; upper95: number[]; lower95: number[] };

const through =
  (models: Forecaster[], options: AutoForecastOptions): Run =>
  (history, startSeconds) => {
    const f = autoForecast(
      { values: history, startSeconds, stepSeconds: TEN_MINUTES, horizonSteps: HORIZON_STEPS, levels: LEVELS },
      models,
      options
    );
    return { model: f.model, mean: f.mean, upper95: f.intervals['95'].upper, lower95: f.intervals['95'].lower };
  };

const geomean = (xs: number[]) => Math.exp(mean(xs.filter((x) => x > 0).map(Math.log)));

function evaluate(series: BurstySeries[], runs: Record<string, Run>, maxOrigins: number) {
  const out: Record<string, Map<string, Outcome[]>> = Object.fromEntries(Object.keys(runs).map((k) => [k, new Map()]));
  for (const s of series) {
    const n = s.values.length;
    for (let k = 0; k < maxOrigins; k++) {
      const origin = n - HORIZON_STEPS - k * DAY_STEPS;
      if (origin < MIN_TRAIN_STEPS) {
        break;
      }
      const start = Math.max(0, origin - TRAIN_STEPS);
      const history = s.values.slice(start, origin);
      const actual = s.values.slice(origin, origin + HORIZON_STEPS);
      const scale = seasonalNaiveMae(history, DAY_STEPS);
      const peakActual = Math.max(...actual);
      for (const [name, run] of Object.entries(runs)) {
        const f = run(history, s.startSeconds + start * TEN_MINUTES);
        const mae = mean(actual.map((y, h) => Math.abs(y - f.mean[h])));
        const plan = Math.max(...f.upper95);
        const list = out[name].get(s.name) ?? [];
        out[name].set(s.name, list);
        list.push({
          mae,
          mase: scale > 0 ? mae / scale : NaN,
          peak: peakActual > 0 ? (Math.max(...f.mean) - peakActual) / peakActual : NaN,
          planCovers: plan >= peakActual,
          planExcess: peakActual > 0 ? (plan - peakActual) / peakActual : NaN,
          cover95: mean(actual.map((y, h) => (y >= f.lower95[h] && y <= f.upper95[h] ? 1 : 0))),
          model: f.model,
        });
      }
    }
  }
  return out;
}

type Results = ReturnType<typeof evaluate>;

/** Relative MAE of a method on a set of series: per series Σ MAE / Σ MAE of the last value, geometric mean. */
function relativeMae(results: Results, method: string, seriesNames: string[]): number {
  return geomean(
    seriesNames.map((name) => {
      const own = results[method].get(name)!.reduce((a, o) => a + o.mae, 0);
      const naive = results.last_value.get(name)!.reduce((a, o) => a + o.mae, 0);
      return naive > 0 ? own / naive : NaN;
    })
  );
}

/** Each family held out in turn: the variant with the lowest mean relative MAE on the other families, scored on it. */
function lofo(results: Results, variants: string[], families: Map<string, string[]>) {
  const rows: Array<{ heldOut: string; chosen: string; score: number; best: string; bestScore: number }> = [];
  for (const [heldOut, names] of families) {
    const others = [...families.entries()].filter(([f]) => f !== heldOut);
    const trainScore = (v: string) => mean(others.map(([, ns]) => relativeMae(results, v, ns)));
    const chosen = variants.reduce((a, b) => (trainScore(b) < trainScore(a) ? b : a));
    const best = variants.reduce((a, b) => (relativeMae(results, b, names) < relativeMae(results, a, names) ? b : a));
    rows.push({
      heldOut,
      chosen,
      score: relativeMae(results, chosen, names),
      best,
      bestScore: relativeMae(results, best, names),
    });
  }
  return rows;
}

function main() {
  const { values: flags } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      origins: { type: 'string', default: '7' },
      'all-series': { type: 'boolean', default: false },
      'per-series': { type: 'string' },
    },
  });
  const all = loadBurstySeries(flags.data!);
  const w = (s: string, n: number) => s.padEnd(n);
  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '∞');
  process.stdout.write(
    'series                                     family   class         ADI   CV²  zeros  mean/med  spikes\n'
  );
  for (const s of all) {
    const b = burstiness(s.values, TEN_MINUTES);
    process.stdout.write(
      `${w(s.name, 42)} ${w(s.family, 8)} ${w(b.demandClass, 12)} ${f2(b.adi).padStart(5)} ${f2(b.cv2).padStart(5)}  ${f2(
        b.zeroShare
      ).padStart(5)}  ${f2(b.meanToMedian).padStart(8)}  ${f2(b.spikeShare).padStart(6)}\n`
    );
  }
  const series = flags['all-series']
    ? all
    : all.filter((s) => burstiness(s.values, TEN_MINUTES).demandClass !== 'smooth');
  const augurs = loadAugursInNode();
  const defaults = defaultForecasters(augurs);
  const options = DEFAULT_AUTO_OPTIONS;
  const single = (m: Forecaster) => through([m], options);
  const holtRuns: Record<string, Run> = {};
  for (const sf of [0.1, 0.3, 0.5, 0.7, 0.9]) {
    for (const tf of [0.1, 0.5, 0.9]) {
      holtRuns[`holt(${sf},${tf})`] = single(
        prometheusDoubleExponential('holt', { smoothingFactor: sf, trendFactor: tf, rangeSeconds: 86_400 })
      );
    }
  }
  const flat: BurstyOptions = { ...DEFAULT_BURSTY_OPTIONS, profileWeight: 0, revert: true };
  const profiled: BurstyOptions = { ...flat, profileWeight: 1 };
  const burstyVariants: Record<string, BurstyOptions> = {
    'bursty(24h)': { ...flat, levelHours: 24, revert: false },
    'bursty(24h,prof)': { ...profiled, levelHours: 24, revert: false },
    'bursty(24h,rev)': { ...flat, levelHours: 24 },
    'bursty(24h,prof,rev)': { ...profiled, levelHours: 24 },
    'bursty(6h,rev)': { ...flat, levelHours: 6 },
    'bursty(3h,rev)': { ...flat, levelHours: 3 },
    'bursty(1h,rev)': { ...flat, levelHours: 1 },
    'bursty(6h,prof,rev)': { ...profiled, levelHours: 6 },
  };
  const burstyRuns = Object.fromEntries(
    Object.entries(burstyVariants).map(([name, o]) => [name, single(burstyProfile('bursty_profile', o))])
  );
  const runs: Record<string, Run> = {
    last_value: single(seasonalNaive('naive', 'step')),
    seasonal_naive_day: single(seasonalNaive('seasonal_naive_day', 86_400)),
    auto: through(defaults, options),
    ...holtRuns,
    ...burstyRuns,
    'auto+bursty': (history, startSeconds) => {
      const input = {
        values: history,
        startSeconds,
        stepSeconds: TEN_MINUTES,
        horizonSteps: HORIZON_STEPS,
        levels: LEVELS,
      };
      const f = routedAutoForecast(input, defaults, options);
      return { model: f.model, mean: f.mean, upper95: f.intervals['95'].upper, lower95: f.intervals['95'].lower };
    },
    'auto+bursty,no env.': through(burstyForecasters(), options),
    'all+bursty': through([...defaults, ...burstyForecasters().slice(0, 2)], options),
  };
  const t0 = performance.now();
  const results = evaluate(series, runs, Number(flags.origins));
  process.stderr.write(`evaluated in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  const families = new Map<string, string[]>();
  for (const s of series) {
    families.set(s.family, [...(families.get(s.family) ?? []), s.name]);
  }
  const burstyFamilies = new Map([...families].filter(([f]) => ['helios', 'alibaba', 'nab'].includes(f)));
  const holtChoice = lofo(results, Object.keys(holtRuns), burstyFamilies);
  const burstyChoice = lofo(results, Object.keys(burstyRuns), burstyFamilies);
  const routeChoice = lofo(results, ['bursty(6h,rev)', 'auto+bursty,no env.', 'all+bursty'], burstyFamilies);
  for (const [title, rows] of [
    ['Prometheus factors', holtChoice],
    ['bursty variant', burstyChoice],
    ['candidate list', routeChoice],
  ] as const) {
    process.stdout.write(
      `\nLOFO ${title}: held-out family, chosen on the others, its held-out rel. MAE (best in hindsight)\n`
    );
    for (const r of rows) {
      process.stdout.write(
        `  ${w(r.heldOut, 8)} ${w(r.chosen, 18)} ${r.score.toFixed(3)}   (${r.best} ${r.bestScore.toFixed(3)})\n`
      );
    }
  }
  printTable(results, families, Object.keys(runs));
  if (flags['per-series']) {
    const shown = flags['per-series'].split(';');
    process.stdout.write(`\nMAE per series, mean over its origins: ${shown.join(', ')}\n`);
    for (const s of series) {
      const cells = shown.map((m) =>
        mean(results[m].get(s.name)!.map((o) => o.mae))
          .toPrecision(4)
          .padStart(10)
      );
      process.stdout.write(`${s.name.padEnd(40)} ${cells.join(' ')}\n`);
    }
  }
}

function printTable(results: Results, families: Map<string, string[]>, methods: string[]) {
  const gpuSeries = [...(families.get('helios') ?? []), ...(families.get('alibaba') ?? [])];
  const fams = [...families.keys()];
  process.stdout.write(
    `\nday ahead, bursty series × origins; MAE in GPUs per 10 min over the GPU series (helios, alibaba); rel. MAE vs last value per family (${fams.join(
      ', '
    )}); MASE, peak error (signed) and plan excess: medians; plan = largest 95 % upper bound of the day\n`
  );
  process.stdout.write(
    `method               n   MAE GPU  ${fams.map((f) => f.padStart(8)).join(' ')}  MASE med  peak err  plan≥peak  plan excess  cover95\n`
  );
  for (const method of methods) {
    const outcomes = [...results[method].values()].flat();
    const gpu = gpuSeries.flatMap((name) => results[method].get(name) ?? []);
    const rel = fams.map((f) => relativeMae(results, method, families.get(f)!).toFixed(3).padStart(8)).join(' ');
    process.stdout.write(
      `${method.padEnd(20)} ${String(outcomes.length).padStart(3)} ${mean(gpu.map((o) => o.mae))
        .toFixed(2)
        .padStart(8)}  ${rel}  ${median(outcomes.map((o) => o.mase))
        .toFixed(3)
        .padStart(8)}  ${median(outcomes.map((o) => o.peak))
        .toFixed(2)
        .padStart(8)}  ${(100 * mean(outcomes.map((o) => (o.planCovers ? 1 : 0)))).toFixed(1).padStart(8)}  ${median(
        outcomes.map((o) => o.planExcess)
      )
        .toFixed(2)
        .padStart(11)}  ${(100 * mean(outcomes.map((o) => o.cover95))).toFixed(1).padStart(7)}\n`
    );
  }
}

main();
