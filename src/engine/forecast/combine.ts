/**
 * How the models with the lowest backtest error become one forecast. `pick` lets the single models and the
 * inverse-MAE blends of the best 2..size compete on the same backtest and takes the lowest; the others always
 * combine the best `size` (fewer when fewer models are left): weighted by inverse MAE or inverse MSE, equally, or
 * the median of their forecasts at each step.
 */
export type CombineRule = 'pick' | 'inverse-mae' | 'inverse-mse' | 'equal' | 'median';

export interface Combination {
  rule: CombineRule;
  size: number;
  /**
   * Only models whose backtest MAE is at most this multiple of the best one's join the combination (default: no
   * limit), so one clearly best model (an exact one above all) is not outvoted by several poor ones.
   */
  within?: number;
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

const medianOf = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The combiner of a rule for members with these backtest errors (for `pick`, the inverse-MAE blend). */
export function combinerFor(rule: CombineRule, members: readonly ErrorSummary[]): Combiner {
  switch (rule) {
    case 'median':
      return (rows) => rows[0].map((_, h) => medianOf(rows.map((row) => row[h])));
    case 'equal':
      return weighted(members.map(() => 1 / members.length));
    case 'inverse-mse':
      return weighted(inverseWeights(members.map((m) => m.mse)));
    case 'pick':
    case 'inverse-mae':
      return weighted(inverseWeights(members.map((m) => m.mae)));
  }
}
