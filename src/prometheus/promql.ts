/**
 * Safe PromQL text from untrusted values (template variables, label values, configured metric names).
 * Values only ever enter PromQL as escaped string literals; names are validated, never escaped, because
 * Prometheus 2.x has no quoting for label or metric names.
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** RE2 metacharacters (the set Go's regexp.QuoteMeta escapes). */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

export type MatchOperator = '=' | '!=' | '=~' | '!~';

/**
 * A double-quoted PromQL string literal whose value is exactly `value`. PromQL strings use Go's escapes: a raw
 * newline would end the query with a parse error and a raw `"` would end the literal, so both, the backslash and
 * every other control character are escaped.
 */
export function quotePromQLString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\') {
      out += '\\\\';
    } else if (char === '"') {
      out += '\\"';
    } else if (char === '\n') {
      out += '\\n';
    } else if (char === '\r') {
      out += '\\r';
    } else if (char === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += char;
    }
  }
  return `${out}"`;
}

/** A regular expression that matches exactly `value` (Prometheus anchors `=~` at both ends). */
export function regexEscape(value: string): string {
  return value.replace(REGEX_META, '\\$&');
}

/** Throws unless `name` is a valid label name, so that a configured name cannot smuggle PromQL in. */
export function assertLabelName(name: string): string {
  if (!LABEL_NAME.test(name)) {
    throw new Error(
      `"${name}" is not a valid Prometheus label name (letters, digits and _, not starting with a digit).`
    );
  }
  return name;
}

/** Throws unless `name` is a valid metric name, so that a configured name cannot smuggle PromQL in. */
export function assertMetricName(name: string): string {
  if (!METRIC_NAME.test(name)) {
    throw new Error(
      `"${name}" is not a valid Prometheus metric name (letters, digits, _ and :, not starting with a digit).`
    );
  }
  return name;
}

/** `label="value"` with `value` escaped; `value` is a regex for `=~` / `!~`. */
export function matcher(label: string, operator: MatchOperator, value: string): string {
  return `${assertLabelName(label)}${operator}${quotePromQLString(value)}`;
}

/**
 * A matcher selecting any of the literal `values`: `label="v"` for one, `label=~"a|b"` for several;
 * undefined for an empty list, which means "no filter".
 */
export function anyOfMatcher(label: string, values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) {
    return undefined;
  }
  if (values.length === 1) {
    return matcher(label, '=', values[0]);
  }
  return matcher(label, '=~', values.map(regexEscape).join('|'));
}

/** `metric{m1,m2}`; undefined matchers are skipped so optional filters compose. */
export function selector(metric: string, matchers: ReadonlyArray<string | undefined>): string {
  const present = matchers.filter((m): m is string => m !== undefined);
  return `${assertMetricName(metric)}{${present.join(',')}}`;
}
