/** @jest-environment node */
import { grafanaTemplateRules, planTemplates } from '../../alerting/templates/grafanaTemplates';
import { budgetRulesOf } from './budgetGuardRails';

const NOW = 1796601600; // 2026-12-07

describe('budgetRulesOf', () => {
  it('turns the configuration page budget, zone and on-demand prices into the three guard rails', () => {
    const result = budgetRulesOf(
      {
        monthlyBudget: 20000,
        budgetTimeZone: 'Europe/Berlin',
        gpuPrices: [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 2, reservedPerGpuHour: 1, source: 'contract' }],
      },
      'prom',
      NOW
    );
    expect('rules' in result).toBe(true);
    const rules = 'rules' in result ? result.rules : [];
    expect(rules.map((r) => r.labels?.headroom_budget_level)).toEqual(['notify', 'control', 'circuit-break']);
    // 20000 × 1, 1.1, 1.3.
    expect(
      rules.map(
        (r) => (r.data[2].model.conditions as Array<{ evaluator: { params: number[] } }>)[0].evaluator.params[0]
      )
    ).toEqual([20000, 22000, 26000]);
    expect(rules[0].annotations?.headroom_budget_time_zone).toBe('Europe/Berlin');
    // The on-demand price, not the reserved one.
    expect(rules[0].data[0].model.expr).toContain('* 2\n');
  });

  it('says why there are no rules: no budget, a budget of zero, prices all zero', () => {
    expect(budgetRulesOf({}, 'prom', NOW)).toEqual({
      problem: 'No monthly budget is set. Set one on the configuration page to write the budget guard rails.',
    });
    expect(budgetRulesOf({ monthlyBudget: 0 }, 'prom', NOW)).toEqual({
      problem: expect.stringContaining('A monthly budget of 0'),
    });
    const free = [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 0, reservedPerGpuHour: 0, source: 'x' }];
    expect(budgetRulesOf({ monthlyBudget: 10, gpuPrices: free }, 'prom', NOW)).toEqual({
      problem: expect.stringContaining('Every GPU price is 0'),
    });
  });
});

describe('planTemplates for the guard rails', () => {
  it("creates the guard rails, then changes nothing, and never deletes the folder's other rules", () => {
    const result = budgetRulesOf({ monthlyBudget: 1000 }, 'prom', NOW);
    const desired = 'rules' in result ? result.rules : [];
    const [gang] = grafanaTemplateRules({ prometheusUid: 'prom' });
    const first = planTemplates(desired, [gang]);
    expect(first.actions.map((a) => a.kind)).toEqual(['create', 'create', 'create']);
    const again = planTemplates(desired, [gang, ...desired]);
    expect(again.actions.map((a) => a.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });
});
