/**
 * Transport over the global `fetch` (Node 18+ and browsers), for the CLI and tests: the base URL is Prometheus
 * itself, e.g. `http://localhost:9090`, or `http://user:password@host:9090` for basic authentication (the credentials
 * go into the Authorization header, never into a URL or a message).
 */
import { parseBaseUrl } from './baseUrl';
import { PrometheusUnreachableError } from './errors';
import { redactCredentials } from './redact';
import { sendWithDeadline } from './sendWithDeadline';
import type { PrometheusHttpRequest, PrometheusHttpResponse, PrometheusTransport } from './types';

export interface FetchTransportOptions {
  /**
   * Sent with every request after the URL's own Basic authorization, so they win over it: the backend's bearer or
   * basic authorization and the data source's custom headers.
   */
  headers?: Record<string, string>;
  /** Credentials among those headers, redacted from every answer like the URL's own. */
  secrets?: string[];
  /** The fetch to send with (default: the global one); the backend passes one that applies TLS settings. */
  fetch?: typeof fetch;
}

export function createFetchTransport(baseUrl: string, options: FetchTransportOptions = {}): PrometheusTransport {
  const parsed = parseBaseUrl(baseUrl, {
    server: 'Prometheus',
    example: 'http://localhost:9090',
  });
  const { base, authorization } = parsed;
  const secrets = [...parsed.secrets, ...(options.secrets ?? [])];
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(authorization ? { Authorization: authorization } : {}),
    ...options.headers,
  };
  return async (request: PrometheusHttpRequest): Promise<PrometheusHttpResponse> => {
    const url = new URL(base + request.path);
    for (const [name, value] of Object.entries(request.params)) {
      url.searchParams.set(name, value);
    }
    return sendWithDeadline(
      request,
      base,
      async (signal) => {
        // Looked up per request: where no global fetch exists (a test's jsdom), that is a failure to reach Prometheus.
        const response = await (options.fetch ?? fetch)(url, { signal, headers });
        const body = await response.text();
        if (request.onBodyReceived) {
          request.onBodyReceived();
          // Redaction and JSON.parse hold the thread for up to a second on a 15 MB answer: the next request, sent by
          // the callback's waiters, leaves first so the store answers it meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        // Something in front of Prometheus may echo the request's headers: the credentials never leave here.
        const text = redactCredentials(body, secrets);
        return { status: response.status, body: parseBody(text) };
      },
      {
        noAnswer: (error) =>
          new PrometheusUnreachableError(base, redactCredentials(describeFetchFailure(error), secrets)),
      }
    );
  };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Node's fetch says only "fetch failed"; the useful reason (ECONNREFUSED, ENOTFOUND, ...) is in `cause`.
 * Duck-typed because errors from fetch may come from another realm (test sandboxes, workers).
 */
function describeFetchFailure(error: unknown): string {
  const { message, cause } = asErrorLike(error);
  if (cause === undefined) {
    return message;
  }
  const inner = asErrorLike(cause);
  return inner.code ? `${inner.code}: ${inner.message}` : inner.message;
}

function asErrorLike(value: unknown): { message: string; code?: string; cause?: unknown } {
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const { message, code, cause } = value as { message: unknown; code?: unknown; cause?: unknown };
    return { message: String(message), code: typeof code === 'string' ? code : undefined, cause };
  }
  return { message: String(value) };
}
