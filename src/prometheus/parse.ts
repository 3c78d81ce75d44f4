/**
 * Turns Prometheus HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/) into typed values,
 * and failed answers into the typed errors of errors.ts.
 */
import { PrometheusHttpError, PrometheusQueryError, PrometheusResponseError } from './errors';
import type { PrometheusHttpResponse, PromSeries } from './types';

const BODY_EXCERPT_CHARS = 300;

/** Sample values arrive as strings so that NaN and ±Inf survive JSON. */
export function parseSampleValue(text: unknown, path: string): number {
  if (text === 'NaN') {
    return NaN;
  }
  if (text === '+Inf' || text === 'Inf') {
    return Infinity;
  }
  if (text === '-Inf') {
    return -Infinity;
  }
  const value = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  if (Number.isNaN(value)) {
    throw new PrometheusResponseError(path, `sample value ${JSON.stringify(text)} is not a number`);
  }
  return value;
}

/**
 * Checks the envelope and returns `data` and `warnings` of a successful answer; throws the matching typed error
 * for anything else. `query` is quoted in PromQL error messages.
 */
export function unwrapEnvelope(
  response: PrometheusHttpResponse,
  path: string,
  query?: string
): { data: unknown; warnings: string[] } {
  const body = response.body;
  if (isRecord(body) && body.status === 'error') {
    throw new PrometheusQueryError(
      response.status,
      String(body.errorType ?? 'unknown'),
      String(body.error ?? ''),
      query
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new PrometheusHttpError(response.status, path, excerpt(body));
  }
  if (!isRecord(body) || body.status !== 'success') {
    throw new PrometheusResponseError(path, `unexpected body ${excerpt(body)}`);
  }
  const warnings = Array.isArray(body.warnings) ? body.warnings.map(String) : [];
  return { data: body.data, warnings };
}

/** `data` of /api/v1/query and /api/v1/query_range. */
export function parseQueryData(data: unknown, path: string): PromSeries[] {
  if (!isRecord(data)) {
    throw new PrometheusResponseError(path, 'no data object');
  }
  const { resultType, result } = data;
  switch (resultType) {
    case 'matrix':
      return asArray(result, path).map((item) => {
        const entry = asRecord(item, path);
        return toSeries(entry.metric, asArray(entry.values ?? [], path), path);
      });
    case 'vector':
      return asArray(result, path).map((item) => {
        const entry = asRecord(item, path);
        return toSeries(entry.metric, [entry.value], path);
      });
    case 'scalar':
      return [toSeries({}, [result], path)];
    default:
      throw new PrometheusResponseError(path, `result type ${JSON.stringify(resultType)} is not a number series`);
  }
}

/** `data` of /api/v1/series: a list of label sets. */
export function parseLabelSets(data: unknown, path: string): Array<Record<string, string>> {
  return asArray(data, path).map((item) => toLabels(item, path));
}

/** `data` of /api/v1/labels and /api/v1/label/<name>/values: a list of strings. */
export function parseStringList(data: unknown, path: string): string[] {
  // Some Prometheus-compatible servers answer `null` instead of `[]` when nothing matches.
  if (data === null) {
    return [];
  }
  return asArray(data, path).map((item) => {
    if (typeof item !== 'string') {
      throw new PrometheusResponseError(path, `expected a list of strings, got ${excerpt(item)}`);
    }
    return item;
  });
}

function toSeries(metric: unknown, samples: unknown[], path: string): PromSeries {
  const timestampsSeconds: number[] = [];
  const values: number[] = [];
  for (const sample of samples) {
    if (!Array.isArray(sample) || sample.length !== 2 || typeof sample[0] !== 'number') {
      throw new PrometheusResponseError(path, `malformed sample ${excerpt(sample)}`);
    }
    timestampsSeconds.push(sample[0]);
    values.push(parseSampleValue(sample[1], path));
  }
  return { labels: toLabels(metric ?? {}, path), timestampsSeconds, values };
}

/**
 * The label set as parsed when every value is a string, as Prometheus writes them: copying each of them cost tens of
 * ms per answer at 10,000 GPUs (bench/backend.ts). Another store's numbers or booleans become strings in a copy.
 */
function toLabels(value: unknown, path: string): Record<string, string> {
  const record = asRecord(value, path);
  for (const name in record) {
    if (typeof record[name] !== 'string') {
      return Object.fromEntries(Object.entries(record).map(([label, labelValue]) => [label, String(labelValue)]));
    }
  }
  return record as Record<string, string>;
}

function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new PrometheusResponseError(path, `expected a list, got ${excerpt(value)}`);
  }
  return value;
}

function asRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new PrometheusResponseError(path, `expected an object, got ${excerpt(value)}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > BODY_EXCERPT_CHARS ? `${oneLine.slice(0, BODY_EXCERPT_CHARS)}…` : oneLine;
}
