/** @jest-environment node */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { prometheusAccess } from './prometheusAccess';
import type { PrometheusConnection } from './settings';

describe('prometheusAccess', () => {
  let server: Server;
  let url: string;
  const received: Array<{ query: string | null; authorization?: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
      received.push({ query: params.get('query'), authorization: request.headers.authorization });
      // Slow enough that the calls below are in flight together.
      setTimeout(() => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
      }, 100);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.length = 0;
  });

  const connection = (authorization: string): PrometheusConnection => ({
    url,
    headers: { Authorization: authorization },
    secrets: [authorization],
    secretHeaderNames: [],
    timeoutMs: 5000,
    metricOverrides: {},
    tls: {},
  });

  it('sends what two calls on the same connection ask at once to Prometheus once', async () => {
    const first = prometheusAccess(connection('Bearer a'));
    const second = prometheusAccess(connection('Bearer a'));
    const answers = await Promise.all([
      first.client.queryInstant('up', 100),
      second.client.queryInstant('up', 100),
      second.client.queryInstant('up', 101),
    ]);
    expect(answers.map((a) => a.series)).toEqual([[], [], []]);
    expect(received).toEqual([
      { query: 'up', authorization: 'Bearer a' },
      { query: 'up', authorization: 'Bearer a' },
    ]);
  });

  it('never shares between connections with other credentials', async () => {
    await Promise.all([
      prometheusAccess(connection('Bearer a')).client.queryInstant('up', 100),
      prometheusAccess(connection('Bearer b')).client.queryInstant('up', 100),
    ]);
    expect(received.map((r) => r.authorization).sort()).toEqual(['Bearer a', 'Bearer b']);
  });

  it('gives calls a scope to share fetches in only when their credentials, timeout and metric names are the same', () => {
    const scope = prometheusAccess(connection('Bearer a')).sharedBy;
    expect(prometheusAccess(connection('Bearer a')).sharedBy).toBe(scope);
    expect(prometheusAccess(connection('Bearer b')).sharedBy).not.toBe(scope);
    expect(prometheusAccess({ ...connection('Bearer a'), timeoutMs: 9000 }).sharedBy).not.toBe(scope);
    const renamed = { ...connection('Bearer a'), metricOverrides: { kube_pod_status_phase: 'ksm_pod_phase' } };
    expect(prometheusAccess(renamed).sharedBy).not.toBe(scope);
  });
});
