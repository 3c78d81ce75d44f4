import React from 'react';
import type { PanelProps } from '@grafana/data';
import { HeadroomPanelNotice } from '../shared/HeadroomPanelNotice';

export function ForecastPanel({ data }: PanelProps) {
  return (
    <HeadroomPanelNotice
      testIdPrefix="headroom-forecast-panel"
      icon="chart-line"
      shows="A forecast of GPU demand with its uncertainty band and the date capacity runs out."
      queryType="Forecast"
      frames={data.series}
    />
  );
}
