/**
 * Transport over the global `fetch` for the CLI and tests: the base URL is Grafana itself, and the
 * service-account token goes only into the Authorization header, never into an error message.
 */
import { parseBaseUrl } from '../prometheus/baseUrl';
import { redactCredentials, urlForDisplay } from '../prometheus/redact';
import type { GrafanaHttpRequest, GrafanaHttpResponse, GrafanaTransport } from './grafanaClient';

/** No HTTP answer from Grafana: Grafana down, network failure or timeout. */
export class GrafanaUnreachableError extends Error {
  constructor(
    readonly target: string,
    reason: string
  ) {
    super(`Cannot reach Grafana at ${target} (${reason}). Check --grafana-url and that Grafana is running.`);
    this.name = 'GrafanaUnreachableError';
  }
}

/** Refuses a URL that is not one (`InvalidBaseUrlError`, a person's input) before anything is sent. */
export function createGrafanaFetchTransport(baseUrl: string, token: string): GrafanaTransport {
  const { base } = parseBaseUrl(baseUrl, {
    server: 'Grafana',
    flag: '--grafana-url',
    example: 'http://localhost:3000',
    refuseUserInfo:
      'Headroom signs in with the service-account token in HEADROOM_GRAFANA_TOKEN; give the URL without them.',
  });
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
        // A redirect is reported, not followed: it leads to a login page, or to another host the token is not for.
        redirect: 'manual',
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
    const text = redactCredentials(await response.text(), [token]);
    const location = response.headers.get('location');
    const answered = {
      status: response.status,
      url: url.toString(),
      ...(location === null ? {} : { location: redactCredentials(resolve(location, url), [token]) }),
    };
    try {
      return { ...answered, body: JSON.parse(text) };
    } catch {
      return { ...answered, body: text };
    }
  };
}

/** A redirect's target as an absolute URL (as typed when it is not one), without user information. */
function resolve(location: string, from: URL): string {
  try {
    return urlForDisplay(new URL(location, from));
  } catch {
    return location;
  }
}
