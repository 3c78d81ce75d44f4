/** @jest-environment node */
import { queryData, type DataQueryMessage } from './queryData';
import type { PrometheusConnection } from './settings';

/** Answers that need no Prometheus: the inventory itself is checked against a real one by tests/backend (Go). */
const connection: PrometheusConnection = {
  url: 'http://127.0.0.1:1',
  headers: {},
  secrets: [],
  secretHeaderNames: [],
  timeoutMs: 1_000,
  metricOverrides: {},
  tls: {},
};

function query(refId: string, model: object | string, queryType = ''): DataQueryMessage {
  return {
    refId,
    intervalMs: 60_000,
    timeRange: { fromEpochMs: 1_700_000_000_000, toEpochMs: 1_700_003_600_000 },
    json: Buffer.from(typeof model === 'string' ? model : JSON.stringify(model)),
    queryType,
  };
}

describe('queryData', () => {
  test('each query gets its own answer: an unknown type, a type not served yet, and JSON that is not a query', async () => {
    const answers = await queryData(connection, [
      query('A', { queryType: 'forecastt' }),
      query('B', { queryType: 'forecast' }),
      query('E', { queryType: 'fragmentation', fragmentationView: 'summary', workloadDays: '365' }),
      query('C', '{not json'),
      query('D', { queryType: 'inventory', inventoryView: 'racks' }),
    ]);
    expect(answers.A).toEqual({
      frames: [],
      error: expect.stringContaining('Unknown Headroom query type "forecastt"'),
      status: 400,
      errorSource: 'plugin',
    });
    expect(answers.B.error).toContain("not answered by Headroom's backend yet");
    expect(answers.C.status).toBe(400);
    expect(answers.D.error).toContain('Unknown inventory view "racks"');
    expect(answers.E).toEqual({
      frames: [],
      error: expect.stringContaining('Workload days must be a number from 1 to 90'),
      status: 400,
      errorSource: 'plugin',
    });
  });

  test('Prometheus unreachable: the error names it and is downstream', async () => {
    const answers = await queryData(connection, [query('A', { queryType: 'inventory' })]);
    expect(answers.A).toEqual({
      frames: [],
      error: expect.stringContaining('Cannot reach Prometheus at http://127.0.0.1:1'),
      status: 500,
      errorSource: 'downstream',
    });
  });
});
