/**
 * When the newest sample of a selector was written. A range "ending now" shows nothing when data stopped arriving
 * (an exporter is down, or the data was backfilled), so the CLI ends its default range at the newest sample instead.
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
  searchSeconds = DEFAULT_SEARCH_SECONDS
): Promise<number | undefined> {
  const newestAt = async (timeSeconds: number) => {
    const result = await client.queryInstant(`max(timestamp(${selectorExpr}))`, timeSeconds);
    return result.series[0]?.values[0];
  };
  const live = await newestAt(nowSeconds);
  if (live !== undefined) {
    return live;
  }
  const coarse = await lastWindowWithData(client, selectorExpr, {
    startSeconds: nowSeconds - searchSeconds,
    endSeconds: nowSeconds,
  });
  if (coarse === undefined) {
    return undefined;
  }
  const fine = await lastWindowWithData(
    client,
    selectorExpr,
    { startSeconds: coarse.endSeconds - coarse.stepSeconds, endSeconds: coarse.endSeconds },
    FINE_STEP_SECONDS
  );
  // The newest sample lies within the last fine window, well inside the instant query's lookback.
  return fine === undefined ? undefined : newestAt(fine.endSeconds);
}

/** The last grid point whose preceding step-long window holds a sample of `selectorExpr`. */
async function lastWindowWithData(
  client: PrometheusClient,
  selectorExpr: string,
  range: TimeRangeSeconds,
  stepSeconds = chooseStepSeconds(range)
): Promise<{ endSeconds: number; stepSeconds: number } | undefined> {
  const result = await client.queryRange(`count(last_over_time(${selectorExpr}[${stepSeconds}s]))`, {
    ...range,
    stepSeconds,
  });
  const times = result.series[0]?.timestampsSeconds ?? [];
  return times.length > 0 ? { endSeconds: times[times.length - 1], stepSeconds } : undefined;
}
