/**
 * The gRPC server Grafana talks to: health for go-plugin, the plugin protocol's Diagnostics, Data and Resource
 * services, and go-plugin's controller so that Grafana can stop the process cleanly.
 */
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { errorMessage } from '../prometheus/redact';
import { callResource, type ResourceRequest } from './callResource';
import { checkHealth } from './checkHealth';
import { idleCollection, type IdleCollection } from './idleCollection';
import { BackendMetrics } from './metrics';
import { protocolServices } from './protocol';
import type { ReadAppSettings } from './appSettingsReader';
import { queryData, type DataQueryMessage } from './queryData';
import type { PluginContextSettings, Recalibrator } from './recalibration/recalibrator';
import { prometheusConnection, type InstanceSettingsMessage } from './settings';

/**
 * What a plugin built on grafana-plugin-sdk-go accepts (backend/serve.go `defaultServerMaxReceiveMessageSize`);
 * Grafana itself sends up to 2^31 − 1 bytes. grpc-js would stop at 4 MiB.
 */
const MAX_RECEIVE_BYTES = 16 * 1024 * 1024;

/** go-plugin's client asks about this service name; the empty name is gRPC's "the whole server". */
const SERVED_HEALTH_NAMES = ['plugin', ''];

interface PluginContextMessage extends PluginContextSettings {
  dataSourceInstanceSettings: InstanceSettingsMessage | null;
}

type Unary<Request, Response> = grpc.handleUnaryCall<Request, Response>;

/** The reason a call's signal aborts with when the call's own deadline passed (an alert evaluation's timeout). */
export class CallDeadlineExceeded extends Error {}

/**
 * A signal that aborts when the call ends before Headroom answers it: grpc-js emits `cancelled` when the client cancels
 * and when the call's deadline passes; a passed deadline aborts with CallDeadlineExceeded, a failure to count.
 */
function signalOfCall(call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>) {
  const cancelled = new AbortController();
  // A query sends many requests at once on the one signal (the inventory 13), each listening until it settles.
  setMaxListeners(0, cancelled.signal);
  call.on('cancelled', () => {
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
    cancelled.abort(Date.now() >= deadlineMs ? new CallDeadlineExceeded("the call's deadline passed") : undefined);
  });
  return cancelled.signal;
}

/**
 * Runs an async handler and maps a thrown error (a bug: handlers answer failures in their response) to INTERNAL. The
 * signal (signalOfCall) lets a handler stop the Prometheus reads nobody will see.
 */
function unary<Request, Response>(
  handler: (request: Request, signal: AbortSignal) => Promise<Response>
): Unary<Request, Response> {
  return (call, callback) => {
    handler(call.request, signalOfCall(call)).then(
      (response) => callback(null, response),
      (error: unknown) => callback({ code: grpc.status.INTERNAL, details: errorMessage(error) })
    );
  };
}

export interface ServerHooks {
  /** Called when go-plugin's client asks the plugin to stop. */
  onShutdown(): void;
  /** Seconds since 1970, for health checks; a parameter so that tests can fix it. */
  nowSeconds?(): number;
  /**
   * Learns the app's settings from every call to the app (the app's backend), and adds its metrics to CollectMetrics.
   * Calls to the data source are not shown to it: their managed token is the data source's, not the app's.
   */
  recalibrator?: Recalibrator;
  /** The app's settings from Grafana, for the queries that bring none (appSettingsReader.ts); none without it. */
  readAppSettings?: ReadAppSettings;
  /**
   * Frees memory once the calls that read Prometheus (QueryData, CallResource) stop (idleCollection.ts); health
   * checks and metrics allocate little and come on Grafana's timers, so they do not count. A parameter for tests.
   */
  idle?: IdleCollection;
}

interface QueryDataRequestMessage {
  pluginContext: PluginContextMessage | null;
  queries: DataQueryMessage[];
}

export function createServer(hooks: ServerHooks): grpc.Server {
  const services = protocolServices();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES });
  const nowSeconds = hooks.nowSeconds ?? (() => Date.now() / 1000);
  const metrics = new BackendMetrics(Math.floor(Date.now() / 1000 - process.uptime()));
  const idle = hooks.idle ?? idleCollection();
  const observeAppCall = (context: PluginContextMessage | null) => {
    if (!context?.dataSourceInstanceSettings) {
      hooks.recalibrator?.observe(context);
    }
  };

  const answerQueryData = async (request: QueryDataRequestMessage, signal: AbortSignal) => {
    observeAppCall(request.pluginContext);
    let connection;
    try {
      connection = prometheusConnection(request.pluginContext?.dataSourceInstanceSettings);
    } catch (error) {
      metrics.countCall('QueryData', false);
      const failed = { frames: [], error: errorMessage(error), status: 400, errorSource: 'plugin' };
      return { responses: Object.fromEntries(request.queries.map((query) => [query.refId, failed])) };
    }
    const answered: Array<{ queryType: string; status: number }> = [];
    const { secrets, secretHeaderNames } = connection;
    const { readAppSettings } = hooks;
    const responses = await queryData(
      connection,
      request.queries,
      (queryType, status) => answered.push({ queryType, status }),
      readAppSettings && (() => readAppSettings(request.pluginContext)),
      signal
    ).catch((error: unknown) => {
      // A bug outside every query's own answer: Grafana logs the gRPC error's text, so without the secrets.
      throw new Error(errorMessage(error, secrets, secretHeaderNames));
    });
    // A cancelled call's answers (its reads aborted) reach nobody: neither an error nor a success to count. One whose
    // deadline passed failed (an alert rule's evaluation timed out), which an operator has to see.
    if (signal.aborted) {
      if (signal.reason instanceof CallDeadlineExceeded) {
        metrics.countCall('QueryData', false);
      }
      return { responses };
    }
    for (const { queryType, status } of answered) {
      metrics.countQuery(queryType, status);
    }
    metrics.countCall(
      'QueryData',
      answered.every(({ status }) => status < 400)
    );
    return { responses };
  };

  server.addService(services.health, {
    Check: unary(async (request: { service: string }) => ({
      status: SERVED_HEALTH_NAMES.includes(request.service) ? 'SERVING' : 'SERVICE_UNKNOWN',
    })),
  });
  server.addService(services.controller, {
    Shutdown: unary(async () => {
      // Answer first, then stop: the client waits for this answer before it waits for the process to end.
      setImmediate(() => hooks.onShutdown());
      return {};
    }),
  });
  server.addService(services.diagnostics, {
    CheckHealth: unary(async (request: { pluginContext: PluginContextMessage | null }) => {
      observeAppCall(request.pluginContext);
      // The app's health check (the app's calls carry no data source): the recalibration's state.
      if (
        hooks.recalibrator &&
        request.pluginContext?.appInstanceSettings &&
        !request.pluginContext.dataSourceInstanceSettings
      ) {
        const health = hooks.recalibrator.health();
        metrics.countCall('CheckHealth', health.status === 'OK');
        return health;
      }
      const result = await checkHealth(request.pluginContext?.dataSourceInstanceSettings, nowSeconds());
      metrics.countCall('CheckHealth', result.status === 'OK');
      return result;
    }),
    CollectMetrics: unary(async () => {
      metrics.countCall('CollectMetrics', true);
      const text = metrics.exposition(process.memoryUsage.rss()) + (hooks.recalibrator?.exposition() ?? '');
      return { metrics: { prometheus: Buffer.from(text, 'utf8') } };
    }),
  });
  server.addService(services.data, {
    QueryData: unary(async (request: QueryDataRequestMessage, signal) => {
      idle.begin();
      try {
        return await answerQueryData(request, signal);
      } finally {
        idle.end();
      }
    }),
  });
  server.addService(services.resource, {
    CallResource: (
      call: grpc.ServerWritableStream<ResourceRequest & { pluginContext: PluginContextMessage | null }, unknown>
    ) => {
      observeAppCall(call.request.pluginContext);
      idle.begin();
      const signal = signalOfCall(call);
      const answer = async () => {
        try {
          const connection = prometheusConnection(call.request.pluginContext?.dataSourceInstanceSettings);
          return await callResource(connection, call.request, signal);
        } catch (error) {
          return { code: 400, headers: {}, body: Buffer.from(errorMessage(error), 'utf8') };
        }
      };
      answer()
        .then(
          (response) => {
            // As for QueryData: a cancelled call's answer reaches nobody; one whose deadline passed failed.
            if (!signal.aborted || signal.reason instanceof CallDeadlineExceeded) {
              metrics.countCall('CallResource', !signal.aborted && response.code < 400);
            }
            call.write(response);
            call.end();
          },
          (error: unknown) => call.destroy(error instanceof Error ? error : new Error(String(error)))
        )
        .finally(() => idle.end());
    },
  });
  return server;
}

/**
 * Binds a Unix socket `plugin<digits>` directly inside `socketDir`, as go-plugin's server does
 * (`serverListener_unix`): the container runner maps only that folder to the host. Returns the socket's path.
 */
export async function listenUnix(server: grpc.Server, socketDir: string): Promise<string> {
  const socketPath = path.join(socketDir, `plugin${randomInt(1_000_000_000)}`);
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(`unix:${socketPath}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound)
    )
  );
  return socketPath;
}

/** Binds the first free port of the range on 127.0.0.1, as go-plugin's server does; 0..0 lets the system choose. */
export async function listen(server: grpc.Server, minPort: number, maxPort: number): Promise<number> {
  const credentials = grpc.ServerCredentials.createInsecure();
  for (let port = minPort; port <= maxPort; port++) {
    try {
      return await new Promise<number>((resolve, reject) =>
        server.bindAsync(`127.0.0.1:${port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound)))
      );
    } catch {
      // Taken: try the next one.
    }
  }
  throw new Error(`No free port on 127.0.0.1 between ${minPort} and ${maxPort}.`);
}
