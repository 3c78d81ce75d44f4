import {
  CustomVariable,
  DataSourceVariable,
  SceneDataTransformer,
  SceneQueryRunner,
  SceneTimeRange,
  VizPanel,
  sceneGraph,
  type SceneObject,
} from '@grafana/scenes';
import { buildEfficiencyScene } from './efficiencyScene';

function panels(scene: SceneObject): VizPanel[] {
  return sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];
}

describe('buildEfficiencyScene', () => {
  const scene = buildEfficiencyScene();

  it('opens on the last 24 hours, long enough for the 6-hour idle window', () => {
    const timeRange = sceneGraph.getTimeRange(scene) as SceneTimeRange;
    expect([timeRange.state.from, timeRange.state.to]).toEqual(['now-24h', 'now']);
  });

  it('shows waste stats and table, the MFU distribution and the budget burn', () => {
    expect(panels(scene).map((p) => [p.state.title, p.state.pluginId])).toEqual([
      ['Allocated GPU-hours', 'stat'],
      ['Busy GPU-hours', 'stat'],
      ['$ wasted', 'stat'],
      ['Idle pods', 'stat'],
      ['Where the money goes', 'headroom-efficiency-panel'],
      ['Month to date', 'stat'],
      ['Projected month', 'stat'],
      ['Projected share of budget', 'stat'],
      ['Spot GPUs interrupted a day', 'stat'],
      ['MFU distribution (estimate)', 'headroom-efficiency-panel'],
      ['Budget burn', 'timeseries'],
    ]);
  });

  it('runs one efficiency query per view, filtered and priced by page variables', () => {
    const runners = sceneGraph.findAllObjects(scene, (o) => o instanceof SceneQueryRunner) as SceneQueryRunner[];
    expect(runners.map((r) => r.state.queries[0])).toEqual([
      expect.objectContaining({ efficiencyView: 'waste', wasteGroupBy: '$rows', pricingTier: '$pricing' }),
      expect.objectContaining({ efficiencyView: 'burn', node: '$node', pricingTier: '$pricing' }),
      expect.objectContaining({ efficiencyView: 'spot', node: '$node' }),
      expect.objectContaining({ efficiencyView: 'mfu', namespace: '$namespace', gpuModel: '$gpu_model' }),
    ]);
    expect(runners.every((r) => r.state.datasource?.uid === '${ds}')).toBe(true);
  });

  it('feeds the waste stats and table from the one waste query', () => {
    const table = panels(scene).find((p) => p.state.title === 'Where the money goes')!;
    expect(table.state.$data).toBeInstanceOf(SceneDataTransformer);
    expect((sceneGraph.getData(table.parent!) as SceneQueryRunner).state.queries[0].efficiencyView).toBe('waste');
  });

  it('shows the spot interruption share from its own query, and "no spot nodes found" when there are none', () => {
    const spot = panels(scene).find((p) => p.state.title === 'Spot GPUs interrupted a day')!;
    expect((spot.state.$data as SceneQueryRunner).state.queries[0].efficiencyView).toBe('spot');
    // An override, not a default: Grafana applies the frame's own `noValue` over the panel's defaults.
    expect(spot.state.fieldConfig.overrides).toEqual([
      {
        matcher: { id: 'byName', options: 'Spot GPUs interrupted per day' },
        properties: [{ id: 'noValue', value: 'no spot nodes found' }],
      },
    ]);
    expect((spot.state.options as { reduceOptions?: object }).reduceOptions).toMatchObject({
      fields: '/^Spot GPUs interrupted per day$/',
    });
  });

  it('keeps data source, filters, rows and pricing in variables, so the URL holds them', () => {
    const variables = sceneGraph.getVariables(scene).state.variables;
    expect(variables.map((v) => v.state.name)).toEqual(['ds', 'node', 'namespace', 'gpu_model', 'rows', 'pricing']);
    expect(variables[0]).toBeInstanceOf(DataSourceVariable);
    expect((variables[5] as CustomVariable).state.value).toBe('onDemand');
  });
});
