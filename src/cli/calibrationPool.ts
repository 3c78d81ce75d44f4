/**
 * Recalibrates many series at once in a small pool of worker threads, one per core: a recalibration is CPU work
 * per series (the band, the replay behind "expected starts per week", the compiled rules) with nothing shared, so a
 * fleet of a thousand series keeps every core busy. With one thread (one core, or one series) the work runs on the
 * calling thread instead, without starting a worker.
 */
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { CalibrationError } from '../alerting/calibrate';
import { CalibratedRules, calibrateRules, CalibrationJob } from '../alerting/calibrationJob';

/** A job on the wire: the history as float64 arrays (null as NaN), moved to the worker rather than copied. */
export interface WireJob extends Omit<CalibrationJob, 'timestampsSeconds' | 'values'> {
  id: number;
  timestampsSeconds: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
}

export type WireResult =
  | { id: number; result: CalibratedRules }
  | { id: number; error: { message: string; stack?: string; calibration: boolean } };

/** Series a thread must have to be started: each takes a few milliseconds, a thread's start a few hundred. */
const SERIES_PER_THREAD = 100;

/** Jobs a worker holds at once: the next is there when one finishes, so a thread never waits for a message. */
const JOBS_PER_WORKER = 2;

interface Pending {
  job: WireJob;
  resolve: (result: CalibratedRules) => void;
  reject: (error: Error) => void;
}

/** The worker's entry: this directory's calibrationWorker, loaded through tsx when running from TypeScript. */
function workerSource(): string {
  const extension = extname(__filename);
  const entry = JSON.stringify(join(__dirname, `calibrationWorker${extension}`));
  return extension === '.ts'
    ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${entry});`
    : `require(${entry});`;
}

export class CalibrationPool {
  private readonly workers: Worker[] = [];
  private readonly held = new Map<Worker, Map<number, Pending>>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  /** `threads` worker threads; at most 1 runs the jobs on the calling thread. */
  constructor(readonly threads: number) {
    if (threads <= 1) {
      return;
    }
    const source = workerSource();
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(source, { eval: true });
      this.workers.push(worker);
      this.held.set(worker, new Map());
      worker.on('message', (message: WireResult) => this.settle(worker, message));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`a calibration worker stopped (exit code ${code})`)));
    }
  }

  /**
   * As many threads as cores, but one per SERIES_PER_THREAD series at most: a thread takes a few hundred
   * milliseconds to start, which a few series do not pay back.
   */
  static forSeries(seriesCount: number): CalibrationPool {
    return new CalibrationPool(
      Math.max(1, Math.min(availableParallelism(), Math.floor(seriesCount / SERIES_PER_THREAD)))
    );
  }

  /** Rejects with `CalibrationError` when the history holds too little to learn from. */
  calibrate(job: CalibrationJob): Promise<CalibratedRules> {
    if (this.workers.length === 0) {
      return new Promise((resolve) => resolve(calibrateRules(job)));
    }
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      const wire: WireJob = {
        ...job,
        id: this.nextId++,
        timestampsSeconds: Float64Array.from(job.timestampsSeconds),
        values: Float64Array.from(job.values, (v) => (v === null ? NaN : v)),
      };
      this.queue.push({ job: wire, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the threads; jobs not finished are rejected. */
  async close(): Promise<void> {
    this.fail(new Error('the calibration pool was closed'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      const held = this.held.get(worker)!;
      while (held.size < JOBS_PER_WORKER && this.queue.length > 0) {
        const pending = this.queue.shift()!;
        held.set(pending.job.id, pending);
        const { timestampsSeconds, values } = pending.job;
        worker.postMessage(pending.job, [timestampsSeconds.buffer, values.buffer]);
      }
    }
  }

  private settle(worker: Worker, message: WireResult): void {
    const held = this.held.get(worker)!;
    const pending = held.get(message.id);
    if (!pending) {
      return;
    }
    held.delete(message.id);
    if ('result' in message) {
      pending.resolve(message.result);
    } else {
      const { calibration, message: text, stack } = message.error;
      const error = calibration ? new CalibrationError(text) : new Error(text);
      error.stack = stack ?? error.stack;
      pending.reject(error);
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const held of this.held.values()) {
      held.forEach((pending) => pending.reject(this.failure!));
      held.clear();
    }
    this.queue.splice(0).forEach((pending) => pending.reject(this.failure!));
  }
}
