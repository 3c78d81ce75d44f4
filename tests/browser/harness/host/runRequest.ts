// Grafana's runRequest (public/app/features/query/state/runRequest.ts), which scenes' SceneQueryRunner and query
// variables call through getRunRequest(): run the query, fold every response packet (by key) into one PanelData,
// report failures as PanelData in the Error state, and emit Loading if no answer came within 200 ms.
import {
  DataTopic,
  LoadingState,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type PanelData,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import { from, merge, Observable, of, timer } from 'rxjs';
import { catchError, map, share, takeUntil } from 'rxjs/operators';

type QueryFunction = (request: DataQueryRequest) => Observable<DataQueryResponse> | Promise<DataQueryResponse>;

const LOADING_DELAY_MS = 200;

export function runRequest(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: QueryFunction
): Observable<PanelData> {
  const loading: PanelData = { state: LoadingState.Loading, series: [], request, timeRange: request.range };
  if (!request.targets.length) {
    return of({ ...loading, state: LoadingState.Done });
  }
  const packets = new Map<string, DataQueryResponse>();
  const query = queryFunction ?? datasource.query.bind(datasource);

  const data = from(query(request)).pipe(
    map((packet): PanelData => {
      request.endTime = Date.now();
      packets.set(packet.key ?? 'A', packet);
      let state = LoadingState.Done;
      let error: DataQueryError | undefined;
      let errors: DataQueryError[] | undefined;
      const series: DataFrame[] = [];
      const annotations: DataFrame[] = [];
      for (const received of packets.values()) {
        state = received.state ?? state;
        if (received.error || received.errors?.length) {
          state = LoadingState.Error;
          error = received.error ?? received.errors?.[0];
          errors = received.errors ?? (received.error ? [received.error] : undefined);
        }
        for (const frame of received.data ?? []) {
          (frame.meta?.dataTopic === DataTopic.Annotations ? annotations : series).push(frame);
        }
      }
      return { state, series, annotations, error, errors, request, timeRange: request.range };
    }),
    catchError((err: unknown) => {
      // Grafana logs every failed query this way; the tests treat it as a console error.
      console.error('runRequest.catchError', typeof err === 'string' ? err : JSON.stringify(err));
      const queryError = toDataQueryError(err);
      return of({ ...loading, state: LoadingState.Error, error: queryError, errors: [queryError] });
    }),
    share()
  );

  return merge(
    timer(LOADING_DELAY_MS).pipe(
      map(() => loading),
      takeUntil(data)
    ),
    data
  );
}
