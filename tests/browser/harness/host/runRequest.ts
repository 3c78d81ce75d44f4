// Grafana's runRequest, which scenes' SceneQueryRunner and query variables call through getRunRequest(). This follows
// public/app/features/query/state/runRequest.ts of Grafana 12.x line by line (see docs/grafana-compatibility.md);
// the comments quote it. Left out: expressions and public dashboards (the harness has neither), and cancelling
// backendSrv requests tagged with `request.requestId` on unsubscribe (Headroom tags none; its requests stop through
// their own AbortSignals when the query's Observable is unsubscribed).
import {
  CoreApp,
  dateMath,
  DataTopic,
  LoadingState,
  type DataQuery,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataQueryResponseData,
  type DataSourceApi,
  type PanelData,
  type TimeRange,
} from '@grafana/data';
import { isMigrationHandler, migrateRequest, toDataQueryError } from '@grafana/runtime';
import { from, merge, Observable, of, timer } from 'rxjs';
import { catchError, map, mergeMap, share, takeUntil } from 'rxjs/operators';

export interface RunningQueryState {
  packets: Record<string, DataQueryResponse>;
  panelData: PanelData;
}

/** Grafana waits this long for a first packet before it emits Loading (its comment still says 50 ms). */
export const LOADING_DELAY_MS = 200;

/**
 * Grafana's processResponsePacket:
 *   const key = packet.key ?? packet.data?.[0]?.refId ?? 'A';
 *   packets[key] = packet;
 *   let loadingState = packet.state || LoadingState.Done;
 *   for (const key in packets) { if (packet.error || packet.errors?.length) { loadingState = Error;
 *     error = packet.error; errors = packet.errors; } ...series and annotations of every packet }
 * A packet replaces the earlier one with the same key, frames included; the state is the latest packet's, made Error
 * by an error in any kept packet; `error`/`errors` are those of the last such packet, never merged.
 */
export function processResponsePacket(packet: DataQueryResponse, state: RunningQueryState): RunningQueryState {
  const request = state.panelData.request!;
  const packets = { ...state.packets };
  const key: string = packet.key ?? packet.data?.[0]?.refId ?? 'A';
  packets[key] = packet;

  let loadingState = packet.state || LoadingState.Done;
  let error: DataQueryError | undefined = undefined;
  let errors: DataQueryError[] | undefined = undefined;
  const series: DataQueryResponseData[] = [];
  const annotations: DataQueryResponseData[] = [];

  for (const kept of Object.values(packets)) {
    if (kept.error || kept.errors?.length) {
      loadingState = LoadingState.Error;
      error = kept.error;
      errors = kept.errors;
    }
    for (const dataItem of kept.data ?? []) {
      (dataItem.meta?.dataTopic === DataTopic.Annotations ? annotations : series).push(dataItem);
    }
  }

  const panelData: PanelData = {
    state: loadingState,
    series,
    annotations,
    error,
    errors,
    request,
    timeRange: requestTimeRange(request, loadingState),
  };
  const traceIds = new Set([...(state.panelData.traceIds ?? []), ...(packet.traceIds ?? [])]);
  if (traceIds.size > 0) {
    panelData.traceIds = [...traceIds];
  }
  return { packets, panelData };
}

/** Grafana's getRequestTimeRange: a streaming answer to a relative range moves the range to now. */
function requestTimeRange(request: DataQueryRequest, loadingState: LoadingState): TimeRange {
  const range = request.range;
  if (typeof range.raw.from !== 'string' || loadingState !== LoadingState.Streaming) {
    return range;
  }
  return {
    ...range,
    from: dateMath.parse(range.raw.from, false)!,
    to: dateMath.parse(range.raw.to, true)!,
  };
}

export function runRequest(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: typeof datasource.query
): Observable<PanelData> {
  let state: RunningQueryState = {
    panelData: { state: LoadingState.Loading, series: [], request, timeRange: request.range },
    packets: {},
  };

  if (!request.targets.length) {
    request.endTime = Date.now();
    state.panelData.state = LoadingState.Done;
    return of(state.panelData);
  }

  const dataObservable = callQueryMethodWithMigration(datasource, request, queryFunction).pipe(
    map((packet: DataQueryResponse) => {
      // Grafana checks `!isArray(packet.data)` with lodash's `map` imported as `isArray`, which never throws for a
      // missing `data`; the filter below throws a TypeError for it when a query is hidden.
      const hiddenQueries = request.targets.filter((q) => q.hide);
      for (const query of hiddenQueries) {
        packet.data = packet.data.filter((d: DataQueryResponseData) => d.refId !== query.refId);
      }
      request.endTime = Date.now();
      state = processResponsePacket(packet, state);
      return state.panelData;
    }),
    catchError((err: unknown) => {
      // Grafana logs every failed query this way; the browser tests treat it as a console error.
      console.error('runRequest.catchError', err);
      return of({ ...state.panelData, state: LoadingState.Error, error: toDataQueryError(err) });
    }),
    share()
  );

  // "If 50ms without a response emit a loading state": the initial state, Loading with no series.
  return merge(
    timer(LOADING_DELAY_MS).pipe(
      map(() => state.panelData),
      takeUntil(dataObservable)
    ),
    dataObservable
  );
}

function callQueryMethodWithMigration(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: typeof datasource.query
): Observable<DataQueryResponse> {
  if (isMigrationHandler(datasource)) {
    return from(migrateRequest(datasource, request)).pipe(
      mergeMap((migrated) => callQueryMethod(datasource, migrated, queryFunction))
    );
  }
  return callQueryMethod(datasource, request, queryFunction);
}

function callQueryMethod(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: typeof datasource.query
): Observable<DataQueryResponse> {
  // "If the datasource has defined a default query, make sure it's applied"
  request.targets = request.targets.map((t) =>
    queryIsEmpty(t) ? { ...datasource?.getDefaultQuery?.(CoreApp.PanelEditor), ...t } : t
  );
  // "do not filter queries in case a custom query function is provided (for example in variable queries)"
  if (!queryFunction) {
    request.targets = request.targets.filter((t) => datasource.filterQuery?.(t) ?? true);
  }
  if (request.targets.length === 0) {
    return of<DataQueryResponse>({ data: [] });
  }
  return from(queryFunction ? queryFunction(request) : datasource.query(request));
}

/** Grafana's queryIsEmpty (app/core/utils/query.ts): no property beyond DataQuery's own (and `label`). */
function queryIsEmpty(query: DataQuery): boolean {
  const dataQueryProps = ['refId', 'hide', 'key', 'queryType', 'datasource'];
  return Object.keys(query).every((key) => key === 'label' || dataQueryProps.includes(key));
}
