/**
 * The `efficiency` query type in the browser: the shared answer of `frames/efficiency/runEfficiencyQuery.ts` (the
 * backend answers the same), its analysis in a Web Worker, its frames as Grafana data frames.
 */
import type { DataFrame } from '@grafana/data';

import {
  runEfficiencyQuery as efficiencyQueryFrames,
  type EfficiencyQuery,
  type EfficiencyQueryContext as SharedContext,
} from '../../frames/efficiency/runEfficiencyQuery';
import { toDataFrame } from '../frameValues';
import { runEfficiency } from './efficiencyRunner';

export type EfficiencyQueryContext = Omit<SharedContext, 'run'>;

export async function runEfficiencyQuery(query: EfficiencyQuery, context: EfficiencyQueryContext): Promise<DataFrame[]> {
  return (await efficiencyQueryFrames(query, { ...context, run: runEfficiency })).map(toDataFrame);
}
