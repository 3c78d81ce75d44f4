import { FieldType, LoadingState, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { SceneDataNode, SceneFlexItem, SceneFlexLayout, VizPanel } from '@grafana/scenes';
import { FrameSpanData } from './frameSpanData';

const JUNE_1_MS = Date.UTC(2025, 5, 1);
const JULY_1_MS = Date.UTC(2025, 6, 1);

describe('FrameSpanData', () => {
  it('passes on the named frame with the time axis set to its span, not the query range', () => {
    const burn = createDataFrame({
      name: 'Burn',
      fields: [{ name: 'Time', type: FieldType.time, values: [JUNE_1_MS, JUNE_1_MS + 3_600_000, JULY_1_MS] }],
    });
    const other = createDataFrame({ name: 'Budget', fields: [{ name: 'x', type: FieldType.number, values: [1] }] });
    const source = new SceneDataNode({
      data: { series: [burn, other], state: LoadingState.Done, timeRange: getDefaultTimeRange() },
    });
    const span = new FrameSpanData({ frameName: 'Burn' });
    new SceneFlexLayout({
      $data: source,
      children: [new SceneFlexItem({ body: new VizPanel({ pluginId: 'timeseries', $data: span }) })],
    });
    span.activate();
    const data = span.state.data!;
    expect(data.series.map((f) => f.name)).toEqual(['Burn']);
    expect([data.timeRange.from.valueOf(), data.timeRange.to.valueOf()]).toEqual([JUNE_1_MS, JULY_1_MS]);
  });

  it('keeps the query range when the frame has no time', () => {
    const range = getDefaultTimeRange();
    const source = new SceneDataNode({ data: { series: [], state: LoadingState.Done, timeRange: range } });
    const span = new FrameSpanData({ frameName: 'Burn' });
    new SceneFlexLayout({
      $data: source,
      children: [new SceneFlexItem({ body: new VizPanel({ pluginId: 'timeseries', $data: span }) })],
    });
    span.activate();
    expect(span.state.data!.timeRange).toBe(range);
  });
});
