/** Test support: Grafana's template service over real scene variables. */
import type { TypedVariableModel } from '@grafana/data';
import { CustomVariable, SceneFlexLayout, SceneVariableSet, sceneGraph, type SceneVariable } from '@grafana/scenes';

import type { FilterTemplateSrv } from '../filterInterpolation';

/**
 * Grafana's TemplateSrv cannot run here; in a scenes dashboard it hands `replace` to scenes' interpolator and
 * reports each scene variable's current value from `getVariables`. This does the same over real scene variables.
 */
export function templateSrvOver(variables: SceneVariable[]): FilterTemplateSrv {
  const scene = new SceneFlexLayout({ $variables: new SceneVariableSet({ variables }), children: [] });
  return {
    replace: (target, scopedVars, format, interpolations) =>
      sceneGraph.interpolate(scene, target, scopedVars, format as never, interpolations),
    getVariables: () =>
      variables.map(
        (variable) =>
          ({
            name: variable.state.name,
            current: { value: (variable as CustomVariable).state.value },
          }) as unknown as TypedVariableModel
      ),
  };
}

export function multiVariable(name: string, values: string[], selected: string[] | string, allValue?: string) {
  return new CustomVariable({
    name,
    query: '',
    isMulti: true,
    includeAll: true,
    allValue,
    options: values.map((value) => ({ label: value, value })),
    value: selected,
    text: selected,
  });
}
