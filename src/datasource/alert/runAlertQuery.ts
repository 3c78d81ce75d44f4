/**
 * The `alert` query type in the browser: the shared answer of `frames/alert/alertQuery.ts` (the backend answers the
 * same when Grafana evaluates a rule), each analysis in its Web Worker, its frame as a Grafana data frame. A panel or
 * Explore then shows the number a rule would compare.
 */
import type { DataFrame } from '@grafana/data';

import { alertFrames, type AlertQuery, type AlertQueryContext } from '../../frames/alert/alertQuery';
import { runEfficiency } from '../efficiency/efficiencyRunner';
import { runForecast } from '../forecast/forecastRunner';
import { runFragmentation } from '../fragmentation/fragmentationRunner';
import { toDataFrame } from '../frameValues';

export type AlertQueryContextInBrowser = Omit<AlertQueryContext, 'runForecast' | 'runEfficiency' | 'runFragmentation'>;

export async function runAlertQuery(query: AlertQuery, context: AlertQueryContextInBrowser): Promise<DataFrame[]> {
  return (await alertFrames(query, { ...context, runForecast, runEfficiency, runFragmentation })).map(toDataFrame);
}
