import { recordsMissing, withRecordedSeries, withRuleExpressions, type InstantLabels } from './scaleReplay';

const RECORDS: Array<[string, string]> = [
  ['headroom:fleet_gpus_busy:sum', 'sum(DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!=""} > 0.05)'],
  ['headroom:fleet_gpus_busy:sum_by_zone', 'sum by (zone) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!=""} > 0.05)'],
];
const request = (query: string) => ({
  path: '/api/v1/query_range',
  params: [
    ['query', query],
    ['step', '120'],
  ] as Array<[string, string]>,
  arrivedMs: 0,
});

describe('withRuleExpressions', () => {
  it('puts each recorded series back as its expression, in parentheses, and counts the swaps', () => {
    const { requests, replaced } = withRuleExpressions(
      [request('headroom:fleet_gpus_busy:sum / 8'), request('headroom:fleet_gpus_busy:sum_by_zone')],
      RECORDS,
      300
    );
    expect(requests.map((r) => r.params[0][1])).toEqual([
      '(sum(DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!=""} > 0.05)) / 8',
      '(sum by (zone) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!=""} > 0.05))',
    ]);
    expect(requests[0].params[1]).toEqual(['step', '120']);
    expect(replaced).toBe(2);
  });

  it('leaves names inside quoted strings alone: the presence check asks for the records as sent', () => {
    const presence =
      'count by (__name__)({__name__=~"headroom:fleet_gpus_busy:sum|headroom:fleet_gpus_busy:sum_by_zone"})';
    const { requests, replaced } = withRuleExpressions([request(presence)], RECORDS, 300);
    expect(requests[0].params[0][1]).toBe(presence);
    expect(replaced).toBe(0);
  });

  it('is undone by withRecordedSeries for a query that reads one record', () => {
    const raw = withRuleExpressions([request('headroom:fleet_gpus_busy:sum')], RECORDS, 300).requests;
    const back = withRecordedSeries(raw, RECORDS).requests;
    expect(back[0].params[0][1]).toBe('(headroom:fleet_gpus_busy:sum)');
  });

  it("reads a record over a range as a subquery of its expression at the rules' interval, which the stores accept", () => {
    const memory: Array<[string, string]> = [
      [
        'headroom:model_gpu_memory_mib:max',
        'max by (modelName, GPU_I_PROFILE) (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)',
      ],
    ];
    const read =
      'max by (modelName, GPU_I_PROFILE) (max_over_time(headroom:model_gpu_memory_mib:max[86400s])) * 1048576';
    const { requests, replaced } = withRuleExpressions(
      [request(read), request('headroom:model_gpu_memory_mib:max[1h:5m]')],
      memory,
      300
    );
    expect(requests.map((r) => r.params[0][1])).toEqual([
      'max by (modelName, GPU_I_PROFILE) (max_over_time((max by (modelName, GPU_I_PROFILE) ' +
        '(DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))[86400s:300s])) * 1048576',
      // Already a subquery: its own resolution is kept.
      '(max by (modelName, GPU_I_PROFILE) (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))[1h:5m]',
    ]);
    expect(replaced).toBe(2);
  });
});

describe('recordsMissing', () => {
  /** A store answering the two kinds of query recordsMissing sends from what it holds at each time. */
  function store(held: Record<number, { records: string[]; nonEmpty: string[] }>) {
    const asked: string[] = [];
    const instant: InstantLabels = async (query, timeSeconds) => {
      asked.push(`${timeSeconds} ${query}`);
      const { records, nonEmpty } = held[timeSeconds];
      if (query.startsWith('count by (__name__)')) {
        return records.map((name) => ({ __name__: name }));
      }
      return nonEmpty.some((expr) => query === `count(${expr})`) ? [{}] : [];
    };
    return { instant, asked };
  }
  const busy = RECORDS[0][1];
  const byZone = RECORDS[1][1];

  it('names a record added after the store was filled, though the others are there', async () => {
    const { instant, asked } = store({
      100: { records: ['headroom:fleet_gpus_busy:sum'], nonEmpty: [busy, byZone] },
      200: { records: ['headroom:fleet_gpus_busy:sum'], nonEmpty: [busy, byZone] },
    });
    await expect(recordsMissing(instant, RECORDS, [100, 200])).resolves.toEqual([
      'headroom:fleet_gpus_busy:sum_by_zone',
    ]);
    expect(asked[0]).toBe(
      '100 count by (__name__) ({__name__=~"headroom:fleet_gpus_busy:sum|headroom:fleet_gpus_busy:sum_by_zone"})'
    );
  });

  it('does not name a record whose expression answers nothing, nor any when all are held at both times', async () => {
    const noZones = store({
      100: { records: ['headroom:fleet_gpus_busy:sum'], nonEmpty: [busy] },
      200: { records: ['headroom:fleet_gpus_busy:sum'], nonEmpty: [busy] },
    });
    await expect(recordsMissing(noZones.instant, RECORDS, [100, 200])).resolves.toEqual([]);
    const all = ['headroom:fleet_gpus_busy:sum', 'headroom:fleet_gpus_busy:sum_by_zone'];
    const full = store({
      100: { records: all, nonEmpty: [busy, byZone] },
      200: { records: all, nonEmpty: [busy, byZone] },
    });
    await expect(recordsMissing(full.instant, RECORDS, [100, 200])).resolves.toEqual([]);
    expect(full.asked).toHaveLength(2);
  });

  it('names a record held in the middle but not at the end, and every record for a store with none', async () => {
    const stale = store({
      100: {
        records: ['headroom:fleet_gpus_busy:sum', 'headroom:fleet_gpus_busy:sum_by_zone'],
        nonEmpty: [busy, byZone],
      },
      200: { records: ['headroom:fleet_gpus_busy:sum'], nonEmpty: [busy, byZone] },
    });
    await expect(recordsMissing(stale.instant, RECORDS, [100, 200])).resolves.toEqual([
      'headroom:fleet_gpus_busy:sum_by_zone',
    ]);
    const fresh = store({ 100: { records: [], nonEmpty: [busy, byZone] }, 200: { records: [], nonEmpty: [] } });
    await expect(recordsMissing(fresh.instant, RECORDS, [100, 200])).resolves.toEqual(RECORDS.map(([name]) => name));
    expect(fresh.asked).toHaveLength(1);
  });
});
