import { median } from '../series/median';

/**
 * How the models with the lowest backtest error become one forecast. `pick` lets the single models and the
 * inverse-MAE blends of the best 2..size compete on the same backtest and takes the lowest; the others always
 * combine the best `size` (fewer when fewer models are left): weighted by inverse MAE or inverse MSE, equally, or
 * the median of their forecasts at each step, plain or weighted by inverse MAE or MSE (the value where the weights of
 * the forecasts below and above it are at most half each).
 */
export type CombineRule =
  'pick' | 'inverse-mae' | 'inverse-mse' | 'equal' | 'median' | 'weighted-median' | 'weighted-median-mse';

export interface Combination {
  rule: CombineRule;
  size: number;
  /**
   * Only models whose backtest MAE is at most this multiple of the best one's join the combination (default: no
   * limit), so one clearly best model (an exact one above all) is not outvoted by several poor ones.
   */
  within?: number;
  /**
   * A model and its level-shift variant (`<model>@shift`) count as one model: only the better of the two joins, so
   * near-copies do not take two of the places (and a median of the pair is not their mean).
   */
  distinct?: boolean;
  /**
   * Only models that beat the best one at one backtest origin at least join: a model worse at every origin is
   * clearly worse, however close its mean error.
   */
  undominated?: boolean;
  /** The combination competes with the single models on backtest MAE instead of replacing them (`pick` always does). */
  compete?: boolean;
}

/** What `joining` reads of a backtested candidate. */
export interface Ranked {
  name: string;
  mae: number;
  origins: readonly number[];
  maeByOrigin: readonly number[];
}

/** `candidate` has a lower error than `best` at one origin they share at least. */
function beatsSomewhere(candidate: Ranked, best: Ranked): boolean {
  return candidate.origins.some((o, k) => {
    const j = best.origins.indexOf(o);
    return j >= 0 && candidate.maeByOrigin[k] < best.maeByOrigin[j];
  });
}

/** The best `size` of the ranked candidates by the combination's limits; the first always joins. */
export function joining<T extends Ranked>(ranked: readonly T[], combination: Combination): T[] {
  const within = combination.within ?? Number.POSITIVE_INFINITY;
  const taken = new Set<string>();
  const out: T[] = [];
  for (const candidate of ranked) {
    const model = combination.distinct ? candidate.name.replace(/@shift$/, '') : candidate.name;
    if (out.length === combination.size || (out.length > 0 && candidate.mae > within * ranked[0].mae)) {
      break;
    }
    if (!taken.has(model) && (out.length === 0 || !combination.undominated || beatsSomewhere(candidate, out[0]))) {
      taken.add(model);
      out.push(candidate);
    }
  }
  return out;
}

/** A model's backtest errors as the combination rules weigh them. */
export interface ErrorSummary {
  mae: number;
  mse: number;
}

/** Combines the forecasts of the given models (rows, best first) step by step. */
export type Combiner = (rows: ReadonlyArray<readonly number[]>) => number[];

/** Weights proportional to 1 / error, the errors floored so an exact model does not divide by zero. */
function inverseWeights(errors: number[]): number[] {
  const inverse = errors.map((e) => 1 / Math.max(e, 1e-12));
  const total = inverse.reduce((a, b) => a + b, 0);
  return inverse.map((w) => w / total);
}

export function weighted(weights: readonly number[]): Combiner {
  return (rows) => rows[0].map((_, h) => rows.reduce((sum, row, i) => sum + weights[i] * row[h], 0));
}

/** At each step the lowest forecast whose weight, with the weights of the forecasts below it, reaches half. */
function weightedMedian(weights: readonly number[]): Combiner {
  return (rows) =>
    rows[0].map((_, h) => {
      const order = rows.map((row, i) => ({ value: row[h], weight: weights[i] })).sort((a, b) => a.value - b.value);
      let cumulative = 0;
      for (const { value, weight } of order) {
        cumulative += weight;
        if (cumulative >= 0.5 - 1e-12) {
          return value;
        }
      }
      return order[order.length - 1].value;
    });
}

/** The combiner of a rule for members with these backtest errors (for `pick`, the inverse-MAE blend). */
export function combinerFor(rule: CombineRule, members: readonly ErrorSummary[]): Combiner {
  switch (rule) {
    case 'weighted-median':
      return weightedMedian(inverseWeights(members.map((m) => m.mae)));
    case 'weighted-median-mse':
      return weightedMedian(inverseWeights(members.map((m) => m.mse)));
    case 'median':
      return (rows) => rows[0].map((_, h) => median(rows.map((row) => row[h])));
    case 'equal':
      return weighted(members.map(() => 1 / members.length));
    case 'inverse-mse':
      return weighted(inverseWeights(members.map((m) => m.mse)));
    case 'pick':
    case 'inverse-mae':
      return weighted(inverseWeights(members.map((m) => m.mae)));
  }
}
