/** @jest-environment node */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { callResource, type ResourceRequest } from './callResource';
import { checkHealth } from './checkHealth';
import type { PrometheusConnection } from './settings';

/**
 * A real HTTP server stands for Prometheus (and for a proxy in front of it that echoes the request's headers, as
 * some do in their error pages): what matters here is what goes over the wire.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const TOKEN = 'secret-token-123';
let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString();
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    if (request.url?.startsWith('/api/v1/query')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '1'] } }));
      return;
    }
    // An error page that echoes the headers it got.
    response.writeHead(401, { 'Content-Type': 'text/plain' });
    response.end(`unauthorized, you sent Authorization: ${request.headers.authorization ?? ''}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

function connection(url = baseUrl): PrometheusConnection {
  return {
    url,
    headers: { Authorization: `Bearer ${TOKEN}` },
    secrets: [TOKEN],
    secretHeaderNames: [],
    timeoutMs: 5_000,
    metricOverrides: {},
    tls: {},
  };
}

function request(path: string, overrides: Partial<ResourceRequest> = {}): ResourceRequest {
  return {
    path,
    method: 'GET',
    url: `/api/datasources/uid/h/resources/${path}?query=up`,
    headers: { Cookie: { values: ['grafana_session=abc'] }, Accept: { values: ['application/json'] } },
    body: new Uint8Array(),
    ...overrides,
  };
}

describe('callResource', () => {
  test("Grafana's form: path without a leading slash, url relative with the raw query string", async () => {
    // grafana/grafana pkg/api/plugin_resource.go (pluginResourceRequest, makePluginResourceRequest): the URL is
    // url.Parse(<the part after resources/> + "?" + RawQuery); Path = its Path, URL = its String().
    const answer = await callResource(
      connection(),
      request('api/v1/query', { url: 'api/v1/query?query=sum%28up%29&time=1' })
    );
    expect(answer.code).toBe(200);
    expect(seen.map((call) => call.url)).toEqual(['/api/v1/query?query=sum%28up%29&time=1']);
  });

  test('a decoded path is escaped again: `#`, `?`, `%` and spaces stay inside their segment', async () => {
    // Grafana matches the route on the escaped path, then url.Parse decodes it into `path` (pkg/web/router.go,
    // pkg/api/plugin_resource.go): a label value written a%23b%3Fc%25d%20e arrives as "a#b?c%d e".
    await callResource(connection(), request('api/v1/label/job/values', { path: 'api/v1/label/a#b?c%d e/values' }));
    expect(seen.map((call) => call.url)).toEqual(['/api/v1/label/a%23b%3Fc%25d%20e/values?query=up']);
  });

  test("passes api/v1 calls on with the query string and the data source's auth, not the caller's cookie", async () => {
    const answer = await callResource(connection(), request('api/v1/query'));
    expect(answer.code).toBe(200);
    expect(JSON.parse(Buffer.from(answer.body).toString()).status).toBe('success');
    expect(answer.headers['Content-Type'].values[0]).toMatch(/application\/json/);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/v1/query?query=up');
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0].headers.cookie).toBeUndefined();
    expect(seen[0].headers.accept).toBe('application/json');
  });

  test('a POST goes on with its form body and content type, as Prometheus takes a long query', async () => {
    const form = 'query=sum(up)&time=1700000000';
    const answer = await callResource(
      connection(),
      request('api/v1/query', {
        method: 'POST',
        url: '/api/datasources/uid/h/resources/api/v1/query',
        headers: { 'Content-Type': { values: ['application/x-www-form-urlencoded'] } },
        body: Buffer.from(form),
      })
    );
    expect(answer.code).toBe(200);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/query',
      body: form,
      headers: expect.objectContaining({
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(form.length),
      }),
    });
  });

  test('an answer echoing the token reaches the caller redacted, with its status', async () => {
    const answer = await callResource(connection(), request('api/v1/status/config'));
    expect(answer.code).toBe(401);
    const text = Buffer.from(answer.body).toString();
    expect(text).toContain('unauthorized');
    expect(text).not.toContain(TOKEN);
  });

  test('refuses paths outside api/v1, also by .. or its encoding, and methods other than GET and POST', async () => {
    for (const path of ['admin/tsdb', 'api/v1/../../admin', 'api/v1/%2e%2e/%2e%2e/admin', 'api/v2/x']) {
      expect((await callResource(connection(), request(path))).code).toBe(404);
    }
    expect((await callResource(connection(), request('api/v1/query', { method: 'DELETE' }))).code).toBe(405);
    expect(seen).toHaveLength(0);
  });

  test('Prometheus down: 502 naming the address', async () => {
    const answer = await callResource(connection('http://127.0.0.1:1'), request('api/v1/query'));
    expect(answer.code).toBe(502);
    expect(Buffer.from(answer.body).toString()).toContain('Cannot reach Prometheus at http://127.0.0.1:1');
  });
});

describe('checkHealth', () => {
  const instance = (url: string, token = TOKEN) => ({
    url,
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from('{"timeout": 5}'),
    decryptedSecureJsonData: { bearerToken: token },
  });

  test('OK when Prometheus answers the query 1, asked with the bearer token', async () => {
    const result = await checkHealth(instance(baseUrl), 1_700_000_000);
    expect(result).toEqual({ status: 'OK', message: `Prometheus at ${baseUrl} answers queries.` });
    expect(seen[0].url).toBe('/api/v1/query?query=1&time=1700000000');
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test('ERROR naming the address when nothing listens', async () => {
    const result = await checkHealth(instance('http://127.0.0.1:1'), 1_700_000_000);
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('Cannot reach Prometheus at http://127.0.0.1:1');
  });

  test('ERROR without the token when a proxy answers 401 and echoes it', async () => {
    const result = await checkHealth(instance(`${baseUrl}/behind-proxy`), 1_700_000_000);
    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/401/);
    expect(result.message).not.toContain(TOKEN);
  });

  test('ERROR saying what to set when there is no URL', async () => {
    const result = await checkHealth(instance(''), 1_700_000_000);
    expect(result).toEqual({ status: 'ERROR', message: expect.stringContaining('No Prometheus URL') });
  });
});
