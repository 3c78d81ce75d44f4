import { useState } from 'react';

/**
 * The newest value, or while a refresh is loading and has none yet, the one shown before: Grafana's time series keeps
 * its last drawing until new data arrives, and a chart that vanished on every zoom or refresh would lose the reader's
 * place (and the mouse's hover). What was shown last is kept, nothing older: after an answer with no value (an error,
 * an empty result), a refresh does not bring back a chart from before it.
 */
export function useKeptWhileLoading<T>(value: T | undefined, loading: boolean): T | undefined {
  const [kept, setKept] = useState(value);
  const shown = loading ? (value ?? kept) : value;
  // React's pattern for remembering a value from earlier renders: set state during render, only when it changed.
  if (shown !== kept) {
    setKept(shown);
  }
  return shown;
}
