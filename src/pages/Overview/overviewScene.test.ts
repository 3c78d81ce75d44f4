import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FieldMatcherID, FieldType } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import i18next from 'i18next';
import {
  DataSourceVariable,
  QueryVariable,
  SceneDataTransformer,
  SceneQueryRunner,
  SceneTimeRange,
  VizPanel,
  sceneGraph,
  type SceneObject,
} from '@grafana/scenes';
import type { HeadroomQuery } from '../../datasource/types';
import { buildOverviewScene } from './overviewScene';

function panels(scene: SceneObject): VizPanel[] {
  return sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];
}

function panel(scene: SceneObject, title: string): VizPanel {
  const found = panels(scene).find((p) => p.state.title === title);
  if (!found) {
    throw new Error(`no panel titled ${title}`);
  }
  return found;
}

/** The query runner a panel reads (its own, or the nearest one above it), behind the transformer that words it. */
function queryOf(vizPanel: VizPanel): HeadroomQuery {
  const transformer = sceneGraph.getData(vizPanel);
  expect(transformer).toBeInstanceOf(SceneDataTransformer);
  const runner = transformer.state.$data;
  expect(runner).toBeInstanceOf(SceneQueryRunner);
  const queries = (runner as SceneQueryRunner).state.queries as HeadroomQuery[];
  expect(queries).toHaveLength(1);
  return queries[0];
}

/** The unit each panel's overrides give its number fields, over the frames' own English `suffix: GPUs`. */
function numberUnits(scene: SceneObject): Array<[string | undefined, unknown[]]> {
  return panels(scene).map((p) => [
    p.state.title,
    p.state.fieldConfig.overrides
      .filter((o) => o.matcher.id === FieldMatcherID.byType && o.matcher.options === FieldType.number)
      .flatMap((o) => o.properties.filter((property) => property.id === 'unit').map((property) => property.value)),
  ]);
}

describe('buildOverviewScene', () => {
  const scene = buildOverviewScene();

  it('opens on the last 24 hours', () => {
    const timeRange = sceneGraph.getTimeRange(scene) as SceneTimeRange;
    expect([timeRange.state.from, timeRange.state.to]).toEqual(['now-24h', 'now']);
  });

  it('shows the panels the browser tests look for, with the core visualisations the harness provides', () => {
    expect(panels(scene).map((p) => [p.state.title, p.state.pluginId])).toEqual([
      ['Total GPUs', 'stat'],
      ['Allocated GPUs', 'stat'],
      ['Busy GPUs', 'stat'],
      ['Free GPUs', 'stat'],
      ['Fleet over time', 'timeseries'],
      ['GPUs by model', 'bargauge'],
      ['Allocated GPUs by namespace', 'timeseries'],
      ['Nodes', 'table'],
    ]);
  });

  it.each([
    ['Total GPUs', 'fleet'],
    ['Free GPUs', 'fleet'],
    ['Fleet over time', 'fleet'],
    ['GPUs by model', 'byModel'],
    ['Allocated GPUs by namespace', 'byNamespace'],
    ['Nodes', 'nodes'],
  ])('%s reads the %s inventory view, filtered by the page variables', (title, view) => {
    expect(queryOf(panel(scene, title))).toEqual({
      refId: view,
      queryType: 'inventory',
      inventoryView: view,
      node: '$node',
      namespace: '$namespace',
      gpuModel: '$gpu_model',
    });
  });

  it('sends every query to the data source chosen in the ds variable', () => {
    const runners = sceneGraph.findAllObjects(scene, (o) => o instanceof SceneQueryRunner) as SceneQueryRunner[];
    expect(runners).toHaveLength(4);
    for (const runner of runners) {
      expect(runner.state.datasource).toEqual({ type: 'headroom-capacity-datasource', uid: '${ds}' });
    }
  });

  it('each stat picks the latest value of its own field', () => {
    const fieldOf = (title: string) => (panel(scene, title).state.options as { reduceOptions?: unknown }).reduceOptions;
    expect(fieldOf('Total GPUs')).toMatchObject({ calcs: ['lastNotNull'], fields: '/^Capacity$/' });
    expect(fieldOf('Allocated GPUs')).toMatchObject({ fields: '/^Allocated$/' });
    expect(fieldOf('Busy GPUs')).toMatchObject({ fields: '/^Busy$/' });
    expect(fieldOf('Free GPUs')).toMatchObject({ fields: '/^Free$/' });
  });

  it('labels every number in GPUs, with one decimal only where activity makes it fractional', () => {
    expect(numberUnits(scene)).toEqual([
      ['Total GPUs', ['suffix: GPUs']],
      ['Allocated GPUs', ['suffix: GPUs']],
      ['Busy GPUs', ['suffix: GPUs']],
      ['Free GPUs', ['suffix: GPUs']],
      ['Fleet over time', ['suffix: GPUs']],
      ['GPUs by model', ['suffix: GPUs']],
      ['Allocated GPUs by namespace', ['suffix: GPUs']],
      ['Nodes', ['suffix: GPUs']],
    ]);
    expect(panel(scene, 'Busy GPUs').state.fieldConfig.defaults.decimals).toBe(1);
    expect(panel(scene, 'Total GPUs').state.fieldConfig.defaults.decimals).toBeUndefined();
  });

  it('has the data source picker and the node, namespace and GPU model filters', () => {
    const variables = sceneGraph.getVariables(scene).state.variables;
    expect(variables.map((v) => v.state.name)).toEqual(['ds', 'node', 'namespace', 'gpu_model']);

    const ds = variables[0] as DataSourceVariable;
    expect(ds).toBeInstanceOf(DataSourceVariable);
    expect(ds.state.pluginId).toBe('headroom-capacity-datasource');

    const filters = variables.slice(1) as QueryVariable[];
    expect(filters.map((v) => v.state.query)).toEqual(['nodes()', 'namespaces()', 'gpu_models()']);
    for (const filter of filters) {
      expect(filter).toBeInstanceOf(QueryVariable);
      expect(filter.state).toMatchObject({
        allValue: '$__all',
        isMulti: true,
        includeAll: true,
        datasource: { type: 'headroom-capacity-datasource', uid: '${ds}' },
      });
    }
  });

  it('starts on the configured default data source when there is one', () => {
    const ds = sceneGraph.lookupVariable('ds', buildOverviewScene('headroom-prod')) as DataSourceVariable;
    expect(ds.state.value).toBe('headroom-prod');
  });
});

describe('buildOverviewScene in Simplified Chinese', () => {
  beforeAll(async () => {
    const catalog: unknown = JSON.parse(
      readFileSync(path.join(__dirname, '../../locales/zh-Hans/headroom-capacity-app.json'), 'utf8')
    );
    await i18next.init({ lng: 'zh-Hans', resources: { 'zh-Hans': { 'headroom-capacity-app': catalog as object } } });
    await initPluginTranslations('headroom-capacity-app');
  });

  it('counts GPUs with the Chinese measure word in every panel, stats and nodes table included', () => {
    expect(numberUnits(buildOverviewScene())).toEqual([
      ['GPU 总数', ['suffix: 块 GPU']],
      ['已分配 GPU', ['suffix: 块 GPU']],
      ['繁忙 GPU', ['suffix: 块 GPU']],
      ['空闲 GPU', ['suffix: 块 GPU']],
      ['集群趋势', ['suffix: 块 GPU']],
      ['按型号统计 GPU', ['suffix: 块 GPU']],
      ['按命名空间统计已分配 GPU', ['suffix: 块 GPU']],
      ['节点', ['suffix: 块 GPU']],
    ]);
  });
});
