/**
 * Starting a plugin Web Worker the way Grafana can load it. The plugin is built as AMD, so a worker bundle is wrapped
 * in `define(...)`, which a worker does not have: a small blob bootstrap provides it. A blob worker also works when a
 * CDN serves the plugin, where a worker script from another origin could not be started directly.
 *
 * Each plugin's build emits its worker bundles, chunks and `.wasm` files next to its `module.js`, and webpack's
 * runtime public path is the folder Grafana served that module from, whichever URL layout it uses
 * (docs/grafana-compatibility.md). Inside a blob worker the bundle's own public path is the build's relative
 * fallback, which resolves against nothing useful: the bootstrap passes the starting module's public path, made
 * absolute, and a worker that loads chunks or assets sets its public path from it (forecast.worker.ts).
 */
import type { CodedError, FrameText } from '../frames/frameTexts';

declare let __webpack_public_path__: string;

/** Global the bootstrap sets to the absolute public path of the module that started the worker. */
export const BLOB_WORKER_PUBLIC_PATH_GLOBAL = '__headroomWorkerPublicPath';

/**
 * The URL webpack gave a worker bundle, in the folder of the module starting it. Webpack emits a worker only for a
 * literal `new Worker(new URL(...))`, so the URL is taken from a stand-in Worker that `construct` creates.
 */
export function workerScriptUrl(construct: () => void): string {
  const RealWorker = globalThis.Worker;
  let url = '';
  globalThis.Worker = class {
    constructor(scriptUrl: string | URL) {
      url = String(scriptUrl);
    }
  } as unknown as typeof Worker;
  try {
    construct();
  } finally {
    globalThis.Worker = RealWorker;
  }
  return url;
}

/** The blob worker's script: `define` for the AMD bundle, the public path, then the bundle itself. */
export function blobWorkerBootstrap(scriptUrl: string, publicPath: string, pageBaseUrl: string): string {
  return [
    `self.${BLOB_WORKER_PUBLIC_PATH_GLOBAL} = ${JSON.stringify(new URL(publicPath, pageBaseUrl).href)};`,
    'self.define = function (deps, factory) { factory(); };',
    `importScripts(${JSON.stringify(new URL(scriptUrl, pageBaseUrl).href)});`,
  ].join('\n');
}

/**
 * Any number of progress replies, then one outcome or error: the error's message, and its code when it has one
 * (frames/frameTexts.ts CodedError), so that the page words it in the user's language as it would in place.
 */
export type WorkerReply<Outcome, Progress = never> =
  | { id: number; outcome: Outcome }
  | { id: number; error: string; text?: FrameText }
  | { id: number; progress: Progress };

/**
 * The reply to a task that threw `error`: its message, with its code when it has one and it can cross to the page (a
 * text `postMessage` cannot copy would make the reply fail and leave the page waiting; the message alone then goes).
 */
export function errorReply(id: number, error: unknown): { id: number; error: string; text?: FrameText } {
  const text = error instanceof Error ? (error as Partial<CodedError>).text : undefined;
  return { id, error: error instanceof Error ? error.message : String(error), ...(text && copiable(text) && { text }) };
}

function copiable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** What a worker receives: a task, or the cancellation of one still running (`id` pairs the two). */
export type WorkerRequest<Task> = { id: number; task: Task } | { id: number; cancel: true };

export interface WorkerRunOptions<Progress> {
  /** Buffers moved to the worker rather than copied. */
  transfer?: Transferable[];
  onProgress?: (progress: Progress) => void;
  /** Aborting rejects at once with an AbortError and tells the worker to cancel the task. */
  signal?: AbortSignal;
}

/**
 * One worker answering `{id, task}` messages with any `{id, progress}` and then `{id, outcome}` or `{id, error}`,
 * started on first use and restarted after a load failure. `label` names it in errors ("The efficiency worker
 * failed: …", "The forecast was cancelled.").
 */
export function workerClient<Task, Outcome, Progress = never>(label: string, scriptUrl: () => string) {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (outcome: Outcome) => void; reject: (error: Error) => void; onProgress?: (progress: Progress) => void }
  >();

  const start = (): Worker => {
    const bootstrap = blobWorkerBootstrap(scriptUrl(), __webpack_public_path__, document.baseURI);
    const started = new Worker(URL.createObjectURL(new Blob([bootstrap], { type: 'text/javascript' })));
    started.onmessage = (event: MessageEvent<WorkerReply<Outcome, Progress>>) => {
      const reply = event.data;
      const waiting = pending.get(reply.id);
      if ('progress' in reply) {
        waiting?.onProgress?.(reply.progress);
        return;
      }
      pending.delete(reply.id);
      if ('error' in reply) {
        waiting?.reject(Object.assign(new Error(reply.error), reply.text && { text: reply.text }));
      } else {
        waiting?.resolve(reply.outcome);
      }
    };
    started.onerror = (event) => {
      // A worker that failed to load cannot answer: fail everything waiting, and start afresh next time.
      const error = new Error(`The ${label} worker failed: ${event.message || 'it could not be loaded'}`);
      pending.forEach((waiting) => waiting.reject(error));
      pending.clear();
      started.terminate();
      worker = undefined;
    };
    return started;
  };

  return {
    run(task: Task, options: WorkerRunOptions<Progress> = {}): Promise<Outcome> {
      const { transfer = [], onProgress, signal } = options;
      if (signal?.aborted) {
        return Promise.reject(abortError(label));
      }
      worker ??= start();
      const started = worker;
      const id = nextId++;
      return new Promise<Outcome>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(id);
          started.postMessage({ id, cancel: true } satisfies WorkerRequest<Task>);
          reject(abortError(label));
        };
        const settle =
          <T>(done: (value: T) => void) =>
          (value: T) => {
            signal?.removeEventListener('abort', onAbort);
            done(value);
          };
        pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
        signal?.addEventListener('abort', onAbort, { once: true });
        started.postMessage({ id, task } satisfies WorkerRequest<Task>, transfer);
      });
    },
  };
}

/** How a cancelled task rejects, in a worker or in place: "The forecast was cancelled." */
export const abortError = (label: string) => new DOMException(`The ${label} was cancelled.`, 'AbortError');
