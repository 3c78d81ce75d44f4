// Grafana's TemplateSrv, as an app page sees it: when the caller passes a scene object in scopedVars
// (`__sceneObject`, which every scenes query runner and variable does), Grafana hands the text to its own copy of
// @grafana/scenes (`sceneGraph.interpolate`), which looks variables up along the scene graph. The host bundles the
// same scenes version for that. Without a scene object, only scopedVars are substituted: an app page has no
// dashboard (legacy) variables, so getVariables() is empty, as it is in Grafana outside dashboards.
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv, VariableInterpolation } from '@grafana/runtime';
import { sceneGraph, type SceneObject } from '@grafana/scenes';

type Format = string | ((value: unknown, variable?: unknown) => string) | undefined;

// $name, ${name}, ${name:format}, ${name.path:format} and the legacy [[name]], as Grafana parses them.
const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

function sceneObjectOf(scopedVars?: ScopedVars): SceneObject | undefined {
  const wrapped = scopedVars?.__sceneObject?.value;
  return wrapped ? (wrapped.valueOf() as SceneObject) : undefined;
}

function formatScopedValue(value: unknown, format: Format): string {
  if (typeof format === 'function') {
    return format(value);
  }
  return Array.isArray(value) ? `{${value.join(',')}}` : String(value);
}

export class HarnessTemplateSrv implements TemplateSrv {
  replace(target?: string, scopedVars?: ScopedVars, format?: Format, interpolations?: VariableInterpolation[]): string {
    const sceneObject = sceneObjectOf(scopedVars);
    if (sceneObject) {
      return sceneGraph.interpolate(sceneObject, target, scopedVars, format, interpolations);
    }
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE_REGEX, (match, var1, var2, fmt2, var3, fieldPath, fmt3) => {
      const variableName: string = var1 || var2 || var3;
      const scoped = scopedVars?.[variableName];
      const found = scoped !== undefined && !fieldPath;
      const value = found ? formatScopedValue(scoped.value, fmt2 || fmt3 || format) : match;
      interpolations?.push({ match, variableName, fieldPath, format: fmt2 || fmt3 || format, value, found });
      return value;
    });
  }

  getVariables(): TypedVariableModel[] {
    return [];
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && target.match(VARIABLE_REGEX));
  }

  updateTimeRange(_timeRange: TimeRange): void {
    // Dashboards push their range here for legacy `$__from`; in app pages scenes resolves time macros itself.
  }
}
