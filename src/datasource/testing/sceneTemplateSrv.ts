/**
 * Test support: Grafana's TemplateSrv (the browser harness's copy of it) over a page built as Headroom's pages are: an
 * EmbeddedScene with the page's variables, activated (which makes it `window.__grafanaSceneContext`), holding a part
 * with variables of its own. Scene objects are the plugin's scenes copy; the TemplateSrv interpolates with Grafana's
 * own copy (CORE_SCENES, as Grafana 12.4 does) or with the plugin's (PLUGIN_SCENES).
 */
import type { ScopedVars } from '@grafana/data';
import {
  CustomVariable,
  EmbeddedScene,
  SafeSerializableSceneObject,
  SceneFlexItem,
  SceneFlexLayout,
  SceneVariableSet,
  type SceneVariable,
} from '@grafana/scenes';

import {
  CORE_SCENES,
  GrafanaTemplateSrv,
  PLUGIN_SCENES,
  type ScenesCopy,
} from '../../../tests/browser/harness/host/templateSrv';

export { CORE_SCENES, GrafanaTemplateSrv, PLUGIN_SCENES, type ScenesCopy };

/** Both scenes copies, for `describe.each`: Grafana's own first. */
export const SCENES_COPIES: ScenesCopy[] = [CORE_SCENES, PLUGIN_SCENES];

export interface ScenePage {
  templateSrv: GrafanaTemplateSrv;
  /** The scopedVars a query runner inside the page's panel sends: `__sceneObject`, wrapped as scenes wraps it. */
  panelScopedVars: ScopedVars;
  /** Deactivates the page, which restores the previous `window.__grafanaSceneContext`. */
  close(): void;
}

const open: ScenePage[] = [];

/** An active page with `variables` at its root and `panelVariables` on a panel inside it. */
export function openScenePage(
  variables: SceneVariable[],
  options: { scenes?: ScenesCopy; panelVariables?: SceneVariable[] } = {}
): ScenePage {
  const panelBody = new SceneFlexLayout({ children: [] });
  const panel = new SceneFlexItem({
    $variables: options.panelVariables ? new SceneVariableSet({ variables: options.panelVariables }) : undefined,
    body: panelBody,
  });
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({ variables }),
    body: new SceneFlexLayout({ children: [panel] }),
  });
  // Rendering activates the page and then its panels, each with its variables (which load their options).
  const deactivateScene = scene.activate();
  const deactivatePanel = panel.activate();
  const page: ScenePage = {
    templateSrv: new GrafanaTemplateSrv(options.scenes ?? CORE_SCENES),
    panelScopedVars: { __sceneObject: new SafeSerializableSceneObject(panelBody) },
    close: () => {
      deactivatePanel();
      deactivateScene();
    },
  };
  open.push(page);
  return page;
}

/** Closes every page opened so far, newest first; for `afterEach`. */
export function closeScenePages(): void {
  for (const page of open.splice(0).reverse()) {
    page.close();
  }
}

/**
 * A multi-value variable with an All option, its options given as JSON so that any text is one option. `selected` is
 * the value (`'$__all'` for All); `allValue` a custom All value such as `.*`.
 */
export function multiVariable(name: string, values: string[], selected: string[] | string, allValue?: string) {
  return new CustomVariable({
    name,
    query: JSON.stringify(values.map((value) => ({ value }))),
    valuesFormat: 'json',
    isMulti: true,
    includeAll: true,
    allValue,
    value: selected,
    text: selected,
  });
}

/** A single-value variable (no All option). */
export function singleVariable(name: string, values: string[], selected: string) {
  return new CustomVariable({
    name,
    query: JSON.stringify(values.map((value) => ({ value }))),
    valuesFormat: 'json',
    value: selected,
    text: selected,
  });
}
