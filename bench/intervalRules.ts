/**
 * Leave-one-family-out comparison of interval rules beyond the backtested steps, on the forecast benchmark's
 * development series (bench/realSeries.ts): the origins of bench/forecast.ts at 168 h, auto's backtest errors
 * captured once per origin, every candidate rule applied to the same errors. For each held-out family the rule
 * is chosen on the other families (smallest mean |coverage − level| at 168 h over 80 and 95 %) and its coverage
 * on the held-out family is reported; the coverage of every rule per family is printed too.
 * Usage: npx tsx bench/intervalRules.ts [--origins N] [--data DIR]
 */
import { parseArgs } from 'node:util';
import { loadAugursInNode } from '../src/cli/augursInNode';
import {
  DEFAULT_AUTO_OPTIONS,
  autoForecast,
  calibratedIntervals,
  conformalQuantile,
  coverage,
  defaultForecasters,
  errorScaleByStep,
} from '../src/engine/forecast';
import { HOUR, loadSeries } from './realSeries';

type Intervals = Record<string, { lower: number[]; upper: number[] }>;
type Rule = (mean: readonly number[], errors: number[][], levels: readonly number[]) => Intervals;

const LEVELS = [80, 95];
const HORIZON = 168;
const TRAIN_STEPS = 28 * 24;
const MIN_TRAIN_STEPS = 7 * 24;

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const tested = (errors: number[][]) => Math.max(0, ...errors.map((r) => r.length));

/** Pooled ratios |e| / scale, as calibratedIntervals pools them. */
function ratiosOf(errors: number[][], scale: number[]): number[] {
  const out: number[] = [];
  errors.forEach((row) => row.forEach((e, h) => scale[h] > 0 && out.push(Math.abs(e) / scale[h])));
  return out;
}

/** Half-width per step from a quantile rule q(ratios, p, beyond) where beyond says the step is past the tested ones. */
const byQuantile =
  (q: (ratios: number[], p: number, beyond: boolean, origins: number) => number, growth: Growth = () => 0.5): Rule =>
  (mean, errors, levels) => {
    const scale = scaleWith(errors, Math.max(mean.length, tested(errors)), growth);
    const ratios = ratiosOf(errors, scale);
    const t = tested(errors);
    return Object.fromEntries(
      levels.map((level) => {
        const within = q(ratios, level / 100, false, errors.length);
        const beyond = q(ratios, level / 100, true, errors.length);
        const hw = (h: number) => (h < t ? within : beyond) * scale[h];
        return [String(level), { lower: mean.map((m, h) => m - hw(h)), upper: mean.map((m, h) => m + hw(h)) }];
      })
    );
  };

/** The exponent β of the scale's growth beyond the tested steps, scale(h) = scale(t − 1)·((h + 1) / t)^β. */
type Growth = (testedScale: number[]) => number;

function scaleWith(errors: number[][], steps: number, growth: Growth): number[] {
  const t = tested(errors);
  const scale = errorScaleByStep(errors, t);
  const beta = growth(scale);
  for (let h = t; h < steps; h++) {
    scale.push(t === 0 ? 0 : scale[t - 1] * ((h + 1) / t) ** beta);
  }
  return scale;
}

/**
 * β fitted to the tested steps (least squares of log scale on log(h + 1)), kept between the random walk's 0.5 and
 * a drift's 1: the two growth laws the theory gives, not a tuned constant.
 */
const fittedGrowth: Growth = (scale) => {
  const pts = scale.map((s, h) => [Math.log(h + 1), Math.log(s)]).filter(([, y]) => Number.isFinite(y));
  if (pts.length < 2) {
    return 0.5;
  }
  const mx = avg(pts.map(([x]) => x));
  const my = avg(pts.map(([, y]) => y));
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  return Math.min(1, Math.max(0.5, sxx > 0 ? sxy / sxx : 0.5));
};

/** Exponential (Laplace-error) tail past the largest ratio, scale = the mean ratio: no constant to tune. */
function tailQuantile(ratios: number[], p: number): number {
  const n = ratios.length;
  const sorted = [...ratios].sort((a, b) => a - b);
  const u = (n + 1) * p;
  if (n === 0) {
    return 0;
  }
  if (u <= n) {
    return sorted[Math.max(0, Math.ceil(u) - 1)];
  }
  const meanRatio = ratios.reduce((a, b) => a + b, 0) / n;
  return sorted[n - 1] + meanRatio * Math.log((1 - n / (n + 1)) / (1 - p));
}

/** Order statistics interpolated at (n + 1)·p, from 0 at rank 0, with the exponential tail past the largest. */
function interpolatedQuantile(ratios: number[], p: number): number {
  const n = ratios.length;
  const sorted = [0, ...[...ratios].sort((a, b) => a - b)];
  const u = (n + 1) * p;
  if (u > n) {
    return tailQuantile(ratios, p);
  }
  const k = Math.floor(u);
  return sorted[k] + (u - k) * (sorted[Math.min(n, k + 1)] - sorted[k]);
}

const RULES: Record<string, Rule> = {
  'per-origin beyond (before)': byQuantile((r, p, beyond, m) =>
    conformalQuantile(r, beyond ? Math.min(1, Math.ceil((m + 1) * p) / Math.max(1, m)) : p)
  ),
  'pooled p everywhere': byQuantile((r, p) => conformalQuantile(r, p)),
  'pooled p, exp. tail past the sample': byQuantile((r, p) => tailQuantile(r, p)),
  'pooled p, interpolated, exp. tail': byQuantile((r, p) => interpolatedQuantile(r, p)),
  'pooled p, scale grows like h': byQuantile(
    (r, p) => tailQuantile(r, p),
    () => 1
  ),
  'pooled p, growth fitted in [0.5, 1]': byQuantile((r, p) => tailQuantile(r, p), fittedGrowth),
};
/** The rule calibratedIntervals implements: the run fails if they differ. */
const SHIPPED = 'pooled p, scale grows like h';
/** Shown for reference, not chosen: it gives the 80 and 95 % levels the same width (the bug). */
const REFERENCE = 'per-origin beyond (before)';

interface Row {
  family: string;
  series: string;
  cover: Record<string, Record<string, number>>; // rule → "24h/80" etc. → coverage
}

async function main() {
  const { values: flags } = parseArgs({
    options: { origins: { type: 'string', default: '3' }, data: { type: 'string', default: '../shared/data' } },
  });
  const originCount = Number(flags.origins);
  const models = defaultForecasters(loadAugursInNode());
  const rows: Row[] = [];
  for (const s of loadSeries(flags.data!)) {
    const n = s.values.length;
    const stride = Math.max(24, Math.floor((n - HORIZON - MIN_TRAIN_STEPS) / originCount));
    for (let k = 0; k < originCount; k++) {
      const origin = n - HORIZON - k * stride;
      if (origin < MIN_TRAIN_STEPS) {
        break;
      }
      const start = Math.max(0, origin - TRAIN_STEPS);
      let captured: { mean: readonly number[]; errors: number[][] } | undefined;
      const f = autoForecast(
        {
          values: s.values.slice(start, origin),
          startSeconds: s.startSeconds + start * HOUR,
          stepSeconds: HOUR,
          horizonSteps: HORIZON,
          levels: LEVELS,
        },
        models,
        {
          ...DEFAULT_AUTO_OPTIONS,
          intervalRule: (mean, errors, levels) => {
            captured = { mean, errors };
            return calibratedIntervals(mean, errors, levels);
          },
        }
      );
      const actual = s.values.slice(origin, origin + HORIZON);
      const cover: Row['cover'] = {};
      for (const [name, rule] of Object.entries(RULES)) {
        const iv = captured ? rule(captured.mean, captured.errors, LEVELS) : (f.intervals as Intervals);
        cover[name] = {};
        for (const steps of [24, HORIZON]) {
          for (const level of LEVELS) {
            const { lower, upper } = iv[String(level)];
            cover[name][`${steps}h/${level}`] = coverage(
              actual.slice(0, steps),
              lower.slice(0, steps),
              upper.slice(0, steps)
            );
          }
        }
      }
      const shipped = captured && RULES[SHIPPED](captured.mean, captured.errors, LEVELS);
      const near = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) <= 1e-9 * (1 + Math.abs(x)));
      const same = (a: Intervals, b: Intervals) =>
        LEVELS.every((l) => near(a[l].lower, b[l].lower) && near(a[l].upper, b[l].upper));
      if (shipped && !same(shipped, f.intervals)) {
        process.stderr.write(`calibratedIntervals differs from "${SHIPPED}" on ${s.name}@${origin}\n`);
        process.exitCode = 1;
      }
      rows.push({ family: s.family ?? 'other', series: s.name, cover });
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  report(rows);
}

const KEYS = ['24h/80', '24h/95', `${HORIZON}h/80`, `${HORIZON}h/95`];

function report(rows: Row[]): void {
  const families = [...new Set(rows.map((r) => r.family))];
  const coverOf = (subset: Row[], rule: string, key: string) => avg(subset.map((r) => r.cover[rule][key]));
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  process.stdout.write(`coverage (%) per family, ${rows.length} series × origins, horizon ${HORIZON} h\n`);
  process.stdout.write(`${'family'.padEnd(8)} ${'rule'.padEnd(38)} ${KEYS.map((k) => k.padStart(8)).join('')}\n`);
  for (const family of families) {
    const subset = rows.filter((r) => r.family === family);
    for (const rule of Object.keys(RULES)) {
      process.stdout.write(
        `${`${family}(${subset.length})`.padEnd(8)} ${rule.padEnd(38)} ${KEYS.map((k) => pct(coverOf(subset, rule, k)).padStart(8)).join('')}\n`
      );
    }
  }
  // Calibration loss at 168 h on a set: mean over levels of |coverage − level|, every family weighing the same.
  const loss = (subset: Row[], rule: string) =>
    avg(
      [...new Set(subset.map((r) => r.family))].flatMap((family) =>
        LEVELS.map((level) =>
          Math.abs(
            coverOf(
              subset.filter((r) => r.family === family),
              rule,
              `${HORIZON}h/${level}`
            ) -
              level / 100
          )
        )
      )
    );
  // The same, every series × origin weighing the same (the families with most series decide).
  const rowLoss = (subset: Row[], rule: string) =>
    avg(LEVELS.map((level) => Math.abs(coverOf(subset, rule, `${HORIZON}h/${level}`) - level / 100)));
  const candidates = Object.keys(RULES).filter((r) => r !== REFERENCE);
  for (const [weighing, lossOf] of [
    ['families weighing the same', loss],
    ['series × origins weighing the same', rowLoss],
  ] as const) {
    process.stdout.write(
      `\nleave one family out: rule chosen on the others (${weighing}), coverage (%) on the held-out one\n`
    );
    for (const family of families) {
      const train = rows.filter((r) => r.family !== family);
      const test = rows.filter((r) => r.family === family);
      const ranked = [...candidates].sort((a, b) => lossOf(train, a) - lossOf(train, b));
      const chosen = ranked[0];
      process.stdout.write(
        `held out ${family.padEnd(7)} chosen: ${chosen.padEnd(38)} (train loss ${(100 * lossOf(train, chosen)).toFixed(
          1
        )} pts; runner-up ${ranked[1]} ${(100 * lossOf(train, ranked[1])).toFixed(1)})  held-out ${KEYS.map(
          (k) => `${k} ${pct(coverOf(test, chosen, k)).trim()}`
        ).join(', ')}\n`
      );
    }
  }
  // No rule has a constant fitted to the data, so each one's held-out loss on a family is its loss there.
  process.stdout.write('\nheld-out loss at 168 h (mean |coverage − level| over 80 and 95 %, points) per rule\n');
  for (const rule of candidates) {
    const perFamily = families.map((family) =>
      loss(
        rows.filter((r) => r.family === family),
        rule
      )
    );
    process.stdout.write(
      `${rule.padEnd(38)} ${families.map((f, i) => `${f} ${(100 * perFamily[i]).toFixed(1)}`).join(', ')}; mean ${(
        100 * avg(perFamily)
      ).toFixed(1)}\n`
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
