import React from 'react';
import { sceneGraph, type DataSourceVariable, type SceneComponentProps } from '@grafana/scenes';
import type { AlertsWatch } from './alertsScene';
import { AlertsView } from './AlertsView';

/** Renders the page from the scene: the `ds` variable, the time range and the watch state (URL-synced). */
export function AlertsBody({ model }: SceneComponentProps<AlertsWatch>) {
  const watch = model.useState();
  const ds = sceneGraph.lookupVariable('ds', model) as DataSourceVariable;
  const { value: dsUid } = ds.useState();
  const { value: timeRange } = sceneGraph.getTimeRange(model).useState();
  const range = {
    startSeconds: Math.floor(timeRange.from.valueOf() / 1000),
    endSeconds: Math.floor(timeRange.to.valueOf() / 1000),
  };
  return (
    <AlertsView dsUid={String(dsUid ?? '')} range={range} watch={watch} onChange={(change) => model.setState(change)} />
  );
}
