/**
 * Gives memory back to the system once the process falls idle after calls. Grafana keeps a backend plugin's process
 * for as long as it runs, and V8 keeps a heap that one large answer grew (about 10 MB of Prometheus JSON for a
 * fragmentation query at 10,000 GPUs) until it needs the space again (`npm run bench:backend`, docs/architecture.md).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Long enough that a burst of calls (a dashboard's panels, an alert group) finishes first. */
export const IDLE_COLLECTION_MS = 2000;

export interface IdleCollection {
  /** A call starts: no collection while it runs. */
  begin(): void;
  /** A call ends: once none has run for the idle time, one collection. */
  end(): void;
}

/**
 * V8's full collection. Node exposes it only under `--expose-gc`, which Grafana does not pass and a single-executable
 * application cannot carry; the flag set at run time exposes `gc` to contexts made after it.
 */
function fullCollection(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export function idleCollection(idleMs = IDLE_COLLECTION_MS, collect: () => void = fullCollection): IdleCollection {
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    begin() {
      inFlight++;
      clearTimeout(timer);
      timer = undefined;
    },
    end() {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight === 0) {
        clearTimeout(timer);
        // Unreferenced: a pending collection never keeps the process alive.
        timer = setTimeout(() => {
          timer = undefined;
          collect();
        }, idleMs).unref();
      }
    },
  };
}
