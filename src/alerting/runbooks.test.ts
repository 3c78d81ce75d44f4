/** @jest-environment node */
import { parse } from 'yaml';

import { grafanaRulesForBand } from './grafanaRule';
import { thresholdRuleFile } from './prometheusRules';
import { RUNBOOK_URL_ANNOTATION, RUNBOOKS, runbookUrl } from './runbooks';
import { fragmentationRuleFile } from './templates/fragmentationRules';
import { grafanaTemplateRules, TEMPLATE_LABEL } from './templates/grafanaTemplates';
import { wasteCostRuleFile } from './templates/wasteCost';

const band = { mode: 'flat' as const, calibratedAtSeconds: 1_700_000_000, upper: [80], lower: [5] };

/** The annotations of every alerting rule in a rule file, read back with a YAML parser. */
function alertAnnotations(ruleFile: string): Array<Record<string, string>> {
  const groups = (parse(ruleFile) as { groups: Array<{ rules: Array<{ alert?: string; annotations?: object }> }> })
    .groups;
  return groups.flatMap((g) =>
    g.rules.filter((r) => r.alert).map((r) => (r.annotations ?? {}) as Record<string, string>)
  );
}

describe('runbookUrl', () => {
  it('is relative to Grafana without a base URL, opening the panel by its scenes key', () => {
    expect(runbookUrl({ dashboardUid: 'u', slug: 's', panelId: 7 })).toBe('/d/u/s?viewPanel=panel-7');
  });

  it('keeps a sub path of the base URL and drops trailing slashes, credentials and queries', () => {
    const panel = { dashboardUid: 'u', slug: 's', panelId: 1 };
    expect(runbookUrl(panel, 'https://grafana.example.com')).toBe(
      'https://grafana.example.com/d/u/s?viewPanel=panel-1'
    );
    expect(runbookUrl(panel, 'https://example.com/grafana//')).toBe(
      'https://example.com/grafana/d/u/s?viewPanel=panel-1'
    );
    expect(runbookUrl(panel, 'http://admin:secret@example.com:3000/?orgId=2')).toBe(
      'http://example.com:3000/d/u/s?viewPanel=panel-1'
    );
  });

  it('refuses a base URL that is not absolute http(s)', () => {
    const panel = RUNBOOKS.band;
    expect(() => runbookUrl(panel, 'grafana.example.com')).toThrow(/not an absolute URL/);
    expect(() => runbookUrl(panel, 'ftp://example.com')).toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('runbook_url on the rules Headroom writes', () => {
  it('links each Grafana-managed template rule to its own runbook panel, relative to Grafana', () => {
    const rules = grafanaTemplateRules({ prometheusUid: 'prom' });
    const byTemplate = Object.fromEntries(
      rules.map((r) => [r.labels![TEMPLATE_LABEL], r.annotations![RUNBOOK_URL_ANNOTATION]])
    );
    expect(byTemplate).toEqual({
      'gang-blocked': '/d/headroom-fragmentation-triage/fragmentation-triage?viewPanel=panel-1',
      'idle-gpu-cost': '/d/headroom-gpu-waste-review/gpu-waste-review?viewPanel=panel-1',
    });
  });

  it('links both sides of a learnt band to the capacity runbook', () => {
    const rules = grafanaRulesForBand(
      { selector: 'up', datasourceUid: 'p', folderUID: 'f', ruleGroup: 'g' },
      {
        band,
        method: 'median-mad',
        trainingStartSeconds: 0,
        trainingEndSeconds: 1,
        expectedStartsPerWeek: 0,
        stepSeconds: 60,
      },
      { forSeconds: 300, keepFiringForSeconds: 0 }
    );
    expect(rules.map((r) => r.annotations![RUNBOOK_URL_ANNOTATION])).toEqual([
      '/d/headroom-gpu-capacity-runbook/gpu-capacity-runbook?viewPanel=panel-7',
      '/d/headroom-gpu-capacity-runbook/gpu-capacity-runbook?viewPanel=panel-7',
    ]);
  });

  it('puts an absolute runbook_url in the Prometheus rule files only when given the Grafana URL', () => {
    const base = 'https://grafana.example.com/';
    const threshold = {
      name: 'gpu',
      selector: 'up',
      band,
      forSeconds: 60,
      keepFiringForSeconds: 0,
      evaluationIntervalSeconds: 60,
    };
    const waste = { pricesPerGpuHour: { 'NVIDIA A100-SXM4-80GB': 2 }, thresholdDollarsPerHour: 10 };
    const files = [thresholdRuleFile(threshold), fragmentationRuleFile(), wasteCostRuleFile(waste)];
    expect(files.flatMap(alertAnnotations).map((a) => a[RUNBOOK_URL_ANNOTATION])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const linked = [
      thresholdRuleFile({ ...threshold, grafanaUrl: base }),
      fragmentationRuleFile({ grafanaUrl: base }),
      wasteCostRuleFile({ ...waste, grafanaUrl: base }),
    ];
    expect(linked.flatMap(alertAnnotations).map((a) => a[RUNBOOK_URL_ANNOTATION])).toEqual([
      'https://grafana.example.com/d/headroom-gpu-capacity-runbook/gpu-capacity-runbook?viewPanel=panel-7',
      'https://grafana.example.com/d/headroom-fragmentation-triage/fragmentation-triage?viewPanel=panel-1',
      'https://grafana.example.com/d/headroom-gpu-waste-review/gpu-waste-review?viewPanel=panel-1',
    ]);
  });
});
