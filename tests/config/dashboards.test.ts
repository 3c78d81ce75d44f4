/**
 * The runbook dashboards the app ships (src/dashboards/, plugin.json `includes`), checked against what Grafana 12's
 * import of app dashboards needs (docs/grafana-compatibility.md, "Runbook dashboards"): Grafana imports them when the
 * app is enabled and again when their `revision` changes, with no inputs (dashboard_updater.go passes `Inputs: nil`,
 * and dash_template_evaluator.go refuses a dashboard whose `__inputs` it cannot fill), matching existing ones by slug.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { RUNBOOKS } from '../../src/alerting/runbooks';
import {
  QUERY_TYPE_LABELS,
  type EfficiencyView,
  type FragmentationView,
  type InventoryView,
} from '../../src/datasource/types';
import { FORECAST_TARGETS } from '../../src/prometheus/targets';
import { grafanaSlug, type DashboardJson } from '../kit/dashboardJson';

const ROOT = path.resolve(__dirname, '../..');
const PROMTOOL = '/usr/bin/promtool';
const HEADROOM_DATASOURCE = 'headroom-capacity-datasource';
/** Grafana's built-in data source that repeats another panel's results (public/app/plugins/datasource/dashboard). */
const DASHBOARD_DATASOURCE = { type: 'datasource', uid: '-- Dashboard --' };
/** Grafana's core visualisations the dashboards use; the rest must be Headroom's own panels. */
const CORE_PANELS = ['text', 'timeseries', 'stat', 'table', 'bargauge'];
/** Grafana's grid is 24 columns wide (DashboardModel, GRID_COLUMN_COUNT). */
const GRID_COLUMNS = 24;

// Every view of the types, so a view added to the data source must be added here (tsc checks the Record is complete).
const FRAGMENTATION_VIEWS = Object.keys({
  summary: true,
  grid: true,
  jobsFit: true,
  overTime: true,
  defragPlan: true,
} satisfies Record<FragmentationView, true>);
const EFFICIENCY_VIEWS = Object.keys({
  waste: true,
  mfu: true,
  burn: true,
  disagreements: true,
  spot: true,
} satisfies Record<EfficiencyView, true>);
const INVENTORY_VIEWS = Object.keys({
  fleet: true,
  byModel: true,
  byNamespace: true,
  nodes: true,
} satisfies Record<InventoryView, true>);

const readJson = <T>(relative: string): T => JSON.parse(readFileSync(path.join(ROOT, relative), 'utf8')) as T;
const app = readJson<{ includes: Array<{ type: string; name: string; path: string }> }>('src/plugin.json');
const includes = app.includes.filter((include) => include.type === 'dashboard');
const DASHBOARDS = includes.map((include) => ({
  ...include,
  dashboard: readJson<DashboardJson>(path.join('src', include.path)),
}));
const headroomPanelIds = readdirSync(path.join(ROOT, 'src/panels'))
  .filter((folder) => folder !== 'shared')
  .map((folder) => readJson<{ id: string }>(path.join('src/panels', folder, 'plugin.json')).id);

describe('the dashboards plugin.json includes', () => {
  it('are every file in src/dashboards, four of them, each with its own title and slug', () => {
    const files = readdirSync(path.join(ROOT, 'src/dashboards')).filter((f) => f.endsWith('.json'));
    expect(includes.map((i) => i.path).sort()).toEqual(files.map((f) => `dashboards/${f}`).sort());
    expect(includes.map((i) => i.name)).toEqual([
      'GPU capacity runbook',
      'Inference capacity and SLO',
      'Fragmentation triage',
      'GPU waste review',
    ]);
    // Grafana matches an installed app dashboard by slug: two alike would overwrite each other.
    expect(new Set(DASHBOARDS.map((d) => grafanaSlug(d.dashboard.title))).size).toBe(DASHBOARDS.length);
    expect(new Set(DASHBOARDS.map((d) => d.dashboard.uid)).size).toBe(DASHBOARDS.length);
  });
});

describe.each(DASHBOARDS)('$name ($path)', ({ name, dashboard }) => {
  const datasourceVariables = new Map(
    dashboard.templating.list.filter((v) => v.type === 'datasource').map((v) => [v.name, v.query])
  );

  it('has what Grafana imports an app dashboard by: title, fixed uid, revision, schema version, no inputs', () => {
    expect(dashboard.title).toBe(name);
    // util.IsValidShortUID and the 40-character limit of dashboard uids.
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9\-_]{1,40}$/);
    expect(Number.isInteger(dashboard.revision) && dashboard.revision >= 1).toBe(true);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    // The automatic import gives no inputs: any `__inputs` entry would fail it (dash_template_evaluator.go).
    expect(dashboard.__inputs ?? []).toEqual([]);
  });

  it('has unique panel ids, panels inside the 24 columns that do not overlap, and a description on each', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { id, gridPos, description } of dashboard.panels) {
      const { x, y, w, h } = gridPos;
      expect({ id, inside: x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= GRID_COLUMNS }).toEqual({
        id,
        inside: true,
      });
      expect({ id, described: (description ?? '').trim().length > 20 }).toEqual({ id, described: true });
    }
    const overlaps = dashboard.panels.flatMap((a, i) =>
      dashboard.panels
        .slice(i + 1)
        .filter(
          (b) =>
            a.gridPos.x < b.gridPos.x + b.gridPos.w &&
            b.gridPos.x < a.gridPos.x + a.gridPos.w &&
            a.gridPos.y < b.gridPos.y + b.gridPos.h &&
            b.gridPos.y < a.gridPos.y + a.gridPos.h
        )
        .map((b) => `${a.id}/${b.id}`)
    );
    expect(overlaps).toEqual([]);
  });

  it('uses Grafana core panels and Headroom panels only, and a text panel for the runbook steps', () => {
    for (const { id, type } of dashboard.panels) {
      expect({ id, known: CORE_PANELS.includes(type) || headroomPanelIds.includes(type) }).toEqual({ id, known: true });
    }
    expect(dashboard.panels.some((p) => p.type === 'text')).toBe(true);
  });

  it('refers to data sources only through its data source variables of the matching type, or to another panel', () => {
    expect([...datasourceVariables.values()].sort()).toEqual([HEADROOM_DATASOURCE, 'prometheus']);
    for (const panel of dashboard.panels) {
      const refs = [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)];
      if (panel.type === 'text') {
        expect(panel.targets ?? []).toEqual([]);
        continue;
      }
      expect(panel.targets?.length).toBeGreaterThan(0);
      if (panel.datasource?.uid === DASHBOARD_DATASOURCE.uid) {
        // Grafana's dashboard data source: the results of another panel that runs its own queries.
        expect(refs).toEqual(refs.map(() => DASHBOARD_DATASOURCE));
        const source = dashboard.panels.find((p) => p.id === panel.targets![0].panelId);
        expect({ panel: panel.id, sourceRuns: source?.datasource?.uid?.startsWith('${') }).toEqual({
          panel: panel.id,
          sourceRuns: true,
        });
        continue;
      }
      for (const ref of refs) {
        const variable = /^\$\{(\w+)\}$/.exec(ref?.uid ?? '')?.[1];
        expect({ panel: panel.id, ref, type: variable && datasourceVariables.get(variable) }).toEqual({
          panel: panel.id,
          ref,
          type: ref?.type,
        });
      }
    }
  });

  it('asks the Headroom data source only for query types, targets and views it knows', () => {
    const targets = dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .filter((t) => t.datasource?.type === HEADROOM_DATASOURCE);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      expect(Object.keys(QUERY_TYPE_LABELS)).toContain(t.queryType);
      if (t.queryType === 'forecast' || t.queryType === 'capacity') {
        expect([...FORECAST_TARGETS.map((f) => f.id), 'expr']).toContain(t.target);
        expect(t.target === 'expr').toBe(Boolean(t.expr));
      }
      if (t.queryType === 'fragmentation') {
        expect(FRAGMENTATION_VIEWS).toContain(t.fragmentationView);
      }
      if (t.queryType === 'efficiency') {
        expect(EFFICIENCY_VIEWS).toContain(t.efficiencyView);
      }
      if (t.queryType === 'inventory') {
        expect(INVENTORY_VIEWS).toContain(t.inventoryView);
      }
    }
  });
});

describe('PromQL in the dashboards', () => {
  it('parses: promtool check rules accepts every expression, with Grafana’s interval variables filled in', () => {
    const exprs = DASHBOARDS.flatMap(({ dashboard }) =>
      dashboard.panels.flatMap((p) =>
        (p.targets ?? []).map((t) => t.expr).filter((e): e is string => typeof e === 'string' && e !== '')
      )
    );
    expect(exprs.length).toBeGreaterThan(5);
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-dashboards-'));
    try {
      const file = path.join(dir, 'rules.yml');
      const rules = exprs.map(
        (expr, i) =>
          `      - record: dashboard_expr_${i}\n        expr: ${JSON.stringify(expr.replace(/\$__(rate_)?interval/g, '5m'))}`
      );
      writeFileSync(file, `groups:\n  - name: dashboards\n    rules:\n${rules.join('\n')}\n`);
      const check = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
      expect(check.stdout + check.stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runbook links of the alert rules', () => {
  it.each(Object.entries(RUNBOOKS))('%s points at a text panel of a shipped dashboard', (_, runbook) => {
    const found = DASHBOARDS.find((d) => d.dashboard.uid === runbook.dashboardUid);
    expect(found?.dashboard.uid).toBe(runbook.dashboardUid);
    expect(grafanaSlug(found!.dashboard.title)).toBe(runbook.slug);
    const panel = found!.dashboard.panels.find((p) => p.id === runbook.panelId);
    expect(panel?.type).toBe('text');
  });
});
