import {
  CustomVariable,
  DataSourceVariable,
  SceneDataTransformer,
  SceneQueryRunner,
  SceneTimeRange,
  TextBoxVariable,
  VizPanel,
  sceneGraph,
  type SceneObject,
} from '@grafana/scenes';
import { buildForecastScene } from './forecastScene';

function panels(scene: SceneObject): VizPanel[] {
  return sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];
}

describe('buildForecastScene', () => {
  const scene = buildForecastScene();

  it('opens on the last 7 days', () => {
    const timeRange = sceneGraph.getTimeRange(scene) as SceneTimeRange;
    expect([timeRange.state.from, timeRange.state.to]).toEqual(['now-7d', 'now']);
  });

  it('shows the forecast panel and the plan, with visualisations the harness provides', () => {
    expect(panels(scene).map((p) => [p.state.title, p.state.pluginId])).toEqual([
      ['Demand forecast', 'headroom-forecast-panel'],
      // The launch what-if's comparison (drawn only once a launch is planned).
      ['Demand forecast: baseline', 'headroom-forecast-panel'],
      ['Demand forecast: with the launch', 'headroom-forecast-panel'],
      ['Scaling schedule: baseline', 'table'],
      ['Scaling schedule: with the launch', 'table'],
      ['GPUs needed: hours the launch changes', 'table'],
      ['Totals: baseline and with the launch', 'table'],
      ['Scaling schedule', 'table'],
      ['GPUs needed per hour', 'table'],
      ['Backtest', 'table'],
      ['Cost mix', 'table'],
    ]);
  });

  it('runs one capacity query on the ds data source, every setting from a page variable', () => {
    const runners = sceneGraph.findAllObjects(scene, (o) => o instanceof SceneQueryRunner) as SceneQueryRunner[];
    // The page's capacity query, and Copy manifests' own serving query (what is deployed), on the same data source.
    expect(runners).toHaveLength(2);
    expect(runners[1].state.datasource).toEqual({ type: 'headroom-capacity-datasource', uid: '${ds}' });
    expect(runners[1].state.queries).toEqual([{ refId: 'services', queryType: 'serving', servingView: 'services' }]);
    expect(runners[0].state.datasource).toEqual({ type: 'headroom-capacity-datasource', uid: '${ds}' });
    expect(runners[0].state.queries).toEqual([
      {
        refId: 'capacity',
        queryType: 'capacity',
        target: '$target',
        expr: '$promql',
        horizonHours: '$horizon',
        model: '$model',
        capacity: '$capacity',
        whatIf: '$whatif',
      },
    ]);
  });

  it('feeds each table one frame of the answer, from the page query', () => {
    for (const title of ['GPUs needed per hour', 'Scaling schedule', 'Backtest', 'Cost mix']) {
      const vizPanel = panels(scene).find((p) => p.state.title === title)!;
      expect(vizPanel.state.$data).toBeInstanceOf(SceneDataTransformer);
      // Above the panel: the page's one query runner.
      expect(sceneGraph.getData(vizPanel.parent!)).toBeInstanceOf(SceneQueryRunner);
    }
  });

  it('keeps target, PromQL, horizon, model and capacity in variables, so the URL holds them', () => {
    const variables = sceneGraph.getVariables(scene).state.variables;
    expect(variables.map((v) => v.state.name)).toEqual([
      'ds',
      'target',
      'promql',
      'horizon',
      'model',
      'capacity',
      'whatif',
    ]);
    expect(variables[0]).toBeInstanceOf(DataSourceVariable);
    const target = variables[1] as CustomVariable;
    expect(target).toBeInstanceOf(CustomVariable);
    expect(target.state.value).toBe('gpus_allocated');
    expect(target.state.query.split(',').map((o) => o.split(' : ')[1].trim())).toEqual([
      'gpus_allocated',
      'gpus_busy',
      'gpu_utilisation',
      'tokens_per_second',
      'queue_depth',
      'kv_cache_usage',
      'expr',
    ]);
    // Labels are written in the user's language (English here), the values stay the ids the URL holds.
    expect(target.state.query).toContain('Allocated GPUs : gpus_allocated');
    expect(target.state.query).toContain('Custom PromQL : expr');
    const [promql, horizon, model, capacity] = variables.slice(2);
    for (const v of [promql, horizon, capacity]) {
      expect(v).toBeInstanceOf(TextBoxVariable);
    }
    expect([promql, horizon, capacity].map((v) => (v as TextBoxVariable).state.value)).toEqual(['', '168', '']);
    // auto by default; the LSTM is offered by name, apart from auto.
    expect(model).toBeInstanceOf(CustomVariable);
    expect((model as CustomVariable).state.value).toBe('auto');
    const models = (model as CustomVariable).state.query.split(',').map((o) => o.split(' : ')[1].trim());
    expect(models[0]).toBe('auto');
    expect(models).toContain('lstm');
    expect(models).toContain('mstl');
    expect((model as CustomVariable).state.query).toContain('lstm (trains in the browser) : lstm');
  });

  it('starts on the configured default data source when there is one', () => {
    const ds = sceneGraph.lookupVariable('ds', buildForecastScene('headroom-prod')) as DataSourceVariable;
    expect(ds.state.value).toBe('headroom-prod');
  });
});

describe('the cost mix table’s layout', () => {
  /** Each overridden field's value of one custom option. */
  const custom = (panel: VizPanel, id: string) =>
    Object.fromEntries(
      panel.state.fieldConfig.overrides.flatMap((o) =>
        o.properties.filter((p) => p.id === `custom.${id}`).map((p) => [String(o.matcher.options), p.value])
      )
    );
  // The Cost mix frame's columns (frames/forecast/capacityFrames.ts), the price source last.
  const FIGURES = [
    'GPU model',
    'Share of GPUs',
    'Reserved GPUs',
    'Demand quantile',
    'Expected cost / h',
    'All on-demand / h',
    'Savings / h',
    'On-demand GPU-hours',
    'Spot GPU-hours',
    'On-demand / GPU-h',
    'Reserved / GPU-h',
    'Spot / GPU-h',
  ];

  it('gives every column but the price source a width and a wrapped header, and wraps the long texts', () => {
    const table = panels(buildForecastScene()).find((p) => p.state.title === 'Cost mix')!;
    expect(Object.keys(custom(table, 'width')).sort()).toEqual([...FIGURES].sort());
    expect(Object.keys(custom(table, 'wrapHeaderText')).sort()).toEqual([...FIGURES].sort());
    expect(custom(table, 'wrapText')).toEqual({
      'GPU model': true,
      'Reserved GPUs': true,
      'On-demand GPU-hours': true,
      'Spot GPU-hours': true,
      'Price source': true,
    });
    // A full-width panel on a 1,440-pixel screen is about 1,390 pixels wide: more than Grafana's 150-pixel minimum
    // column width is left for the price source, which wraps there.
    const widthsPx = Object.values(custom(table, 'width')) as number[];
    expect(1390 - widthsPx.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(200);
  });
});
