import { INVENTORY_RECORDS, inventoryRecordExpressions, queryRangePreferringRecords } from './inventoryRecords';
import type { PromSeries, PrometheusClient, QueryResult } from './types';

const HOUR = 3600;
const RANGE = { startSeconds: 0, endSeconds: 10 * HOUR, stepSeconds: HOUR };
const hours = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => (first + i) * HOUR);
const series = (labels: Record<string, string>, firstHour: number, lastHour: number, value: number): PromSeries => ({
  labels,
  timestampsSeconds: hours(firstHour, lastHour),
  values: hours(firstHour, lastHour).map(() => value),
});

/** A client answering each expression's range query with fixed series, clipped to the asked range. */
function clientAnswering(answers: Record<string, PromSeries[]>) {
  const asked: Array<[string, number, number]> = [];
  const client = {
    queryRange: async (expr: string, options: { startSeconds: number; endSeconds: number; stepSeconds?: number }) => {
      asked.push([expr, options.startSeconds, options.endSeconds]);
      const clipped = (answers[expr] ?? [])
        .map((s) => {
          const kept = s.timestampsSeconds.flatMap((t, i) =>
            t >= options.startSeconds && t <= options.endSeconds ? [i] : []
          );
          return {
            ...s,
            timestampsSeconds: kept.map((i) => s.timestampsSeconds[i]),
            values: kept.map((i) => s.values[i]),
          };
        })
        .filter((s) => s.values.length > 0);
      return { series: clipped, warnings: [], stepSeconds: options.stepSeconds } satisfies QueryResult;
    },
  } as unknown as PrometheusClient;
  return { client, asked };
}

const records = inventoryRecordExpressions();

describe('queryRangePreferringRecords', () => {
  it('joins the raw series before a per-model record’s first sample to the record, model by model', async () => {
    const raw = records.modelCapacity!;
    const { client, asked } = clientAnswering({
      // Raw: H100 all 10 hours at 8 GPUs, A100 only in hours 0-3 at 4 GPUs (its nodes left before the rules began).
      [raw]: [series({ modelName: 'H100' }, 0, 10, 8), series({ modelName: 'A100' }, 0, 3, 4)],
      // The rules run from hour 4: H100 only, the record's name on each series.
      [INVENTORY_RECORDS.modelCapacity]: [
        series({ __name__: INVENTORY_RECORDS.modelCapacity, modelName: 'H100' }, 4, 10, 8),
      ],
    });
    const read = await queryRangePreferringRecords(client, raw, RANGE);
    expect(asked).toEqual([
      [INVENTORY_RECORDS.modelCapacity, 0, 10 * HOUR],
      [raw, 0, 3 * HOUR],
    ]);
    expect(read.expr).toBe(INVENTORY_RECORDS.modelCapacity);
    const byModel = Object.fromEntries(read.result.series.map((s) => [s.labels.modelName, s]));
    expect(byModel.H100.timestampsSeconds).toEqual(hours(0, 10));
    expect(byModel.H100.values).toEqual(hours(0, 10).map(() => 8));
    expect(byModel.A100.timestampsSeconds).toEqual(hours(0, 3));
  });

  it('reads the raw series alone when a fleet-wide record is several series (several servers’ records)', async () => {
    const raw = records.fleetCapacity!;
    const { client, asked } = clientAnswering({
      [raw]: [series({}, 0, 10, 16)],
      [INVENTORY_RECORDS.fleetCapacity]: [
        series({ __name__: INVENTORY_RECORDS.fleetCapacity, cluster: 'a' }, 0, 10, 8),
        series({ __name__: INVENTORY_RECORDS.fleetCapacity, cluster: 'b' }, 0, 10, 8),
      ],
    });
    const read = await queryRangePreferringRecords(client, raw, RANGE);
    expect(read.expr).toBe(raw);
    expect(asked.map(([expr]) => expr)).toEqual([INVENTORY_RECORDS.fleetCapacity, raw]);
    expect(read.result.series.map((s) => s.values[0])).toEqual([16]);
  });

  it('joins a fleet record carrying a server’s external label (Thanos) to the raw series before it', async () => {
    const raw = records.fleetAllocated!;
    const { client } = clientAnswering({
      [raw]: [series({}, 0, 10, 5)],
      [INVENTORY_RECORDS.fleetAllocated]: [
        series({ __name__: INVENTORY_RECORDS.fleetAllocated, cluster: 'a' }, 4, 10, 5),
      ],
    });
    const read = await queryRangePreferringRecords(client, raw, RANGE);
    // One series of the 11 hours: hours 0-3 raw, 4-10 recorded.
    expect(read.result.series).toHaveLength(1);
    expect(read.result.series[0].timestampsSeconds).toEqual(hours(0, 10));
  });

  it('reads the raw series alone when the record stops a step or more before the end (rules removed)', async () => {
    const raw = records.fleetCapacity!;
    const { client, asked } = clientAnswering({
      [raw]: [series({}, 0, 10, 16)],
      [INVENTORY_RECORDS.fleetCapacity]: [series({ __name__: INVENTORY_RECORDS.fleetCapacity }, 0, 9, 16)],
    });
    const read = await queryRangePreferringRecords(client, raw, RANGE);
    expect(read.expr).toBe(raw);
    expect(asked).toEqual([
      [INVENTORY_RECORDS.fleetCapacity, 0, 10 * HOUR],
      [raw, 0, 10 * HOUR],
    ]);
  });

  it('reads the record on a store that puts the steps on multiples of the step (VictoriaMetrics), not the start', async () => {
    const raw = records.fleetCapacity!;
    const { client, asked } = clientAnswering({
      [raw]: [series({}, 0, 10, 16)],
      // Points on whole hours; the range asked starts and ends half past.
      [INVENTORY_RECORDS.fleetCapacity]: [series({ __name__: INVENTORY_RECORDS.fleetCapacity }, 0, 10, 16)],
    });
    const read = await queryRangePreferringRecords(client, raw, {
      startSeconds: HOUR / 2,
      endSeconds: 10 * HOUR + HOUR / 2,
      stepSeconds: HOUR,
    });
    expect(read.expr).toBe(INVENTORY_RECORDS.fleetCapacity);
    expect(asked).toHaveLength(1);
  });

  it('sends an expression no record equals as one query', async () => {
    const { client, asked } = clientAnswering({ 'sum(up)': [series({}, 0, 10, 1)] });
    const read = await queryRangePreferringRecords(client, 'sum(up)', RANGE);
    expect(asked).toEqual([['sum(up)', 0, 10 * HOUR]]);
    expect(read.expr).toBe('sum(up)');
  });
});
