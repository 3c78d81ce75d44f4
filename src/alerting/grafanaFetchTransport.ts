/**
 * Transport over the global `fetch` for the CLI and tests: the base URL is Grafana itself, and the
 * service-account token goes only into the Authorization header, never into an error message.
 */
import type { GrafanaHttpRequest, GrafanaHttpResponse, GrafanaTransport } from './grafanaClient';

/** No HTTP answer from Grafana: wrong URL, Grafana down, network failure or timeout. */
export class GrafanaUnreachableError extends Error {
  constructor(
    readonly target: string,
    reason: string
  ) {
    super(`Cannot reach Grafana at ${target} (${reason}). Check --grafana-url and that Grafana is running.`);
    this.name = 'GrafanaUnreachableError';
  }
}

export function createGrafanaFetchTransport(baseUrl: string, token: string): GrafanaTransport {
  let base: string;
  try {
    base = new URL(baseUrl).toString().replace(/\/+$/, '');
  } catch {
    throw new GrafanaUnreachableError(baseUrl, 'not a URL; give the Grafana address, e.g. http://localhost:3000');
  }
  return async (request: GrafanaHttpRequest): Promise<GrafanaHttpResponse> => {
    const url = new URL(base + request.path);
    for (const [name, value] of Object.entries(request.params ?? {})) {
      url.searchParams.set(name, value);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        signal: AbortSignal.timeout(request.timeoutMs),
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
    } catch (error) {
      // Only the name and the cause's code: a message could in principle echo request headers.
      const { name, cause } = error as { name?: string; cause?: { code?: string } };
      const reason =
        name === 'TimeoutError' ? `no answer within ${request.timeoutMs / 1000} s` : (cause?.code ?? String(name));
      throw new GrafanaUnreachableError(base, reason);
    }
    // Something in front of Grafana may echo the request's headers into its answer: the token never leaves here.
    const text = (await response.text()).split(token).join('[redacted token]');
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  };
}
