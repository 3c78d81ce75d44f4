// Grafana's data source resource API (`/api/datasources/uid/<uid>/resources/...`) as the harness answers it for
// the Prometheus data source: forwarded to the real Prometheus of the test.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './httpBody';

export const PROMETHEUS_RESOURCES = '/api/datasources/uid/prometheus/resources/';

export async function proxyToPrometheus(req: IncomingMessage, res: ServerResponse, url: URL, prometheusUrl: string) {
  const target = new URL(url.pathname.slice(PROMETHEUS_RESOURCES.length) + url.search, `${prometheusUrl}/`);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const upstream = await fetch(target, {
    method: req.method,
    headers: req.headers['content-type'] ? { 'Content-Type': req.headers['content-type'] } : undefined,
    body: hasBody ? new Uint8Array(await readBody(req)) : undefined,
  });
  res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('Content-Type') ?? 'application/json' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}
