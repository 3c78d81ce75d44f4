/**
 * Runs async tasks at most `maxRunning` at a time, in the order they were queued. A task whose signal aborts while it
 * waits leaves the queue without running and rejects with the signal's reason.
 */
export interface TaskQueue {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createTaskQueue(maxRunning: number): TaskQueue {
  const waiting: Array<() => void> = [];
  let running = 0;

  const startNext = () => {
    while (running < maxRunning && waiting.length > 0) {
      running++;
      waiting.shift()!();
    }
  };

  return {
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const start = () => {
          signal?.removeEventListener('abort', onAbort);
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              running--;
              startNext();
            });
        };
        const onAbort = () => {
          waiting.splice(waiting.indexOf(start), 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(start);
        startNext();
      });
    },
  };
}
