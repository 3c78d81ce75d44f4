import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, createDataFrame } from '@grafana/data';
import { panelPropsForTest } from '../shared/panelPropsForTest';
import { EfficiencyPanel } from './EfficiencyPanel';
import { plugin } from './module';

describe('EfficiencyPanel', () => {
  it('is the component of the panel plugin', () => {
    expect(plugin.panel).toBe(EfficiencyPanel);
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
});
