import type { RawSeries } from './regularise';

/**
 * Per-second rate of a monotonically increasing counter, tolerant of resets: when the counter
 * drops, it restarted from zero, so the increase over that interval is the new value itself
 * (the same convention as Prometheus' rate()). Missing samples are skipped; each rate is
 * stamped at the end of its interval.
 */
export function counterToRate(counter: RawSeries): RawSeries {
  const timestampsSeconds: number[] = [];
  const values: number[] = [];
  let prevT = NaN;
  let prevV = NaN;
  for (let i = 0; i < counter.values.length; i++) {
    const v = counter.values[i];
    const t = counter.timestampsSeconds[i];
    if (v === null || !Number.isFinite(v) || !Number.isFinite(t)) {
      continue;
    }
    if (Number.isFinite(prevV) && t > prevT) {
      const increase = v >= prevV ? v - prevV : v;
      timestampsSeconds.push(t);
      values.push(increase / (t - prevT));
    }
    prevT = t;
    prevV = v;
  }
  return { timestampsSeconds, values };
}
