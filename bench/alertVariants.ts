/**
 * Candidate alert rules that bench/alerts.ts --lofo weighs against the deployed one. Each is causal (a row is judged
 * by what was known at it) and each could be written in PromQL:
 * - a level band: the series' recent median (`quantile_over_time(0.5, x[w])`) ± a margin learnt at each daily
 *   calibration from the residuals (value − recent median) of the training window, as the slot band learns its own;
 * - a hybrid: the slot band where the gain test keeps a rhythm, the level band where it finds none (flat).
 */
import {
  adaptiveThresholds,
  alertEpisodes,
  bandLearner,
  BandOptions,
  calibrationTimes,
  RowThresholds,
} from '../src/engine/thresholds';
import { quantileOfSorted, robustSpread, sortedCopy } from '../src/engine/thresholds/robust';

export interface LevelBandOptions {
  /** The recent window the level is the median of, including the judged row (PromQL's `x[w]`). */
  levelSeconds: number;
  /** Half-width in robust standard deviations (1.4826·MAD) of the residuals. */
  width: number;
  /** The upper margin is at least this quantile of the residuals (the lower at most its complement); 0.5: none. */
  floorQuantile: number;
  /** As the slot band's: the smallest margin as a share of the training values' size. */
  minMarginFraction: number;
  maxTrainingSeconds: number;
  direction: BandOptions['direction'];
}

/** Median of each row's window (t − levelSeconds, t] of finite values; NaN when the window has none. */
export function recentMedians(
  timestamps: readonly number[],
  values: readonly number[],
  levelSeconds: number
): number[] {
  const out = new Array<number>(timestamps.length).fill(NaN);
  let from = 0;
  for (let i = 0; i < timestamps.length; i++) {
    while (timestamps[from] <= timestamps[i] - levelSeconds) {
      from++;
    }
    const window = values.slice(from, i + 1).filter(Number.isFinite);
    if (window.length > 0) {
      out[i] = quantileOfSorted(sortedCopy(window), 0.5);
    }
  }
  return out;
}

/** The level band's per-row thresholds, calibrated when the warm-up ends and at every UTC midnight. */
export function levelBandThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  options: LevelBandOptions,
  recalibrationSeconds = 86_400
): RowThresholds & { level: number[] } {
  const n = timestamps.length;
  const level = recentMedians(timestamps, values, options.levelSeconds);
  const residual = values.map((v, i) => v - level[i]);
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  const times = calibrationTimes(timestamps, { warmupRows, recalibrationSeconds });
  let row = warmupRows;
  times.forEach((at, k) => {
    const until = k + 1 < times.length ? times[k + 1] : Number.POSITIVE_INFINITY;
    const margins = marginsAt(timestamps, values, residual, at, options);
    for (; row < n && timestamps[row] < until; row++) {
      upper[row] = options.direction === 'lower' ? Number.POSITIVE_INFINITY : level[row] + margins.above;
      lower[row] = options.direction === 'upper' ? Number.NEGATIVE_INFINITY : level[row] - margins.below;
    }
  });
  return { upper, lower, level };
}

/** The rows a calibration at `at` learns from: in [at − maxTrainingSeconds, at), with a finite `series` value. */
export function trainingRows(
  timestamps: readonly number[],
  series: readonly number[],
  at: number,
  maxTrainingSeconds: number
): number[] {
  const rows: number[] = [];
  for (let i = 0; i < timestamps.length && timestamps[i] < at; i++) {
    if (timestamps[i] >= at - maxTrainingSeconds && Number.isFinite(series[i])) {
      rows.push(i);
    }
  }
  return rows;
}

/** The training values' size the smallest margin is a share of, as the slot band's: max(|median|, q0.99 − q0.01). */
export function trainingSize(sorted: readonly number[]): number {
  return Math.max(
    Math.abs(quantileOfSorted(sorted, 0.5)),
    quantileOfSorted(sorted, 0.99) - quantileOfSorted(sorted, 0.01)
  );
}

function marginsAt(
  timestamps: readonly number[],
  values: readonly number[],
  residual: readonly number[],
  at: number,
  options: LevelBandOptions
): { above: number; below: number } {
  const rows = trainingRows(timestamps, residual, at, options.maxTrainingSeconds);
  if (rows.length === 0) {
    return { above: NaN, below: NaN };
  }
  const r = rows.map((i) => residual[i]);
  const sortedR = sortedCopy(r);
  const minMargin = options.minMarginFraction * trainingSize(sortedCopy(rows.map((i) => values[i])));
  const median = quantileOfSorted(sortedR, 0.5);
  const reach = Math.max(minMargin, options.width * robustSpread(r, median));
  return {
    above: Math.max(median + reach, quantileOfSorted(sortedR, options.floorQuantile)),
    below: -Math.min(median - reach, quantileOfSorted(sortedR, 1 - options.floorQuantile)),
  };
}

/**
 * The slot band where the calibration keeps a rhythm (hour of week or of day), the level band where it keeps none:
 * a series without a daily or weekly shape is judged against where it has just been rather than its month's median.
 */
export function hybridThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  band: BandOptions,
  level: LevelBandOptions,
  recalibrationSeconds = 86_400
): RowThresholds {
  const options = { ...band, warmupRows, recalibrationSeconds };
  const slot = adaptiveThresholds(timestamps, values, options);
  const byLevel = levelBandThresholds(timestamps, values, warmupRows, level, recalibrationSeconds);
  const learner = bandLearner(timestamps, values, band);
  const times = calibrationTimes(timestamps, options);
  const upper = [...slot.upper];
  const lower = [...slot.lower];
  let row = warmupRows;
  times.forEach((at, k) => {
    const until = k + 1 < times.length ? times[k + 1] : Number.POSITIVE_INFINITY;
    const flat = learner(at)?.mode === 'flat';
    for (; row < timestamps.length && timestamps[row] < until; row++) {
      if (flat) {
        upper[row] = byLevel.upper[row];
        lower[row] = byLevel.lower[row];
      }
    }
  });
  return { upper, lower };
}

/**
 * Mean ± width·standard deviation of each row's window (t − windowSeconds, t], as `avg_over_time(x[w])` and
 * `stddev_over_time(x[w])` compute them at the row (population σ); NaN before the warm-up ends.
 */
export function movingSigmaThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  windowSeconds: number,
  width: number
): RowThresholds {
  return windowThresholds(timestamps, values, warmupRows, windowSeconds, true, (window) => {
    const mean = window.reduce((acc, v) => acc + v, 0) / window.length;
    const sigma = Math.sqrt(window.reduce((acc, v) => acc + (v - mean) ** 2, 0) / window.length);
    return [mean + width * sigma, mean - width * sigma];
  });
}

/**
 * A vote of threshold tests: the row breaches a side when at least `needed` of the tests' thresholds are breached
 * on it, i.e. when the value is beyond the `needed`-th closest threshold. A test without a threshold at a row (NaN)
 * does not vote there; no row breaches before every test has one.
 */
export function voteThresholds(tests: readonly RowThresholds[], needed: number): RowThresholds {
  const n = tests[0].upper.length;
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const ups = tests.map((t) => t.upper[i]);
    const downs = tests.map((t) => t.lower[i]);
    if (ups.some(Number.isNaN) || downs.some(Number.isNaN)) {
      continue;
    }
    upper[i] = ups.sort((a, b) => a - b)[needed - 1];
    lower[i] = downs.sort((a, b) => b - a)[needed - 1];
  }
  return { upper, lower };
}

export interface SelfChosenOptions {
  /** Alert starts per week the series' own recent replay may have had with the rule chosen. */
  startsPerWeekBudget: number;
  /** How far back, before a calibration, the replay's starts are counted. */
  lookbackSeconds: number;
  forSeconds: number;
  keepFiringForSeconds: number;
}

/**
 * Per series and calibration, the first of `rules` (in order of preference) whose own replay over the lookback (each
 * earlier row judged as deployed then, all before the calibration) started at most the budget of alerts per week;
 * when none did, the last. Before any judged time has passed, the first.
 */
export function selfChosenThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  rules: readonly RowThresholds[],
  options: SelfChosenOptions,
  recalibrationSeconds = 86_400
): RowThresholds {
  const replayed = rules.map((thresholds) => ({
    thresholds,
    starts: alertEpisodes(timestamps, values, thresholds, options).startsSeconds,
  }));
  const n = timestamps.length;
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  const times = calibrationTimes(timestamps, { warmupRows, recalibrationSeconds });
  const judgedFrom = timestamps[warmupRows];
  let row = warmupRows;
  times.forEach((at, k) => {
    const until = k + 1 < times.length ? times[k + 1] : Number.POSITIVE_INFINITY;
    const from = Math.max(judgedFrom, at - options.lookbackSeconds);
    const weeks = (at - from) / (7 * 86_400);
    let chosen = replayed.findIndex(
      ({ starts }) =>
        weeks > 0 && starts.filter((t) => t >= from && t < at).length <= options.startsPerWeekBudget * weeks
    );
    if (chosen < 0) {
      chosen = weeks > 0 ? replayed.length - 1 : 0;
    }
    const { thresholds } = replayed[chosen];
    for (; row < n && timestamps[row] < until; row++) {
      upper[row] = thresholds.upper[row];
      lower[row] = thresholds.lower[row];
    }
  });
  return { upper, lower };
}

/**
 * The slot band moved by where the series has just been relative to it: each row's band is shifted by the median,
 * over (t − levelSeconds, t], of the value minus the band's centre ((upper + lower) / 2) at those rows. A lasting
 * change of level moves the band with it after half the window, while the daily shape and the widths stay the
 * slot band's. (PromQL: a recording rule of x − centre, and `quantile_over_time(0.5, …[w])` of it.)
 */
export function shiftedSlotBandThresholds(
  slot: RowThresholds,
  values: readonly number[],
  timestamps: readonly number[],
  levelSeconds: number
): RowThresholds {
  const centre = slot.upper.map((u, i) => (u + slot.lower[i]) / 2);
  const offset = recentMedians(
    timestamps,
    values.map((v, i) => v - centre[i]),
    levelSeconds
  );
  return {
    upper: slot.upper.map((u, i) => u + (Number.isFinite(offset[i]) ? offset[i] : 0)),
    lower: slot.lower.map((l, i) => l + (Number.isFinite(offset[i]) ? offset[i] : 0)),
  };
}

/**
 * Sliding sums over each row's window (t − windowSeconds, t] of finite values, as `*_over_time(x[w])` sees them at
 * the row: the least-squares line's value at the row and its residuals' σ (t relative to the row, in hours, so the
 * sums stay well conditioned).
 */
function slidingLineFits(
  timestamps: readonly number[],
  values: readonly number[],
  windowSeconds: number
): Array<{ fitted: number; residualSigma: number } | undefined> {
  const out: Array<{ fitted: number; residualSigma: number } | undefined> = [];
  let from = 0;
  for (let i = 0; i < timestamps.length; i++) {
    while (timestamps[from] <= timestamps[i] - windowSeconds) {
      from++;
    }
    let n = 0;
    let st = 0;
    let stt = 0;
    let sx = 0;
    let stx = 0;
    let sxx = 0;
    for (let j = from; j <= i; j++) {
      if (Number.isFinite(values[j])) {
        const t = (timestamps[j] - timestamps[i]) / 3600;
        n++;
        st += t;
        stt += t * t;
        sx += values[j];
        stx += t * values[j];
        sxx += values[j] * values[j];
      }
    }
    if (n < 3) {
      out.push(undefined);
      continue;
    }
    const mean = sx / n;
    const varT = stt / n - (st / n) ** 2;
    const covTx = stx / n - (st / n) * mean;
    const varX = Math.max(0, sxx / n - mean * mean);
    const slope = varT > 0 ? covTx / varT : 0;
    // predict_linear(x[w], 0): the least-squares line at the row (t = 0).
    const fitted = mean - slope * (st / n);
    out.push({ fitted, residualSigma: Math.sqrt(Math.max(0, varX - slope * covTx)) });
  }
  return out;
}

/**
 * Skyline's least-squares test as thresholds: the least-squares line over the window at the row
 * (`predict_linear(x[w], 0)`) ± width × the residuals' standard deviation; NaN before the warm-up ends.
 */
export function leastSquaresThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  windowSeconds: number,
  width: number
): RowThresholds {
  const fits = slidingLineFits(timestamps, values, windowSeconds);
  return {
    upper: fits.map((f, i) => (i >= warmupRows && f ? f.fitted + width * f.residualSigma : NaN)),
    lower: fits.map((f, i) => (i >= warmupRows && f ? f.fitted - width * f.residualSigma : NaN)),
  };
}

/**
 * Thresholds from each judged row's window (t − windowSeconds, t] of finite values (without the row itself when
 * `withRow` is false): `edges` gives [upper, lower] from the window's values; NaN before the warm-up ends.
 */
function windowThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  windowSeconds: number,
  withRow: boolean,
  edges: (window: number[]) => [number, number]
): RowThresholds {
  const n = timestamps.length;
  const upper = new Array<number>(n).fill(NaN);
  const lower = new Array<number>(n).fill(NaN);
  let from = 0;
  for (let i = 0; i < n; i++) {
    while (timestamps[from] <= timestamps[i] - windowSeconds) {
      from++;
    }
    const window = i < warmupRows ? [] : values.slice(from, withRow ? i + 1 : i).filter(Number.isFinite);
    if (window.length > 0) {
      [upper[i], lower[i]] = edges(window);
    }
  }
  return { upper, lower };
}

/**
 * Skyline's median-absolute-deviation test as thresholds: the window's median ± width × 1.4826·MAD of the window
 * (`quantile_over_time(0.5, …)` of x and of |x − median| as recording rules).
 */
export function windowMadThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  windowSeconds: number,
  width: number
): RowThresholds {
  return windowThresholds(timestamps, values, warmupRows, windowSeconds, true, (window) => {
    const median = quantileOfSorted(sortedCopy(window), 0.5);
    const reach = width * robustSpread(window, median);
    return [median + reach, median - reach];
  });
}

/**
 * Skyline's histogram-bin rarity as thresholds: a value beyond the `tail` and 1 − `tail` quantiles of the window
 * before it (`quantile_over_time(…, x[w] offset step)`) lies in a bin the window has (almost) never filled.
 */
export function windowQuantileThresholds(
  timestamps: readonly number[],
  values: readonly number[],
  warmupRows: number,
  windowSeconds: number,
  tail: number
): RowThresholds {
  return windowThresholds(timestamps, values, warmupRows, windowSeconds, false, (window) => {
    const sorted = sortedCopy(window);
    return [quantileOfSorted(sorted, 1 - tail), quantileOfSorted(sorted, tail)];
  });
}
