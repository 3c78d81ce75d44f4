/**
 * The harness's runRequest against what Grafana's public/app/features/query/state/runRequest.ts does; each expected
 * value is read off Grafana's code (quoted in host/runRequest.ts), not off the harness.
 */
import {
  createDataFrame,
  LoadingState,
  type DataFrame,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type PanelData,
} from '@grafana/data';
import { Subject } from 'rxjs';

import { queryRequest } from '../../../src/datasource/testing/queryRequest';
import { LOADING_DELAY_MS, runRequest } from './host/runRequest';

const frame = (refId: string, name = refId): DataFrame => createDataFrame({ refId, name, fields: [] });

/** A data source whose packets the test sends by hand. */
function manualDataSource(options: Partial<DataSourceApi> = {}) {
  const packets = new Subject<DataQueryResponse>();
  const received: DataQueryRequest[] = [];
  const datasource = {
    query: (req: DataQueryRequest) => {
      received.push(req);
      return packets;
    },
    ...options,
  } as unknown as DataSourceApi;
  return { datasource, packets, received };
}

function collect(datasource: DataSourceApi, targets: DataQuery[]) {
  const emitted: PanelData[] = [];
  const subscription = runRequest(datasource, queryRequest(targets)).subscribe((data) => emitted.push(data));
  return { emitted, subscription };
}

const framesOf = (data: PanelData) => data.series.map((f) => `${f.refId}:${f.name}`);

describe('runRequest, as Grafana merges response packets', () => {
  it("files a packet under its key, else its first frame's refId, else 'A', and replaces the same key", () => {
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }, { refId: 'B' }]);

    packets.next({ data: [frame('B')], state: LoadingState.Loading }); // key B
    packets.next({ data: [frame('A'), frame('B')], state: LoadingState.Loading }); // key A: B's frame again
    expect(framesOf(emitted[1])).toEqual(['B:B', 'A:A', 'B:B']);
    packets.next({ data: [], state: LoadingState.Loading }); // key A again: replaces it, frames and all
    expect(framesOf(emitted[2])).toEqual(['B:B']);
    packets.next({ key: 'both', data: [frame('A', 'a2')], state: LoadingState.Done });
    expect(framesOf(emitted[3])).toEqual(['B:B', 'A:a2']);
    packets.next({ key: 'both', data: [frame('A', 'a3')], state: LoadingState.Done });
    expect(framesOf(emitted[4])).toEqual(['B:B', 'A:a3']);
  });

  it("takes the latest packet's state, made Error by any kept packet's error; errors are not merged", () => {
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }, { refId: 'B' }]);
    const errorA = { refId: 'A', message: 'A failed' };
    const errorB = { refId: 'B', message: 'B failed' };

    packets.next({ key: 'a', data: [], errors: [errorA], state: LoadingState.Done });
    packets.next({ key: 'b', data: [frame('B')], state: LoadingState.Loading });
    expect(emitted[1]).toMatchObject({ state: LoadingState.Error, errors: [errorA], error: undefined });
    packets.next({ key: 'b', data: [frame('B')], error: errorB, state: LoadingState.Done });
    // The last packet with an error, in key order, wins: b's `error`, and its `errors` (none).
    expect(emitted[2]).toMatchObject({ state: LoadingState.Error, error: errorB, errors: undefined });
    packets.next({ key: 'a', data: [], state: LoadingState.Done });
    packets.next({ key: 'b', data: [frame('B')], state: LoadingState.Loading });
    expect(emitted[4]).toMatchObject({ state: LoadingState.Loading, error: undefined, errors: undefined });
    expect(framesOf(emitted[4])).toEqual(['B:B']);
  });

  it('is Done when the packet has no state', () => {
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }]);

    packets.next({ data: [frame('A')] });
    expect(emitted[0].state).toBe(LoadingState.Done);
  });

  it('drops the frames of hidden queries', () => {
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }, { refId: 'B', hide: true }]);

    packets.next({ data: [frame('A'), frame('B')] });
    expect(framesOf(emitted[0])).toEqual(['A:A']);
  });

  it("asks only for queries the data source's filterQuery keeps, and answers none left with no data, Done", () => {
    const visible = manualDataSource({ filterQuery: (query: DataQuery) => !query.hide });
    collect(visible.datasource, [{ refId: 'A' }, { refId: 'B', hide: true }]);
    expect(visible.received[0].targets.map((t) => t.refId)).toEqual(['A']);

    const none = manualDataSource({ filterQuery: () => false });
    const { emitted } = collect(none.datasource, [{ refId: 'A' }]);
    expect(none.received).toEqual([]);
    expect(emitted).toMatchObject([{ state: LoadingState.Done, series: [] }]);
  });

  it("fills a query with nothing beyond DataQuery's own fields with the data source's default query", () => {
    const defaults = { queryType: 'inventory', inventoryView: 'fleet' };
    const { datasource, received } = manualDataSource({ getDefaultQuery: () => defaults });
    collect(datasource, [
      { refId: 'A' },
      { refId: 'B', queryType: 'forecast' },
      { refId: 'C', model: 'ets' } as DataQuery,
    ]);

    // queryType is one of DataQuery's fields, so B counts as empty too: the defaults go under its own fields.
    expect(received[0].targets).toEqual([
      { queryType: 'inventory', inventoryView: 'fleet', refId: 'A' },
      { queryType: 'forecast', inventoryView: 'fleet', refId: 'B' },
      { refId: 'C', model: 'ets' },
    ]);
  });

  it('answers a request without queries with Done at once, without asking the data source', () => {
    const { datasource, received } = manualDataSource();
    const { emitted } = collect(datasource, []);

    expect(received).toEqual([]);
    expect(emitted).toMatchObject([{ state: LoadingState.Done, series: [] }]);
  });

  it('turns a failed query into Error with `error`, keeping the series so far', () => {
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }]);

    packets.next({ data: [frame('A')], state: LoadingState.Loading });
    packets.error(new Error('boom'));
    expect(emitted[1]).toMatchObject({ state: LoadingState.Error, error: { message: 'boom' } });
    expect(emitted[1].errors).toBeUndefined();
    expect(framesOf(emitted[1])).toEqual(['A:A']);
    expect(consoleError).toHaveBeenCalledWith('runRequest.catchError', expect.any(Error));
    consoleError.mockRestore();
  });
});

describe('runRequest, Loading while nothing has arrived', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it(`emits Loading with no series after ${LOADING_DELAY_MS} ms without a packet`, () => {
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }]);

    jest.advanceTimersByTime(199);
    expect(emitted).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(emitted).toMatchObject([{ state: LoadingState.Loading, series: [] }]);
    packets.next({ data: [frame('A')] });
    expect(emitted[1].state).toBe(LoadingState.Done);
  });

  it('emits no Loading of its own once a packet arrived in time', () => {
    const { datasource, packets } = manualDataSource();
    const { emitted } = collect(datasource, [{ refId: 'A' }]);

    jest.advanceTimersByTime(100);
    packets.next({ data: [frame('A')], state: LoadingState.Loading });
    jest.advanceTimersByTime(1000);
    expect(emitted.map((data) => data.state)).toEqual([LoadingState.Loading]);
    expect(framesOf(emitted[0])).toEqual(['A:A']);
  });
});
