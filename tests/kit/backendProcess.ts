/**
 * The data source's backend started as Grafana's go-plugin client starts it (its magic cookie and protocol version
 * in the environment), and called over gRPC with the service definitions of src/backend/protocol.ts. Used for the
 * process from source (tsx) and for the built single executable.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import * as grpc from '@grpc/grpc-js';

/** What Grafana puts in a backend plugin's environment (grafana-plugin-sdk-go's handshake). */
export const GRAFANA_PLUGIN_ENV = { grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' };

export interface StartedBackend {
  child: ChildProcess;
  /** The first stdout line, with its newline. */
  line: string;
}

/**
 * Starts `command` with Grafana's environment plus `extraEnv`, and resolves on its first stdout line. Its stderr
 * (the plugin's log) goes to this process's, or with `stderr: 'pipe'` to `child.stderr` for a test to read.
 */
export function startBackend(
  command: string[],
  options: { cwd?: string; extraEnv?: Record<string, string>; stderr?: 'inherit' | 'pipe' } = {}
): Promise<StartedBackend> {
  const [program, ...args] = command;
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: { ...process.env, ...GRAFANA_PLUGIN_ENV, ...options.extraEnv },
    stdio: ['ignore', 'pipe', options.stderr ?? 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) {
        resolve({ child, line: stdout });
      }
    });
    child.once('exit', (code) => reject(new Error(`the backend exited with ${code} before its handshake`)));
  });
}

/** One unary call of `method` on `service`, answered as the deserialised message. */
export function unaryCall(
  client: grpc.Client,
  service: grpc.ServiceDefinition,
  method: string,
  request: object
): Promise<Record<string, unknown>> {
  const definition = service[method];
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      (error, answer) => (error ? reject(error) : resolve(answer as Record<string, unknown>))
    )
  );
}

/** After a suite: the client closed, the backend killed if it still runs, its Prometheus stopped. */
export async function stopAll(parts: {
  client?: grpc.Client;
  backend?: ChildProcess;
  prometheus?: { stop(): Promise<void> };
}): Promise<void> {
  parts.client?.close();
  if (parts.backend && parts.backend.exitCode === null) {
    parts.backend.kill('SIGKILL');
  }
  await parts.prometheus?.stop();
}

/** The backend from source (tsx) in `repoRoot`, and a gRPC client on the address its handshake gives. */
export async function startSourceBackend(repoRoot: string): Promise<{ backend: ChildProcess; client: grpc.Client }> {
  const started = await startBackend([process.execPath, '--import', 'tsx', `${repoRoot}/src/backend/main.ts`], {
    cwd: repoRoot,
  });
  return {
    backend: started.child,
    client: new grpc.Client(started.line.split('|')[3], grpc.credentials.createInsecure()),
  };
}
