/**
 * Turns a filter field of a query (`$node`, `gpu-$rack`, `node-1`) into the literal values it stands for.
 * Grafana's own formats (regex, pipe, csv) would mangle values that contain `|`, `,`, quotes or newlines, so each
 * variable is formatted as a JSON array between separators nobody types, and the text is split back into values.
 * Escaping for PromQL happens later, in src/prometheus. A reference with an explicit format (`${node:regex}`) is
 * formatted by Grafana and taken as one literal value. Typed text is one value, or several as a JSON array
 * (`["node-a","node-b"]`), which is also how an interpolated query is written back (see `filterText`).
 *
 * "All" means no filter. Grafana never hands `'$__all'` to the format function (docs/grafana-compatibility.md):
 * scenes' interpolation, Grafana's own copy or the plugin's, gives the array of every option's value, or, for a
 * variable with a custom all value (`.*`), that raw text without calling the format function at all. So All is
 * recognised from the format function not being called for a variable that was found, and, for All without a
 * custom value, from the variable's current value `'$__all'` in `getVariables()`, which lists the variables of the
 * active scene's root (a variable only a panel holds is not there: its All becomes the list of every option).
 */
import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv, VariableInterpolation } from '@grafana/runtime';

import { isJsonStringArray, literalValues } from '../prometheus/filterText';

/** Grafana's value for "All" in a multi-value variable. */
export const ALL_VALUE = '$__all';

/** A control character: cannot appear in a typed filter, and JSON.stringify escapes it inside values. */
const SEPARATOR = '\u0001';

export type FilterTemplateSrv = Pick<TemplateSrv, 'replace' | 'getVariables'>;

/** `undefined` means "no filter" (empty field, or a variable set to All). */
export function interpolateFilter(
  text: string | undefined,
  scopedVars: ScopedVars,
  templateSrv: FilterTemplateSrv
): string[] | undefined {
  if (!text || text.trim() === '') {
    return undefined;
  }
  const interpolations: VariableInterpolation[] = [];
  const replaced = templateSrv.replace(text, scopedVars, formatAsSeparatedJson, interpolations);
  const usesAll = interpolations.some(
    (entry) =>
      entry.found !== false &&
      !(entry.variableName in scopedVars) &&
      (isUnformattedAllValue(entry) || isAllSelected(entry.variableName, templateSrv))
  );
  if (usesAll) {
    return undefined;
  }
  const trimmed = replaced.trim();
  const values = (trimmed.includes(SEPARATOR) ? expandSegments(trimmed) : literalValues(trimmed))
    // An empty value would select series without the label, never what a person meant.
    .filter((value) => value !== '');
  return values.length === 0 || values.includes(ALL_VALUE) ? undefined : values;
}

function formatAsSeparatedJson(value: unknown): string {
  const values = Array.isArray(value) ? value : [value];
  return SEPARATOR + JSON.stringify(values.map(String)) + SEPARATOR;
}

/** A variable our format function never saw: its custom all value returned as it is (or nothing, for no value). */
function isUnformattedAllValue(entry: VariableInterpolation): boolean {
  // The entry records the format as it was passed, our function included, though its type says string.
  const format: unknown = entry.format;
  return format === formatAsSeparatedJson && !entry.value.startsWith(SEPARATOR);
}

function isAllSelected(name: string, templateSrv: FilterTemplateSrv): boolean {
  let variables: TypedVariableModel[];
  try {
    variables = templateSrv.getVariables();
  } catch {
    // Grafana's getVariables() throws for a variable type it cannot convert (a groupby variable while its feature
    // toggle is off, scenes 9's switch); that says nothing about this variable.
    return false;
  }
  const variable = variables.find((v) => v.name === name);
  if (!variable || !('current' in variable) || !variable.current) {
    return false;
  }
  const current = variable.current.value;
  return Array.isArray(current) ? current.includes(ALL_VALUE) : current === ALL_VALUE;
}

/** Inverse of the interpolation, for a query written back with its variables replaced. */
export function filterText(values: string[] | undefined): string {
  if (!values || values.length === 0) {
    return '';
  }
  return values.length === 1 && !isJsonStringArray(values[0]) ? values[0] : JSON.stringify(values);
}

/**
 * Odd segments are variables (lists), even ones literal text; the values are every combination, in order:
 * `gpu-$rack` with rack = [a, b] gives [gpu-a, gpu-b].
 */
function expandSegments(replaced: string): string[] {
  const segments = replaced.split(SEPARATOR);
  let combinations = [''];
  segments.forEach((segment, index) => {
    const choices = index % 2 === 1 ? (JSON.parse(segment) as string[]) : [segment];
    combinations = combinations.flatMap((prefix) => choices.map((choice) => prefix + choice));
  });
  return [...new Set(combinations)];
}
