import { useState } from 'react';

/**
 * The newest value, or while a refresh is loading and has none yet, the previous one: Grafana's time series keeps its
 * last drawing until new data arrives, and a chart that vanished on every zoom or refresh would lose the reader's
 * place (and the mouse's hover).
 */
export function useKeptWhileLoading<T>(value: T | undefined, loading: boolean): T | undefined {
  const [kept, setKept] = useState(value);
  // React's pattern for remembering a value from earlier renders: set state during render, only when it changed.
  if (value !== undefined && value !== kept) {
    setKept(value);
  }
  return value ?? (loading ? kept : undefined);
}
