/**
 * Another process's memory and CPU time from Linux's /proc (proc(5)), for benchmarks that measure a process they
 * started (the data source's backend) rather than themselves.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Resident and peak resident memory of a process (VmRSS, VmHWM), in bytes. */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Starts the process's peak resident memory again from its current one (`5` into clear_refs): VmHWM then is the peak since. */
export function resetPeakMemory(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * CPU milliseconds a process has used, every thread's: utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms
 * (`getconf CLK_TCK` is 100 on Linux). The command name in parentheses may hold spaces and parentheses: the fields
 * are counted after its last `)`.
 */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
