import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { FieldType, createDataFrame, type PanelProps } from '@grafana/data';
import { mfuFrames, wasteFrames } from '../../datasource/efficiency/efficiencyFrames';
import { runEfficiencyTask } from '../../datasource/efficiency/efficiencyTask';
import { panelPropsForTest } from '../shared/panelPropsForTest';
import { EfficiencyPanel } from './EfficiencyPanel';
import { plugin } from './module';

const minutes = (n: number) => Array.from({ length: n }, (_, i) => i * 60);
const PRICES = { L4: { onDemand: 1, reserved: 0.5, spot: 0.25 }, H100: { onDemand: 10, reserved: 6, spot: 4 } };

function wasteData() {
  // cheap: 1 H100-hour at 50 % = $5 wasted; idle: 1 L4-hour at 0 % = $1 wasted, 1 GPU-h idle; big: 2 L4-hours at 0 %.
  const outcome = runEfficiencyTask({
    kind: 'waste',
    pods: [
      { pod: 'idle', gpuModel: 'L4', timestampsSeconds: minutes(60), activityPercent: Array(60).fill(0) },
      { pod: 'h100', gpuModel: 'H100', timestampsSeconds: minutes(60), activityPercent: Array(60).fill(50) },
      { pod: 'pair', gpuModel: 'L4', gpuCount: 2, timestampsSeconds: minutes(60), activityPercent: Array(60).fill(0) },
    ],
    options: { prices: PRICES },
  });
  if (outcome.kind !== 'waste') {
    throw new Error('expected waste');
  }
  return wasteFrames(outcome.report, {
    refId: 'A',
    groupBy: 'pod',
    activitySource: 'DCGM_FI_DEV_GPU_UTIL',
    notices: [{ severity: 'warning', text: 'Activity comes from DCGM_FI_DEV_GPU_UTIL' }],
  });
}

const podColumn = () =>
  Array.from(
    screen.getByTestId('headroom-efficiency-waste-table').querySelectorAll('tbody tr'),
    (row) => (row as HTMLTableRowElement).cells[0].textContent
  );

describe('EfficiencyPanel', () => {
  it('is what Grafana renders from the module', () => {
    // Grafana imports module.js and renders plugin.panel with the query's frames.
    const Panel = plugin.panel!;
    render(<Panel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-efficiency-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Efficiency'
    );
  });

  it('without data, says which Headroom query fills it', () => {
    render(<EfficiencyPanel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-efficiency-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Efficiency'
    );
  });

  it('with data it was not made for, says what it received instead of drawing it', () => {
    const inventory = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2] },
        { name: 'Capacity', type: FieldType.number, values: [64, 64] },
      ],
    });

    render(<EfficiencyPanel {...panelPropsForTest([inventory])} />);

    expect(screen.getByTestId('headroom-efficiency-panel-unrecognised')).toHaveTextContent(
      'cannot draw the data it received (1 data frame with fields Time, Capacity)'
    );
  });

  it('shows the query error when the query failed', () => {
    const props = panelPropsForTest([]);
    const failed = { ...props, data: { ...props.data, errors: [{ message: 'Prometheus is unreachable' }] } };
    render(<EfficiencyPanel {...(failed as PanelProps)} />);
    expect(screen.getByTestId('headroom-efficiency-panel-error')).toHaveTextContent('Prometheus is unreachable');
  });

  it('lists pods by $ wasted with units, flags and notices, and sorts by another column on click', () => {
    render(<EfficiencyPanel {...panelPropsForTest(wasteData())} />);

    // $ wasted: h100 0.5 × $10 = $5.00, pair 2 × $1 = $2.00, idle $1.00.
    expect(podColumn()).toEqual(['h100', 'pair', 'idle']);
    const table = screen.getByTestId('headroom-efficiency-waste-table');
    const first = within(table).getAllByRole('row')[1];
    expect(first).toHaveTextContent('1.0 GPU-h');
    expect(first).toHaveTextContent('0.5 GPU-h');
    expect(first).toHaveTextContent('$5.00');
    expect(within(table).getAllByRole('row')[2]).toHaveTextContent('idle');
    expect(screen.getByTestId('headroom-efficiency-panel-notices')).toHaveTextContent('DCGM_FI_DEV_GPU_UTIL');

    // Idle GPU-hours, largest first: pair 2, idle 1, h100 0.5.
    fireEvent.click(within(table).getByText('Idle'));
    expect(podColumn()).toEqual(['pair', 'idle', 'h100']);
  });

  it('draws the MFU distribution as bars with pod counts per bucket', () => {
    render(
      <EfficiencyPanel
        {...panelPropsForTest(
          mfuFrames(
            [
              { pod: 'a', namespace: '', gpuModel: '', mfuEstimate: 0.35, meanTensorActive: 0.4, samples: 1 },
              { pod: 'b', namespace: '', gpuModel: '', mfuEstimate: 0.31, meanTensorActive: 0.4, samples: 1 },
              { pod: 'c', namespace: '', gpuModel: '', mfuEstimate: 0.02, meanTensorActive: 0.1, samples: 1 },
            ],
            { refId: 'A', notices: [] }
          )
        )}
      />
    );
    const bars = screen.getByRole('list', { name: 'MFU distribution' });
    expect(within(bars).getByRole('listitem', { name: '30–40 %: 2 pods' })).toBeInTheDocument();
    expect(within(bars).getByRole('listitem', { name: '0–10 %: 1 pods' })).toBeInTheDocument();
    expect(screen.getByTestId('headroom-efficiency-mfu-histogram')).toHaveTextContent('3 pods');
  });
});
