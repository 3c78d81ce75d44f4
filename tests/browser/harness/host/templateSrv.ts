// Grafana's TemplateSrv (public/app/features/templating/template_srv.ts, Grafana 12.x; see
// docs/grafana-compatibility.md), which interpolates with Grafana's OWN copy of @grafana/scenes, not the plugin's:
//  - replace(): with `scopedVars.__sceneObject` (every scenes query runner and variable passes one), Grafana calls its
//    scenes' `sceneGraph.interpolate(scopedVars.__sceneObject.value.valueOf(), ...)`; otherwise, while
//    `window.__grafanaSceneContext` is active (the plugin's EmbeddedScene sets it on an app page, the DashboardScene
//    in a dashboard), it interpolates against that scene; otherwise it runs the legacy path over dashboard (redux)
//    variables, which an app page has none of, so only scopedVars are substituted there.
//  - getVariables(): with any `window.__grafanaSceneContext` (active or not) the variables of its closest variable
//    set, converted like Grafana's getVariablesCompatibility/sceneVariablesSetToVariables; otherwise none.
// Grafana 12.4.0 bundles @grafana/scenes 6.52.x; the harness interpolates with 6.52.11, the nearest release on npm
// (the `grafana-core-scenes` alias in package.json), or with the plugin's own scenes version (PLUGIN_SCENES).
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import { config, type TemplateSrv, type VariableInterpolation } from '@grafana/runtime';
import * as pluginScenes from '@grafana/scenes';
import * as coreScenes from 'grafana-core-scenes';
import { property } from 'lodash';

/** The scene context: any scene object (of either scenes copy); TemplateSrv checks only `isActive` itself. */
interface SceneContext {
  readonly isActive: boolean;
}

interface SceneVariableLike {
  state: { name: string; type: string; [key: string]: unknown };
}

declare global {
  interface Window {
    __grafanaSceneContext?: SceneContext;
  }
}

type Format = string | ((...args: never[]) => unknown) | undefined;

interface Formatter {
  formatter(value: unknown, args: string[], variable: unknown): string;
}

/** The parts of a @grafana/scenes copy that Grafana's TemplateSrv uses. */
export interface ScenesCopy {
  /** `core` (Grafana's own) or `plugin` (the one Headroom bundles). */
  name: 'core' | 'plugin';
  interpolate(
    sceneObject: unknown,
    target: string | undefined | null,
    scopedVars?: ScopedVars,
    format?: Format,
    interpolations?: VariableInterpolation[]
  ): string;
  /** sceneGraph.getVariables: the closest variable set up the parents. */
  getVariables(sceneObject: unknown): { state: { variables: SceneVariableLike[] } };
  formatRegistry: { getIfExists(id: string): Formatter | undefined; get(id: string): Formatter };
}

function scenesCopy(name: ScenesCopy['name'], scenes: typeof coreScenes | typeof pluginScenes): ScenesCopy {
  return {
    name,
    interpolate: scenes.sceneGraph.interpolate as unknown as ScenesCopy['interpolate'],
    getVariables: scenes.sceneGraph.getVariables as unknown as ScenesCopy['getVariables'],
    formatRegistry: scenes.formatRegistry as unknown as ScenesCopy['formatRegistry'],
  };
}

/** Grafana 12.4's own scenes (6.52.x), which its TemplateSrv interpolates with. */
export const CORE_SCENES = scenesCopy('core', coreScenes);
/** The scenes copy bundled with the plugin, for checking that nothing depends on which copy interpolates. */
export const PLUGIN_SCENES = scenesCopy('plugin', pluginScenes);

// Grafana's variableRegex: $name, [[name]], [[name:format]], ${name}, ${name.fieldPath}, ${name:format}.
const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?}/g;

const ALL_VARIABLE_VALUE = '$__all';
const ALL_VARIABLE_TEXT = 'All';

export class GrafanaTemplateSrv implements TemplateSrv {
  constructor(readonly scenes: ScenesCopy = CORE_SCENES) {}

  replace(target?: string, scopedVars?: ScopedVars, format?: Format, interpolations?: VariableInterpolation[]): string {
    if (scopedVars && scopedVars.__sceneObject) {
      // "__sceneObject can be after scenes 5.6.0 a SafeSerializableSceneObject that overrides valueOf"
      const sceneObject: unknown = scopedVars.__sceneObject.value.valueOf();
      return this.scenes.interpolate(sceneObject, target, scopedVars, format, interpolations);
    }
    const context = window.__grafanaSceneContext;
    if (context && context.isActive) {
      return this.scenes.interpolate(context, target, scopedVars, format, interpolations);
    }
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE_REGEX, (match, var1, var2, fmt2, var3, fieldPath, fmt3) => {
      const variableName: string = var1 || var2 || var3;
      const fmt: Format = fmt2 || fmt3 || format;
      const value = this.evaluateScopedVariable(match, variableName, fieldPath, fmt, scopedVars);
      // Recorded as passed, a format function included, as Grafana does (the type says string).
      interpolations?.push({ match, variableName, fieldPath, format: fmt as string, value, found: value !== match });
      return value;
    });
  }

  /**
   * Grafana's _evaluateVariableExpression without dashboard variables: a scoped variable, formatted; anything else
   * stays as typed (Grafana would try its legacy macros here, which Headroom's fields do not use).
   */
  private evaluateScopedVariable(
    match: string,
    variableName: string,
    fieldPath: string | undefined,
    format: Format,
    scopedVars: ScopedVars | undefined
  ): string {
    const scopedVar = scopedVars?.[variableName];
    if (scopedVar) {
      const value: unknown = fieldPath ? property(fieldPath)(scopedVar.value) : scopedVar.value;
      const text = scopedVar.value === value || typeof value !== 'string' ? scopedVar.text : value;
      if (value !== null && value !== undefined) {
        return this.formatVariableValue(value, format, text);
      }
    }
    return match;
  }

  /** Grafana's formatVariableValue for a value without a variable model (`variable = variable || {}`). */
  private formatVariableValue(value: unknown, format: Format, text: unknown): string {
    const formatted = !Array.isArray(value) && typeof value === 'object' ? `${value}` : value;
    if (typeof format === 'function') {
      const formatFunction = format as (value: unknown, variable: object, formatValue: unknown) => string;
      return formatFunction(formatted, {}, (inner: unknown, innerFormat: Format) =>
        this.formatVariableValue(inner, innerFormat, inner)
      );
    }
    const [id, ...args] = (format || 'glob').split(':');
    let formatItem = this.scenes.formatRegistry.getIfExists(id);
    if (!formatItem) {
      console.error(`Variable format ${id} not found. Using glob format as fallback.`);
      formatItem = this.scenes.formatRegistry.get('glob');
    }
    return formatItem.formatter(formatted, args, legacyVariableWrapper(formatted, text ?? formatted));
  }

  getVariables(): TypedVariableModel[] {
    const context = window.__grafanaSceneContext;
    if (!context) {
      return [];
    }
    // "templateSrv.getVariables returns TypedVariableModel but sceneVariablesSetToVariables return persisted schema
    // model. They look close to identical" (getVariablesCompatibility.ts).
    const models = sceneVariablesSetToVariables(this.scenes.getVariables(context).state.variables);
    return models as unknown as TypedVariableModel[];
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    const context = window.__grafanaSceneContext;
    if (context && context.isActive) {
      VARIABLE_REGEX.lastIndex = 0;
      return VARIABLE_REGEX.test(target);
    }
    // The legacy path looks the name up among dashboard variables: an app page has none.
    return false;
  }

  updateTimeRange(_timeRange: TimeRange): void {
    // Feeds only the legacy path's `$__from`/`$__to` for dashboard variables, which an app page does not have.
  }
}

/** Grafana's LegacyVariableWrapper: the variable a format from the registry sees in the legacy path. */
function legacyVariableWrapper(value: unknown, text: unknown) {
  return {
    state: { name: undefined, value, text, type: undefined },
    getValue: () => (['string', 'number', 'boolean'].includes(typeof value) ? value : String(value)),
    getValueText: () => {
      if (typeof text === 'string') {
        return value === ALL_VARIABLE_VALUE ? ALL_VARIABLE_TEXT : text;
      }
      return Array.isArray(text) ? text.join(' + ') : String(text);
    },
  };
}

interface VariableOption {
  value: string;
  text: unknown;
  selected: boolean;
}

function optionsOf(state: SceneVariableLike['state']): VariableOption[] {
  const options = (state.options ?? []) as Array<{ label: unknown; value: unknown }>;
  return options.map((option) => ({
    value: String(option.value),
    text: option.label,
    selected: Array.isArray(state.value) ? state.value.includes(option.value) : state.value === option.value,
  }));
}

const VARIABLE_REFRESH_NEVER = 0;
const VARIABLE_REFRESH_ON_DASHBOARD_LOAD = 1;
const VARIABLE_HIDE_DONT_HIDE = 0;
const VARIABLE_HIDE_VARIABLE = 2;

/**
 * Grafana's sceneVariablesSetToVariables (public/app/features/dashboard-scene/serialization/), as TemplateSrv calls
 * it (without keepQueryOptions): a variable's type is read from `state.type`, so variables of either scenes copy are
 * converted; `current.value` is the variable's value, `'$__all'` when All is selected; an unknown type throws, and
 * so does `groupby` while Grafana's groupByVariable feature toggle is off.
 */
export function sceneVariablesSetToVariables(variables: SceneVariableLike[]): Array<Record<string, unknown>> {
  const models = variables.flatMap((variable): Array<Record<string, unknown>> => {
    const { state } = variable;
    const common = {
      name: state.name,
      label: state.label,
      description: state.description ?? undefined,
      skipUrlSync: Boolean(state.skipUrlSync),
      hide: state.hide || VARIABLE_HIDE_DONT_HIDE,
      type: state.type,
    };
    const multiValue = { multi: state.isMulti, allValue: state.allValue, includeAll: state.includeAll };
    switch (state.type) {
      case 'query':
        return [
          {
            ...common,
            ...multiValue,
            current: { value: state.value, text: state.text },
            options: state.refresh === VARIABLE_REFRESH_NEVER ? optionsOf(state) : [],
            query: state.query,
            definition: state.definition,
            datasource: state.datasource,
            sort: state.sort,
            refresh: state.refresh,
            regex: state.regex,
          },
        ];
      case 'custom':
        return [
          {
            ...common,
            ...multiValue,
            current: { text: state.value, value: state.value },
            options: optionsOf(state),
            query: state.query,
          },
        ];
      case 'datasource':
        return [
          {
            ...common,
            ...multiValue,
            current: { value: state.value, text: state.text },
            options: [],
            regex: state.regex,
            refresh: VARIABLE_REFRESH_ON_DASHBOARD_LOAD,
            query: state.pluginId,
          },
        ];
      case 'constant':
        return [
          {
            ...common,
            current: { value: state.value, text: state.value },
            query: state.value,
            hide: VARIABLE_HIDE_VARIABLE,
          },
        ];
      case 'interval': {
        const intervals = (state.intervals ?? []) as string[];
        return [
          {
            ...common,
            current: { text: state.value, value: state.value },
            query: intervals.join(','),
            refresh: state.refresh,
            options: intervals.map((interval) => ({
              value: interval,
              text: interval,
              selected: interval === state.value,
            })),
            auto: state.autoEnabled,
            auto_min: state.autoMinInterval,
            auto_count: state.autoStepCount,
          },
        ];
      }
      case 'textbox': {
        const current = { text: state.value, value: state.value };
        return [{ ...common, current, options: [{ ...current, selected: true }], query: state.value }];
      }
      case 'adhoc':
        return [
          {
            ...common,
            datasource: state.datasource,
            baseFilters: state.baseFilters ?? [],
            filters: state.filters,
            defaultKeys: state.defaultKeys,
          },
        ];
      case 'system':
        return [];
      default:
        if (state.type === 'groupby' && config.featureToggles.groupByVariable) {
          return [
            {
              ...common,
              datasource: state.datasource,
              current: { text: state.text, value: state.value },
              allowCustomValue: state.allowCustomValue,
            },
          ];
        }
        throw new Error('Unsupported variable type');
    }
  });
  // "Remove some defaults"
  for (const model of models) {
    for (const key of ['hide', 'skipUrlSync', 'label', 'multi', 'sort']) {
      if (!model[key]) {
        delete model[key];
      }
    }
  }
  return models;
}
