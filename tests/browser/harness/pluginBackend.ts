// Grafana's side of a backend data source plugin, for the Headroom data source: the process started through the
// go-plugin handshake (tests/kit/backendProcess.ts), and the three routes the browser reaches it by, answered as
// Grafana 12's code answers them (docs/grafana-compatibility.md, "Headroom's own backend"):
//  - `/api/datasources/uid/:uid/resources/*` → gRPC Resource.CallResource (pkg/api/plugin_resource.go,
//    pkg/plugins/manager/client/client.go, pkg/plugins/httpresponsesender);
//  - `/api/datasources/uid/:uid/health` → gRPC Diagnostics.CheckHealth (pkg/api/datasources.go checkDatasourceHealth);
//  - `/api/datasources/uid/:uid` → the stored data source without its secrets (pkg/api/datasources.go).
// Every call carries the PluginContext Grafana builds (pkg/services/pluginsintegration/plugincontext
// GetWithDataSource): org, plugin id, user, and the data source's instance settings with secureJsonData decrypted.
import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';

import { protocolServices } from '../../../src/backend/protocol';
import { startBackend, unaryCall } from '../../kit/backendProcess';
import { REPO_ROOT } from './buildHost';
import type { DataQueryMessage, DataResponseMessage } from './dsQuery';
import { readBody } from './httpBody';
import { HOP_HEADERS, PLUGIN_REQUEST_FAILURE } from './resourceProxy';

/** How tests/integration/backend-process.test.ts starts the backend from source. */
const SOURCE_COMMAND = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src/backend/main.ts')];

/** A Headroom data source as Grafana stores it: the instance fields, `jsonData`, and `secureJsonData` decrypted. */
export interface HeadroomDataSourceRecord {
  uid: string;
  name: string;
  /** The plugin id (the data source's type). */
  type: string;
  url: string;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData: Record<string, unknown>;
  /** Decrypted; Grafana sends it to the backend only, and only the key names (`secureJsonFields`) to the browser. */
  secureJsonData?: Record<string, string>;
}

type Headers = Record<string, { values: string[] }>;

interface ResourceAnswer {
  code: number;
  headers: Headers;
  body: Buffer;
}

/**
 * The headers that authenticated the browser to Grafana: ClearAuthHeadersMiddleware deletes them (its list is the
 * auth header snapshot, Authorization for API keys and tokens), and Grafana's session cookie goes with the Cookie
 * header (cookies_middleware.go keeps only the data source's `keepCookies`; Headroom has none).
 */
const GRAFANA_AUTH_HEADERS = ['authorization', 'cookie'];
/**
 * PrepareProxyRequest (pkg/util/proxyutil) removes these, the newer one Origin and Referer too (keeping the referer
 * as X-Grafana-Referer); docs/grafana-compatibility.md, "Backend plugin protocol".
 */
const FORWARDED_HEADERS = ['x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'origin', 'referer'];

/** Go's textproto.CanonicalMIMEHeaderKey for the header names HTTP uses. */
function canonicalHeaderKey(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

function sendGrafanaJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The headers of the browser's request as the plugin receives them. */
function pluginRequestHeaders(req: IncomingMessage): Headers {
  const headers: Headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || [...HOP_HEADERS, ...GRAFANA_AUTH_HEADERS, ...FORWARDED_HEADERS].includes(lower)) {
      continue;
    }
    headers[canonicalHeaderKey(name)] = { values: Array.isArray(value) ? value : [value] };
  }
  if (typeof req.headers.referer === 'string') {
    headers['X-Grafana-Referer'] = { values: [req.headers.referer] };
  }
  const remote = req.socket.remoteAddress;
  if (remote) {
    headers['X-Forwarded-For'] = { values: [remote] };
  }
  return headers;
}

/**
 * The first answer's headers as the browser gets them: hop-by-hop and Set-Cookie removed, `Content-Security-Policy:
 * sandbox` set, `Content-Type: application/json` added when missing (not for 204); names canonicalised.
 */
function browserHeaders(answer: ResourceAnswer): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(answer.headers)) {
    const lower = name.toLowerCase();
    if (!HOP_HEADERS.includes(lower) && lower !== 'set-cookie') {
      headers[canonicalHeaderKey(name)] = [...(headers[canonicalHeaderKey(name)] ?? []), ...list.values];
    }
  }
  headers['Content-Security-Policy'] = ['sandbox'];
  if (!headers['Content-Type'] && answer.code !== 204) {
    headers['Content-Type'] = ['application/json'];
  }
  return headers;
}

/** Go's url.URL{Path: p, RawQuery: q}.String() for a relative path: the path escaped again, the query as received. */
function goRelativeUrl(decodedPath: string, rawQuery: string): string {
  const escaped = decodedPath.split('/').map(encodeURIComponent).join('/');
  return rawQuery ? `${escaped}?${rawQuery}` : escaped;
}

/** `GET /api/datasources/uid/<uid>`: the stored data source with its secrets' names only (`secureJsonFields`). */
export function storedDataSource(dataSource: HeadroomDataSourceRecord): object {
  const { secureJsonData, ...stored } = dataSource;
  const secureJsonFields = Object.fromEntries(Object.keys(secureJsonData ?? {}).map((key) => [key, true]));
  return { ...stored, access: 'proxy', secureJsonFields };
}

export interface PluginBackend {
  /** Answers a request under `/api/datasources/uid/<uid>` for the Headroom data source; false when not its uid. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** gRPC Data.QueryData with the data source's PluginContext (for `/api/ds/query`, dsQuery.ts). */
  queryData(queries: DataQueryMessage[]): Promise<Record<string, DataResponseMessage>>;
  /** The process's stderr so far (Grafana logs it through the plugin logger). */
  stderr(): string;
  /** The backend process's id, for a benchmark to read its memory and CPU time. */
  pid: number;
  close(): Promise<void>;
}

const DATA_SOURCE_ROUTE = /^\/api\/datasources\/uid\/([^/]+)(?:\/(resources|health)(?:\/(.*))?)?$/;

export async function startPluginBackend(
  dataSource: HeadroomDataSourceRecord,
  command: string[] = SOURCE_COMMAND
): Promise<PluginBackend> {
  const started = await startBackend(command, { cwd: REPO_ROOT, stderr: 'pipe' });
  const child: ChildProcess = started.child;
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const [, , network, address] = started.line.trim().split('|');
  const client = new grpc.Client(network === 'unix' ? `unix:${address}` : address, grpc.credentials.createInsecure());
  const services = protocolServices();
  const lastUpdatedMs = Date.now();

  const pluginContext = () => ({
    orgId: 1,
    pluginId: dataSource.type,
    user: { login: 'admin', name: 'admin', email: 'admin@localhost', role: 'Admin' },
    dataSourceInstanceSettings: {
      id: 2,
      uid: dataSource.uid,
      name: dataSource.name,
      url: dataSource.url,
      basicAuthEnabled: dataSource.basicAuth ?? false,
      basicAuthUser: dataSource.basicAuthUser ?? '',
      jsonData: Buffer.from(JSON.stringify(dataSource.jsonData)),
      decryptedSecureJsonData: dataSource.secureJsonData ?? {},
      lastUpdatedMs,
    },
  });

  async function callResource(req: IncomingMessage, res: ServerResponse, tail: string): Promise<void> {
    const body = await readBody(req);
    const rawQuery = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const decodedPath = decodeURIComponent(tail);
    const call = client.makeServerStreamRequest(
      services.resource.CallResource.path,
      services.resource.CallResource.requestSerialize,
      services.resource.CallResource.responseDeserialize,
      {
        pluginContext: pluginContext(),
        path: decodedPath,
        method: req.method ?? 'GET',
        url: goRelativeUrl(decodedPath, rawQuery),
        headers: pluginRequestHeaders(req),
        body,
      }
    );
    res.on('close', () => call.cancel());
    let sent = 0;
    await new Promise<void>((resolve) => {
      call.on('data', (answer: ResourceAnswer) => {
        // Status and headers come with the first message only; every message's body is written and flushed.
        if (sent === 0) {
          res.writeHead(answer.code, browserHeaders(answer));
        }
        res.write(Buffer.from(answer.body));
        sent++;
      });
      call.on('error', () => {
        // A gRPC failure before any answer is the plugin client's requestFailure; after one, the answer just ends.
        if (sent === 0 && !res.headersSent) {
          sendGrafanaJson(res, 500, PLUGIN_REQUEST_FAILURE);
        } else {
          res.end();
        }
        resolve();
      });
      call.on('end', () => {
        if (sent === 0) {
          // flushStream's "received empty resource response".
          sendGrafanaJson(res, 500, PLUGIN_REQUEST_FAILURE);
        } else {
          res.end();
        }
        resolve();
      });
    });
  }

  async function checkHealth(res: ServerResponse): Promise<void> {
    let answer: Record<string, unknown>;
    try {
      answer = await unaryCall(client, services.diagnostics, 'CheckHealth', {
        pluginContext: pluginContext(),
        headers: {},
      });
    } catch {
      return sendGrafanaJson(res, 500, PLUGIN_REQUEST_FAILURE);
    }
    const payload: Record<string, unknown> = { status: answer.status, message: answer.message };
    const details = answer.jsonDetails as Buffer | undefined;
    if (details && details.length > 0) {
      payload.details = JSON.parse(Buffer.from(details).toString('utf8'));
    }
    sendGrafanaJson(res, answer.status === 'OK' ? 200 : 400, payload);
  }

  async function queryData(queries: DataQueryMessage[]): Promise<Record<string, DataResponseMessage>> {
    const answer = await unaryCall(client, services.data, 'QueryData', {
      pluginContext: pluginContext(),
      headers: {},
      queries,
    });
    return (answer.responses ?? {}) as Record<string, DataResponseMessage>;
  }

  return {
    queryData,
    async handle(req, res, url) {
      const match = url.pathname.match(DATA_SOURCE_ROUTE);
      if (!match || decodeURIComponent(match[1]) !== dataSource.uid) {
        return false;
      }
      const [, , kind, tail = ''] = match;
      if (kind === 'resources') {
        await callResource(req, res, tail);
      } else if (kind === 'health') {
        await checkHealth(res);
      } else {
        sendGrafanaJson(res, 200, storedDataSource(dataSource));
      }
      return true;
    },
    stderr: () => errors.join(''),
    pid: child.pid!,
    close: async () => {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
