// A BackendSrv on top of the browser's fetch with the contract plugins rely on in Grafana: `fetch` returns a
// cold Observable of FetchResponse, non-2xx responses are thrown as `{ status, statusText, data, config }`,
// unsubscribing aborts the request, and a new request with the same `requestId` cancels the previous one.
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable, throwError } from 'rxjs';
import { defaultIfEmpty } from 'rxjs/operators';

const CANCELLED = Symbol('cancelled');

function queryString(params: Record<string, unknown> | undefined): string {
  if (!params) {
    return '';
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        search.append(key, String(item));
      }
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function requestBody(data: unknown, headers: Headers): BodyInit | undefined {
  if (data === undefined || data === null) {
    return undefined;
  }
  if (typeof data === 'string' || data instanceof URLSearchParams || data instanceof FormData || data instanceof Blob) {
    return data;
  }
  if (!headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  return JSON.stringify(data);
}

async function responseData(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  switch (responseType) {
    case 'text':
      return response.text();
    case 'arraybuffer':
      return response.arrayBuffer();
    case 'blob':
      return response.blob();
    default: {
      const text = await response.text();
      const isJson = (response.headers.get('Content-Type') ?? '').includes('json');
      return isJson && text ? JSON.parse(text) : text;
    }
  }
}

export class HarnessBackendSrv implements BackendSrv {
  private readonly inFlight = new Map<string, AbortController>();

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      if (options.requestId) {
        this.inFlight.get(options.requestId)?.abort(CANCELLED);
        this.inFlight.set(options.requestId, controller);
      }
      options.abortSignal?.addEventListener('abort', () => controller.abort(CANCELLED));
      const headers = new Headers(options.headers);
      const url = options.url + queryString(options.params);
      const init: RequestInit = {
        method: (options.method ?? 'GET').toUpperCase(),
        headers,
        body: requestBody(options.data, headers),
        signal: controller.signal,
        credentials: options.credentials ?? 'same-origin',
      };
      fetch(url, init)
        .then(async (response) => {
          const data = await responseData(response, options.responseType);
          if (!response.ok) {
            const error: FetchError = {
              status: response.status,
              statusText: response.statusText,
              data,
              message: (data as { message?: string } | null)?.message ?? response.statusText,
              config: options,
            };
            throw error;
          }
          subscriber.next({
            data: data as T,
            status: response.status,
            statusText: response.statusText,
            ok: response.ok,
            headers: response.headers,
            redirected: response.redirected,
            type: response.type,
            url: response.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) {
            // Grafana completes a cancelled request without a value; callers of the promise API see `cancelled`.
            subscriber.complete();
          } else {
            subscriber.error(error);
          }
        })
        .finally(() => {
          if (options.requestId && this.inFlight.get(options.requestId) === controller) {
            this.inFlight.delete(options.requestId);
          }
        });
      return () => controller.abort(CANCELLED);
    });
  }

  async datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    const cancelled: FetchError = {
      status: -1,
      statusText: 'Request was aborted',
      data: null,
      cancelled: true,
      config: options,
    };
    const response = await lastValueFrom(this.fetch<T>(options).pipe(defaultIfEmpty(null)));
    if (response === null) {
      throw cancelled;
    }
    return response;
  }

  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await this.datasourceRequest<T>(options)).data;
  }

  get<T>(url: string, params?: Record<string, unknown>, requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'GET', url, params, requestId });
  }

  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'DELETE', url, data });
  }

  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'POST', url, data });
  }

  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'PATCH', url, data });
  }

  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'PUT', url, data });
  }

  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    // Only Grafana's streaming query API uses chunked responses; fail loudly if a plugin starts to.
    return throwError(() => new Error('BackendSrv.chunked is not available in the browser harness'));
  }
}
