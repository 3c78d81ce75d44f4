/**
 * One Prometheus request for identical requests in flight at once. A page's panels ask the same things together: the
 * Overview's stat and its chart the same range query, every inventory query whether the recording rules are there,
 * the Fragmentation page's snapshot and its over-time panel the same fleet state. At 10,000 GPUs each such answer
 * costs Prometheus seconds and the browser megabytes of JSON (docs/scale.md), so asking once matters.
 *
 * Only requests in flight are shared, never an answer that has arrived: a later identical request is sent again, so
 * nothing is ever older than the caller asked for. A request joins one sent at most JOIN_WINDOW_MS before it: the
 * shared request runs on its first caller's deadline, so a caller that joined later would otherwise be given up on
 * sooner than its own deadline says. Each caller after the first gets its own copy of the answer, so
 * no caller can change what another reads. A caller that aborts stops waiting at once; the request itself is aborted
 * only when every caller has.
 */
import type { PrometheusHttpRequest, PrometheusHttpResponse, PrometheusTransport } from './types';

/** Panels that ask together ask within this; later, a request is sent on its own, with its own deadline. */
export const JOIN_WINDOW_MS = 1000;

interface InFlight {
  answer: Promise<PrometheusHttpResponse>;
  sentAtMs: number;
  controller: AbortController;
  callers: number;
  /** Whether the first caller has had the answer itself; the others get copies. */
  handedOut: boolean;
  /** Whether the body has arrived, and the callers' `onBodyReceived` to call when it has. */
  body: { received: boolean; toTell: Array<() => void> };
}

/** Requests are identical when path, parameters (in any order) and deadline are; the signal is the caller's own. */
function keyOf(request: PrometheusHttpRequest): string {
  const params = Object.keys(request.params)
    .sort()
    .map((name) => [name, request.params[name]]);
  return JSON.stringify([request.path, params, request.timeoutMs]);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function shareIdenticalRequests(transport: PrometheusTransport): PrometheusTransport {
  const inFlight = new Map<string, InFlight>();

  return (request) => {
    const { signal } = request;
    if (signal?.aborted) {
      return Promise.reject(abortReason(signal));
    }
    const key = keyOf(request);
    let shared = inFlight.get(key);
    if (!shared || Date.now() - shared.sentAtMs > JOIN_WINDOW_MS) {
      const controller = new AbortController();
      const body: InFlight['body'] = { received: false, toTell: [] };
      const onBodyReceived = () => {
        body.received = true;
        body.toTell.splice(0).forEach((tell) => tell());
      };
      // Asked only when the first caller asks (the transport then yields before parsing); later callers are told if so.
      const answer = transport({
        ...request,
        signal: controller.signal,
        ...(request.onBodyReceived && { onBodyReceived }),
      });
      const entry: InFlight = { answer, sentAtMs: Date.now(), controller, callers: 0, handedOut: false, body };
      shared = entry;
      inFlight.set(key, entry);
      // Settled either way, the next identical request is a new one.
      const forget = () => {
        if (inFlight.get(key) === entry) {
          inFlight.delete(key);
        }
      };
      answer.then(forget, forget);
    }
    const entry = shared;
    entry.callers++;
    if (request.onBodyReceived) {
      if (entry.body.received) {
        request.onBodyReceived();
      } else {
        entry.body.toTell.push(request.onBodyReceived);
      }
    }
    return new Promise<PrometheusHttpResponse>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        waiting = false;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!waiting) {
          return;
        }
        leave();
        reject(abortReason(signal!));
        entry.callers--;
        if (entry.callers === 0) {
          if (inFlight.get(key) === entry) {
            inFlight.delete(key);
          }
          entry.controller.abort();
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.answer.then(
        (response) => {
          if (!waiting) {
            return;
          }
          leave();
          if (entry.handedOut) {
            resolve({ status: response.status, body: structuredClone(response.body) });
          } else {
            entry.handedOut = true;
            resolve(response);
          }
        },
        (error: unknown) => {
          if (waiting) {
            leave();
            reject(error);
          }
        }
      );
    });
  };
}
