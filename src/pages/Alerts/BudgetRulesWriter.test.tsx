import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { budgetRulesOf, queryRulesOf } from './budgetGuardRails';
import { BudgetRulesWriter, QueryRulesWriter } from './BudgetRulesWriter';

const NOW = 1796601600;
const done = <T,>(value: T) => ({ state: 'done' as const, value });
const canWrite = done({ canWrite: true, reason: '' });

function renderWriter(monthlyBudget: number, access = canWrite, onPlan = jest.fn()) {
  render(
    <BudgetRulesWriter
      templates={done(budgetRulesOf({ monthlyBudget }, 'prom', NOW))}
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

describe('QueryRulesWriter', () => {
  function renderQueryWriter(templates: ReturnType<typeof queryRulesOf>, onPlan = jest.fn()) {
    render(
      <QueryRulesWriter
        templates={done(templates)}
        rules={done([])}
        access={canWrite}
        loadRules={async () => []}
        onError={jest.fn()}
        onPlan={onPlan}
        busy={false}
      />
    );
    return onPlan;
  }

  it("lists a rule per measure and the budget's three levels, and plans them in their own 5-minute group", async () => {
    const onPlan = renderQueryWriter(queryRulesOf({ monthlyBudget: 5000 }, 'headroom-ds', true));
    expect(screen.getByText(/chance of running out of GPUs within 14 days above 50 %/)).toBeInTheDocument();
    expect(screen.getByText(/above 130 % of the monthly budget \(circuit-break, Headroom query\)/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Write rules on Headroom queries/ }));
    await waitFor(() => expect(onPlan).toHaveBeenCalled());
    const request = onPlan.mock.calls[0][0];
    // Six measures and three budget levels.
    expect(request.plan.actions).toHaveLength(9);
    expect(request.groupIntervalSeconds).toBe(300);
  });

  it('offers no button for a data source without its backend, and says why', () => {
    renderQueryWriter(queryRulesOf({}, 'headroom-ds', false));
    expect(screen.getByTestId('headroom-query-rules-problem')).toHaveTextContent(
      'so Grafana cannot evaluate rules on its queries. Install the release archive on Linux.'
    );
    expect(screen.queryByRole('button')).toBeNull();
  });
});
