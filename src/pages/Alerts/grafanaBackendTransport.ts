/**
 * The app's transport for the alerting provisioning client (src/alerting/grafanaClient.ts): Grafana's own
 * `getBackendSrv().fetch` on relative `/api/...` URLs, so requests carry the signed-in person's session and
 * their permissions. Like the CLI's fetch transport it resolves for every HTTP status, and the client turns
 * 401, 403, 404, 409 and 422 into the same messages in both places.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import type { GrafanaHttpRequest, GrafanaHttpResponse, GrafanaTransport } from '../../alerting/grafanaClient';
import { redactCredentials } from '../../prometheus/redact';

/** No HTTP answer from Grafana's API: the network failed, the request timed out, or Grafana is restarting. */
export class GrafanaApiUnreachableError extends Error {
  constructor(
    readonly path: string,
    reason: string
  ) {
    super(
      redactCredentials(
        `Grafana's API did not answer ${path} (${reason}). Reload the page; if it persists, check that Grafana runs.`
      )
    );
    this.name = 'GrafanaApiUnreachableError';
  }
}

export function createBackendSrvTransport(): GrafanaTransport {
  return async (request: GrafanaHttpRequest): Promise<GrafanaHttpResponse> => {
    const controller = new AbortController();
    const tooLate = () =>
      new GrafanaApiUnreachableError(request.path, `no answer within ${request.timeoutMs / 1000} s`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The deadline does not rely on the request honouring the abort: it settles the answer itself.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(tooLate());
      }, request.timeoutMs);
    });
    try {
      const response = await Promise.race([
        lastValueFrom(
          getBackendSrv().fetch<unknown>({
            url: request.path,
            method: request.method,
            params: request.params,
            headers: request.headers,
            data: request.body,
            abortSignal: controller.signal,
            // The page shows each failure where it happened, with advice; a toast on top would say it twice.
            showErrorAlert: false,
            showSuccessAlert: false,
          }),
          // Grafana completes an aborted request without a value.
          { defaultValue: undefined }
        ),
        deadline,
      ]);
      if (response === undefined) {
        throw tooLate();
      }
      return { status: response.status, body: response.data };
    } catch (error) {
      // Grafana's backend service throws for every non-2xx answer; an answer is still an answer.
      if (isFetchError(error) && error.status > 0 && !error.cancelled) {
        return { status: error.status, body: error.data };
      }
      if (error instanceof GrafanaApiUnreachableError) {
        throw error;
      }
      const reason =
        error instanceof Error ? error.message : String((error as { statusText?: string })?.statusText ?? error);
      throw new GrafanaApiUnreachableError(request.path, reason);
    } finally {
      clearTimeout(timer);
    }
  };
}
