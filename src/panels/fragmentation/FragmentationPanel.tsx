import React from 'react';
import type { PanelProps } from '@grafana/data';
import { HeadroomPanelNotice } from '../shared/HeadroomPanelNotice';

export function FragmentationPanel({ data }: PanelProps) {
  return (
    <HeadroomPanelNotice
      testIdPrefix="headroom-fragmentation-panel"
      icon="apps"
      shows="Free GPUs the jobs your teams submit cannot use, node by node, and the largest job that still fits."
      queryType="Fragmentation"
      frames={data.series}
    />
  );
}
