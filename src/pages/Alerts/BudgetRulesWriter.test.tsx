import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { budgetRulesOf } from './budgetGuardRails';
import { BudgetRulesWriter } from './BudgetRulesWriter';

const NOW = 1796601600;
const done = <T,>(value: T) => ({ state: 'done' as const, value });
const canWrite = done({ canWrite: true, reason: '' });

function renderWriter(monthlyBudget: number, access = canWrite, onPlan = jest.fn()) {
  render(
    <BudgetRulesWriter
      budget={done(budgetRulesOf({ monthlyBudget }, 'prom', NOW))}
      rules={done([])}
      access={access}
      loadRules={async () => []}
      onError={jest.fn()}
      onPlan={onPlan}
      busy={false}
    />
  );
  return onPlan;
}

describe('BudgetRulesWriter', () => {
  it('lists the three levels and plans their creation when asked', async () => {
    const onPlan = renderWriter(5000);
    expect(screen.getByText(/above 110 % of the monthly budget \(control\)/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Write budget rules/ }));
    await waitFor(() => expect(onPlan).toHaveBeenCalled());
    const request = onPlan.mock.calls[0][0];
    expect(request.plan.actions.map((a: { kind: string }) => a.kind)).toEqual(['create', 'create', 'create']);
    expect(request.groupIntervalSeconds).toBe(60);
  });

  it('offers no button for a budget of zero, and says why', () => {
    renderWriter(0);
    expect(screen.getByTestId('headroom-budget-problem')).toHaveTextContent('A monthly budget of 0');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('disables writing with the reason when Grafana says the person may not', () => {
    renderWriter(5000, done({ canWrite: false, reason: 'You may not write alert rules.' }));
    expect(screen.getByRole('button', { name: /Write budget rules/ })).toBeDisabled();
    expect(screen.getByText('You may not write alert rules.')).toBeInTheDocument();
  });
});
