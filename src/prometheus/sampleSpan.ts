/**
 * From when to when a selector has samples, so that a time outside the data is answered with the range that exists
 * ("--time is before the first sample; data runs from … to …") instead of advice to deploy an exporter.
 */
import { DEFAULT_SEARCH_SECONDS, findNewestSampleSeconds, findOldestSampleSeconds } from './newestSample';
import type { PrometheusClient } from './types';

export interface SampleSpan {
  /** The oldest sample (exact when samples are a second or more apart). */
  firstSeconds: number;
  lastSeconds: number;
}

/** The span of `selectorExpr`'s samples at or before `nowSeconds`, or undefined when it has none in the search window. */
export async function findSampleSpan(
  client: PrometheusClient,
  selectorExpr: string,
  nowSeconds: number,
  searchSeconds = DEFAULT_SEARCH_SECONDS
): Promise<SampleSpan | undefined> {
  const lastSeconds = await findNewestSampleSeconds(client, selectorExpr, nowSeconds, searchSeconds);
  if (lastSeconds === undefined) {
    return undefined;
  }
  const firstSeconds = await findOldestSampleSeconds(client, selectorExpr, lastSeconds, searchSeconds);
  return { firstSeconds: firstSeconds ?? lastSeconds, lastSeconds };
}
