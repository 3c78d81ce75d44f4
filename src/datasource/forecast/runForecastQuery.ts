/**
 * The `forecast` and `capacity` query types in the browser: the shared answer of `frames/forecast/runForecastQuery.ts`
 * (the backend answers the same), its models in a Web Worker, its frames as Grafana data frames.
 */
import type { DataFrame } from '@grafana/data';

import {
  runForecastQuery as forecastQueryFrames,
  type ForecastQuery,
  type ForecastQueryContext as SharedContext,
} from '../../frames/forecast/runForecastQuery';
import { toDataFrame } from '../frameValues';
import { runForecast } from './forecastRunner';

export { EXPR_TARGET, FORECASTABLE_TARGETS } from '../../frames/forecast/runForecastQuery';

export type ForecastQueryContext = Omit<SharedContext, 'run'>;

export async function runForecastQuery(query: ForecastQuery, context: ForecastQueryContext): Promise<DataFrame[]> {
  return (await forecastQueryFrames(query, { ...context, run: runForecast })).map(toDataFrame);
}
