/** @jest-environment node */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import * as grpc from '@grpc/grpc-js';

import type { ReaderContext } from './appSettingsReader';
import { protocolServices } from './protocol';
import type { Recalibrator } from './recalibration/recalibrator';
import { createServer, listen } from './server';

/**
 * Message size: Grafana dials with go-plugin's options, sending up to 2^31 − 1 bytes (hashicorp/go-plugin
 * grpc_client.go `dialGRPCConn`), and plugins built on grafana-plugin-sdk-go accept 16 MiB
 * (backend/serve.go `defaultServerMaxReceiveMessageSize`); grpc-js alone would refuse anything above 4 MiB.
 */
describe('the gRPC server', () => {
  const services = protocolServices();
  let server: grpc.Server;
  let client: grpc.Client;
  const idleCalls: string[] = [];

  beforeAll(async () => {
    server = createServer({
      onShutdown: () => undefined,
      idle: { begin: () => idleCalls.push('begin'), end: () => idleCalls.push('end') },
    });
    const port = await listen(server, 0, 0);
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  function callResource(body: Buffer): Promise<{ code: number }> {
    const method = services.resource.CallResource;
    return new Promise((resolve, reject) => {
      const stream = client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, {
        pluginContext: null,
        path: 'api/v1/query',
        method: 'POST',
        url: 'api/v1/query',
        headers: {},
        body,
      });
      stream.once('data', (answer) => resolve(answer as { code: number }));
      stream.once('error', reject);
    });
  }

  function unaryCall(method: grpc.MethodDefinition<unknown, unknown>, request: unknown): Promise<unknown> {
    return new Promise((resolve, reject) =>
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        (error, answer) => (error ? reject(error) : resolve(answer))
      )
    );
  }

  test('the idle collection waits for QueryData and CallResource, not for health checks', async () => {
    idleCalls.length = 0;
    await unaryCall(services.health.Check, { service: 'plugin' });
    expect(idleCalls).toEqual([]);
    await unaryCall(services.data.QueryData, {
      pluginContext: null,
      queries: [{ refId: 'A', json: Buffer.from('{}') }],
    });
    expect(idleCalls).toEqual(['begin', 'end']);
    await callResource(Buffer.from('query=up'));
    // The stream's answer is written before the handler's last step: a turn of the event loop later it has ended.
    await new Promise((resolve) => setImmediate(resolve));
    expect(idleCalls).toEqual(['begin', 'end', 'begin', 'end']);
  });

  test('takes a request of 5 MiB (above grpc-js default 4 MiB, within the SDK 16 MiB)', async () => {
    // No data source settings: the backend itself answers 400, which shows the request got through.
    const answer = await callResource(Buffer.alloc(5 * 1024 * 1024, 'a'));
    expect(answer.code).toBe(400);
  });
});

describe("the app's calls and the data source's calls in one executable", () => {
  const services = protocolServices();
  const observed: unknown[] = [];
  const asked: Array<ReaderContext | null | undefined> = [];
  const recalibrator = {
    observe: (context: unknown) => observed.push(context),
    health: () => ({ status: 'OK', message: 'recalibration', jsonDetails: Buffer.alloc(0) }),
    exposition: () => '',
  } as unknown as Recalibrator;
  let server: grpc.Server;
  let client: grpc.Client;

  beforeAll(async () => {
    server = createServer({
      onShutdown: () => undefined,
      recalibrator,
      readAppSettings: async (context) => {
        asked.push(context);
        return { unread: { code: 'app-settings-unread', reason: 'refused', status: 403 } };
      },
    });
    client = new grpc.Client(`127.0.0.1:${await listen(server, 0, 0)}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  const call = (method: grpc.MethodDefinition<unknown, unknown>, request: unknown) =>
    new Promise((resolve, reject) =>
      client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, (e, a) =>
        e ? reject(e) : resolve(a)
      )
    );

  test("a data source call's managed token reads the app's settings and never reaches the recalibration", async () => {
    const grafanaConfig = { GF_APP_URL: 'http://grafana:3000/', GF_PLUGIN_APP_CLIENT_SECRET: 'glsa_ds' };
    await call(services.data.QueryData, {
      pluginContext: {
        orgId: 1,
        grafanaConfig,
        dataSourceInstanceSettings: { url: 'http://127.0.0.1:1', jsonData: Buffer.from('{}') },
      },
      queries: [
        { refId: 'A', json: Buffer.from('{"queryType":"efficiency","efficiencyView":"burn"}'), timeRange: {} },
        // Its own settings win: Grafana is not asked for this one.
        {
          refId: 'B',
          json: Buffer.from('{"queryType":"efficiency","efficiencyView":"burn","appSettings":{}}'),
          timeRange: {},
        },
      ],
    });
    expect(asked).toEqual([expect.objectContaining({ grafanaConfig })]);
    expect(observed).toEqual([]);
    await call(services.diagnostics.CheckHealth, {
      pluginContext: { orgId: 1, grafanaConfig, appInstanceSettings: { jsonData: Buffer.from('{}') } },
    });
    expect(observed).toHaveLength(1);
  });
});

describe('a QueryData call Grafana cancels', () => {
  const services = protocolServices();
  const idleEnds: Array<() => void> = [];
  let answering = false;
  const held: Array<{ path: string; closed: Promise<number> }> = [];
  let prometheus: http.Server;
  let server: grpc.Server;
  let client: grpc.Client;
  let prometheusUrl: string;

  beforeAll(async () => {
    // Accepts every request and, until told to answer, never does: a query the store takes forever over.
    prometheus = http.createServer((request, response) => {
      if (answering) {
        const empty = (request.url ?? '').startsWith('/api/v1/query') ? { resultType: 'vector', result: [] } : [];
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ status: 'success', data: empty }));
        return;
      }
      const arrivedMs = Date.now();
      held.push({
        path: request.url ?? '',
        closed: new Promise((resolve) => response.once('close', () => resolve(Date.now() - arrivedMs))),
      });
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
    prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
    server = createServer({
      onShutdown: () => undefined,
      idle: { begin: () => undefined, end: () => idleEnds.shift()?.() },
    });
    client = new grpc.Client(`127.0.0.1:${await listen(server, 0, 0)}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    server.forceShutdown();
    prometheus.closeAllConnections();
    await new Promise((resolve) => prometheus.close(resolve));
  });

  const method = services.data.QueryData;
  const nowMs = Date.parse('2026-12-01T00:00:00Z');
  const EFFICIENCY = '{"queryType":"efficiency","efficiencyView":"waste","appSettings":{}}';
  const request = (json = EFFICIENCY) => ({
    pluginContext: { orgId: 1, dataSourceInstanceSettings: { url: prometheusUrl, jsonData: Buffer.from('{}') } },
    queries: [
      {
        refId: 'A',
        json: Buffer.from(json),
        timeRange: { fromEpochMs: nowMs - 7 * 86_400_000, toEpochMs: nowMs },
        intervalMs: 60_000,
      },
    ],
  });
  const metricsText = () =>
    new Promise<string>((resolve, reject) =>
      client.makeUnaryRequest(
        services.diagnostics.CollectMetrics.path,
        services.diagnostics.CollectMetrics.requestSerialize,
        services.diagnostics.CollectMetrics.responseDeserialize,
        {},
        (error, answer) =>
          error
            ? reject(error)
            : resolve(Buffer.from((answer as { metrics: { prometheus: Uint8Array } }).metrics.prometheus).toString())
      )
    );

  /** Cancels the call once Prometheus has its first request; the requests' closing, or a note that they stayed open. */
  async function cancelOnceAsked(json: string): Promise<unknown> {
    held.length = 0;
    const handlerEnded = new Promise<void>((resolve) => idleEnds.push(resolve));
    const outcome = new Promise<grpc.ServiceError | null>((resolve) => {
      const call = client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request(json),
        (error) => resolve(error)
      );
      const waitForPrometheus = setInterval(() => {
        if (held.length > 0) {
          clearInterval(waitForPrometheus);
          call.cancel();
        }
      }, 10);
    });
    expect((await outcome)?.code).toBe(grpc.status.CANCELLED);
    // Without the abort the requests stay open until Prometheus answers, at 10,000 GPUs 5–10 s of its work.
    let giveUp: NodeJS.Timeout | undefined;
    // The requests Prometheus had by now: one sent while the cancel travels is refused before it leaves, or closes too.
    const asked = held.slice();
    const closedAfterMs = await Promise.race([
      Promise.all(asked.map(({ closed }) => closed)),
      new Promise<string>((resolve) => (giveUp = setTimeout(() => resolve('still open after 2 s'), 2_000))),
    ]);
    clearTimeout(giveUp);
    // A handler still waiting for Prometheus would not end before the test's timeout.
    if (typeof closedAfterMs !== 'string') {
      await handlerEnded;
    }
    return closedAfterMs;
  }

  test('aborts its Prometheus requests, counts as no call, and the next call is answered', async () => {
    expect(await cancelOnceAsked(EFFICIENCY)).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(await metricsText()).not.toMatch(/method="QueryData"/);

    answering = true;
    const answer = await new Promise<unknown>((resolve, reject) =>
      client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request(), (e, a) =>
        e ? reject(e) : resolve(a)
      )
    );
    // Read anew, and answered from what Prometheus holds (nothing) rather than from the cancelled call's aborts.
    expect(answer).toMatchObject({
      responses: {
        A: { status: 500, errorSource: 'downstream', error: expect.stringMatching(/^Per-pod GPU activity/) },
      },
    });
    expect(await metricsText()).toMatch(/method="QueryData",outcome="error"} 1/);
  });

  test('a call whose deadline passes aborts its reads too, and counts as a failed call', async () => {
    answering = false;
    held.length = 0;
    const failedCalls = (text: string) => Number(/method="QueryData",outcome="error"} (\d+)/.exec(text)?.[1] ?? 0);
    const failedBefore = failedCalls(await metricsText());
    const handlerEnded = new Promise<void>((resolve) => idleEnds.push(resolve));
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request(),
        new grpc.Metadata(),
        { deadline: Date.now() + 500 },
        (failure) => resolve(failure)
      )
    );
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    // The handler ends only once its Prometheus requests have: without the abort it waits for Prometheus for ever.
    await handlerEnded;
    expect(held.length).toBeGreaterThan(0);
    expect(failedCalls(await metricsText())).toBe(failedBefore + 1);
  });

  test('a CallResource call Grafana cancels aborts its Prometheus request and counts as no call', async () => {
    answering = false;
    held.length = 0;
    const resource = services.resource.CallResource;
    const handlerEnded = new Promise<void>((resolve) => idleEnds.push(resolve));
    const stream = client.makeServerStreamRequest(
      resource.path,
      resource.requestSerialize,
      resource.responseDeserialize,
      {
        pluginContext: { orgId: 1, dataSourceInstanceSettings: { url: prometheusUrl, jsonData: Buffer.from('{}') } },
        path: 'api/v1/query',
        method: 'GET',
        url: 'api/v1/query?query=up',
        headers: {},
        body: Buffer.alloc(0),
      }
    );
    const ended = new Promise<grpc.ServiceError | undefined>((resolve) => {
      stream.once('error', resolve);
      stream.once('end', () => resolve(undefined));
    });
    while (held.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    stream.cancel();
    expect((await ended)?.code).toBe(grpc.status.CANCELLED);
    // Without the abort the request stays open until the connection's timeout (30 s by default).
    let giveUp: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      held[0].closed,
      new Promise<string>((resolve) => (giveUp = setTimeout(() => resolve('still open after 2 s'), 2_000))),
    ]);
    clearTimeout(giveUp);
    expect(closed).toEqual(expect.any(Number));
    await handlerEnded;
    expect(await metricsText()).not.toMatch(/method="CallResource"/);
  });

  test("a fragmentation query's lookup of the newest state is aborted too", async () => {
    answering = false;
    const overTime = '{"queryType":"fragmentation","fragmentationView":"overTime"}';
    expect(await cancelOnceAsked(overTime)).toEqual(expect.arrayContaining([expect.any(Number)]));
  });
});
