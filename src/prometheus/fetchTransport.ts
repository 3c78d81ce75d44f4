/**
 * Transport over the global `fetch` (Node 18+ and browsers), for the CLI and tests: the base URL is Prometheus
 * itself, e.g. `http://localhost:9090`.
 */
import { PrometheusUnreachableError } from './errors';
import { sendWithDeadline } from './sendWithDeadline';
import type { PrometheusHttpRequest, PrometheusHttpResponse, PrometheusTransport } from './types';

export function createFetchTransport(baseUrl: string): PrometheusTransport {
  const base = parseBaseUrl(baseUrl);
  return async (request: PrometheusHttpRequest): Promise<PrometheusHttpResponse> => {
    const url = new URL(base + request.path);
    for (const [name, value] of Object.entries(request.params)) {
      url.searchParams.set(name, value);
    }
    return sendWithDeadline(
      request,
      base,
      async (signal) => {
        const response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
        const text = await response.text();
        return { status: response.status, body: parseBody(text) };
      },
      { noAnswer: (error) => new PrometheusUnreachableError(base, describeFetchFailure(error)) }
    );
  };
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`"${baseUrl}" is not a URL: give the Prometheus address, e.g. http://localhost:9090.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${baseUrl}" must start with http:// or https://, e.g. http://localhost:9090.`);
  }
  return url.toString().replace(/\/+$/, '');
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
