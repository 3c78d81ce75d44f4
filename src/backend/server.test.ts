/** @jest-environment node */
import * as grpc from '@grpc/grpc-js';

import { protocolServices } from './protocol';
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

  beforeAll(async () => {
    server = createServer({ onShutdown: () => undefined });
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
      const stream = client.makeServerStreamRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { pluginContext: null, path: 'api/v1/query', method: 'POST', url: 'api/v1/query', headers: {}, body }
      );
      stream.once('data', (answer) => resolve(answer as { code: number }));
      stream.once('error', reject);
    });
  }

  test('takes a request of 5 MiB (above grpc-js default 4 MiB, within the SDK 16 MiB)', async () => {
    // No data source settings: the backend itself answers 400, which shows the request got through.
    const answer = await callResource(Buffer.alloc(5 * 1024 * 1024, 'a'));
    expect(answer.code).toBe(400);
  });
});
