/**
 * Range queries a few at a time at the store, each answer parsed while the next is answered. A query's turn at the
 * store ends when its answer's body has arrived (`onBodyReceived`), not when Headroom has parsed it: at 10,000 GPUs an
 * answer is 11–15 MB, and its redaction, JSON.parse and sample parsing take up to a second of the one Node thread,
 * during which the store would otherwise sit idle (docs/scale.md).
 *
 * Two limits: at most `maxAtStore` requests between sending and their body's arrival, and at most `maxAtStore + 1`
 * tasks started and not settled, so at most one answer is held being parsed (or waiting to be) beyond those at the
 * store. A task may send several requests (a record read, then the expression when the record falls short): each waits
 * for its own turn at the store.
 */
import { createTaskQueue } from './taskQueue';
import type { PrometheusClient, QueryResult } from './types';

export interface PipelinedQueries {
  /** Runs `task` in its turn, in the order queued, with a client whose range queries take turns at the store. */
  run<T>(task: (client: PrometheusClient) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createPipelinedQueries(client: PrometheusClient, maxAtStore: number): PipelinedQueries {
  const tasks = createTaskQueue(maxAtStore + 1);
  const atStore = createTaskQueue(maxAtStore);
  const queryRange: PrometheusClient['queryRange'] = async (expr, options, signal) => {
    let answer!: Promise<QueryResult>;
    // The turn ends when the body has arrived, or when the query settles (a failure, or a transport that cannot tell).
    await atStore.run(
      () =>
        new Promise<void>((turnEnds) => {
          answer = client.queryRange(expr, options, signal, turnEnds);
          answer.then(
            () => turnEnds(),
            () => turnEnds()
          );
        }),
      signal
    );
    return answer;
  };
  const turnTaking: PrometheusClient = { ...client, queryRange };
  return { run: (task, signal) => tasks.run(() => task(turnTaking), signal) };
}
