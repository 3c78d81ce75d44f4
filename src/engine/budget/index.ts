export { BudgetInputError } from './errors';
export { BUDGET_LEVEL_NAMES, budgetLevels, DEFAULT_BUDGET_SHARES, percent } from './levels';
export type { BudgetLevel, BudgetLevelName } from './levels';
export { monthBoundaryOffsetsSeconds } from './monthBoundaryOffsets';
