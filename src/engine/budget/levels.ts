import { BudgetInputError } from './errors';

/** The three guard rails, mildest first: tell people, slow the spend, stop the non-critical spend. */
export type BudgetLevelName = 'notify' | 'control' | 'circuit-break';

export interface BudgetLevel {
  name: BudgetLevelName;
  /** Fires when the month-end projection exceeds this share of the monthly budget (1.1 = 110 %). */
  shareOfBudget: number;
  /** Routing label: who gets paged, and how loudly. */
  severity: 'info' | 'warning' | 'critical';
  /** Who acts, for the rule's description and the notification policy a person writes. */
  audience: string;
}

export const BUDGET_LEVEL_NAMES: readonly BudgetLevelName[] = ['notify', 'control', 'circuit-break'];

/**
 * Default levels: the budget itself, then 10 % and 30 % over it. Nothing in the product or its design stated other
 * levels; a person sets their own (`--budget-levels`).
 */
export const DEFAULT_BUDGET_SHARES: Readonly<Record<BudgetLevelName, number>> = {
  notify: 1,
  control: 1.1,
  'circuit-break': 1.3,
};

const SEVERITY: Record<BudgetLevelName, BudgetLevel['severity']> = {
  notify: 'info',
  control: 'warning',
  'circuit-break': 'critical',
};

const AUDIENCE: Record<BudgetLevelName, string> = {
  notify: 'tech lead and finance',
  control: 'platform on-call: stop spot scale-out, lower the priority of non-critical namespaces',
  'circuit-break': "platform on-call: scale the project's non-critical workloads to zero",
};

/**
 * The budget checked and its three levels. A budget of zero would make every projection "over budget" (and any share
 * of it is zero), so it is refused rather than turned into rules that always fire.
 */
export function budgetLevels(
  monthlyBudget: number,
  shares: Readonly<Record<BudgetLevelName, number>> = DEFAULT_BUDGET_SHARES
): BudgetLevel[] {
  if (monthlyBudget === 0) {
    throw new BudgetInputError(
      'monthlyBudget',
      'A monthly budget of 0 would put every month over budget from its first GPU-hour; give the budget in money ' +
        '(> 0), or leave it unset to write no budget rules.'
    );
  }
  if (!Number.isFinite(monthlyBudget) || monthlyBudget < 0) {
    throw new BudgetInputError('monthlyBudget', `A monthly budget must be a positive amount, got ${monthlyBudget}.`);
  }
  const levels = BUDGET_LEVEL_NAMES.map((name) => ({
    name,
    shareOfBudget: shares[name],
    severity: SEVERITY[name],
    audience: AUDIENCE[name],
  }));
  levels.forEach((level, i) => {
    if (!Number.isFinite(level.shareOfBudget) || level.shareOfBudget <= 0) {
      throw new BudgetInputError(
        'levels',
        `The ${level.name} level must be a share of the budget > 0, got ${level.shareOfBudget}.`
      );
    }
    const previous = levels[i - 1];
    if (previous && !(level.shareOfBudget > previous.shareOfBudget)) {
      throw new BudgetInputError(
        'levels',
        `Levels must rise: ${level.name} (${percent(level.shareOfBudget)}) must be above ${previous.name} ` +
          `(${percent(previous.shareOfBudget)}).`
      );
    }
  });
  return levels;
}

/** 1.1 → "110 %". */
export function percent(share: number): string {
  return `${Number((share * 100).toPrecision(6))} %`;
}
