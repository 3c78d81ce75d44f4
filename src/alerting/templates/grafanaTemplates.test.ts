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
