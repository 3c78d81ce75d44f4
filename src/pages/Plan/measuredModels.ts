/** The Headroom `serving` query's throughput answer read back for the Plan page: one row per served model. */
import type { DataFrame } from '@grafana/data';
import { SERVING_FRAMES } from '../../datasource/servingFrames';
import type { MeasuredModel } from './planResults';

export const THROUGHPUT_QUERY = {
  refId: 'throughput',
  queryType: 'serving' as const,
  servingView: 'throughput' as const,
};

export function measuredModels(frames: readonly DataFrame[] | undefined): MeasuredModel[] {
  const frame = frames?.find((f) => f.name === SERVING_FRAMES.throughput);
  const column = (name: string): unknown[] => frame?.fields.find((f) => f.name === name)?.values ?? [];
  const perGpu = column('Tokens/s per GPU') as number[];
  const hours = column('Serving hours') as number[];
  return (column('Model') as string[]).map((model, i) => ({
    model,
    tokensPerSecondPerGpu: perGpu[i],
    servingHours: hours[i],
  }));
}
