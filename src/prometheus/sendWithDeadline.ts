import { PrometheusTimeoutError, PrometheusUnreachableError } from './errors';
import type { PrometheusHttpRequest, PrometheusHttpResponse } from './types';

/**
 * Sends one request under the request's deadline and the caller's abort signal (merged into one signal), and turns
 * a failure with no answer into a typed error: the caller's own abort passes through unchanged, the deadline becomes
 * `PrometheusTimeoutError`, anything else `PrometheusUnreachableError` with the reason `describeFailure` finds.
 * Every transport shares this so that timeouts read the same in the CLI and inside Grafana.
 */
export async function sendWithDeadline(
  request: PrometheusHttpRequest,
  target: string,
  send: (signal: AbortSignal) => Promise<PrometheusHttpResponse>,
  describeFailure: (error: unknown) => string
): Promise<PrometheusHttpResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  const forwardAbort = () => controller.abort();
  if (request.signal?.aborted) {
    controller.abort();
  }
  request.signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    return await send(controller.signal);
  } catch (error) {
    if (request.signal?.aborted) {
      throw error;
    }
    if (controller.signal.aborted) {
      throw new PrometheusTimeoutError(target, request.timeoutMs);
    }
    throw new PrometheusUnreachableError(target, describeFailure(error));
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', forwardAbort);
  }
}
