/**
 * What the main thread's long tasks are made of, by the browser's own accounting: a DevTools timeline trace of the
 * page, in which each task (RunTask) holds events for script (FunctionCall, TimerFire, EventDispatch…), style
 * (UpdateLayoutTree), layout, paint and garbage collection. The CPU profiler shows browser work only as
 * "(program)"; the trace names it.
 */
import type { CDPSession, Page } from 'playwright-core';
import { pageClockOffset } from './mainThreadProfile';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, microseconds: what the task cost, however long the OS kept the thread waiting. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface TracedTask {
  /** Page clock (`performance.now()`), as the Long Tasks observer reports. */
  startMs: number;
  durationMs: number;
  cpuMs: number;
  /** The kinds of work that took most of the task (self time), longest first: `UpdateLayoutTree 41 ms`. */
  parts: string[];
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'].join(',');

export async function startMainThreadTrace(page: Page) {
  const session: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (message) => events.push(...(message.value as unknown as TraceEvent[])));
  await session.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return {
    /** Tasks of the page's main thread longer than `minimumMs`, longest first. */
    async stop(minimumMs: number): Promise<TracedTask[]> {
      const offsetUs = await pageClockOffset(session, page);
      const complete = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
      await session.send('Tracing.end');
      await complete;
      await session.detach();
      return longTasks(events, minimumMs, offsetUs);
    },
  };
}

function longTasks(events: TraceEvent[], minimumMs: number, offsetUs: number): TracedTask[] {
  // Each renderer process has a main thread; the page's is the busiest.
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busyUs = (thread: TraceEvent) =>
    events
      .filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.name === 'RunTask')
      .reduce((sum, e) => sum + (e.dur ?? 0), 0);
  const main = mains.sort((a, b) => busyUs(b) - busyUs(a))[0];
  if (!main) {
    return [];
  }
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && e.dur! / 1000 > minimumMs);
  return tasks
    .map((task) => {
      const end = task.ts + task.dur!;
      // Self time of each kind of work: an event's duration less that of the events nested in it.
      const selfUs = new Map<string, number>();
      const stack: Array<{ name: string; end: number }> = [];
      for (const event of onMain) {
        if (event.ts < task.ts || event.ts >= end) {
          continue;
        }
        while (stack.length && event.ts >= stack[stack.length - 1].end) {
          stack.pop();
        }
        const eventEnd = Math.min(end, event.ts + event.dur!);
        const parent = stack[stack.length - 1];
        if (parent) {
          selfUs.set(parent.name, (selfUs.get(parent.name) ?? 0) - (eventEnd - event.ts));
        }
        selfUs.set(event.name, (selfUs.get(event.name) ?? 0) + (eventEnd - event.ts));
        stack.push({ name: event.name, end: eventEnd });
      }
      const byName = selfUs;
      const parts = [...byName.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([name, us]) => `${name} ${(us / 1000).toFixed(0)} ms`);
      return {
        startMs: (task.ts - offsetUs) / 1000,
        durationMs: task.dur! / 1000,
        cpuMs: (task.tdur ?? NaN) / 1000,
        parts,
      };
    })
    .sort((a, b) => b.durationMs - a.durationMs);
}
