/**
 * Alert-quality benchmark of the adaptive thresholds against two baselines, on public labelled
 * series (see ../shared/data/README.md):
 * - NAB v1.1 (realAWSCloudwatch, artificialWithAnomaly, artificialNoAnomaly): normalised scores of
 *   alert starts under the standard, reward_low_FP_rate and reward_low_FN_rate profiles;
 * - Donut cpu4: point-adjusted F1 of the time in alert;
 * - alert starts per series-week (NAB, after the warm-up).
 * The adaptive rule runs through `answerAlertsRequest`, the code behind `headroom thresholds --alerts`.
 * Usage: npx tsx bench/alerts.ts [--data DIR] [--sweep] [--lofo [--pool slot|core|wide|skyline|resolution]]
 *   --sweep also scores variants of the rule on the whole development set (for reading, not for choosing);
 *   --lofo: leave-one-family-out (NAB's folders and Donut): each fold chooses among the candidates on the other
 *   families and is scored on the held-out one; LOFO_ALL=1 also prints every candidate by family.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { answerAlertsRequest } from '../src/cli/commands/thresholds';
import {
  adaptiveThresholds,
  alertEpisodes,
  AlertRuleConfig,
  DEFAULT_ALERT_RULE,
  grafanaStyleThresholds,
  medianStepSeconds,
  NabFileScore,
  nabFileScore,
  nabNormalisedScore,
  nabWindowsFromLabels,
  leaveOneFamilyOut as chooseByFamily,
  NabProfile,
  pointAdjustedF1,
  RowThresholds,
  staticThresholds,
} from '../src/engine/thresholds';
import {
  hybridThresholds,
  leastSquaresThresholds,
  LevelBandOptions,
  levelBandThresholds,
  movingSigmaThresholds,
  selfChosenThresholds,
  shiftedSlotBandThresholds,
  voteThresholds,
  windowMadThresholds,
  windowQuantileThresholds,
} from './alertVariants';
import { DEPLOYED_GRID, SlotGridOptions, slotGridThresholds } from './slotResolution';

const DAY = 86_400;
const WEEK = 7 * DAY;
/** NAB: the first 15 % of a file, at most 750 rows, is probationary. */
const probationRows = (rows: number) => Math.min(Math.floor(0.15 * rows), 750);
const STATIC_QUANTILE = 0.99;

interface LabelledSeries {
  name: string;
  /** NAB's folder (realAWSCloudwatch, …) or the KPI set: what a leave-one-family-out fold holds out. */
  family: string;
  timestamps: number[];
  values: number[];
  windows: Array<[number, number]>;
}

const toSeconds = (text: string) =>
  /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text.trim().replace(' ', 'T') + 'Z') / 1000;

function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

function loadNab(dir: string): LabelledSeries[] {
  const windows = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    string[][]
  >;
  const series: LabelledSeries[] = [];
  for (const group of readdirSync(join(dir, 'data')).sort()) {
    for (const file of readdirSync(join(dir, 'data', group)).sort()) {
      const rows = readCsv(join(dir, 'data', group, file));
      const name = `${group}/${file}`;
      series.push({
        name,
        family: group,
        timestamps: rows.map((r) => toSeconds(r[0])),
        values: rows.map((r) => Number(r[1])),
        windows: (windows[name] ?? []).map(([a, b]) => [toSeconds(a.slice(0, 19)), toSeconds(b.slice(0, 19))]),
      });
    }
  }
  return series;
}

function loadProfiles(dir: string): Record<string, NabProfile> {
  const raw = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as Record<
    string,
    { CostMatrix: NabProfile }
  >;
  return Object.fromEntries(Object.entries(raw).map(([name, p]) => [name, p.CostMatrix]));
}

/** The static ±3σ rule people write by hand: the warm-up's mean ± 3 standard deviations, never recalibrated. */
function staticSigmaThresholds(_: number[], values: number[], warmupRows: number): RowThresholds {
  const warmup = values.slice(0, warmupRows).filter(Number.isFinite);
  const mean = warmup.reduce((a, v) => a + v, 0) / warmup.length;
  const sigma = Math.sqrt(warmup.reduce((a, v) => a + (v - mean) ** 2, 0) / warmup.length);
  return {
    upper: values.map((_v, i) => (i < warmupRows ? NaN : mean + 3 * sigma)),
    lower: values.map((_v, i) => (i < warmupRows ? NaN : mean - 3 * sigma)),
  };
}

/** A detector: alert starts and the per-row firing state, for a series and its warm-up. */
type Detector = (timestamps: number[], values: number[], warmupRows: number) => { starts: number[]; firing: boolean[] };

function adaptive(config: AlertRuleConfig): Detector {
  return (timestamps, values, warmupRows) => {
    const answer = answerAlertsRequest({ timestamps, values, probationary_length: warmupRows }, config);
    // Firing from each start up to (not including) its end, as the contract reports it.
    const firing = new Array<boolean>(timestamps.length).fill(false);
    answer.alert_starts.forEach((start, k) => {
      const end = answer.alert_ends[k] ?? Number.POSITIVE_INFINITY;
      timestamps.forEach((t, i) => {
        if (t >= start && t < end) {
          firing[i] = true;
        }
      });
    });
    return { starts: answer.alert_starts, firing };
  };
}

function fromThresholds(
  make: (timestamps: number[], values: number[], warmupRows: number) => RowThresholds,
  forSteps = DEFAULT_ALERT_RULE.forSteps,
  keepFiringForSteps = DEFAULT_ALERT_RULE.keepFiringForSteps
): Detector {
  return (timestamps, values, warmupRows) => {
    const step = medianStepSeconds(timestamps);
    const episodes = alertEpisodes(timestamps, values, make(timestamps, values, warmupRows), {
      forSeconds: forSteps * step,
      keepFiringForSeconds: keepFiringForSteps * step,
    });
    return { starts: episodes.startsSeconds, firing: episodes.firing };
  };
}

interface Row {
  detector: string;
  nab: Record<string, number>;
  startsPerSeriesWeek: number;
  donutF1: number;
  ms: number;
}

/** One detector on one series: its NAB file score under each profile, its judged starts and weeks. */
interface SeriesResult {
  family: string;
  nab: Record<string, NabFileScore>;
  starts: number;
  weeks: number;
}

function runOn(
  detector: Detector,
  s: LabelledSeries,
  profiles: Record<string, NabProfile>
): SeriesResult & { firing: boolean[] } {
  const warmup = probationRows(s.timestamps.length);
  const result = detector(s.timestamps, s.values, warmup);
  return {
    family: s.family,
    nab: Object.fromEntries(
      Object.entries(profiles).map(([p, w]) => [p, nabFileScore(s.timestamps, result.starts, s.windows, warmup, w)])
    ),
    starts: result.starts.filter((t) => t >= s.timestamps[warmup]).length,
    weeks: (s.timestamps[s.timestamps.length - 1] - s.timestamps[warmup]) / WEEK,
    firing: result.firing,
  };
}

/** NAB normalised scores (by profile) and starts per series-week of a set of series results. */
function summarise(results: readonly SeriesResult[], profiles: Record<string, NabProfile>) {
  const weeks = results.reduce((acc, r) => acc + r.weeks, 0);
  return {
    nab: Object.fromEntries(Object.keys(profiles).map((p) => [p, nabNormalisedScore(results.map((r) => r.nab[p]))])),
    hasWindows: results.some((r) => r.nab.standard.perfect !== r.nab.standard.null),
    startsPerSeriesWeek: weeks > 0 ? results.reduce((acc, r) => acc + r.starts, 0) / weeks : 0,
  };
}

function evaluate(
  name: string,
  detector: Detector,
  nab: LabelledSeries[],
  donut: LabelledSeries & { labels: boolean[] },
  profiles: Record<string, NabProfile>
): Row {
  const started = performance.now();
  const summary = summarise(
    nab.map((s) => runOn(detector, s, profiles)),
    profiles
  );
  const warmup = probationRows(donut.timestamps.length);
  const onDonut = runOn(detector, donut, profiles);
  const f1 = pointAdjustedF1(onDonut.firing.slice(warmup), donut.labels.slice(warmup));
  return {
    detector: name,
    nab: summary.nab,
    startsPerSeriesWeek: summary.startsPerSeriesWeek,
    donutF1: f1.f1,
    ms: performance.now() - started,
  };
}

/** The alternatives the defaults were chosen against: each changes one setting of the default rule. */
function variants(): Array<[string, AlertRuleConfig]> {
  const base = DEFAULT_ALERT_RULE;
  const band = (change: Partial<AlertRuleConfig['band']>): AlertRuleConfig => ({
    ...base,
    band: { ...base.band, ...change },
  });
  return [
    ['robust-quantile width 2', band({ method: 'robust-quantile', width: 2 })],
    ['robust-quantile width 3', band({ method: 'robust-quantile', width: 3 })],
    ['median-mad width 4', band({ width: 4 })],
    ['median-mad width 6', band({ width: 6 })],
    ['no slot-quantile floor', band({ floorQuantile: 0.5 })],
    ['slot-quantile floor 0.99', band({ floorQuantile: 0.99 })],
    ['no smoothing across slots', band({ smoothingSlots: 0 })],
    ['always seasonal', band({ seasonalGainRatio: Number.POSITIVE_INFINITY })],
    ['upper side only', band({ direction: 'upper' })],
    ['for 0 steps', { ...base, forSteps: 0 }],
    ['for 2 steps', { ...base, forSteps: 2 }],
    ['keep_firing_for 12 steps', { ...base, keepFiringForSteps: 12 }],
    ['recalibrate hourly', { ...base, recalibrationSeconds: 3600 }],
  ];
}

type Pool = 'slot' | 'core' | 'wide' | 'skyline' | 'resolution';

/** The `for` and `keep_firing_for` steps the 'slot' pool's candidates are tried at, the deployed first. */
const SLOT_TIMINGS: ReadonlyArray<[number, number]> = [
  [1, 36],
  [1, 12],
  [2, 36],
  [0, 36],
];

type ThresholdTest = (t: number[], v: number[], w: number) => RowThresholds;

/** A test's thresholds worked out once per series (its values array), shared by every candidate that reads them. */
function oncePerSeries(test: ThresholdTest): ThresholdTest {
  const bySeries = new WeakMap<number[], RowThresholds>();
  return (t, v, w) => {
    const known = bySeries.get(v) ?? test(t, v, w);
    bySeries.set(v, known);
    return known;
  };
}

/**
 * The candidates a leave-one-family-out fold chooses among. 'slot' (36): the deployed slot band's own settings,
 * width 3, 4, 5 × floor or none × rhythm test or always seasonal, at four timings (for 1/keep 36, for 1/keep 12,
 * for 2/keep 36, for 0/keep 36). 'core' (204) adds, at the same widths and timings, the slot band shifted by the
 * recent median offset, votes of threshold tests, the level band and the hybrid (alertVariants.ts), and per-series
 * choices by the series' own recent starts. 'wide' adds width 2.5, one or two weeks of training, a q0.99 floor and
 * keep_firing_for 72 steps. The deployed rule (slot band w3, for 1, keep 36) is first, so it wins ties.
 */
function lofoCandidates(pool: Pool): Array<[string, Detector]> {
  if (pool === 'skyline') {
    return skylineCandidates();
  }
  if (pool === 'resolution') {
    return resolutionCandidates();
  }
  const base = DEFAULT_ALERT_RULE;
  const wide = pool === 'wide';
  // The level band learns its margin like the slot band: q0.98 floor, the same smallest margin and training window.
  const levelDefaults: LevelBandOptions = {
    levelSeconds: 3600,
    width: base.band.width,
    floorQuantile: 0.98,
    minMarginFraction: base.band.minMarginFraction,
    maxTrainingSeconds: base.band.maxTrainingSeconds,
    direction: 'both',
  };
  const candidates: Array<[string, Detector]> = [];
  const timings: Array<[number, number]> = [...SLOT_TIMINGS, ...(wide ? [[1, 72] as [number, number]] : [])];
  for (const [forSteps, keep] of timings) {
    const timing = `for ${forSteps}, keep ${keep}`;
    const rule = (band: Partial<AlertRuleConfig['band']>): AlertRuleConfig => ({
      ...base,
      forSteps,
      keepFiringForSteps: keep,
      band: { ...base.band, ...band },
    });
    for (const width of wide ? [2.5, 3, 4, 5] : [3, 4, 5]) {
      candidates.push([`slot band w${width}, ${timing}`, adaptive(rule({ width }))]);
      candidates.push([`slot band w${width} no floor, ${timing}`, adaptive(rule({ width, floorQuantile: 0.5 }))]);
      candidates.push([
        `slot band w${width} always seasonal, ${timing}`,
        adaptive(rule({ width, seasonalGainRatio: Number.POSITIVE_INFINITY })),
      ]);
      if (pool === 'slot') {
        continue;
      }
      for (const weeks of wide ? [1, 2] : []) {
        candidates.push([
          `slot band w${width}, ${weeks} week(s) of training, ${timing}`,
          adaptive(rule({ width, maxTrainingSeconds: weeks * WEEK })),
        ]);
      }
      if (width === 3) {
        for (const budget of [0.5, 1, 2]) {
          const chooseBy = (t: number[]) => {
            const step = medianStepSeconds(t);
            return {
              startsPerWeekBudget: budget,
              lookbackSeconds: 2 * WEEK,
              forSeconds: forSteps * step,
              keepFiringForSeconds: keep * step,
            };
          };
          const slotAt = (t: number[], v: number[], w: number, bandWidth: number) =>
            adaptiveThresholds(t, v, { ...base.band, width: bandWidth, warmupRows: w, recalibrationSeconds: DAY });
          const levelAt = (t: number[], v: number[], w: number, bandWidth: number) =>
            levelBandThresholds(t, v, w, { ...levelDefaults, levelSeconds: 3600, width: bandWidth });
          candidates.push([
            `slot band, width 3–6 by ≤ ${budget} starts/week over its last 2 weeks, ${timing}`,
            fromThresholds(
              (t, v, w) =>
                selfChosenThresholds(
                  t,
                  v,
                  w,
                  [3, 4, 5, 6].map((x) => slotAt(t, v, w, x)),
                  chooseBy(t)
                ),
              forSteps,
              keep
            ),
          ]);
          candidates.push([
            `slot band w3, else level 1h w3, w4, by ≤ ${budget} starts/week over its last 2 weeks, ${timing}`,
            fromThresholds(
              (t, v, w) =>
                selfChosenThresholds(
                  t,
                  v,
                  w,
                  [slotAt(t, v, w, 3), levelAt(t, v, w, 3), levelAt(t, v, w, 4)],
                  chooseBy(t)
                ),
              forSteps,
              keep
            ),
          ]);
        }
      }
      if (wide) {
        candidates.push([`slot band w${width} floor q0.99, ${timing}`, adaptive(rule({ width, floorQuantile: 0.99 }))]);
      }
      const slotBand = (t: number[], v: number[], w: number) =>
        adaptiveThresholds(t, v, {
          ...base.band,
          width,
          warmupRows: w,
          recalibrationSeconds: base.recalibrationSeconds,
        });
      const level3h: LevelBandOptions = { ...levelDefaults, levelSeconds: 3 * 3600, width };
      const level1h: LevelBandOptions = { ...level3h, levelSeconds: 3600 };
      type Test = (t: number[], v: number[], w: number) => RowThresholds;
      const vote = (name: string, tests: Test[], needed: number) =>
        candidates.push([
          `${name}, w${width}, ${timing}`,
          fromThresholds(
            (t, v, w) =>
              voteThresholds(
                tests.map((test) => test(t, v, w)),
                needed
              ),
            forSteps,
            keep
          ),
        ]);
      const byLevel3h: Test = (t, v, w) => levelBandThresholds(t, v, w, level3h);
      const byLevel1h: Test = (t, v, w) => levelBandThresholds(t, v, w, level1h);
      const bySigma: Test = (t, v, w) => movingSigmaThresholds(t, v, w, 86_400, width);
      for (const levelHours of [1, 3, 6]) {
        candidates.push([
          `slot band shifted by the ${levelHours}h median offset, w${width}, ${timing}`,
          fromThresholds(
            (t, v, w) => shiftedSlotBandThresholds(slotBand(t, v, w), v, t, levelHours * 3600),
            forSteps,
            keep
          ),
        ]);
      }
      vote('slot band and level 3h', [slotBand, byLevel3h], 2);
      vote('slot band and mean ± σ 1d', [slotBand, bySigma], 2);
      vote('2 of (slot band, level 3h, mean ± σ 1d)', [slotBand, byLevel3h, bySigma], 2);
      vote('slot band or level 1h', [slotBand, byLevel1h], 1);
      vote('slot band or level 3h', [slotBand, byLevel3h], 1);
      for (const levelHours of [1, 3]) {
        const level: LevelBandOptions = { ...levelDefaults, levelSeconds: levelHours * 3600, width };
        candidates.push([
          `level ${levelHours}h w${width}, ${timing}`,
          fromThresholds((t, v, w) => levelBandThresholds(t, v, w, level), forSteps, keep),
        ]);
        candidates.push([
          `hybrid level ${levelHours}h w${width}, ${timing}`,
          fromThresholds((t, v, w) => hybridThresholds(t, v, w, { ...base.band, width }, level), forSteps, keep),
        ]);
      }
    }
  }
  return candidates;
}

/**
 * 'skyline' pool: the deployed rule first, then Etsy Skyline-style tests over the last day, each a PromQL-writable
 * threshold (median ± k·MAD, least-squares line ± k·σ of its residuals, mean ± k·σ, the window's 0.5 % / 99.5 %
 * quantiles for histogram-bin rarity), alone, in votes (k of m: Skyline's consensus), with the slot band as one more
 * voter, and joined to the slot band (both, or either), at three timings.
 */
function skylineCandidates(): Array<[string, Detector]> {
  const base = DEFAULT_ALERT_RULE;
  type Test = ThresholdTest;
  const once = oncePerSeries;
  const slotBand = once((t, v, w) =>
    adaptiveThresholds(t, v, { ...base.band, warmupRows: w, recalibrationSeconds: base.recalibrationSeconds })
  );
  const mad = once((t, v, w) => windowMadThresholds(t, v, w, DAY, 6));
  const madTight = once((t, v, w) => windowMadThresholds(t, v, w, DAY, 3));
  const line = once((t, v, w) => leastSquaresThresholds(t, v, w, DAY, 3));
  const sigma = once((t, v, w) => movingSigmaThresholds(t, v, w, DAY, 3));
  const rare = once((t, v, w) => windowQuantileThresholds(t, v, w, DAY, 0.005));
  const tests: Array<[string, Test[], number]> = [
    ['median ± 6 MAD 1d', [mad], 1],
    ['median ± 3 MAD 1d', [madTight], 1],
    ['least squares ± 3σ 1d', [line], 1],
    ['mean ± 3σ 1d', [sigma], 1],
    ['outside q0.005–q0.995 1d', [rare], 1],
    ['2 of (MAD 6, least squares, mean ± 3σ)', [mad, line, sigma], 2],
    ['3 of (MAD 6, least squares, mean ± 3σ, quantiles)', [mad, line, sigma, rare], 3],
    ['2 of (MAD 6, least squares, mean ± 3σ, quantiles)', [mad, line, sigma, rare], 2],
    ['3 of (slot band, MAD 6, least squares, mean ± 3σ, quantiles)', [slotBand, mad, line, sigma, rare], 3],
    ['2 of (slot band, MAD 6, least squares, mean ± 3σ, quantiles)', [slotBand, mad, line, sigma, rare], 2],
    ['slot band and MAD 6', [slotBand, mad], 2],
    ['slot band and least squares', [slotBand, line], 2],
    ['slot band or MAD 6', [slotBand, mad], 1],
  ];
  const candidates: Array<[string, Detector]> = [];
  for (const [forSteps, keep] of [
    [1, 36],
    [0, 36],
    [2, 36],
  ]) {
    const timing = `for ${forSteps}, keep ${keep}`;
    candidates.push([`slot band w3, ${timing}`, adaptive({ ...base, forSteps, keepFiringForSteps: keep })]);
    for (const [name, voters, needed] of tests) {
      candidates.push([
        `${name}, ${timing}`,
        fromThresholds(
          (t, v, w) =>
            voters.length === 1
              ? voters[0](t, v, w)
              : voteThresholds(
                  voters.map((test) => test(t, v, w)),
                  needed
                ),
          forSteps,
          keep
        ),
      ]);
    }
  }
  return candidates;
}

/**
 * 'resolution' pool: the 'slot' pool, then the slot band at other resolutions and neighbour covers
 * (slotResolution.ts), widths 3 and 4, at the 'slot' pool's timings: hourly slots without cover, covering only
 * neighbours whose median is within the slot's σ, or each neighbour for half a slot; slots of 30, 20 or 15 minutes
 * (hour-of-week hourly, or on the same grid), with and without cover; the centre interpolated between hourly medians,
 * its margins with and without cover.
 */
function resolutionCandidates(): Array<[string, Detector]> {
  const candidates = lofoCandidates('slot');
  const grids: Array<[string, SlotGridOptions]> = [
    ['hourly slots, no cover', { ...DEPLOYED_GRID, cover: 'none' }],
    ["hourly slots, cover where the neighbour's median is within σ", { ...DEPLOYED_GRID, cover: 'similar' }],
    ['hourly slots, half-slot cover', { ...DEPLOYED_GRID, cover: 'half' }],
    ...[30, 20, 15].flatMap((minutes) =>
      [false, true].flatMap((fineWeek) =>
        (['slot', 'none'] as const).map((cover): [string, SlotGridOptions] => [
          `${minutes}-min slots of the day${fineWeek ? ' and week' : ''}, ${cover === 'slot' ? 'cover' : 'no cover'}`,
          { slotSeconds: minutes * 60, fineWeek, cover, centre: 'step' },
        ])
      )
    ),
    ['interpolated hourly centre, margins cover', { ...DEPLOYED_GRID, centre: 'interpolated' }],
    ['interpolated hourly centre, no cover', { ...DEPLOYED_GRID, cover: 'none', centre: 'interpolated' }],
  ];
  const tests = [3, 4].flatMap((width) =>
    grids.map(([name, grid]): [string, ThresholdTest] => [
      `${name}, w${width}`,
      oncePerSeries((t, v, w) => slotGridThresholds(t, v, w, { ...DEFAULT_ALERT_RULE.band, width }, grid)),
    ])
  );
  for (const [forSteps, keep] of SLOT_TIMINGS) {
    for (const [name, test] of tests) {
      candidates.push([`${name}, for ${forSteps}, keep ${keep}`, fromThresholds(test, forSteps, keep)]);
    }
  }
  return candidates;
}

/** What a fold chooses by: the mean of the standard and reward-low-FP normalised scores on its training families. */
const choiceScore = (s: ReturnType<typeof summarise>) => (s.nab.standard + s.nab.reward_low_FP_rate) / 2;

function leaveOneFamilyOut(series: LabelledSeries[], profiles: Record<string, NabProfile>, pool: Pool): void {
  // LOFO_MATCH (a regular expression) keeps only the matching candidates: for exploring, as the table then
  // chooses among fewer.
  const match = new RegExp(process.env.LOFO_MATCH ?? '');
  const candidates = lofoCandidates(pool).filter(([name]) => match.test(name));
  const results = candidates.map(([, detector]) => series.map((s) => runOn(detector, s, profiles)));
  const families = [...new Set(series.map((s) => s.family))];
  // The starts of the static ±3σ rule people write by hand, the bar the chosen rule's starts should stay under.
  const staticResults = series.map((s) => runOn(fromThresholds(staticSigmaThresholds), s, profiles));
  const staticStarts = (keep: (r: SeriesResult) => boolean) =>
    summarise(staticResults.filter(keep), profiles).startsPerSeriesWeek.toFixed(2);
  const profileNames = Object.keys(profiles);
  const header = [
    'held-out family',
    'series',
    'chosen on the others',
    ...profileNames.map((p) => `NAB ${p}`),
    'starts/series-week',
    'static ±3σ starts/series-week',
  ];
  const rows: string[][] = [];
  const heldOut: SeriesResult[] = [];
  const scored: Array<ReturnType<typeof summarise>> = [];
  const folds = chooseByFamily(
    series.map((s) => s.family),
    candidates.length,
    (c, items) =>
      choiceScore(
        summarise(
          items.map((i) => results[c][i]),
          profiles
        )
      )
  );
  for (const { family, items, chosen: best } of folds) {
    const test = (r: SeriesResult[]) => items.map((i) => r[i]);
    const outcome = summarise(test(results[best]), profiles);
    heldOut.push(...test(results[best]));
    if (outcome.hasWindows) {
      scored.push(outcome);
    }
    rows.push([
      family,
      String(test(results[best]).length),
      candidates[best][0],
      ...profileNames.map((p) => (outcome.hasWindows ? outcome.nab[p].toFixed(1) : '—')),
      outcome.startsPerSeriesWeek.toFixed(2),
      staticStarts((r) => r.family === family),
    ]);
  }
  const mean = (p: string) => scored.reduce((acc, s) => acc + s.nab[p], 0) / scored.length;
  const pooled = summarise(heldOut, profiles);
  rows.push([
    `mean of held-out (${scored.length} families with windows)`,
    '',
    '',
    ...profileNames.map((p) => mean(p).toFixed(1)),
    (
      families.reduce(
        (acc, f) =>
          acc +
          summarise(
            heldOut.filter((r) => r.family === f),
            profiles
          ).startsPerSeriesWeek,
        0
      ) / families.length
    ).toFixed(2),
    (families.reduce((acc, f) => acc + Number(staticStarts((r) => r.family === f)), 0) / families.length).toFixed(2),
  ]);
  rows.push([
    'all held-out series pooled',
    String(heldOut.length),
    '',
    ...profileNames.map((p) => pooled.nab[p].toFixed(1)),
    pooled.startsPerSeriesWeek.toFixed(2),
    staticStarts(() => true),
  ]);
  console.log(`Leave-one-family-out over ${candidates.length} candidates (chosen by mean of standard and low-FP)\n`);
  printTable(header, rows);
  if (process.env.LOFO_ALL) {
    const all = candidates.map(([name], c) => {
      const byFamily = families.map((f) =>
        summarise(
          results[c].filter((r) => r.family === f),
          profiles
        )
      );
      return [
        name,
        ...byFamily.map(
          (s) =>
            `${s.nab.standard.toFixed(1)}/${s.nab.reward_low_FP_rate.toFixed(1)}/${s.startsPerSeriesWeek.toFixed(2)}`
        ),
      ];
    });
    printTable(['candidate', ...families], all);
  }
}

function printTable(header: string[], table: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  table.forEach((r) => console.log(line(r)));
  console.log('');
}

function main(): void {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: join(__dirname, '..', '..', 'shared', 'data') },
      sweep: { type: 'boolean' },
      lofo: { type: 'boolean' },
      pool: { type: 'string', default: 'core' },
    },
  });
  const dataDir = args.data as string;
  const nabDir = join(dataDir, 'anomaly', 'nab');
  const nab = loadNab(nabDir);
  const profiles = loadProfiles(nabDir);
  const donutRows = readCsv(join(dataDir, 'anomaly', 'donut', 'cpu4.csv'));
  const timestamps = donutRows.map((r) => toSeconds(r[0]));
  const labels = donutRows.map((r) => r[2].trim() === '1');
  const donut = {
    name: 'donut/cpu4.csv',
    family: 'donut',
    timestamps,
    values: donutRows.map((r) => Number(r[1])),
    labels,
    windows: nabWindowsFromLabels(labels).map(([from, to]): [number, number] => [timestamps[from], timestamps[to]]),
  };
  if (args.lofo) {
    const pools: Pool[] = ['slot', 'core', 'wide', 'skyline', 'resolution'];
    const pool = pools.find((p) => p === args.pool);
    if (!pool) {
      throw new RangeError(`--pool must be one of ${pools.join(', ')}`);
    }
    leaveOneFamilyOut([...nab, donut], profiles, pool);
    return;
  }
  const detectors: Array<[string, Detector]> = [
    ['adaptive (headroom thresholds --alerts)', adaptive(DEFAULT_ALERT_RULE)],
    [`static q${STATIC_QUANTILE} of warm-up`, fromThresholds((_, v, w) => staticThresholds(v, w, STATIC_QUANTILE))],
    ['grafana-style mean ± 2σ, 1d/1w', fromThresholds(grafanaStyleThresholds)],
    ['static mean ± 3σ of warm-up', fromThresholds(staticSigmaThresholds)],
  ];
  if (args.sweep) {
    detectors.push(...variants().map(([name, config]): [string, Detector] => [name, adaptive(config)]));
  }
  const rows = detectors.map(([name, d]) => evaluate(name, d, nab, donut, profiles));
  const profileNames = Object.keys(profiles);
  const header = ['detector', ...profileNames.map((p) => `NAB ${p}`), 'starts/series-week', 'Donut PA-F1', 'ms'];
  console.log(`NAB: ${nab.length} series; Donut cpu4: ${donut.timestamps.length} rows\n`);
  printTable(
    header,
    rows.map((r) => [
      r.detector,
      ...profileNames.map((p) => r.nab[p].toFixed(1)),
      r.startsPerSeriesWeek.toFixed(2),
      r.donutF1.toFixed(3),
      r.ms.toFixed(0),
    ])
  );
}

main();
