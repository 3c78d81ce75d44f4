// Grafana's alerting, folder, permission and rule-state APIs, forwarded to the Grafana API double
// (tests/grafana-double) with the token the double accepts, as Grafana's session cookie would authorise them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './httpBody';

export const GRAFANA_API_PATHS =
  /^\/api\/(v1\/provisioning\/|folders(\/|$)|access-control\/user\/permissions$|prometheus\/grafana\/api\/v1\/rules$)/;

export async function proxyToGrafanaApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  api: { url: string; token: string }
) {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const forwarded = Object.fromEntries(
    ['content-type', 'x-disable-provenance']
      .filter((name) => req.headers[name] !== undefined)
      .map((name) => [name, String(req.headers[name])])
  );
  const upstream = await fetch(new URL(url.pathname + url.search, `${api.url}/`), {
    method: req.method,
    headers: { ...forwarded, Authorization: `Bearer ${api.token}` },
    body: hasBody ? new Uint8Array(await readBody(req)) : undefined,
  });
  res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('Content-Type') ?? 'application/json' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}
