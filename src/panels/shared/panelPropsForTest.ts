import { LoadingState, getDefaultTimeRange, type DataFrame, type PanelProps } from '@grafana/data';

/** The props Grafana passes a panel, carrying the given frames. */
export function panelPropsForTest(series: DataFrame[]): PanelProps {
  const timeRange = getDefaultTimeRange();
  return {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: {},
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 400,
    height: 300,
    renderCounter: 0,
    title: 'Test panel',
    eventBus: { publish: jest.fn() },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (value: string) => value,
    onChangeTimeRange: jest.fn(),
  } as unknown as PanelProps;
}
