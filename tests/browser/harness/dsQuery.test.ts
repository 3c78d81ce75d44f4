/**
 * @jest-environment node
 *
 * The harness's `POST /api/ds/query` refuses and answers what Grafana 12 refuses and answers (pkg/services/query
 * models.go validateRequest and errors.go, pkg/api/ds_query.go, pkg/plugins/errors.go; quoted in dsQuery.ts). The
 * backend here is a recording stand-in: what is tested is the harness's reading of the request, not a plugin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { answerDsQuery, type DataQueryMessage, type ForwardedQuery, type QueryDataBackend } from './dsQuery';

let server: Server;
let url: string;
let received: DataQueryMessage[][];
let backend: QueryDataBackend;

beforeAll(async () => {
  server = createServer((req, res) => {
    void answerDsQuery(
      req,
      res,
      new Map([['headroom', { queryData: (queries) => backend.queryData(queries) }]]),
      [] as ForwardedQuery[]
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ds/query`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  received = [];
  backend = {
    queryData: async (queries) => {
      received.push(queries);
      return Object.fromEntries(queries.map((q) => [q.refId, { frames: [], error: '', status: 200, errorSource: '' }]));
    },
  };
});

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const ds = { uid: 'headroom', type: 'headroom-capacity-datasource' };
const range = { from: '1700000000000', to: '1700003600000' };

describe("the harness's /api/ds/query", () => {
  it('refuses two queries with one refId (query.duplicateRefId) before calling the plugin', async () => {
    const { status, json } = await post({
      ...range,
      queries: [
        { refId: 'A', datasource: ds },
        { refId: 'A', datasource: ds },
      ],
    });
    expect(status).toBe(400);
    expect(json.messageId).toBe('query.duplicateRefId');
    expect(received).toEqual([]);
  });

  it('refuses a query without a data source, or not an object, with 400 (query.invalidDatasourceId)', async () => {
    for (const queries of [[{ refId: 'A' }], [null]]) {
      const { status, json } = await post({ ...range, queries });
      expect({ status, messageId: json.messageId }).toEqual({ status: 400, messageId: 'query.invalidDatasourceId' });
    }
    expect((await post({ ...range, queries: [{ refId: 'A', datasource: { uid: 'unknown' } }] })).status).toBe(404);
  });

  it('takes the defaults for a fractional interval or point count (not an Int64), the range for every query', async () => {
    await post({ ...range, queries: [{ refId: 'A', datasource: ds, intervalMs: 1500.5, maxDataPoints: 2.5 }] });
    expect(received[0][0]).toMatchObject({
      refId: 'A',
      intervalMs: 1000,
      maxDataPoints: 100,
      timeRange: { fromEpochMs: 1_700_000_000_000, toEpochMs: 1_700_003_600_000 },
    });
  });

  it('answers a plugin call that fails as Grafana does: 500, plugin.requestFailureError', async () => {
    backend = { queryData: async () => Promise.reject(new Error('connection refused')) };
    const { status, json } = await post({ ...range, queries: [{ refId: 'A', datasource: ds }] });
    expect(status).toBe(500);
    expect(json).toEqual({
      message: 'An error occurred within the plugin',
      messageId: 'plugin.requestFailureError',
      statusCode: 500,
    });
  });

  it("answers 400 as soon as one query's response has an error, the results sorted by refId", async () => {
    backend = {
      queryData: async () => ({
        A2: { frames: [], error: '', status: 200, errorSource: '' },
        A10: { frames: [], error: 'too little history', status: 400, errorSource: 'plugin' },
      }),
    };
    const { status, json } = await post({
      ...range,
      queries: [
        { refId: 'A2', datasource: ds },
        { refId: 'A10', datasource: ds },
      ],
    });
    expect(status).toBe(400);
    expect(Object.keys(json.results as object)).toEqual(['A10', 'A2']);
  });
});
