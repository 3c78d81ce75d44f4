/**
 * HTTP failures the real Prometheus cannot be made to produce, from a tiny local server that answers like a broken
 * Prometheus or a proxy in front of one; and a closed port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createPrometheusClient } from '../../src/prometheus/client';
import {
  PrometheusHttpError,
  PrometheusQueryError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  PrometheusUnreachableError,
} from '../../src/prometheus/errors';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';

interface Canned {
  status: number;
  body: string;
  contentType?: string;
}

/** Path → answer; `hang` never answers. */
const answers: Record<string, Canned | 'hang'> = {
  '/unauthorized': { status: 401, body: 'Unauthorized', contentType: 'text/plain' },
  '/forbidden': { status: 403, body: '{"message":"Permission denied"}' },
  '/bad-gateway': { status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
  '/overloaded': {
    status: 503,
    body: '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}',
  },
  '/execution': {
    status: 422,
    body: '{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}',
  },
  '/internal': { status: 500, body: '{"status":"error","errorType":"internal","error":"disk full"}' },
  '/not-prometheus': { status: 200, body: '<html>Welcome</html>', contentType: 'text/html' },
  '/warnings': {
    status: 200,
    body: '{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["remote store down: partial data"]}',
  },
  '/hang': 'hang',
};

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const prefix = Object.keys(answers).find((p) => request.url!.startsWith(`${p}/api/v1/`));
    const answer = prefix ? answers[prefix] : { status: 404, body: 'not found' };
    if (answer === 'hang') {
      return;
    }
    response.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const query = (prefix: string, timeoutMs = 5000) =>
  createPrometheusClient(createFetchTransport(`${baseUrl}${prefix}`), { timeoutMs })
    .queryInstant('up', 1_700_000_000)
    .then(
      () => new Error('expected the query to fail'),
      (error: unknown) => error as Error
    );

describe('Prometheus failures', () => {
  it('reports a closed port as unreachable with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await createPrometheusClient(createFetchTransport(`http://127.0.0.1:${port}`))
      .queryInstant('up', 1)
      .then(
        () => new Error('expected the query to fail'),
        (e: unknown) => e as Error
      );
    expect(error).toBeInstanceOf(PrometheusUnreachableError);
    expect(error.message).toMatch(/Cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED/);
    expect(error.message).toMatch(/Check the data source URL/);
  });

  it('points at the credentials for 401 and 403', async () => {
    for (const prefix of ['/unauthorized', '/forbidden']) {
      const error = await query(prefix);
      expect(error).toBeInstanceOf(PrometheusHttpError);
      expect(error.message).toMatch(/check the data source's credentials/);
    }
    expect(await query('/unauthorized')).toMatchObject({ status: 401 });
  });

  it('explains an overloaded Prometheus and a failing proxy', async () => {
    const overloaded = await query('/overloaded');
    expect(overloaded).toBeInstanceOf(PrometheusQueryError);
    expect(overloaded).toMatchObject({ status: 503, errorType: 'timeout' });
    expect(overloaded.message).toMatch(/overloaded.*narrow the time range.*recording rules/);
    const proxy = await query('/bad-gateway');
    expect(proxy).toBeInstanceOf(PrometheusHttpError);
    expect(proxy.message).toMatch(/HTTP 502.*overloaded or down.*Answer: <html><body>502 Bad Gateway/);
  });

  it('quotes Prometheus for execution and internal errors', async () => {
    const execution = await query('/execution');
    expect(execution).toMatchObject({ status: 422, errorType: 'execution' });
    expect(execution.message).toMatch(/could not execute the query: "query processing would load too many samples/);
    const internal = await query('/internal');
    expect(internal).toBeInstanceOf(PrometheusQueryError);
    expect(internal.message).toMatch(/HTTP 500 \(internal: disk full\); check Prometheus' logs/);
  });

  it('says when the URL is not Prometheus at all', async () => {
    expect(await query('/not-prometheus')).toBeInstanceOf(PrometheusResponseError);
    const notFound = await query('/elsewhere');
    expect(notFound).toBeInstanceOf(PrometheusHttpError);
    expect(notFound.message).toMatch(/HTTP 404: not found; check that the data source URL is the Prometheus base URL/);
  });

  it('times out a Prometheus that never answers', async () => {
    const started = Date.now();
    const error = await query('/hang', 200);
    expect(error).toBeInstanceOf(PrometheusTimeoutError);
    expect(error.message).toMatch(/did not answer within 0\.2 s.*narrow the time range/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('passes warnings of a successful answer on', async () => {
    const result = await createPrometheusClient(createFetchTransport(`${baseUrl}/warnings`)).queryInstant('up', 1);
    expect(result).toEqual({ series: [], warnings: ['remote store down: partial data'] });
  });
});
