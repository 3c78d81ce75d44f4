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
  calibratedIntervalsWithCoverage,
  coverage,
  defaultForecasters,
  type IntervalOptions,
} from '../src/engine/forecast';
import { HOUR, loadSeries } from './realSeries';

type Intervals = Record<string, { lower: number[]; upper: number[] }>;
type Rule = (
  mean: readonly number[],
  errors: number[][],
  levels: readonly number[],
  options: IntervalOptions
) => Intervals;

const LEVELS = [80, 95];
const HORIZON = 168;
const TRAIN_STEPS = 28 * 24;
const MIN_TRAIN_STEPS = 7 * 24;

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A candidate: the shipped rule with other options (γ, lead-time groups, floor or not). */
const withOptions =
  (overrides: Partial<IntervalOptions>, floor = true): Rule =>
  (mean, errors, levels, options) =>
    calibratedIntervals(mean, errors, levels, {
      ...options,
      ...overrides,
      resolution: floor ? options.resolution : undefined,
    });

const GAMMAS = [0.02, 0.05, 0.1, 0.2, 0.5];
const GROUPS = [1, 4, 24];
const RULES: Record<string, Rule> = {
  'split conformal, no floor (before)': withOptions({ gamma: 0, leadGroups: 1 }, false),
  'split conformal + floor': withOptions({ gamma: 0, leadGroups: 1 }),
  ...Object.fromEntries(
    GROUPS.flatMap((groups) =>
      GAMMAS.map((gamma) => [
        `ACI γ ${gamma}, ${groups} lead group${groups > 1 ? 's' : ''}`,
        withOptions({ gamma, leadGroups: groups }),
      ])
    )
  ),
  ...Object.fromEntries(
    GROUPS.map((groups) => [
      `walk-recalibrated level, ${groups} group${groups > 1 ? 's' : ''}`,
      withOptions({ gamma: 0, leadGroups: groups, recalibrate: true }),
    ])
  ),
};
/** The rule calibratedIntervals implements with DEFAULT_INTERVAL_OPTIONS: the run fails if they differ. */
const SHIPPED = 'split conformal + floor';

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
      let captured: { mean: readonly number[]; errors: number[][]; options: IntervalOptions } | undefined;
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
          intervalRule: (mean, errors, levels, options) => {
            captured = { mean, errors, options };
            return calibratedIntervalsWithCoverage(mean, errors, levels, options);
          },
        }
      );
      const actual = s.values.slice(origin, origin + HORIZON);
      const cover: Row['cover'] = {};
      for (const [name, rule] of Object.entries(RULES)) {
        const iv = captured
          ? rule(captured.mean, captured.errors, LEVELS, captured.options)
          : (f.intervals as Intervals);
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
      const shipped = captured && RULES[SHIPPED](captured.mean, captured.errors, LEVELS, captured.options);
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
const pct = (x: number) => (100 * x).toFixed(1);

function report(rows: Row[]): void {
  const families = [...new Set(rows.map((r) => r.family))];
  const rules = Object.keys(RULES);
  const coverOf = (subset: Row[], rule: string, key: string) => avg(subset.map((r) => r.cover[rule][key]));
  const levelOf = (key: string) => Number(key.split('/')[1]) / 100;
  const ofFamily = (family: string) => rows.filter((r) => r.family === family);
  // Calibration loss of a rule on one family: mean |coverage − level| over 80 / 95 % at 24 h and 168 h.
  const familyLoss = (family: string, rule: string) =>
    avg(KEYS.map((k) => Math.abs(coverOf(ofFamily(family), rule, k) - levelOf(k))));
  // On several families, every family weighing the same.
  const loss = (subset: string[], rule: string) => avg(subset.map((f) => familyLoss(f, rule)));
  const w = Math.max(...rules.map((r) => r.length)) + 1;
  process.stdout.write(`coverage (%) per family, ${rows.length} series × origins, horizon ${HORIZON} h\n`);
  process.stdout.write(
    `${'rule'.padEnd(w)} ${families.map((f) => `${f}(${ofFamily(f).length})`.padEnd(26)).join('')}all\n`
  );
  for (const rule of rules) {
    const cells = [...families.map(ofFamily), rows].map((subset) =>
      KEYS.map((k) => pct(coverOf(subset, rule, k)).padStart(5)).join(' ')
    );
    process.stdout.write(`${rule.padEnd(w)} ${cells.map((c) => c.padEnd(26)).join('')}\n`);
  }
  process.stdout.write(`(each cell: ${KEYS.join(' ')})\n`);
  process.stdout.write(
    '\nleave one family out: rule chosen on the other families (smallest mean |coverage − level| over 80 / 95 % at 24 h and ' +
      `${HORIZON} h, families weighing the same), scored on the held-out one\n`
  );
  const heldOut: number[] = [];
  const chosenCover: Row[] = [];
  for (const family of families) {
    const others = families.filter((f) => f !== family);
    const ranked = [...rules].sort((a, b) => loss(others, a) - loss(others, b));
    const chosen = ranked[0];
    heldOut.push(familyLoss(family, chosen));
    ofFamily(family).forEach((r) => chosenCover.push({ ...r, cover: { chosen: r.cover[chosen] } }));
    process.stdout.write(
      `held out ${family.padEnd(7)} chosen: ${chosen.padEnd(w)} (others' loss ${pct(loss(others, chosen))} pts; runner-up ` +
        `${ranked[1]} ${pct(loss(others, ranked[1]))})  held-out loss ${pct(familyLoss(family, chosen))} pts, ` +
        `${KEYS.map((k) => `${k} ${pct(coverOf(ofFamily(family), chosen, k))}`).join(', ')}\n`
    );
  }
  process.stdout.write(
    `held-out loss, mean of families: ${pct(avg(heldOut))} pts; every task with its fold's choice: ` +
      `${KEYS.map((k) => `${k} ${pct(coverOf(chosenCover, 'chosen', k))}`).join(', ')}\n`
  );
  process.stdout.write('\nloss per rule (points; a rule without fitted constants: its loss on a family is held out)\n');
  for (const rule of rules) {
    const perFamily = families.map((f) => familyLoss(f, rule));
    const worstFamily = Math.max(
      ...families.flatMap((f) => KEYS.map((k) => Math.abs(coverOf(ofFamily(f), rule, k) - levelOf(k))))
    );
    const worstAll = Math.max(...KEYS.map((k) => Math.abs(coverOf(rows, rule, k) - levelOf(k))));
    process.stdout.write(
      `${rule.padEnd(w)} ${families.map((f, i) => `${f} ${pct(perFamily[i])}`).join(', ')}; mean ${pct(avg(perFamily))}; ` +
        `worst |miss| all tasks ${pct(worstAll)}, any family ${pct(worstFamily)}\n`
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
