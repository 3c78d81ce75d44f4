/**
 * The backend as the executable Grafana would start: scripts/buildBackend.ts builds the host's single executable
 * (from this Node, no download) into a temporary folder, and it is started with Grafana's environment from a folder
 * that holds nothing else, so it needs no file beside it (the gRPC definitions and the code are inside).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { buildBackendExecutables, executableName, hostTarget, type BuiltExecutable } from '../../scripts/buildBackend';
import { protocolServices } from '../../src/backend/protocol';
import { startBackend, unaryCall, type StartedBackend } from '../kit/backendProcess';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus } from '../kit/prometheus';

let outDir: string;
let runDir: string;
let built: BuiltExecutable;
let started: StartedBackend;
let handshakeMs: number;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'headroom-executable-'));
  runDir = mkdtempSync(path.join(tmpdir(), 'headroom-executable-run-'));
  // postject's ELF reader warns about Node's `.note` sections it cannot name, harmlessly (the executable runs below).
  const quiet = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    [built] = await buildBackendExecutables([hostTarget()], outDir);
  } finally {
    quiet.mockRestore();
  }
  const startMs = performance.now();
  started = await startBackend([built.path], { cwd: runDir });
  handshakeMs = performance.now() - startMs;
  // Measured, not asserted (a busy machine's timing): docs/architecture.md quotes it.
  process.stdout.write(
    `${path.basename(built.path)}: ${built.bytes} bytes, handshake after ${handshakeMs.toFixed(0)} ms\n`
  );
}, 60_000);

afterAll(() => {
  if (started && started.child.exitCode === null) {
    started.child.kill('SIGKILL');
  }
  rmSync(outDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

describe('the backend single executable', () => {
  test("is named as Grafana looks for it: plugin.json's executable, then _<os>_<arch>", () => {
    expect(path.basename(built.path)).toBe(executableName(hostTarget()));
    expect(executableName({ os: 'linux', arch: 'amd64' })).toBe('gpx_headroom_linux_amd64');
    expect(executableName({ os: 'windows', arch: 'amd64' })).toBe('gpx_headroom_windows_amd64.exe');
  });

  test('prints the handshake line and answers gRPC health SERVING there', async () => {
    expect(started.line).toMatch(/^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\n$/);
    const client = new grpc.Client(started.line.split('|')[3], grpc.credentials.createInsecure());
    try {
      const answer = await unaryCall(client, protocolServices().health, 'Check', { service: 'plugin' });
      expect(answer).toEqual({ status: 'SERVING' });
    } finally {
      client.close();
    }
  });

  test('run by hand, without the magic cookie, says it is a plugin and exits 1', () => {
    const env = { ...process.env };
    delete env.grafana_plugin_type;
    let status: number | null = 0;
    let stderr = '';
    try {
      execFileSync(built.path, [], { cwd: runDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      status = (error as { status: number | null }).status;
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain('This binary is a plugin.');
  });

  test("forecasts with augurs' MSTL from the WebAssembly inside it (node:sea assets), as the browser's worker does", async () => {
    const HOUR = 3600;
    const endSeconds = Math.floor(Date.now() / 1000 / HOUR) * HOUR - HOUR;
    // Ten days of an hourly daily cycle: 30 GPUs on average, 40 at the peak.
    const samples = Array.from({ length: 240 }, (_, i): [number, number] => {
      const t = endSeconds - (239 - i) * HOUR;
      return [t, 30 + 10 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400)];
    });
    const prometheus = await startPrometheus({
      openMetricsText: toOpenMetrics([{ name: 'test_gpu_demand', samples }]),
    });
    const client = new grpc.Client(started.line.split('|')[3], grpc.credentials.createInsecure());
    try {
      const model = {
        queryType: 'forecast',
        target: 'expr',
        expr: 'test_gpu_demand',
        horizonHours: '24',
        model: 'mstl',
      };
      const answer = await unaryCall(client, protocolServices().data, 'QueryData', {
        pluginContext: { dataSourceInstanceSettings: { url: prometheus.url, jsonData: Buffer.from('{}') } },
        queries: [
          {
            refId: 'M',
            intervalMs: 60_000,
            timeRange: { fromEpochMs: (endSeconds - HOUR) * 1000, toEpochMs: endSeconds * 1000 },
            json: Buffer.from(JSON.stringify(model)),
          },
        ],
      });
      const response = (answer.responses as Record<string, { error: string; frames: Buffer[] }>).M;
      expect(response.error).toBe('');
      expect(response.frames.length).toBeGreaterThan(1);
    } finally {
      client.close();
      await prometheus.stop();
    }
  }, 120_000);
});
