/** @jest-environment node */
import { idleCollection } from './idleCollection';

describe('idleCollection', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('collects once, the idle time after the last call ends', () => {
    const collect = jest.fn();
    const idle = idleCollection(2000, collect);
    idle.begin();
    idle.end();
    jest.advanceTimersByTime(1999);
    expect(collect).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60_000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('never collects while a call is in flight, and restarts the wait when a call ends', () => {
    const collect = jest.fn();
    const idle = idleCollection(2000, collect);
    idle.begin();
    idle.begin();
    idle.end();
    jest.advanceTimersByTime(10_000);
    expect(collect).not.toHaveBeenCalled();
    idle.end();
    jest.advanceTimersByTime(1500);
    idle.begin();
    idle.end();
    jest.advanceTimersByTime(1500);
    expect(collect).not.toHaveBeenCalled();
    jest.advanceTimersByTime(500);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('runs V8 full collection without --expose-gc', async () => {
    jest.useRealTimers();
    // The default collector is the real one: an object nothing references is gone after it, with no allocation
    // that would make V8 collect on its own.
    const unreferenced = new WeakRef({ garbage: 'x'.repeat(1024) });
    const idle = idleCollection(0);
    idle.begin();
    idle.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unreferenced.deref()).toBeUndefined();
  });
});
