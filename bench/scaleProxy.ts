/**
 * An HTTP proxy in front of Prometheus or VictoriaMetrics that records every request the pages send, so the scale
 * benchmark replays exactly the queries Headroom's code built (not a copy of them).
 */
import { request as httpRequest, createServer, type Server } from 'node:http';

export interface RecordedRequest {
  /** e.g. `/api/v1/query_range`. */
  path: string;
  /** Query string and form parameters, as sent. */
  params: Array<[string, string]>;
  /** When the request arrived and when its answer was sent or abandoned (performance.now() of this process). */
  arrivedMs: number;
  closedMs?: number;
}

export interface RecordingProxy {
  url: string;
  /** Requests since the last `take()`, in the order they arrived. */
  take(): RecordedRequest[];
  /** Requests forwarded and not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  let recorded: RecordedRequest[] = [];
  let open = 0;
  const target = new URL(targetUrl);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', targetUrl);
      const params = [...url.searchParams.entries()];
      if ((incoming.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
        params.push(...new URLSearchParams(body.toString()).entries());
      }
      const record: RecordedRequest = { path: url.pathname, params, arrivedMs: performance.now() };
      if (url.pathname.startsWith('/api/v1/')) {
        recorded.push(record);
      }
      open++;
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        }
      );
      // Counted down when the browser's side closes, answered or aborted (scenes cancels superseded queries, and an
      // aborted answer never ends).
      outgoing.on('close', () => {
        record.closedMs = performance.now();
        open--;
        forward.destroy();
      });
      forward.on('error', (error) => {
        if (!outgoing.headersSent) {
          outgoing.writeHead(502).end(String(error));
        }
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    inFlight: () => open,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
