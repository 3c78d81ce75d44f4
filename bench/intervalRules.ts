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
import { rollingOrigins } from './rollingOrigins';

type Intervals = Record<string, { lower: number[]; upper: number[] }>;
type Rule = (
  mean: readonly number[],
  errors: number[][],
  levels: readonly number[],
  options: IntervalOptions
) => Intervals;

const LEVELS = [80, 95];
const HORIZON = 168;

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

/** ACI step sizes per origin; DtACI aggregates all of them. */
const GAMMAS = [0.1, 0.3, 1, 2, 4];
const DTACI_GAMMAS = [0.02, 0.05, 0.1, 0.2, 0.5, 1];
const GROUPS = [1, 4];
/** Growth beyond the tested day: ∝ h (β = 1, the rule before) or ∝ √h (β = 0.5). */
const GROWTHS: Array<[string, number]> = [
  ['∝ h', 1],
  ['∝ √h', 0.5],
];
const groupsText = (groups: number) => `${groups} lead group${groups > 1 ? 's' : ''}`;
const RULES: Record<string, Rule> = {
  'split conformal, ∝ h, no floor (before)': withOptions({ gamma: 0, leadGroups: 1, growthExponent: 1 }, false),
  ...Object.fromEntries(
    GROWTHS.flatMap(([growth, growthExponent]) => [
      [`split conformal, ${growth}`, withOptions({ gamma: 0, leadGroups: 1, growthExponent })],
      ...GROUPS.flatMap((groups) => [
        ...GAMMAS.map((gamma) => [
          `ACI γ ${gamma}, ${groupsText(groups)}, ${growth}`,
          withOptions({ gamma, leadGroups: groups, growthExponent }),
        ]),
        [
          `DtACI, ${groupsText(groups)}, ${growth}`,
          withOptions({ gamma: 0, gammas: DTACI_GAMMAS, leadGroups: groups, growthExponent }),
        ],
      ]),
    ])
  ),
};
/** The rule calibratedIntervals implements with DEFAULT_INTERVAL_OPTIONS: the run fails if they differ. */
const SHIPPED = 'split conformal, ∝ h';

interface Row {
  family: string;
  series: string;
  cover: Record<string, Record<string, number>>; // rule → "24h/80" etc. → coverage
  /** The shipped rule's coverage in the backtest's own walk (AutoForecast.backtestCoverage), per level. */
  walk: Record<string, number>;
}

async function main() {
  const { values: flags } = parseArgs({
    options: { origins: { type: 'string', default: '3' }, data: { type: 'string', default: '../shared/data' } },
  });
  const originCount = Number(flags.origins);
  const models = defaultForecasters(loadAugursInNode());
  const rows: Row[] = [];
  for (const s of loadSeries(flags.data!)) {
    for (const { origin, history, startSeconds, actual } of rollingOrigins(s, HORIZON, originCount)) {
      let captured: { mean: readonly number[]; errors: number[][]; options: IntervalOptions } | undefined;
      const f = autoForecast(
        {
          values: history,
          startSeconds,
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
            // Mean width over the steps, to compare rules' sharpness (not a coverage key).
            cover[name][`width ${steps}h/${level}`] = avg(upper.slice(0, steps).map((u, h) => u - lower[h]));
            // Interval score (Gneiting & Raftery 2007, eq. 43): width + (2/α)·how far an actual falls outside.
            const alpha = 1 - level / 100;
            cover[name][`score ${steps}h/${level}`] = avg(
              actual
                .slice(0, steps)
                .map(
                  (y, h) => upper[h] - lower[h] + (2 / alpha) * (Math.max(0, lower[h] - y) + Math.max(0, y - upper[h]))
                )
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
      rows.push({ family: s.family ?? 'other', series: s.name, cover, walk: f.backtestCoverage });
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
  // Width relative to the rule before, per task (geometric mean of the ratios; tasks with a zero width before skipped).
  const BEFORE = Object.keys(RULES)[0];
  process.stdout.write(
    `\nmean width relative to "${BEFORE}" (geometric mean over tasks), 80 / 95 % at 24 h and ${HORIZON} h\n`
  );
  for (const rule of rules) {
    const cells = [...families.map(ofFamily), rows].map((subset) =>
      KEYS.map((k) => {
        const logs = subset
          .map((r) => Math.log(r.cover[rule][`width ${k}`] / r.cover[BEFORE][`width ${k}`]))
          .filter(Number.isFinite);
        return Math.exp(avg(logs)).toFixed(2).padStart(5);
      }).join(' ')
    );
    process.stdout.write(`${rule.padEnd(w)} ${cells.map((c) => c.padEnd(26)).join('')}\n`);
  }
  const walked = (subset: Row[], level: number) => {
    const known = subset.filter((r) => r.walk[level] !== undefined);
    return `${pct(avg(known.map((r) => r.walk[level])))}`;
  };
  process.stdout.write(
    `shipped rule's coverage in the backtest walk, 80 / 95 %: ${[
      ...families.map((f) => [f, ofFamily(f)] as const),
      ['all', rows] as const,
    ]
      .map(([name, subset]) => `${name} ${walked(subset, 80)} / ${walked(subset, 95)}`)
      .join(', ')}\n`
  );
  // Relative interval score of a rule on a family: geometric mean over tasks and the four keys of its score divided by
  // the rule before's (0 = as good, log scale). Calibration and sharpness at once, scale-free across series.
  const familyScore = (family: string, rule: string) =>
    avg(
      ofFamily(family).flatMap((r) =>
        KEYS.map((k) => Math.log(r.cover[rule][`score ${k}`] / r.cover[BEFORE][`score ${k}`])).filter(Number.isFinite)
      )
    );
  const criteria: Array<[string, (family: string, rule: string) => number, (x: number) => string]> = [
    ['mean |coverage − level| over 80 / 95 % at 24 h and 168 h, points', familyLoss, pct],
    [
      `interval score relative to "${BEFORE}" (geometric mean over tasks and the four keys)`,
      familyScore,
      (x) => Math.exp(x).toFixed(3),
    ],
  ];
  for (const [label, lossOf, show] of criteria) {
    const onFamilies = (subset: string[], rule: string) => avg(subset.map((f) => lossOf(f, rule)));
    process.stdout.write(
      `\nleave one family out by ${label}: rule chosen on the other families (weighing the same), scored on the held-out one\n`
    );
    const heldOut: number[] = [];
    const heldOutCoverage: number[] = [];
    const chosenCover: Row[] = [];
    for (const family of families) {
      const others = families.filter((f) => f !== family);
      const ranked = [...rules].sort((a, b) => onFamilies(others, a) - onFamilies(others, b));
      const chosen = ranked[0];
      heldOut.push(lossOf(family, chosen));
      heldOutCoverage.push(familyLoss(family, chosen));
      ofFamily(family).forEach((r) => chosenCover.push({ ...r, cover: { chosen: r.cover[chosen] } }));
      process.stdout.write(
        `held out ${family.padEnd(7)} chosen: ${chosen.padEnd(w)} (others ${show(onFamilies(others, chosen))}; runner-up ` +
          `${ranked[1]} ${show(onFamilies(others, ranked[1]))})  held out ${show(lossOf(family, chosen))}, coverage loss ` +
          `${pct(familyLoss(family, chosen))} pts: ${KEYS.map((k) => `${k} ${pct(coverOf(ofFamily(family), chosen, k))}`).join(', ')}\n`
      );
    }
    process.stdout.write(
      `held out, mean of families: ${show(avg(heldOut))} (coverage loss ${pct(avg(heldOutCoverage))} pts); every task ` +
        `with its fold's choice: ${KEYS.map((k) => `${k} ${pct(coverOf(chosenCover, 'chosen', k))}`).join(', ')}\n`
    );
  }
  process.stdout.write(
    '\ncoverage loss per rule (points) and interval score relative to the rule before (a rule without fitted constants: its loss on a family is held out)\n'
  );
  for (const rule of rules) {
    const perFamily = families.map((f) => familyLoss(f, rule));
    const worstFamily = Math.max(
      ...families.flatMap((f) => KEYS.map((k) => Math.abs(coverOf(ofFamily(f), rule, k) - levelOf(k))))
    );
    const worstAll = Math.max(...KEYS.map((k) => Math.abs(coverOf(rows, rule, k) - levelOf(k))));
    const scores = families.map((f) => familyScore(f, rule));
    process.stdout.write(
      `${rule.padEnd(w)} ${families.map((f, i) => `${f} ${pct(perFamily[i])}`).join(', ')}; mean ${pct(avg(perFamily))}; ` +
        `worst |miss| all tasks ${pct(worstAll)}, any family ${pct(worstFamily)}; relative interval score ` +
        `${families.map((f, i) => `${f} ${Math.exp(scores[i]).toFixed(3)}`).join(', ')}, mean ${Math.exp(avg(scores)).toFixed(3)}\n`
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
