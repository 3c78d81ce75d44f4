/** @jest-environment node */
import { createPipelinedQueries } from './pipelinedQueries';
import type { PrometheusClient, QueryResult } from './types';

const empty: QueryResult = { series: [], warnings: [] };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A client whose range queries the test answers in two steps: the body arrives, then the answer is parsed. */
function heldClient() {
  const sent: Array<{ expr: string; receive: () => void; settle: (error?: Error) => void }> = [];
  const client = {
    queryRange: (expr: string, _options: unknown, signal?: AbortSignal, onBodyReceived?: () => void) =>
      new Promise<QueryResult>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
        sent.push({
          expr,
          receive: () => onBodyReceived?.(),
          settle: (error) => (error ? reject(error) : resolve(empty)),
        });
      }),
  } as unknown as PrometheusClient;
  return { client, sent, exprs: () => sent.map((s) => s.expr) };
}

const range = { startSeconds: 0, endSeconds: 600, stepSeconds: 60 };

describe('createPipelinedQueries', () => {
  it("gives each of a task's requests its own turn at the store", async () => {
    const held = heldClient();
    const queries = createPipelinedQueries(held.client, 1);
    const twice = queries.run(async (client) => {
      await client.queryRange('record', range);
      return client.queryRange('expression', range);
    });
    const other = queries.run((client) => client.queryRange('other', range));
    await flush();
    expect(held.exprs()).toEqual(['record']);
    held.sent[0].receive();
    await flush();
    // The other task's query took the free turn; the first task's second request waits for it.
    expect(held.exprs()).toEqual(['record', 'other']);
    held.sent[0].settle();
    await flush();
    expect(held.exprs()).toEqual(['record', 'other']);
    held.sent[1].receive();
    await flush();
    expect(held.exprs()).toEqual(['record', 'other', 'expression']);
    held.sent[1].settle();
    held.sent[2].settle();
    await expect(Promise.all([twice, other])).resolves.toEqual([empty, empty]);
  });

  it('frees the turn of a failed query, and drops a query whose signal aborts while it waits without sending it', async () => {
    const held = heldClient();
    const queries = createPipelinedQueries(held.client, 1);
    const failing = queries.run((client) => client.queryRange('fails', range));
    const abort = new AbortController();
    const dropped = queries.run((client) => client.queryRange('dropped', range, abort.signal), abort.signal);
    await flush();
    abort.abort(new Error('left the page'));
    await expect(dropped).rejects.toThrow('left the page');
    const failed = expect(failing).rejects.toThrow('store refused');
    held.sent[0].settle(new Error('store refused'));
    await failed;
    const next = queries.run((client) => client.queryRange('next', range));
    await flush();
    expect(held.exprs()).toEqual(['fails', 'next']);
    held.sent[1].settle();
    await expect(next).resolves.toEqual(empty);
  });
});
