export { BudgetInputError } from './errors';
export { BUDGET_LEVEL_NAMES, budgetLevels, DEFAULT_BUDGET_SHARES, percent } from './levels';
export type { BudgetLevel, BudgetLevelName } from './levels';
export { monthBoundaryOffsetsSeconds } from './monthBoundaryOffsets';
export {
  budgetActions,
  DEFAULT_LOW_PRIORITY_CLASS,
  DEFAULT_LOW_PRIORITY_VALUE,
  KEDA_PAUSED,
  KEDA_PAUSED_REPLICAS,
} from './actions';
export type { BudgetAction, BudgetActionInput, NamespacedName, ObjectRef } from './actions';
