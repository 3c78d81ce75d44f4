import fc from 'fast-check';

import { BudgetInputError } from './errors';
import { budgetLevels, DEFAULT_BUDGET_SHARES, percent } from './levels';

describe('budgetLevels', () => {
  it('defaults to 100 %, 110 % and 130 % of the budget, mildest first, with rising severity', () => {
    expect(budgetLevels(50000).map((l) => [l.name, l.shareOfBudget, l.severity])).toEqual([
      ['notify', 1, 'info'],
      ['control', 1.1, 'warning'],
      ['circuit-break', 1.3, 'critical'],
    ]);
  });

  it('refuses a budget of zero with a message that says what to do, and a negative or non-finite one', () => {
    expect(() => budgetLevels(0)).toThrow(BudgetInputError);
    expect(() => budgetLevels(0)).toThrow('leave it unset to write no budget rules');
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => budgetLevels(bad)).toThrow('must be a positive amount');
    }
  });

  it('refuses levels that do not rise or are not above 0', () => {
    expect(() => budgetLevels(1, { ...DEFAULT_BUDGET_SHARES, control: 1 })).toThrow(
      'control (100 %) must be above notify (100 %)'
    );
    expect(() => budgetLevels(1, { ...DEFAULT_BUDGET_SHARES, notify: 0 })).toThrow('share of the budget > 0');
  });

  it('accepts any rising positive shares', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (a, b, c) => {
          const shares = { notify: a, control: a + b, 'circuit-break': a + b + c };
          fc.pre(shares.control > a && shares['circuit-break'] > shares.control);
          expect(budgetLevels(100, shares).map((l) => l.shareOfBudget)).toEqual([a, a + b, a + b + c]);
        }
      )
    );
  });

  it('prints shares as percentages', () => {
    expect([percent(1), percent(1.1), percent(1.3)]).toEqual(['100 %', '110 %', '130 %']);
  });
});
