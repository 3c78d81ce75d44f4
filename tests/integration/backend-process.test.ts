/**
 * The data source's backend as a process, in the jest suite (the Go test in tests/backend, which drives it with
 * Grafana's own client, is not part of CI yet): started with go-plugin's environment, it prints the handshake line
 * and serves gRPC there; a grpc-js client built from our .proto calls it against a real Prometheus holding the
 * integration kit's tiny fleet, and the controller's Shutdown ends it with exit code 0.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { tableFromIPC } from 'apache-arrow';

import { protocolServices } from '../../src/backend/protocol';
import { startBackend, stopAll, unaryCall } from '../kit/backendProcess';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { tinyFleetSeries } from '../kit/tinyFleet';

const REPO_ROOT = path.resolve(__dirname, '../..');
// The fleet's hour starts on a whole hour three hours ago, so the step grid starts on its first sample.
const FLEET_START_SECONDS = (Math.floor(Date.now() / 3_600_000) - 3) * 3600;

type Call = (request: object) => Promise<Record<string, unknown>>;

let prometheus: RunningPrometheus;
let backend: ChildProcess;
let handshake: string;
let client: grpc.Client;
let call: (service: grpc.ServiceDefinition, method: string) => Call;

const SOURCE_COMMAND = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src/backend/main.ts')];
const startFromSource = (extraEnv: Record<string, string> = {}) =>
  startBackend(SOURCE_COMMAND, { cwd: REPO_ROOT, extraEnv });

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(tinyFleetSeries({ startSeconds: FLEET_START_SECONDS })),
  });
  const started = await startFromSource();
  backend = started.child;
  handshake = started.line;
  const address = handshake.split('|')[3];
  client = new grpc.Client(address, grpc.credentials.createInsecure());
  call = (service, method) => (request) => unaryCall(client, service, method, request);
}, 120_000);

afterAll(() => stopAll({ client, backend, prometheus }));

const services = protocolServices();
const pluginContext = () => ({
  dataSourceInstanceSettings: { url: prometheus.url, jsonData: Buffer.from('{"timeout": 10}') },
});

describe('the backend process', () => {
  test('prints exactly one handshake line: core protocol 1, plugin protocol 2, TCP on loopback, gRPC', () => {
    expect(handshake).toMatch(/^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\n$/);
  });

  test('answers gRPC health for the service "plugin"', async () => {
    expect(await call(services.health, 'Check')({ service: 'plugin' })).toEqual({ status: 'SERVING' });
  });

  test('CheckHealth: OK against the configured Prometheus', async () => {
    const answer = await call(services.diagnostics, 'CheckHealth')({ pluginContext: pluginContext() });
    expect(answer).toMatchObject({ status: 'OK', message: `Prometheus at ${prometheus.url} answers queries.` });
  });

  test('QueryData: the inventory fleet frame as Arrow, 8 GPUs of capacity from the fleet description', async () => {
    const answer = await call(
      services.data,
      'QueryData'
    )({
      pluginContext: pluginContext(),
      queries: [
        {
          refId: 'A',
          intervalMs: 60_000,
          timeRange: { fromEpochMs: FLEET_START_SECONDS * 1000, toEpochMs: (FLEET_START_SECONDS + 3600) * 1000 },
          json: Buffer.from(JSON.stringify({ queryType: 'inventory', inventoryView: 'fleet' })),
        },
      ],
    });
    const response = (answer.responses as Record<string, { frames: Buffer[]; error: string }>).A;
    expect(response.error).toBe('');
    expect(response.frames).toHaveLength(1);
    const table = tableFromIPC(response.frames[0]);
    expect(table.schema.metadata.get('name')).toBe('Fleet');
    expect(table.schema.fields.map((field) => field.name)).toEqual(['Time', 'Capacity', 'Allocated', 'Busy', 'Free']);
    const capacity = [...(table.getChild('Capacity')?.toArray() ?? [])];
    expect(capacity.length).toBeGreaterThan(1);
    expect(new Set(capacity)).toEqual(new Set([8]));
  });

  test('Shutdown from the controller ends the process with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => backend.once('exit', resolve));
    await call(services.controller, 'Shutdown')({});
    expect(await exited).toBe(0);
  });
});

describe('the backend under a go-plugin runner (Grafana container mode)', () => {
  // go-plugin's client sets PLUGIN_UNIX_SOCKET_DIR when a runner starts the plugin, and the container runner
  // (hashicorp/go-secure-stdlib plugincontainer, PluginToHost) accepts only an address directly inside that folder.
  test('listens on a Unix socket inside PLUGIN_UNIX_SOCKET_DIR, says so on its line, and answers health there', async () => {
    const socketDir = mkdtempSync(path.join(tmpdir(), 'headroom-sockets-'));
    const started = await startFromSource({ PLUGIN_UNIX_SOCKET_DIR: socketDir });
    const unixClient = new grpc.Client(`unix:${started.line.split('|')[3]}`, grpc.credentials.createInsecure());
    try {
      const [core, protocol, network, address, rpc] = started.line.trim().split('|');
      expect([core, protocol, network, rpc]).toEqual(['1', '2', 'unix', 'grpc']);
      expect(path.dirname(address)).toBe(socketDir);
      expect(await unaryCall(unixClient, services.health, 'Check', { service: 'plugin' })).toEqual({
        status: 'SERVING',
      });
    } finally {
      unixClient.close();
      started.child.kill('SIGKILL');
      rmSync(socketDir, { recursive: true, force: true });
    }
  }, 60_000);
});
