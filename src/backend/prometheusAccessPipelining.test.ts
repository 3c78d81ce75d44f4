/** @jest-environment node */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import { createPipelinedQueries } from '../prometheus/pipelinedQueries';
import { prometheusAccess } from './prometheusAccess';

/**
 * A Prometheus in a process of its own (one in this process would answer only when this thread is free), printing
 * when each query arrives: the first answer is large, each a tenth of a second late.
 */
const SERVER = `
const result = Array.from({ length: 20000 }, (_, i) => ({ metric: { pod: 'p' + i }, values: [[1, '1'], [2, '2']] }));
const big = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
const small = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } });
const server = require('node:http').createServer((request, response) => {
  const query = new URL(request.url, 'http://x').searchParams.get('query');
  console.log(JSON.stringify({ query, atMs: Date.now() }));
  setTimeout(() => response.end(query === 'first' ? big : small), 100);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

describe('the backend client with pipelined queries', () => {
  let server: ChildProcess;
  let url: string;
  const arrivals = new Map<string, number>();

  beforeAll(async () => {
    server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: server.stdout! });
    url = await new Promise<string>((resolve) => {
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { port?: number; query?: string; atMs?: number };
        if (event.port !== undefined) {
          resolve(`http://127.0.0.1:${event.port}`);
        } else {
          arrivals.set(event.query!, event.atMs!);
        }
      });
    });
  });

  afterAll(() => {
    server.kill();
  });

  it('sends the next query on an open connection while the previous answer is parsed, before the parse ends', async () => {
    const { client } = prometheusAccess({
      url,
      headers: {},
      secrets: [],
      secretHeaderNames: [],
      timeoutMs: 10_000,
      metricOverrides: {},
      tls: {},
    });
    const range = { startSeconds: 0, endSeconds: 60, stepSeconds: 60 };
    // The connection opened once, as a page's first queries do.
    await client.queryRange('warm', range);
    const parse = JSON.parse;
    let parseEndedMs = 0;
    // Parsing the large answer holds the thread a second, as an 18 MB one does at 10,000 GPUs.
    const slowParse = jest.spyOn(JSON, 'parse').mockImplementation((text: string) => {
      const parsed = parse(text) as unknown;
      if (text.length > 100_000) {
        const until = Date.now() + 1000;
        while (Date.now() < until) {
          // Busy: the thread is held, as by a long JSON.parse.
        }
        parseEndedMs = Date.now();
      }
      return parsed;
    });
    const queries = createPipelinedQueries(client, 1);
    await Promise.all(['first', 'second'].map((q) => queries.run((store) => store.queryRange(q, range))));
    slowParse.mockRestore();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(arrivals.get('second')! - arrivals.get('first')!).toBeGreaterThanOrEqual(100);
    expect(arrivals.get('second')).toBeLessThan(parseEndedMs - 500);
  });
});
