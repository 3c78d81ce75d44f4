/**
 * Timestamps read from CSV files: the unit they are in (seconds or milliseconds, detected or given), and samples that
 * share a timestamp, combined by their mean. Pure, so it is tested without files.
 */
import { UsageError } from './args';

export type TimestampUnit = 's' | 'ms';

/**
 * From here on a timestamp is taken for milliseconds: 1e11 s is the year 5138, 1e11 ms is 1973. Values below it are
 * seconds, whether unix time or time since the trace began (the Alibaba trace's `timestamp_anon`).
 */
const MILLISECONDS_FROM = 1e11;
/** 1e14 ms is the year 5138 again: such values are microseconds or nanoseconds. */
const TOO_LARGE_FROM = 1e14;

/**
 * The unit of `timestamps` (NaN ignored): `given` when set, else seconds when every value is under 1e11 and
 * milliseconds when every value is from 1e11 to 1e14. A mix, or larger values, is refused with what to pass.
 */
export function timestampUnit(
  timestamps: readonly number[],
  given: TimestampUnit | undefined,
  what: string
): TimestampUnit {
  if (given) {
    return given;
  }
  let small = 0;
  let large = 0;
  let huge = 0;
  for (const t of timestamps) {
    const size = Math.abs(t);
    if (Number.isNaN(t)) {
      continue;
    }
    if (size >= TOO_LARGE_FROM) {
      huge++;
    } else if (size >= MILLISECONDS_FROM) {
      large++;
    } else {
      small++;
    }
  }
  if (huge > 0) {
    throw new UsageError(
      `${what}: ${huge} timestamp(s) are 1e14 or more, which is neither unix seconds nor milliseconds ` +
        '(microseconds or nanoseconds?); convert them to seconds or milliseconds.'
    );
  }
  if (small > 0 && large > 0) {
    throw new UsageError(
      `${what}: the timestamps mix seconds (${small} under 1e11) and milliseconds (${large} from 1e11); make them ` +
        'one unit, or say which with --timestamp-unit s|ms.'
    );
  }
  return large > 0 ? 'ms' : 's';
}

export interface CombinedSamples {
  timestampsSeconds: number[];
  values: number[];
  /** Samples that repeated an earlier sample's timestamp and were averaged into it. */
  duplicates: number;
}

/**
 * Samples in time order with every timestamp once: samples that share a timestamp become one whose value is their
 * mean. Samples without a timestamp (NaN) are kept as they are, for the analysis to drop and count.
 */
export function combineDuplicates(timestampsSeconds: readonly number[], values: readonly number[]): CombinedSamples {
  const indexes = timestampsSeconds.map((_, i) => i);
  const order = [
    ...indexes
      .filter((i) => !Number.isNaN(timestampsSeconds[i]))
      .sort((a, b) => timestampsSeconds[a] - timestampsSeconds[b]),
    ...indexes.filter((i) => Number.isNaN(timestampsSeconds[i])),
  ];
  const out: CombinedSamples = { timestampsSeconds: [], values: [], duplicates: 0 };
  let count = 0;
  for (const i of order) {
    const t = timestampsSeconds[i];
    const last = out.timestampsSeconds.length - 1;
    if (!Number.isNaN(t) && last >= 0 && out.timestampsSeconds[last] === t) {
      count++;
      out.values[last] += (values[i] - out.values[last]) / count;
      out.duplicates++;
      continue;
    }
    out.timestampsSeconds.push(t);
    out.values.push(values[i]);
    count = 1;
  }
  return out;
}
