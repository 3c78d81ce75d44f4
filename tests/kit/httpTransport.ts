/**
 * A Prometheus transport over Node's `http`, for tests that run data-source code under jsdom: jest's jsdom
 * environment has no `fetch`, and the data source inside Grafana does not use it either (its transport is Grafana's
 * resource proxy). Only what the client needs: a GET, the status and the parsed JSON body.
 */
import { get } from 'node:http';

import type { PrometheusHttpRequest, PrometheusHttpResponse, PrometheusTransport } from '../../src/prometheus/types';

export function createHttpTransport(baseUrl: string): PrometheusTransport {
  return (request: PrometheusHttpRequest) =>
    new Promise<PrometheusHttpResponse>((resolve, reject) => {
      const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
      for (const [name, value] of Object.entries(request.params)) {
        url.searchParams.set(name, value);
      }
      const call = get(url, { headers: { Accept: 'application/json' }, timeout: request.timeoutMs }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
        response.on('error', reject);
      });
      call.on('timeout', () => call.destroy(new Error(`no answer from ${baseUrl} within ${request.timeoutMs} ms`)));
      call.on('error', reject);
    });
}
