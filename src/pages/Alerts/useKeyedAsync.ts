import { useEffect, useState } from 'react';

export type AsyncValue<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; error: unknown };

/**
 * Runs `load` whenever `key` changes (undefined: nothing to load) and keeps the newest answer. The key names
 * everything `load` reads, so `load` itself is not a dependency; an answer to an older key reads as loading.
 */
export function useKeyedAsync<T>(key: string | undefined, load: () => Promise<T>): AsyncValue<T> {
  const [answer, setAnswer] = useState<{ key: string; result: AsyncValue<T> }>();
  useEffect(() => {
    if (key === undefined) {
      return;
    }
    let current = true;
    load().then(
      (value) => current && setAnswer({ key, result: { state: 'done', value } }),
      (error: unknown) => current && setAnswer({ key, result: { state: 'error', error } })
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (key === undefined) {
    return { state: 'idle' };
  }
  return answer?.key === key ? answer.result : { state: 'loading' };
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
