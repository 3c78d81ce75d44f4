import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, createDataFrame } from '@grafana/data';
import { panelPropsForTest } from '../shared/panelPropsForTest';
import { ForecastPanel } from './ForecastPanel';
import { plugin } from './module';

describe('ForecastPanel', () => {
  it('is the component of the panel plugin', () => {
    expect(plugin.panel).toBe(ForecastPanel);
  });

  it('without data, says which Headroom query fills it', () => {
    render(<ForecastPanel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-forecast-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Forecast'
    );
  });

  it('with data it was not made for, says what it received instead of drawing it', () => {
    const inventory = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2] },
        { name: 'Capacity', type: FieldType.number, values: [64, 64] },
      ],
    });

    render(<ForecastPanel {...panelPropsForTest([inventory])} />);

    expect(screen.getByTestId('headroom-forecast-panel-unrecognised')).toHaveTextContent(
      'cannot draw the data it received (1 data frame with fields Time, Capacity)'
    );
  });
});
