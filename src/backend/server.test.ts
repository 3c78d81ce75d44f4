/** @jest-environment node */
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
