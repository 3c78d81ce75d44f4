/** @jest-environment node */
import { createPrometheusClient } from './client';
import {
  PrometheusHttpError,
  PrometheusQueryError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  PrometheusUnreachableError,
} from './errors';
import type { PrometheusHttpRequest, PrometheusHttpResponse } from './types';

/** Answers every request with `response` and remembers what was asked. */
function fakeTransport(response: PrometheusHttpResponse | Error) {
  const requests: PrometheusHttpRequest[] = [];
  const transport = async (request: PrometheusHttpRequest) => {
    requests.push(request);
    if (response instanceof Error) {
      throw response;
    }
    return response;
  };
  return { transport, requests };
}

const ok = (data: unknown, warnings?: string[]) => ({ status: 200, body: { status: 'success', data, warnings } });
const range = { startSeconds: 1000, endSeconds: 1120, stepSeconds: 60 };

describe('parsing answers', () => {
  it('parses a matrix, keeping NaN and ±Inf as numbers and missing samples absent', async () => {
    const { transport, requests } = fakeTransport(
      ok({
        resultType: 'matrix',
        result: [
          {
            metric: { gpu: '0' },
            values: [
              [1000, '1.5'],
              [1060, 'NaN'],
              [1120, '+Inf'],
            ],
          },
          { metric: { gpu: '1' }, values: [[1060, '-Inf']] },
        ],
      })
    );
    const result = await createPrometheusClient(transport, { timeoutMs: 1234 }).queryRange('up', range);
    expect(result.series).toEqual([
      { labels: { gpu: '0' }, timestampsSeconds: [1000, 1060, 1120], values: [1.5, NaN, Infinity] },
      { labels: { gpu: '1' }, timestampsSeconds: [1060], values: [-Infinity] },
    ]);
    expect(result.stepSeconds).toBe(60);
    expect(requests).toEqual([
      {
        path: '/api/v1/query_range',
        params: { query: 'up', start: '1000', end: '1120', step: '60' },
        timeoutMs: 1234,
        signal: undefined,
      },
    ]);
  });

  it('chooses the step when none is given', async () => {
    const { transport, requests } = fakeTransport(ok({ resultType: 'matrix', result: [] }));
    const result = await createPrometheusClient(transport).queryRange('up', {
      startSeconds: 0,
      endSeconds: 30 * 86400,
    });
    expect(requests[0].params.step).toBe('300');
    expect(result.stepSeconds).toBe(300);
  });

  it('parses vectors and scalars, and treats an empty result as no series, not an error', async () => {
    const vector = fakeTransport(ok({ resultType: 'vector', result: [{ metric: {}, value: [1000, '42'] }] }));
    expect((await createPrometheusClient(vector.transport).queryInstant('x', 1000)).series).toEqual([
      { labels: {}, timestampsSeconds: [1000], values: [42] },
    ]);
    expect(vector.requests[0]).toMatchObject({ path: '/api/v1/query', params: { query: 'x', time: '1000' } });
    const scalar = fakeTransport(ok({ resultType: 'scalar', result: [1000, '7'] }));
    expect((await createPrometheusClient(scalar.transport).queryInstant('7', 1000)).series[0].values).toEqual([7]);
    const empty = fakeTransport(ok({ resultType: 'vector', result: [] }));
    expect(await createPrometheusClient(empty.transport).queryInstant('x', 1000)).toEqual({ series: [], warnings: [] });
  });

  it('passes warnings of a successful answer on', async () => {
    const { transport } = fakeTransport(ok({ resultType: 'vector', result: [] }, ['partial data: store down']));
    expect((await createPrometheusClient(transport).queryInstant('x', 1)).warnings).toEqual([
      'partial data: store down',
    ]);
  });

  it('rejects a value that is not a number', async () => {
    const { transport } = fakeTransport(ok({ resultType: 'vector', result: [{ metric: {}, value: [1, 'abc'] }] }));
    await expect(createPrometheusClient(transport).queryInstant('x', 1)).rejects.toThrow(PrometheusResponseError);
  });

  it('sends one request per match[] selector and merges label names', async () => {
    const { transport, requests } = fakeTransport(ok(['b', 'a']));
    const names = await createPrometheusClient(transport).labelNames(['up', 'down'], range);
    expect(names).toEqual(['a', 'b']);
    expect(requests.map((r) => r.params['match[]'])).toEqual(['up', 'down']);
  });

  it('asks for label values with the name in the path and treats null as none', async () => {
    const { transport, requests } = fakeTransport(ok(null));
    expect(await createPrometheusClient(transport).labelValues('__name__', [], range)).toEqual([]);
    expect(requests[0].path).toBe('/api/v1/label/__name__/values');
    expect(requests[0].params['match[]']).toBeUndefined();
  });

  it('sends no empty parameter, which Grafana would drop on the way', async () => {
    const { transport, requests } = fakeTransport(ok([]));
    const client = createPrometheusClient(transport);
    await expect(client.labelNames([''], range)).rejects.toThrow(
      'Headroom built the Prometheus request /api/v1/labels with empty parameters (match[]);'
    );
    await expect(client.queryInstant('', 1)).rejects.toThrow(/empty parameters \(query\)/);
    expect(requests).toEqual([]);
  });
});

describe('error mapping', () => {
  const failWith = (response: PrometheusHttpResponse | Error) =>
    createPrometheusClient(fakeTransport(response).transport).queryInstant('sum(rate(x[5m])', 1);

  it('quotes Prometheus for invalid PromQL', async () => {
    const error = await failWith({
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'unclosed left parenthesis' },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error).toMatchObject({ status: 400, errorType: 'bad_data', prometheusError: 'unclosed left parenthesis' });
    expect(error.message).toMatch(/PromQL is invalid.*unclosed left parenthesis.*sum\(rate/);
  });

  it("quotes VictoriaMetrics for invalid PromQL, which it answers with 422 like an execution error", async () => {
    // VictoriaMetrics 1.79.5's answer to `sum(test_gauge` (tests/integration/prometheus-client.test.ts on it).
    const vmError =
      'error when executing query="sum(test_gauge" for (time=1700000040000, step=300000): argList: unexpected token ""; ' +
      'want ",", ")"; unparsed data: ""';
    const error = await failWith({ status: 422, body: { status: 'error', errorType: '422', error: vmError } }).catch(
      (e) => e
    );
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error.message).toMatch(/^The PromQL is invalid: Prometheus says ".*unparsed data/);
    // A 422 that is not a parse error stays an execution error.
    const tooMany = 'too many points for the given step=1000; cannot exceed -search.maxPointsPerTimeseries=30000';
    const execution = await failWith({ status: 422, body: { status: 'error', errorType: '422', error: tooMany } }).catch(
      (e) => e
    );
    expect(execution.message).toMatch(/^Prometheus could not execute the query/);
  });

  it('advises narrowing the range when Prometheus gives up', async () => {
    const error = await failWith({
      status: 503,
      body: { status: 'error', errorType: 'timeout', error: 'query timed out' },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error.message).toMatch(/narrow the time range.*recording rules/);
  });

  it('points at the credentials for 401 and 403 from a proxy', async () => {
    for (const status of [401, 403]) {
      const error = await failWith({ status, body: 'Unauthorized' }).catch((e) => e);
      expect(error).toBeInstanceOf(PrometheusHttpError);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(/credentials/);
    }
  });

  it('rejects a 200 answer that is not a Prometheus envelope', async () => {
    await expect(failWith({ status: 200, body: '<html>Grafana</html>' })).rejects.toThrow(
      /not a Prometheus API response/
    );
  });

  it('maps transport failures to unreachable or timeout', async () => {
    await expect(failWith(new Error('socket hang up'))).rejects.toThrow(PrometheusUnreachableError);
    const timeout = new Error('The operation timed out');
    timeout.name = 'TimeoutError';
    await expect(failWith(timeout)).rejects.toThrow(PrometheusTimeoutError);
  });

  it('lets a caller abort pass through unchanged', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    const client = createPrometheusClient(fakeTransport(abort).transport);
    await expect(client.queryInstant('x', 1, controller.signal)).rejects.toBe(abort);
  });
});
