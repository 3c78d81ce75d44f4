import React from 'react';
import type { PanelProps } from '@grafana/data';
import { HeadroomPanelNotice } from '../shared/HeadroomPanelNotice';

export function EfficiencyPanel({ data }: PanelProps) {
  return (
    <HeadroomPanelNotice
      testIdPrefix="headroom-efficiency-panel"
      icon="dollar-alt"
      shows="Allocated-but-idle GPU-hours and what they cost, by namespace, team and pod."
      queryType="Efficiency"
      frames={data.series}
    />
  );
}
