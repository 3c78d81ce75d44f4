/** @jest-environment node */
import { editedSinceWritten, GRAFANA_UID_PATTERN } from '../grafanaRule';
import { grafanaTemplateRules, templateUid } from './grafanaTemplates';

describe('grafanaTemplateRules', () => {
  const [gang, waste] = grafanaTemplateRules({ prometheusUid: 'prom', gangGpus: 4, wasteDollarsPerHour: 25 });

  it('writes both templates to the Headroom folder and group, managed by Headroom, fingerprinted as written', () => {
    for (const rule of [gang, waste]) {
      expect(rule.uid).toMatch(GRAFANA_UID_PATTERN);
      expect([rule.folderUID, rule.ruleGroup, rule.condition, rule.for]).toEqual([
        'headroom',
        'headroom-templates',
        'C',
        '30m',
      ]);
      expect(rule.labels?.managed_by).toBe('headroom');
      expect(editedSinceWritten(rule)).toBe(false);
      // Only the first query reads Prometheus; reduce and threshold run on Grafana's server.
      expect(rule.data.map((q) => [q.refId, q.datasourceUid, q.model.type])).toEqual([
        ['A', 'prom', undefined],
        ['B', '__expr__', 'reduce'],
        ['C', '__expr__', 'threshold'],
      ]);
    }
    expect(gang.labels?.headroom_template).toBe('gang-blocked');
    expect(gang.annotations?.headroom_page).toBe('/a/headroom-capacity-app/fragmentation');
    expect(waste.annotations?.headroom_page).toBe('/a/headroom-capacity-app/efficiency');
  });

  it('puts the gang size in the PromQL and the waste threshold in the threshold expression', () => {
    expect(gang.data[0].model.expr).toContain('>= bool 4)');
    expect(gang.data[0].model.expr).toContain('< bool 4)');
    expect(gang.data[2].model.conditions).toEqual([{ evaluator: { type: 'gt', params: [0] } }]);
    expect(waste.data[2].model.conditions).toEqual([{ evaluator: { type: 'gt', params: [25] } }]);
    expect(waste.data[0].model.expr).toMatch(/\) or vector\(0\)$/);
    expect(waste.title).toBe('Headroom: idle GPUs held by pods cost more than 25 $/h');
  });

  it('keeps UIDs stable per template and data source', () => {
    const again = grafanaTemplateRules({ prometheusUid: 'prom', gangGpus: 8 });
    expect(again.map((r) => r.uid)).toEqual([gang.uid, waste.uid]);
    expect(templateUid('gang-blocked', 'other')).not.toBe(gang.uid);
    expect(gang.uid).not.toBe(waste.uid);
  });

  it('refuses an empty data source UID, a bad gang size and a negative threshold', () => {
    expect(() => grafanaTemplateRules({ prometheusUid: ' ' })).toThrow('data source UID');
    expect(() => grafanaTemplateRules({ prometheusUid: 'p', gangGpus: 0 })).toThrow('whole number of GPUs ≥ 1');
    expect(() => grafanaTemplateRules({ prometheusUid: 'p', wasteDollarsPerHour: -1 })).toThrow('≥ 0 dollars');
  });
});

describe('grafanaTemplateRules with a monthly budget', () => {
  const budget = { monthlyBudget: 50000, timeZone: 'Europe/Berlin', writtenAtSeconds: 1796601600 };
  const rules = grafanaTemplateRules({ prometheusUid: 'prom', pricesPerGpuHour: { 'NVIDIA L4': 2 }, budget });
  const guardRails = rules.slice(2);

  it('adds three rules on one query with thresholds at 100, 110 and 130 % of the budget', () => {
    expect(rules).toHaveLength(5);
    expect(guardRails.map((r) => r.labels)).toEqual([
      { managed_by: 'headroom', headroom_template: 'budget-notify', headroom_budget_level: 'notify', severity: 'info' },
      {
        managed_by: 'headroom',
        headroom_template: 'budget-control',
        headroom_budget_level: 'control',
        severity: 'warning',
      },
      {
        managed_by: 'headroom',
        headroom_template: 'budget-circuit-break',
        headroom_budget_level: 'circuit-break',
        severity: 'critical',
      },
    ]);
    // 50000 × 1, × 1.1, × 1.3.
    expect(guardRails.map((r) => r.data[2].model.conditions)).toEqual(
      [50000, 55000, 65000].map((v) => [{ evaluator: { type: 'gt', params: [v] } }])
    );
    expect(new Set(guardRails.map((r) => r.data[0].model.expr)).size).toBe(1);
    expect(guardRails.map((r) => r.noDataState)).toEqual(['OK', 'OK', 'OK']);
  });

  it('carries a runbook per level, the budget and its zone, and stays fingerprinted as written', () => {
    for (const rule of guardRails) {
      expect(rule.uid).toMatch(GRAFANA_UID_PATTERN);
      expect(editedSinceWritten(rule)).toBe(false);
      expect(rule.annotations?.headroom_budget_time_zone).toBe('Europe/Berlin');
      expect(rule.annotations?.headroom_monthly_budget).toBe('50000');
      // Without a runbook of the person's own: the waste review dashboard's guard-rails text panel (id 6).
      expect(rule.annotations?.runbook_url).toBe('/d/headroom-gpu-waste-review/gpu-waste-review?viewPanel=panel-6');
    }
    expect(guardRails[0].annotations?.runbook).toContain('tech lead and finance');
    expect(guardRails[1].annotations?.runbook).toContain('headroom budget actions --level control');
    expect(guardRails[2].annotations?.runbook).toContain('--level circuit-break');
    expect(new Set(guardRails.map((r) => r.uid)).size).toBe(3);
    const withUrl = grafanaTemplateRules({
      prometheusUid: 'prom',
      budget: { ...budget, runbookUrl: 'https://wiki.example/gpu-budget' },
    });
    expect(withUrl[4].annotations?.runbook_url).toBe('https://wiki.example/gpu-budget');
  });

  it('writes no rule at all for a budget of zero, a negative budget, or no usable price', () => {
    expect(() => grafanaTemplateRules({ prometheusUid: 'prom', budget: { ...budget, monthlyBudget: 0 } })).toThrow(
      'A monthly budget of 0'
    );
    expect(() => grafanaTemplateRules({ prometheusUid: 'prom', budget: { ...budget, monthlyBudget: -5 } })).toThrow(
      'positive amount'
    );
    expect(() => grafanaTemplateRules({ prometheusUid: 'prom', pricesPerGpuHour: {}, budget })).toThrow(
      'at least one GPU model with a price'
    );
    expect(() =>
      grafanaTemplateRules({ prometheusUid: 'prom', pricesPerGpuHour: { 'NVIDIA L4': -1 }, budget })
    ).toThrow('at least one GPU model with a price');
  });
});
