// `POST /api/ds/query` as Grafana 12 answers it for backend data sources (docs/grafana-compatibility.md, "Queries
// through Grafana's /api/ds/query"):
//  - pkg/api/ds_query.go QueryMetricsV2: the body is dtos.MetricRequest `{queries, from, to}`; a body that does not
//    bind is 400 "bad request data"; the answer is the QueryDataResponse as JSON with status 400 as soon as one
//    query's response has an error, else 200 (toJsonStreamingResponse); errors keep their own status and public
//    message (handleQueryMetricsError → response.ErrOrFallback): a data source that is not found is 404 "Data source
//    not found", a plugin call that fails 500 "An error occurred within the plugin" (plugin.requestFailureError,
//    pkg/plugins/manager/client/client.go and pkg/plugins/errors.go); only other errors are 500 "Query data error";
//  - pkg/services/query/query.go parseMetricRequest: no queries is 400 "No queries found"; a query without a data
//    source identifier 400 (query.invalidDatasourceId), two queries with one refId 400 (query.duplicateRefId,
//    models.go validateRequest); each query's data source is `datasource.uid` (or a string `datasource`, before 8.3);
//    from/to are one time range for every query (the subset DataSourceWithBackend sends: epoch milliseconds as
//    strings; Grafana's gtime also reads durations and datemath, and falls back to epoch 0, never 400); each DataQuery
//    gets refId (default "A"), maxDataPoints (default 100), intervalMs (default 1000; a fractional number is not an
//    Int64 and takes the default), queryType (default "") and the whole query object as its JSON; the
//    queries are grouped by data source: one QueryData call for a single data source, else one per data source
//    (executeConcurrentQueries), a failing call answering each of its queries with the error (buildErrorResponses);
//  - the PluginContext of each call is the data source's (instance settings with secureJsonData decrypted:
//    pluginBackend.ts), as pkg/services/pluginsintegration/plugincontext GetWithDataSource builds it;
//  - each DataResponse is written by grafana-plugin-sdk-go backend/json.go writeDataResponseJSON: `error` and
//    `errorSource` when there is an error, `status` (the plugin's, else 500 for an error, else 200), then `frames`
//    (Grafana decodes the plugin's Arrow: an error response has `frames: []`), results sorted by refId.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { arrowFrameToJson, type FrameJson } from './frameJson';
import { readBody } from './httpBody';

/** DataQuery of the plugin protocol, as our grpc-js definitions take it. */
export interface DataQueryMessage {
  refId: string;
  maxDataPoints: number;
  intervalMs: number;
  timeRange: { fromEpochMs: number; toEpochMs: number };
  json: Buffer;
  queryType: string;
}

/** DataResponse of the plugin protocol, as decoded. */
export interface DataResponseMessage {
  frames: Uint8Array[];
  error: string;
  status: number;
  errorSource: string;
}

/** A data source whose backend answers QueryData. */
export interface QueryDataBackend {
  queryData(queries: DataQueryMessage[]): Promise<Record<string, DataResponseMessage>>;
}

export interface DataResponseJson {
  error?: string;
  errorSource?: string;
  status: number;
  frames?: FrameJson[];
}

/** One query as the harness passed it on, for the tests: data source uid, refId, queryType and the app's settings. */
export interface ForwardedQuery {
  uid: string;
  refId: string;
  queryType: string;
  appSettings?: unknown;
}

const UNITS_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** gtime's reading of from/to: epoch milliseconds, `now`, or `now-<n><unit>`. */
export function parseGrafanaTime(text: string | undefined, fallback: string, nowMs: number): number {
  const value = (text ?? '').trim() || fallback;
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  if (value === 'now') {
    return nowMs;
  }
  const relative = value.match(/^now-(\d+)([smhdw])$/);
  if (relative) {
    return nowMs - Number(relative[1]) * UNITS_MS[relative[2]];
  }
  throw new Error(`the harness does not read the time "${value}"`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function dataSourceUid(query: Record<string, unknown>): string {
  const datasource = query.datasource;
  if (typeof datasource === 'string') {
    return datasource;
  }
  const uid = (datasource as { uid?: unknown } | null | undefined)?.uid;
  return typeof uid === 'string' ? uid : '';
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/** A DataResponse as Grafana writes it (SDK backend/json.go); Status.IsValid is 100 ≤ status < 600. */
export function dataResponseJson(response: DataResponseMessage): DataResponseJson {
  const valid = response.status >= 100 && response.status < 600;
  const json: DataResponseJson = { status: 200 };
  if (response.error !== '') {
    json.error = response.error;
    json.errorSource = response.errorSource;
    json.status = valid ? response.status : 500;
  } else if (valid) {
    json.status = response.status;
  }
  json.frames = response.frames.map((bytes) => arrowFrameToJson(bytes));
  // Key order as Go writes it: error, errorSource, status, frames.
  const { error, errorSource, status, frames } = json;
  return { ...(error !== undefined && { error, errorSource }), status, frames };
}

export async function answerDsQuery(
  req: IncomingMessage,
  res: ServerResponse,
  backends: Map<string, QueryDataBackend>,
  forwarded: ForwardedQuery[]
): Promise<void> {
  let body: { queries?: unknown; from?: string; to?: string };
  try {
    body = JSON.parse((await readBody(req)).toString('utf8')) as typeof body;
  } catch {
    return send(res, 400, { message: 'bad request data' });
  }
  const queries = Array.isArray(body.queries) ? (body.queries as Array<Record<string, unknown>>) : [];
  if (queries.length === 0) {
    return send(res, 400, { message: 'No queries found', messageId: 'query.noQueries', statusCode: 400 });
  }
  const nowMs = Date.now();
  let fromEpochMs: number;
  let toEpochMs: number;
  try {
    fromEpochMs = parseGrafanaTime(body.from, 'now-6h', nowMs);
    toEpochMs = parseGrafanaTime(body.to, 'now', nowMs);
  } catch (error) {
    return send(res, 400, { message: `bad request data: ${(error as Error).message}` });
  }
  const groups = new Map<string, DataQueryMessage[]>();
  const refIdsSeen = new Set<string>();
  for (const query of queries) {
    const uid = typeof query === 'object' && query !== null ? dataSourceUid(query) : '';
    if (uid === '') {
      return send(res, 400, {
        message: 'Query does not contain a valid data source identifier',
        messageId: 'query.invalidDatasourceId',
        statusCode: 400,
      });
    }
    const refId = typeof query.refId === 'string' ? query.refId : 'A';
    if (refIdsSeen.has(refId)) {
      return send(res, 400, {
        message: 'Multiple queries using the same RefId is not allowed ',
        messageId: 'query.duplicateRefId',
        statusCode: 400,
      });
    }
    refIdsSeen.add(refId);
    if (!backends.has(uid)) {
      return send(res, 404, { message: 'Data source not found' });
    }
    const message: DataQueryMessage = {
      refId,
      maxDataPoints: numberOr(query.maxDataPoints, 100),
      intervalMs: numberOr(query.intervalMs, 1000),
      timeRange: { fromEpochMs, toEpochMs },
      json: Buffer.from(JSON.stringify(query), 'utf8'),
      queryType: typeof query.queryType === 'string' ? query.queryType : '',
    };
    groups.set(uid, [...(groups.get(uid) ?? []), message]);
    forwarded.push({ uid, refId: message.refId, queryType: message.queryType, appSettings: query.appSettings });
  }
  const results: Record<string, DataResponseMessage> = {};
  const calls = [...groups].map(async ([uid, group]) => {
    try {
      Object.assign(results, await backends.get(uid)!.queryData(group));
    } catch (error) {
      if (groups.size === 1) {
        throw error;
      }
      for (const query of group) {
        results[query.refId] = { frames: [], error: (error as Error).message, status: 0, errorSource: '' };
      }
    }
  });
  try {
    await Promise.all(calls);
  } catch {
    return send(res, 500, {
      message: 'An error occurred within the plugin',
      messageId: 'plugin.requestFailureError',
      statusCode: 500,
    });
  }
  const refIds = Object.keys(results).sort();
  const json = Object.fromEntries(refIds.map((refId) => [refId, dataResponseJson(results[refId])]));
  const anyError = refIds.some((refId) => results[refId].error !== '');
  send(res, anyError ? 400 : 200, { results: json });
}
