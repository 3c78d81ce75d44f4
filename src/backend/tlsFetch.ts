/**
 * `fetch` over Node's own http/https, for the data source's TLS settings: a CA certificate, a client certificate and
 * key, skipping verification, a server name. Node's global fetch takes none of these without an extra dependency;
 * this returns a standard `Response`, so the Prometheus client's fetch transport and the resource proxy use it
 * unchanged.
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface TlsOptions {
  /** PEM; trusted in place of the system's CAs. */
  caCert?: string;
  /** PEM pair for servers that ask for a client certificate. */
  clientCert?: string;
  clientKey?: string;
  skipVerify?: boolean;
  /** The name the server's certificate must carry, when it is not the URL's host. */
  serverName?: string;
}

/** Statuses whose answer has no body: `Response` refuses one. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Node's codes for a certificate it did not accept, named so that a person knows the TLS settings are the cause. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|ALTNAME|TLS|SSL/;

function describeTlsError(error: NodeJS.ErrnoException): Error {
  if (error.code && CERTIFICATE_CODES.test(error.code)) {
    return new Error(
      `TLS: ${error.code}: ${error.message}; check the data source's TLS settings (CA certificate, client ` +
        'certificate, server name, or skip verification)'
    );
  }
  return error.code ? new Error(`${error.code}: ${error.message}`) : error;
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(init?.headers).entries());
}

export interface TlsFetchOptions {
  /**
   * Keeps a connection open this long after its answer, for the next request (as Node's global agent does, 5 s): only
   * for a fetch kept for the process, one per connection (prometheusAccess.ts). A request on an open connection leaves
   * at once; a new connection waits for the event loop to see it connected, which a long parse of the previous
   * answer delays (pipelinedQueries.ts).
   */
  keepAliveMs?: number;
}

export function tlsFetch(tls: TlsOptions, options: TlsFetchOptions = {}): typeof fetch {
  // Without keep-alive unless asked: the resource proxy makes one per call, whose idle sockets would stay open.
  const keepAlive =
    options.keepAliveMs === undefined
      ? {}
      : { keepAlive: true, timeout: options.keepAliveMs, scheduling: 'lifo' as const };
  const agentOptions: https.AgentOptions = {
    ca: tls.caCert || undefined,
    cert: tls.clientCert || undefined,
    key: tls.clientKey || undefined,
    rejectUnauthorized: !tls.skipVerify,
    servername: tls.serverName || undefined,
    ...keepAlive,
  };
  // One agent per data source settings.
  const httpsAgent = new https.Agent(agentOptions);
  const httpAgent = new http.Agent(keepAlive);

  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      // A body is sent whole with its length: some proxies in front of Prometheus refuse a chunked request.
      const bodyBytes =
        init?.body === undefined || init.body === null ? undefined : Buffer.from(init.body as Buffer | string);
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(
        url,
        {
          method: init?.method ?? 'GET',
          headers:
            bodyBytes === undefined ? headersOf(init) : { ...headersOf(init), 'content-length': bodyBytes.length },
          agent: secure ? httpsAgent : httpAgent,
          signal: init?.signal ?? undefined,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('error', (error) => reject(describeTlsError(error)));
          answer.on('end', () => {
            const status = answer.statusCode ?? 502;
            const headers = new Headers();
            for (const [name, value] of Object.entries(answer.headers)) {
              for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
                headers.append(name, one);
              }
            }
            const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, statusText: answer.statusMessage, headers }));
          });
        }
      );
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.name === 'AbortError' ? error : describeTlsError(error))
      );
      request.end(bodyBytes);
    });
}
