import { createTaskQueue } from './taskQueue';

/** A task that runs until the test settles it, recording that it started. */
function controlledTask(started: string[], name: string) {
  let settle!: { resolve: (value: string) => void; reject: (error: Error) => void };
  const task = () =>
    new Promise<string>((resolve, reject) => {
      started.push(name);
      settle = { resolve, reject };
    });
  return { task, settle: () => settle };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createTaskQueue', () => {
  it('runs at most maxRunning tasks at once, the next one as soon as one settles, in queue order', async () => {
    const queue = createTaskQueue(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => controlledTask(started, name));
    const results = tasks.map((t) => queue.run(t.task));
    await flush();
    expect(started).toEqual(['a', 'b']);

    tasks[1].settle().resolve('B');
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    await expect(results[1]).resolves.toBe('B');

    // A failure frees its slot too.
    const failed = expect(results[0]).rejects.toThrow('a failed');
    tasks[0].settle().reject(new Error('a failed'));
    await failed;
    await flush();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops a waiting task whose signal aborts, rejecting with the reason, and never runs it', async () => {
    const queue = createTaskQueue(1);
    const started: string[] = [];
    const first = controlledTask(started, 'first');
    const second = controlledTask(started, 'second');
    const third = controlledTask(started, 'third');
    queue.run(first.task);
    const abort = new AbortController();
    const dropped = queue.run(second.task, abort.signal);
    const kept = queue.run(third.task);
    abort.abort(new Error('left the page'));
    await expect(dropped).rejects.toThrow('left the page');

    first.settle().resolve('done');
    await flush();
    expect(started).toEqual(['first', 'third']);
    third.settle().resolve('third done');
    await expect(kept).resolves.toBe('third done');
  });

  it('rejects at once when the signal has already aborted', async () => {
    const queue = createTaskQueue(1);
    const task = jest.fn(async () => 'ran');
    const abort = new AbortController();
    abort.abort(new Error('too late'));
    await expect(queue.run(task, abort.signal)).rejects.toThrow('too late');
    expect(task).not.toHaveBeenCalled();
  });

  it('turns a task that throws synchronously into a rejection and keeps serving', async () => {
    const queue = createTaskQueue(1);
    const throwing = () => {
      throw new Error('bad task');
    };
    await expect(queue.run(throwing)).rejects.toThrow('bad task');
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
  });
});
