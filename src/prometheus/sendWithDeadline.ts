import { PrometheusError, PrometheusTimeoutError } from './errors';
import type { PrometheusHttpRequest, PrometheusHttpResponse } from './types';

export interface DeadlineFailures {
  /** The error for a failure with no answer (network, refused connection, ...). */
  noAnswer(error: unknown): PrometheusError;
  /** The error for the deadline passing; default `PrometheusTimeoutError` naming `target`. */
  deadlinePassed?(timeoutMs: number): PrometheusError;
}

/**
 * Sends one request under the request's deadline and the caller's abort signal (merged into one signal), and turns
 * a failure into a typed error: the caller's own abort passes through unchanged, as does a `PrometheusError` that
 * `send` threw (a transport that recognised the failure); the deadline becomes `deadlinePassed`, anything else
 * `noAnswer`. Every transport shares this so that timeouts read the same in the CLI and inside Grafana.
 */
export async function sendWithDeadline(
  request: PrometheusHttpRequest,
  target: string,
  send: (signal: AbortSignal) => Promise<PrometheusHttpResponse>,
  failures: DeadlineFailures
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
    if (request.signal?.aborted || error instanceof PrometheusError) {
      throw error;
    }
    if (controller.signal.aborted) {
      throw failures.deadlinePassed?.(request.timeoutMs) ?? new PrometheusTimeoutError(target, request.timeoutMs);
    }
    throw failures.noAnswer(error);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', forwardAbort);
  }
}
