/**
 * The browser harness's stand-in for Grafana 12.4's data source resource API (tests/browser/harness/resourceProxy.ts)
 * against a real Prometheus, a closed port, an upstream that never answers and one that records what reached it.
 * Expected answers are Grafana's, read from its code (docs/grafana-compatibility.md, "Resource proxy").
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { callDataSourceResource, type PrometheusDataSource } from '../browser/harness/resourceProxy';
import { readBody } from '../browser/harness/httpBody';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const T0 = 1_700_000_040;
const SHORT_TIMEOUT_MS = 300;
const REQUEST_FAILURE = {
  statusCode: 500,
  messageId: 'plugin.requestFailureError',
  message: 'An error occurred within the plugin',
};

interface Recorded {
  method: string;
  url: string;
  contentType?: string;
  body: string;
}

let prometheus: RunningPrometheus;
let recorder: Server;
let proxy: Server;
let proxyUrl: string;
const recorded: Recorded[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  );
}

/** A port nothing listens on: bound once, then released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/** Records each request; `/hang` never answers, `/bare` answers without Content-Type, `/post-only` with 405 to GET. */
async function answerRecorded(req: IncomingMessage, res: ServerResponse) {
  recorded.push({
    method: req.method!,
    url: req.url!,
    contentType: req.headers['content-type'],
    body: (await readBody(req)).toString(),
  });
  if (req.url!.startsWith('/hang')) {
    return;
  }
  if (req.url!.startsWith('/bare')) {
    res.writeHead(200);
    res.end('{"status":"success","data":[]}');
    return;
  }
  if (req.url!.startsWith('/no-content')) {
    res.writeHead(204);
    res.end();
    return;
  }
  res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('method not allowed');
}

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      {
        name: 'test_gauge',
        labels: { job: 'a' },
        samples: [
          [T0, 1],
          [T0 + 60, 2],
        ],
      },
    ]),
  });
  recorder = createServer((req, res) => void answerRecorded(req, res));
  const recorderUrl = await listen(recorder);
  const dataSources: PrometheusDataSource[] = [
    { uid: 'prom', url: prometheus.url },
    { uid: 'dead', url: await closedPortUrl() },
    { uid: 'hung', url: `${recorderUrl}/hang`, timeoutMs: SHORT_TIMEOUT_MS },
    { uid: 'rec', url: recorderUrl },
    { uid: 'custom', url: recorderUrl, customQueryParameters: 'dedup=false&a=x y' },
    { uid: 'bad-custom', url: recorderUrl, customQueryParameters: 'a;b=c' },
  ];
  proxy = createServer((req, res) => {
    void callDataSourceResource(req, res, new URL(req.url!, 'http://harness'), dataSources);
  });
  proxyUrl = await listen(proxy);
});

afterAll(async () => {
  proxy?.closeAllConnections();
  recorder?.closeAllConnections();
  await Promise.all([proxy, recorder].map((server) => server && new Promise((resolve) => server.close(resolve))));
  await prometheus?.stop();
});

beforeEach(() => {
  recorded.length = 0;
});

const resources = (uid: string, tail: string) => `${proxyUrl}/api/datasources/uid/${uid}/resources/${tail}`;

describe("answers of the data source's Prometheus", () => {
  it("passes a query's answer on verbatim, with Prometheus' Content-Type and Grafana's sandbox CSP", async () => {
    const tail = `api/v1/query?query=test_gauge&time=${T0 + 30}`;
    const direct = await fetch(`${prometheus.url}/${tail}`);
    const proxied = await fetch(resources('prom', tail));

    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(proxied.headers.get('content-security-policy')).toBe('sandbox');
    const body = await proxied.json();
    expect(body).toEqual(await direct.json());
    expect(body.data.result).toEqual([{ metric: { __name__: 'test_gauge', job: 'a' }, value: [T0 + 30, '1'] }]);
  });

  it("passes Prometheus' 400 for invalid PromQL on verbatim", async () => {
    const proxied = await fetch(resources('prom', 'api/v1/query?query=sum(rate(&time=1'));

    expect(proxied.status).toBe(400);
    expect(proxied.headers.get('content-security-policy')).toBe('sandbox');
    expect(await proxied.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });

  it("passes Prometheus' text/plain 404 for an unknown path on verbatim", async () => {
    const proxied = await fetch(resources('prom', 'api/v1/nothing-here'));

    expect(proxied.status).toBe(404);
    expect(proxied.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(proxied.headers.get('content-security-policy')).toBe('sandbox');
    expect(await proxied.text()).toBe('404 page not found\n');
  });

  it('adds a JSON Content-Type only when the answer has none, and none to a 204', async () => {
    const bare = await fetch(resources('rec', 'bare'));
    expect(bare.headers.get('content-type')).toBe('application/json');
    expect(await bare.text()).toBe('{"status":"success","data":[]}');

    const empty = await fetch(resources('rec', 'no-content'));
    expect(empty.status).toBe(204);
    expect(empty.headers.get('content-type')).toBeNull();
  });
});

describe('what goes upstream', () => {
  it('sends a GET as a GET with the query string exactly as received, once, even when answered 405', async () => {
    const query = 'match%5B%5D=up&match%5B%5D=%7Bjob%3D%22a%22%7D&start=1&end=2';
    const proxied = await fetch(resources('rec', `api/v1/series?${query}`));

    expect(proxied.status).toBe(405);
    expect(proxied.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(proxied.headers.get('content-security-policy')).toBe('sandbox');
    expect(recorded).toEqual([{ method: 'GET', url: `/api/v1/series?${query}`, body: '' }]);
  });

  it('sends a POST as a POST with its body, as a form whatever the browser called it, once', async () => {
    const proxied = await fetch(resources('rec', 'api/v1/query'), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'query=up',
    });

    expect(proxied.status).toBe(405);
    expect(recorded).toEqual([
      { method: 'POST', url: '/api/v1/query', contentType: 'application/x-www-form-urlencoded', body: 'query=up' },
    ]);
  });

  it("adds the data source's custom query parameters and re-encodes the query sorted by key, as Go does", async () => {
    await fetch(resources('custom', 'api/v1/query?query=up%7Bjob%3D%22a%22%7D&time=100'));

    // url.Values.Encode: keys a, dedup, query, time in order; QueryEscape writes a space as '+'.
    expect(recorded.map((request) => request.url)).toEqual([
      '/api/v1/query?a=x+y&dedup=false&query=up%7Bjob%3D%22a%22%7D&time=100',
    ]);
  });

  it('leaves the query alone when the custom query parameters do not parse (Grafana logs and skips them)', async () => {
    await fetch(resources('bad-custom', 'api/v1/query?query=up&time=100'));

    expect(recorded.map((request) => request.url)).toEqual(['/api/v1/query?query=up&time=100']);
  });
});

describe("Grafana's own answers", () => {
  it('answers 500 requestFailureError when Prometheus cannot be reached', async () => {
    const proxied = await fetch(resources('dead', 'api/v1/query?query=up'));

    expect(proxied.status).toBe(500);
    expect(proxied.headers.get('content-type')).toBe('application/json');
    expect(await proxied.json()).toEqual(REQUEST_FAILURE);
  });

  it("answers the same 500 when Prometheus does not answer within the data source's timeout", async () => {
    const started = Date.now();
    const proxied = await fetch(resources('hung', 'api/v1/query?query=up'));
    const waitedMs = Date.now() - started;

    expect(proxied.status).toBe(500);
    expect(await proxied.json()).toEqual(REQUEST_FAILURE);
    expect(waitedMs).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 10);
    expect(waitedMs).toBeLessThan(SHORT_TIMEOUT_MS + 5_000);
  });

  it('answers 500 "Unable to load datasource meta data" for a uid no data source has', async () => {
    const proxied = await fetch(resources('no-such-uid', 'api/v1/query?query=up'));

    expect(proxied.status).toBe(500);
    expect(proxied.headers.get('content-type')).toBe('application/json');
    expect(await proxied.json()).toEqual({ message: 'Unable to load datasource meta data', traceID: '' });
  });

  it('answers 400 "UID is invalid" for a uid with characters a UID cannot have', async () => {
    for (const uid of ['prom.uid', 'prom%20uid']) {
      const proxied = await fetch(resources(uid, 'api/v1/query?query=up'));
      expect(proxied.status).toBe(400);
      expect(await proxied.json()).toEqual({ message: 'UID is invalid' });
    }
  });
});
