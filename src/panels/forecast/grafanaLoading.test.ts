import { createDataFrame, getDefaultTimeRange, LoadingState, preProcessPanelData, type PanelData } from '@grafana/data';

import { PROGRESS_FRAME } from '../../datasource/forecast/forecastProgress';

/**
 * What a panel receives while a refresh loads: both SceneQueryRunners pass every packet through @grafana/data's
 * preProcessPanelData (12.4.10, the copy Grafana shares) with the previous result. docs/grafana-compatibility.md,
 * "runRequest", relies on this reading.
 */
describe("Grafana's preProcessPanelData, as the Forecast panel meets it", () => {
  const timeRange = getDefaultTimeRange();
  const forecast = createDataFrame({ refId: 'A', name: 'forecast', fields: [{ name: 'v', values: [1] }] });
  const last: PanelData = { state: LoadingState.Done, series: [forecast], timeRange, errors: [{ message: 'old' }] };

  it('keeps the previous series and errors for a Loading packet without frames', () => {
    const loading = preProcessPanelData({ state: LoadingState.Loading, series: [], timeRange }, last);
    expect(loading.state).toBe(LoadingState.Loading);
    expect(loading.series).toEqual([forecast]);
    expect(loading.errors).toEqual([{ message: 'old' }]);
  });

  it("replaces them with a Loading packet's frames, such as the LSTM's progress frame", () => {
    const progress = createDataFrame({ refId: 'A', name: PROGRESS_FRAME, fields: [] });
    const loading = preProcessPanelData({ state: LoadingState.Loading, series: [progress], timeRange }, last);
    expect(loading.series.map((frame) => frame.name)).toEqual([PROGRESS_FRAME]);
    expect(loading.errors).toBeUndefined();
  });
});
