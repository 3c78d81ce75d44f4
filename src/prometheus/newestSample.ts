/**
 * When the newest (and the oldest) sample of a selector was written. A range "ending now" shows nothing when data
 * stopped arriving (an exporter is down, or the data was backfilled), so the CLI ends its default range at the newest
 * sample instead; a time outside the data is answered with the range that exists (sampleSpan.ts).
 */
import { chooseStepSeconds } from './step';
import type { PrometheusClient, TimeRangeSeconds } from './types';

/** How far back to look when nothing is live: ten years. */
export const DEFAULT_SEARCH_SECONDS = 10 * 365 * 86400;
const FINE_STEP_SECONDS = 60;

/**
 * Unix seconds of the newest sample of `selectorExpr` at or before `nowSeconds`, or undefined if there is none in
 * the search window. One instant query when data is live (newer than Prometheus' 5-minute lookback); otherwise
 * narrows down with two aggregated range queries whose windows tile time without gaps, then reads the timestamp.
 */
export async function findNewestSampleSeconds(
  client: PrometheusClient,
  selectorExpr: string,
  nowSeconds: number,
  searchSeconds = DEFAULT_SEARCH_SECONDS,
  signal?: AbortSignal
): Promise<number | undefined> {
  const live = await timestampAt(client, 'max', selectorExpr, nowSeconds, signal);
  if (live !== undefined) {
    return live;
  }
  const minute = await minuteWithData(client, selectorExpr, nowSeconds, searchSeconds, 'last', signal);
  return minute === undefined ? undefined : timestampWithin(client, 'max', selectorExpr, minute, signal);
}

/**
 * Unix seconds of the oldest sample of `selectorExpr` in the `searchSeconds` before `untilSeconds`, or undefined.
 * Exact when samples are a second or more apart.
 */
export async function findOldestSampleSeconds(
  client: PrometheusClient,
  selectorExpr: string,
  untilSeconds: number,
  searchSeconds = DEFAULT_SEARCH_SECONDS
): Promise<number | undefined> {
  const minute = await minuteWithData(client, selectorExpr, untilSeconds, searchSeconds, 'first');
  return minute === undefined ? undefined : timestampWithin(client, 'min', selectorExpr, minute);
}

/**
 * The newest or oldest sample timestamp in the minute ending at `minuteEndSeconds`. Evaluated every second, so a
 * Prometheus whose lookback is shorter than the minute (`--query.lookback-delta`) still sees each sample: an instant
 * query at the minute's end would miss a sample that lies more than the lookback before it.
 */
async function timestampWithin(
  client: PrometheusClient,
  aggregation: 'min' | 'max',
  selectorExpr: string,
  minuteEndSeconds: number,
  signal?: AbortSignal
): Promise<number | undefined> {
  const result = await client.queryRange(
    `${aggregation}(timestamp(${selectorExpr}))`,
    { startSeconds: minuteEndSeconds - FINE_STEP_SECONDS, endSeconds: minuteEndSeconds, stepSeconds: 1 },
    signal
  );
  const timestamps = result.series[0]?.values.filter(Number.isFinite) ?? [];
  if (timestamps.length === 0) {
    return undefined;
  }
  return aggregation === 'max' ? Math.max(...timestamps) : Math.min(...timestamps);
}

async function timestampAt(
  client: PrometheusClient,
  aggregation: 'min' | 'max',
  selectorExpr: string,
  timeSeconds: number,
  signal?: AbortSignal
): Promise<number | undefined> {
  const result = await client.queryInstant(`${aggregation}(timestamp(${selectorExpr}))`, timeSeconds, signal);
  return result.series[0]?.values[0];
}

/**
 * The end of the first or last minute before `untilSeconds` that holds a sample: a coarse pass over the whole search
 * window, then a fine pass over the coarse window found.
 */
async function minuteWithData(
  client: PrometheusClient,
  selectorExpr: string,
  untilSeconds: number,
  searchSeconds: number,
  edge: 'first' | 'last',
  signal?: AbortSignal
): Promise<number | undefined> {
  const coarse = await windowWithData(
    client,
    selectorExpr,
    { startSeconds: untilSeconds - searchSeconds, endSeconds: untilSeconds },
    edge,
    signal
  );
  if (coarse === undefined) {
    return undefined;
  }
  const fine = await windowWithData(
    client,
    selectorExpr,
    { startSeconds: coarse.endSeconds - coarse.stepSeconds, endSeconds: coarse.endSeconds },
    edge,
    signal,
    FINE_STEP_SECONDS
  );
  return fine?.endSeconds;
}

/** The first or last grid point whose preceding step-long window holds a sample of `selectorExpr`. */
async function windowWithData(
  client: PrometheusClient,
  selectorExpr: string,
  range: TimeRangeSeconds,
  edge: 'first' | 'last',
  signal: AbortSignal | undefined,
  stepSeconds = chooseStepSeconds(range)
): Promise<{ endSeconds: number; stepSeconds: number } | undefined> {
  const result = await client.queryRange(
    `count(last_over_time(${selectorExpr}[${stepSeconds}s]))`,
    { ...range, stepSeconds },
    signal
  );
  const times = result.series[0]?.timestampsSeconds ?? [];
  const endSeconds = edge === 'first' ? times[0] : times[times.length - 1];
  return endSeconds === undefined ? undefined : { endSeconds, stepSeconds };
}
