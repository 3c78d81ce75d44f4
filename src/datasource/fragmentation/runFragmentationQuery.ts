/**
 * The `fragmentation` query type in the browser: the shared answer of `frames/fragmentation/fragmentationQuery.ts`
 * (the backend answers the same), its analysis in a Web Worker, its frames as Grafana data frames.
 */
import type { DataFrame } from '@grafana/data';

import {
  fragmentationFrames,
  type FragmentationQuery,
  type FragmentationQueryContext,
} from '../../frames/fragmentation/fragmentationQuery';
import { toDataFrame } from '../frameValues';
import { runFragmentation } from './fragmentationRunner';

export {
  DEFAULT_WORKLOAD_DAYS,
  OVER_TIME_INSTANTS,
  overTimeInstants,
  type FragmentationQueryContext,
} from '../../frames/fragmentation/fragmentationQuery';

export async function runFragmentationQuery(
  query: FragmentationQuery,
  context: FragmentationQueryContext
): Promise<DataFrame[]> {
  return (await fragmentationFrames(query, context, runFragmentation)).map(toDataFrame);
}
