import { editedSinceWritten, type ProvisionedAlertRule } from '../grafanaRule';
import { grafanaTemplateRules } from './grafanaTemplates';
import { headroomQueryTemplateRules } from './headroomQueryTemplates';

const evaluatorOf = (rule: ProvisionedAlertRule) =>
  (rule.data[2].model as { conditions: Array<{ evaluator: { type: string; params: number[] } }> }).conditions[0]
    .evaluator;

describe('templates on Headroom alert queries', () => {
  it('one rule per measure: query A on Headroom, last value B, threshold C on Grafana, with the defaults', () => {
    const rules = headroomQueryTemplateRules({ headroomUid: 'hr' });

    // Defaults from the examples (50 % within 14 days, 60 % fragmented) and the PromQL templates (8 GPUs,
    // 10 $/h); days-to-exhaustion below 14 and any idle GPU.
    expect(rules.map((r) => [r.data[0].model.measure, evaluatorOf(r)])).toEqual([
      ['exhaustionProbability', { type: 'gt', params: [0.5] }],
      ['daysToExhaustion80', { type: 'lt', params: [14] }],
      ['fragmentedShare', { type: 'gt', params: [0.6] }],
      ['largestGang', { type: 'lt', params: [8] }],
      ['idleGpus', { type: 'gt', params: [0] }],
      ['idleCostPerHour', { type: 'gt', params: [10] }],
    ]);
    for (const rule of rules) {
      expect(rule.condition).toBe('C');
      expect(rule.data.map((q) => [q.refId, q.datasourceUid])).toEqual([
        ['A', 'hr'],
        ['B', '__expr__'],
        ['C', '__expr__'],
      ]);
      expect(rule.data[0].model).toMatchObject({
        refId: 'A',
        queryType: 'alert',
        datasource: { type: 'headroom-capacity-datasource', uid: 'hr' },
      });
      expect(rule.data[0].relativeTimeRange.from).toBeGreaterThan(rule.data[0].relativeTimeRange.to);
      expect(rule.data[1].model).toMatchObject({ type: 'reduce', expression: 'A', reducer: 'last' });
      expect(rule.data[2].model).toMatchObject({ type: 'threshold', expression: 'B' });
      expect(rule.labels).toMatchObject({ managed_by: 'headroom', headroom_measure: rule.data[0].model.measure });
      expect(rule.ruleGroup).toBe('headroom-query-templates');
      expect(rule.folderUID).toBe('headroom');
    }
    expect(rules[0].data[0].model.withinDays).toBe('14');
    expect(new Set(rules.map((r) => r.uid)).size).toBe(rules.length);
  });

  it('never shares a UID with the PromQL templates, even on the same data source UID', () => {
    const promql = grafanaTemplateRules({ prometheusUid: 'same', budget: { monthlyBudget: 1, writtenAtSeconds: 0 } });
    const query = headroomQueryTemplateRules({ headroomUid: 'same', monthlyBudget: 1 });
    expect(query.filter((r) => promql.some((p) => p.uid === r.uid))).toEqual([]);
  });

  it('with a budget, three guard rails on the budget ratio: 100, 110 and 130 % with their own routing labels', () => {
    const rules = headroomQueryTemplateRules({ headroomUid: 'hr', monthlyBudget: 40000 });
    const budget = rules.filter((r) => r.data[0].model.measure === 'budgetRatio');

    expect(budget.map((r) => [r.labels?.headroom_budget_level, r.labels?.severity, evaluatorOf(r).params[0]])).toEqual([
      ['notify', 'info', 1],
      ['control', 'warning', 1.1],
      ['circuit-break', 'critical', 1.3],
    ]);
    expect(budget.every((r) => r.data[0].model.monthlyBudget === '40000')).toBe(true);
    expect(headroomQueryTemplateRules({ headroomUid: 'hr' }).some((r) => r.labels?.headroom_budget_level)).toBe(false);
  });

  it('prices idle cost and budget at the tier and prices the rules carry, and says which in their descriptions', () => {
    const gpuPrices = [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 1, reservedPerGpuHour: 0.6, source: 'f' }];
    const rules = headroomQueryTemplateRules({
      headroomUid: 'hr',
      monthlyBudget: 9000,
      appSettings: { gpuPrices },
      pricingTier: 'reserved',
      pricesName: '--prices f.json',
      currency: 'EUR',
    });
    const priced = rules.filter((rule) =>
      ['idleCostPerHour', 'budgetRatio'].includes(rule.data[0].model.measure as string)
    );
    expect(priced).toHaveLength(4);
    for (const rule of priced) {
      expect(rule.data[0].model).toMatchObject({ pricingTier: 'reserved', appSettings: { gpuPrices } });
      expect(rule.annotations!.description).toContain(
        "priced at the reserved price of each GPU model in --prices f.json as of the rule's writing"
      );
    }
    expect(priced[1].annotations!.summary).toContain('of the 9000 EUR budget');
    const [listPriced] = headroomQueryTemplateRules({ headroomUid: 'hr' }).filter(
      (rule) => rule.data[0].model.measure === 'idleCostPerHour'
    );
    expect(listPriced.data[0].model.pricingTier).toBe('onDemand');
    expect(listPriced.annotations!.description).toContain(
      'the on-demand price of each GPU model in the shipped list prices'
    );
  });

  it('takes its thresholds and refuses ones that could never or always fire', () => {
    const [probability, days, share, gang, idle, cost] = headroomQueryTemplateRules({
      headroomUid: 'hr',
      withinDays: 7,
      exhaustionProbability: 0.2,
      daysToExhaustion: 30,
      fragmentedShare: 0.4,
      gangGpus: 4,
      idleGpus: 2,
      wasteDollarsPerHour: 50,
    });
    expect(probability.data[0].model.withinDays).toBe('7');
    expect([probability, days, share, gang, idle, cost].map((r) => evaluatorOf(r).params[0])).toEqual([
      0.2, 30, 0.4, 4, 2, 50,
    ]);

    expect(() => headroomQueryTemplateRules({ headroomUid: ' ' })).toThrow('UID must not be empty');
    expect(() => headroomQueryTemplateRules({ headroomUid: 'hr', withinDays: 29 })).toThrow(RangeError);
    expect(() => headroomQueryTemplateRules({ headroomUid: 'hr', exhaustionProbability: 1 })).toThrow(RangeError);
    expect(() => headroomQueryTemplateRules({ headroomUid: 'hr', gangGpus: 2.5 })).toThrow(RangeError);
    expect(() => headroomQueryTemplateRules({ headroomUid: 'hr', monthlyBudget: 0 })).toThrow('monthly budget of 0');
  });

  it("counts a person's change of the query's settings as an edit, not only the thresholds", () => {
    const [rule] = headroomQueryTemplateRules({ headroomUid: 'hr' });
    expect(editedSinceWritten(rule)).toBe(false);
    // What Grafana fills in itself (AlertQuery.PreSave) is not an edit.
    const stored = {
      ...rule,
      data: [
        { ...rule.data[0], model: { ...rule.data[0].model, maxDataPoints: 43200, intervalMs: 1000 } },
        ...rule.data.slice(1),
      ],
    };
    expect(editedSinceWritten(stored)).toBe(false);
    const edited = {
      ...rule,
      data: [{ ...rule.data[0], model: { ...rule.data[0].model, withinDays: '3' } }, ...rule.data.slice(1)],
    };
    expect(editedSinceWritten(edited)).toBe(true);
  });
});
