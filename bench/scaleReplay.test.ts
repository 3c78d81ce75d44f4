import { withRecordedSeries, withRuleExpressions } from './scaleReplay';

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
      RECORDS
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
    const { requests, replaced } = withRuleExpressions([request(presence)], RECORDS);
    expect(requests[0].params[0][1]).toBe(presence);
    expect(replaced).toBe(0);
  });

  it('is undone by withRecordedSeries for a query that reads one record', () => {
    const raw = withRuleExpressions([request('headroom:fleet_gpus_busy:sum')], RECORDS).requests;
    const back = withRecordedSeries(raw, RECORDS).requests;
    expect(back[0].params[0][1]).toBe('(headroom:fleet_gpus_busy:sum)');
  });
});
