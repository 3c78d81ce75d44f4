/**
 * A Headroom band as Grafana-managed alert rules, in the shape of the alerting provisioning API's
 * `ProvisionedAlertRule` (Grafana 12.x, `/api/v1/provisioning/alert-rules`): one rule per watched
 * side, so each rule's PromQL stays under MAX_PROMQL_BYTES and a person can silence one side.
 */
import { prefixRoute, ROUTES } from '../constants';
import { Band, BandMethod, compileBandSide, ValueRange, watchedOperand } from '../engine/thresholds';
import { formatDurationMs, parseDurationMs } from './promDuration';
import { RUNBOOK_URL_ANNOTATION, RUNBOOKS, runbookUrl } from './runbooks';
import { isoMilliseconds as iso } from '../engine/series/timeText';

export type BandSide = 'upper' | 'lower';

/** Grafana's relative time range: seconds before the evaluation time. */
export interface RelativeTimeRange {
  from: number;
  to: number;
}

/** One entry of a rule's `data`: a data source query or a server-side expression (`__expr__`). */
export interface AlertQuery {
  refId: string;
  queryType?: string;
  relativeTimeRange: RelativeTimeRange;
  datasourceUid: string;
  model: Record<string, unknown>;
}

export interface ProvisionedAlertRule {
  /** Grafana's database id, in its answers; a rule created again is sent without it. */
  id?: number;
  uid: string;
  orgID?: number;
  folderUID: string;
  ruleGroup: string;
  title: string;
  condition: string;
  data: AlertQuery[];
  noDataState: 'Alerting' | 'NoData' | 'OK' | 'KeepLast';
  execErrState: 'Alerting' | 'Error' | 'OK' | 'KeepLast';
  /**
   * Prometheus duration (promDuration.ts). Grafana accepts any spelling (`300s`, `5m0s`) and answers with the shortest
   * (`5m`); Headroom writes that form so what it reads back is what it wrote.
   */
  for: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  isPaused?: boolean;
  provenance?: string;
  updated?: string;
}

/** The label every rule Headroom writes carries; recalibration lists rules by it. */
export const MANAGED_BY_LABEL = 'managed_by';
export const MANAGED_BY_VALUE = 'headroom';

/** Annotation keys Headroom reads back; the rest of the annotations are for people. */
export const ANNOTATIONS = {
  selector: 'headroom_selector',
  side: 'headroom_side',
  fingerprint: 'headroom_fingerprint',
  calibratedAt: 'headroom_calibrated_at',
  trainingStart: 'headroom_training_start',
  trainingEnd: 'headroom_training_end',
  method: 'headroom_method',
  seasonMode: 'headroom_season_mode',
  expectedStartsPerWeek: 'headroom_expected_starts_per_week',
  stepSeconds: 'headroom_step_seconds',
  alertsPage: 'headroom_alerts_page',
  valueRange: 'headroom_value_range',
} as const;

/** The range a rule's thresholds were clamped into (`headroom_value_range`, JSON); undefined when absent or unreadable. */
export function valueRangeOf(rule: ProvisionedAlertRule): ValueRange | undefined {
  const text = rule.annotations?.[ANNOTATIONS.valueRange];
  if (text === undefined) {
    return undefined;
  }
  try {
    const { min, max } = JSON.parse(text) as { min?: unknown; max?: unknown };
    const end = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
    const range = {
      ...(end(min) !== undefined ? { min: end(min) } : {}),
      ...(end(max) !== undefined ? { max: end(max) } : {}),
    };
    return Object.keys(range).length > 0 ? range : undefined;
  } catch {
    return undefined;
  }
}

/** Grafana's UID rule for alert rules: at most 40 letters, digits, `-` and `_`. */
export const GRAFANA_UID_PATTERN = /^[a-zA-Z0-9\-_]{1,40}$/;

/** Refs of the rule's `data`: the PromQL query, its last value, and the firing condition. */
const QUERY_REF = 'A';
const REDUCE_REF = 'B';
const CONDITION_REF = 'C';
const EXPRESSION_DATASOURCE = '__expr__';
/** The instant query only needs the newest sample; 10 minutes covers a scrape gap. */
const QUERY_LOOKBACK_SECONDS = 600;

/**
 * 64-bit FNV-1a as two 32-bit halves with different offset bases, in hex. Not cryptographic: it names
 * rules and notices edits, it does not guard against tampering; pure JS so it runs inside Grafana too.
 */
export function shortHash(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x01000193);
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return hex(first) + hex(second);
}

/** Stable UID from what the rule watches, so recalibration updates the same rule: `headroom-` + 16 hex (25 chars). */
export function ruleUid(selector: string, side: BandSide): string {
  return `headroom-${shortHash(`${selector}\u0000${side}`)}`;
}

/** Whole seconds as Grafana prints a rule's duration: `0s`, `5m`, `1h30s`, `1d12h`, `1w`. */
export function grafanaDuration(totalSeconds: number): string {
  return formatDurationMs(Math.round(totalSeconds) * 1000);
}

/** A rule's duration (`for`, `keep_firing_for`) in seconds; NaN when it is not a Prometheus duration. */
export function durationSeconds(text: string): number {
  try {
    return parseDurationMs(text) / 1000;
  } catch {
    return NaN;
  }
}

/** Grafana keeps a rule's title in a 190-byte column and refuses longer ones (store.AlertRuleMaxTitleLength). */
export const MAX_TITLE_BYTES = 190;
const ELLIPSIS = '…';

/** Bytes of `text` in UTF-8, which is how Go's `len` counts a title. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * `head + subject + tail`, or when that is longer than Grafana's 190 bytes, the subject cut at a character boundary
 * and marked `…`, with a hash of the whole title at the end: two long subjects that start alike keep distinct titles.
 */
export function fitTitle(head: string, subject: string, tail: string): string {
  const full = `${head}${subject}${tail}`;
  if (utf8Length(full) <= MAX_TITLE_BYTES) {
    return full;
  }
  const suffix = `${ELLIPSIS}${tail} (${shortHash(full)})`;
  let budget = MAX_TITLE_BYTES - utf8Length(head) - utf8Length(suffix);
  if (budget < 0) {
    throw new RangeError(
      `The title "${head}…${tail}" leaves no room for what it names within ${MAX_TITLE_BYTES} bytes.`
    );
  }
  let cut = '';
  for (const char of subject) {
    budget -= utf8Length(char);
    if (budget < 0) {
      break;
    }
    cut += char;
  }
  return `${head}${cut}${suffix}`;
}

export interface Calibration {
  band: Band;
  method: BandMethod;
  trainingStartSeconds: number;
  trainingEndSeconds: number;
  /** How often the deployed rule started firing over the training history. */
  expectedStartsPerWeek: number;
  /** The series' step: `for` and `keep_firing_for` are counted in it. */
  stepSeconds: number;
  /** The metric's range the thresholds were clamped into, kept on the rule so recalibration clamps alike. */
  valueRange?: ValueRange;
}

export interface RuleTarget {
  /** The watched series, e.g. `DCGM_FI_DEV_GPU_UTIL{gpu="0"}`. */
  selector: string;
  /** UID of the person's Prometheus data source in Grafana. */
  datasourceUid: string;
  folderUID: string;
  ruleGroup: string;
}

export interface RuleTiming {
  forSeconds: number;
  keepFiringForSeconds: number;
}

/**
 * The PromQL of one side: 1 where the series is outside the band, 0 inside. `compileAlertCondition`
 * filters instead (no sample when inside), which suits Prometheus rules but not Grafana's threshold
 * expression: a breaching value ≤ 0 (a GPU at 0 % below its lower edge) would fail `> 0`, and an
 * empty answer would read as NoData. `bool` keeps every series and its labels. The selector is parenthesised
 * (`watchedOperand`), so an `or` in it cannot swallow the comparison.
 */
export function sideCondition(selector: string, band: Band, side: BandSide): string {
  return `${watchedOperand(selector)} ${side === 'upper' ? '>' : '<'} bool scalar(${compileBandSide(band, side)})`;
}

/** Grafana's threshold evaluators Headroom writes (pkg/expr/threshold.go: `gt` and `lt` are strict). */
export interface ThresholdEvaluator {
  type: 'gt' | 'lt';
  params: [number];
}

/**
 * A data source query as A, B its last value, C (the condition): B against the evaluator, evaluated on Grafana's
 * server. Expression queries are Grafana's `__expr__` data source with a zero relative range.
 */
export function expressionRuleData(
  query: Omit<AlertQuery, 'refId' | 'model'> & { model: Record<string, unknown> },
  evaluator: ThresholdEvaluator
): AlertQuery[] {
  const expression = (model: Record<string, unknown>, refId: string): AlertQuery => ({
    refId,
    relativeTimeRange: { from: 0, to: 0 },
    datasourceUid: EXPRESSION_DATASOURCE,
    model: { ...model, refId, datasource: { type: EXPRESSION_DATASOURCE, uid: EXPRESSION_DATASOURCE } },
  });
  return [
    { ...query, refId: QUERY_REF, model: { refId: QUERY_REF, ...query.model } },
    expression({ type: 'reduce', expression: QUERY_REF, reducer: 'last' }, REDUCE_REF),
    expression({ type: 'threshold', expression: REDUCE_REF, conditions: [{ evaluator }] }, CONDITION_REF),
  ];
}

/** PromQL as A on the data source, B its last value, C (the condition): B above `above`. */
export function thresholdRuleData(datasourceUid: string, expr: string, above = 0): AlertQuery[] {
  return expressionRuleData(
    {
      relativeTimeRange: { from: QUERY_LOOKBACK_SECONDS, to: 0 },
      datasourceUid,
      model: { expr, instant: true, range: false },
    },
    { type: 'gt', params: [above] }
  );
}

/** The Grafana rules for a calibrated band: one per side it has, fingerprinted. */
export function grafanaRulesForBand(
  target: RuleTarget,
  calibration: Calibration,
  timing: RuleTiming
): ProvisionedAlertRule[] {
  const sides = (['upper', 'lower'] as const).filter((side) => calibration.band[side] !== undefined);
  const trainingStart = iso(calibration.trainingStartSeconds);
  const trainingEnd = iso(calibration.trainingEndSeconds);
  return sides.map((side) =>
    withFingerprint({
      uid: ruleUid(target.selector, side),
      folderUID: target.folderUID,
      ruleGroup: target.ruleGroup,
      title: fitTitle('Headroom: ', target.selector, ` ${side === 'upper' ? 'above' : 'below'} its learnt band`),
      condition: CONDITION_REF,
      data: thresholdRuleData(target.datasourceUid, sideCondition(target.selector, calibration.band, side)),
      // A vanished series is not a breach of the band; Grafana's own NoData state still shows it.
      noDataState: 'NoData',
      execErrState: 'Error',
      for: grafanaDuration(timing.forSeconds),
      keep_firing_for: grafanaDuration(timing.keepFiringForSeconds),
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, headroom_side: side },
      annotations: {
        summary: `${target.selector} is ${side === 'upper' ? 'above' : 'below'} its learnt ${calibration.band.mode} band`,
        description:
          `Threshold learnt by Headroom from ${trainingStart} to ${trainingEnd} (${calibration.method}); expected about ` +
          `${calibration.expectedStartsPerWeek.toFixed(2)} alert starts per week. Recalibrated by Headroom: ` +
          'edit it in Headroom, or Headroom will ask before overwriting your edit.',
        [ANNOTATIONS.selector]: target.selector,
        [ANNOTATIONS.side]: side,
        [ANNOTATIONS.calibratedAt]: iso(calibration.band.calibratedAtSeconds),
        [ANNOTATIONS.trainingStart]: trainingStart,
        [ANNOTATIONS.trainingEnd]: trainingEnd,
        [ANNOTATIONS.method]: calibration.method,
        [ANNOTATIONS.seasonMode]: calibration.band.mode,
        [ANNOTATIONS.expectedStartsPerWeek]: calibration.expectedStartsPerWeek.toFixed(2),
        [ANNOTATIONS.stepSeconds]: String(calibration.stepSeconds),
        [ANNOTATIONS.alertsPage]: prefixRoute(ROUTES.Alerts),
        [RUNBOOK_URL_ANNOTATION]: runbookUrl(RUNBOOKS.band),
        ...(calibration.valueRange ? { [ANNOTATIONS.valueRange]: JSON.stringify(calibration.valueRange) } : {}),
      },
      isPaused: false,
    })
  );
}

/**
 * JSON with object keys sorted, so equal content always gives the same text. Built by concatenation rather than
 * entries, map and join: fingerprinting every rule on each recalibration calls it thousands of times.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      // As `join`, which writes nothing for what JSON cannot express.
      text += (i > 0 ? ',' : '') + (canonicalJson(value[i]) ?? '');
    }
    return text + ']';
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    let text = '{';
    for (let i = 0; i < keys.length; i++) {
      text += `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson(record[keys[i]])}`;
    }
    return text + '}';
  }
  return typeof value === 'string' ? jsonString(value) : JSON.stringify(value);
}

/** Characters JSON.stringify writes as escapes other than `\"` and `\\`. */
const CONTROL_OR_SURROGATE = /[\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify` of a string; a compiled threshold of kilobytes is escaped by one native replace, several times
 * faster than JSON.stringify in Node 20, when only `"` and `\` need escaping.
 */
function jsonString(text: string): string {
  return CONTROL_OR_SURROGATE.test(text) ? JSON.stringify(text) : `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The fields Headroom decides, as Grafana stores them. Grafana fills in fields Headroom never set
 * (`orgID`, `updated`, `provenance`, defaults inside query models), so only these are compared;
 * durations are compared in seconds because Grafana answers `1d12h` for the `36h` it was sent.
 */
export function ownedFields(rule: ProvisionedAlertRule): Record<string, unknown> {
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations ?? {}).filter(([key]) => key !== ANNOTATIONS.fingerprint)
  );
  return {
    uid: rule.uid,
    folderUID: rule.folderUID,
    ruleGroup: rule.ruleGroup,
    title: rule.title,
    condition: rule.condition,
    data: rule.data.map((q) => ({
      refId: q.refId,
      datasourceUid: q.datasourceUid,
      relativeTimeRange: q.relativeTimeRange,
      expr: q.model.expr,
      type: q.model.type,
      expression: q.model.expression,
      reducer: q.model.reducer,
      conditions: q.model.conditions,
      headroomQuery: q.model.queryType === HEADROOM_ALERT_QUERY_TYPE ? headroomQueryFields(q.model) : undefined,
    })),
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    forSeconds: durationSeconds(rule.for),
    keepFiringForSeconds: durationSeconds(rule.keep_firing_for ?? '0s'),
    labels: rule.labels ?? {},
    annotations,
    isPaused: rule.isPaused ?? false,
  };
}

/** The query type of Headroom's own alert queries (frames/alert/alertQuery.ts), which template rules run. */
export const HEADROOM_ALERT_QUERY_TYPE = 'alert';

/** Fields of a query model Grafana fills in itself (AlertQuery.PreSave) or that only address it. */
const NOT_OWNED_MODEL_FIELDS = new Set(['refId', 'datasource', 'maxDataPoints', 'intervalMs']);

/** A Headroom alert query's own settings (measure, days, budget, filters…): a person's edit of any is an edit. */
function headroomQueryFields(model: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(model).filter(([key]) => !NOT_OWNED_MODEL_FIELDS.has(key)));
}

/**
 * Whether the two rules' owned fields are equal, i.e. `ownedContent(a) === ownedContent(b)`: compared value by
 * value, which settles the usual case of equal fields without writing kilobytes of JSON; only when that finds a
 * difference is the text compared (values that differ can still print alike, e.g. NaN and null).
 */
export function sameOwnedFields(a: ProvisionedAlertRule, b: ProvisionedAlertRule): boolean {
  const ownedA = ownedFields(a);
  const ownedB = ownedFields(b);
  return sameValues(ownedA, ownedB) || canonicalJson(ownedA) === canonicalJson(ownedB);
}

/** Equal primitives, or arrays and objects whose defined entries are pairwise so: then their canonical JSON is. */
function sameValues(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return false;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValues(item, b[i]))
    );
  }
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  const keysA = Object.keys(recordA).filter((k) => recordA[k] !== undefined);
  return (
    keysA.length === Object.keys(recordB).filter((k) => recordB[k] !== undefined).length &&
    keysA.every(
      (k) =>
        Object.prototype.propertyIsEnumerable.call(recordB, k) &&
        recordB[k] !== undefined &&
        sameValues(recordA[k], recordB[k])
    )
  );
}

export function ruleFingerprint(rule: ProvisionedAlertRule): string {
  return shortHash(canonicalJson(ownedFields(rule)));
}

function withFingerprint(rule: ProvisionedAlertRule): ProvisionedAlertRule {
  return { ...rule, annotations: { ...rule.annotations, [ANNOTATIONS.fingerprint]: ruleFingerprint(rule) } };
}

export const isHeadroomManaged = (rule: ProvisionedAlertRule) => rule.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/** True when the rule's owned fields no longer match the fingerprint Headroom stored when it wrote them. */
export function editedSinceWritten(rule: ProvisionedAlertRule): boolean {
  return rule.annotations?.[ANNOTATIONS.fingerprint] !== ruleFingerprint(rule);
}

/** One line per owned field that differs, `path: before → after`, for a person to read before confirming. */
export function ruleDiff(before: ProvisionedAlertRule, after: ProvisionedAlertRule): string[] {
  const lines: string[] = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
    if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
      const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
      for (const key of keys) {
        walk(path ? `${path}.${key}` : key, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
      }
    } else if (canonicalJson(a) !== canonicalJson(b)) {
      lines.push(`${path}: ${abbreviate(canonicalJson(a))} → ${abbreviate(canonicalJson(b))}`);
    }
  };
  walk('', ownedFields(before), ownedFields(after));
  return lines;
}

/** Compiled thresholds run to kilobytes; the diff shows where they start to differ, not all of it. */
function abbreviate(text: string | undefined, maxChars = 160): string {
  if (text === undefined) {
    return '(absent)';
  }
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length} chars)`;
}
