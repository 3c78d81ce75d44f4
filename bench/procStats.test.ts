/** @jest-environment node */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cpuMsOf, memoryOf, resetPeakMemory } from './procStats';

const MIB = 2 ** 20;

/**
 * A Node child that runs `script` (told its steps on stdin, one line each) and prints one line after each step;
 * started through a link whose name holds a space and a parenthesis, as a command name in /proc/<pid>/stat can.
 */
function child(script: string): { process: ChildProcess; next: () => Promise<string>; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'proc-stats-'));
  const program = path.join(dir, 'no de) x');
  symlinkSync(process.execPath, program);
  const started = spawn(program, ['--expose-gc', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  let buffered = '';
  started.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
    if (waiting && lines.length > 0) {
      waiting(lines.shift()!);
      waiting = undefined;
    }
  });
  const next = () => {
    started.stdin!.write('\n');
    return lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise<string>((resolve) => (waiting = resolve));
  };
  return { process: started, next, dir };
}

async function stop(started: ReturnType<typeof child>): Promise<void> {
  const exited = once(started.process, 'exit');
  started.process.kill();
  await exited;
  rmSync(started.dir, { recursive: true, force: true });
}

describe('/proc readings of another process', () => {
  it('gives the CPU time the process counts itself (getrusage through process.cpuUsage), to its 10 ms ticks', async () => {
    // Step 1 burns CPU until the process's own count passes 300 ms, and prints that count in milliseconds.
    const started = child(`
      const cpuMs = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
      process.stdin.on('data', () => {
        while (cpuMs() < 300) {}
        console.log(cpuMs());
      });`);
    try {
      const ownMs = Number(await started.next());
      const procMs = cpuMsOf(started.process.pid!);
      expect(ownMs).toBeGreaterThanOrEqual(300);
      // Read after the count: at most the ticks spent printing later, and user and system time each rounded down to
      // a tick.
      expect(procMs).toBeGreaterThanOrEqual(ownMs - 20);
      expect(procMs).toBeLessThan(ownMs + 50);
    } finally {
      await stop(started);
    }
  });

  it('gives the peak resident memory since the last reset', async () => {
    // Step 1 touches 256 MiB outside V8's heap; step 2 lets it go (one large allocation: unmapped when freed).
    const started = child(`
      let big;
      let step = 0;
      process.stdin.on('data', () => {
        step++;
        if (step === 1) {
          big = Buffer.alloc(256 * 2 ** 20, 1);
        } else {
          big = undefined;
          global.gc();
        }
        console.log(step);
      });`);
    try {
      const pid = started.process.pid!;
      const before = memoryOf(pid);
      expect(before.hwm).toBeGreaterThanOrEqual(before.rss);
      await started.next();
      const holding = memoryOf(pid);
      expect(holding.rss - before.rss).toBeGreaterThan(250 * MIB);
      await started.next();
      // V8 frees a collected buffer's memory on a thread of its own, soon after the collection.
      let released = memoryOf(pid);
      for (let polls = 0; polls < 50 && released.rss >= holding.rss - 200 * MIB; polls++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        released = memoryOf(pid);
      }
      expect(released.rss).toBeLessThan(holding.rss - 200 * MIB);
      // Without a reset the peak keeps the buffer; after one it starts again from the resident memory now. (Linux's
      // resident count is approximate between reads, to a few hundred KiB: the peak is compared with the buffer.)
      expect(released.hwm - before.rss).toBeGreaterThan(250 * MIB);
      resetPeakMemory(pid);
      const reset = memoryOf(pid);
      expect(reset.hwm).toBeLessThan(holding.rss - 200 * MIB);
      expect(reset.hwm).toBeGreaterThanOrEqual(reset.rss);
    } finally {
      await stop(started);
    }
  });
});
