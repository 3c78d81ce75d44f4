import { useEffect, useState } from 'react';

import { errorMessage } from '../../prometheus/redact';

export type AsyncValue<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; error: unknown };

/**
 * Runs `load` whenever `key` changes (undefined: nothing to load) and keeps the newest answer. The key names
 * everything `load` reads, so `load` itself is not a dependency; an answer to an older key reads as loading. The
 * signal aborts when the key changes or the component unmounts, so a load may stop work nobody waits for.
 */
export function useKeyedAsync<T>(key: string | undefined, load: (signal: AbortSignal) => Promise<T>): AsyncValue<T> {
  const [answer, setAnswer] = useState<{ key: string; result: AsyncValue<T> }>();
  useEffect(() => {
    if (key === undefined) {
      return;
    }
    const stale = new AbortController();
    load(stale.signal).then(
      (value) => !stale.signal.aborted && setAnswer({ key, result: { state: 'done', value } }),
      (error: unknown) => !stale.signal.aborted && setAnswer({ key, result: { state: 'error', error } })
    );
    return () => stale.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (key === undefined) {
    return { state: 'idle' };
  }
  return answer?.key === key ? answer.result : { state: 'loading' };
}

/** What the page shows of a failure: its message, credentials redacted. */
export const messageOf = (error: unknown) => errorMessage(error);
