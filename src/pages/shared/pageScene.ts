import {
  EmbeddedScene,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  VariableValueSelectors,
  type SceneFlexLayout,
  type SceneVariableSet,
  type VizPanel,
} from '@grafana/scenes';

export interface SizePx {
  minHeight: number;
  minWidth: number;
}

/** A panel in a flex layout with the smallest size at which it stays readable. */
export function sizedItem(body: VizPanel, size: SizePx): SceneFlexItem {
  return new SceneFlexItem({ ...size, body });
}

/** A Headroom page: its variables and the time range on top (synced to the URL by the app), the body below. */
export function pageScene(options: {
  defaultRange: { from: string; to: string };
  variables: SceneVariableSet;
  body: SceneFlexLayout;
}): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange(options.defaultRange),
    $variables: options.variables,
    controls: [
      new VariableValueSelectors({}),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({}),
    ],
    body: options.body,
  });
}
