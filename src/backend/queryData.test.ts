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
  test('each query gets its own answer: an unknown type or measure, the LSTM, and JSON that is not a query', async () => {
    const answers = await queryData(connection, [
      query('A', { queryType: 'forecastt' }),
      query('B', { queryType: 'forecast', model: 'lstm' }),
      query('F', { queryType: 'alert', measure: 'gpuTemperature' }),
      query('G', { queryType: 'alert', measure: 'exhaustionProbability', withinDays: '60' }),
      query('E', { queryType: 'fragmentation', fragmentationView: 'summary', workloadDays: '365' }),
      query('C', '{not json'),
      query('D', { queryType: 'inventory', inventoryView: 'racks' }),
      query('H', { queryType: 'forecast', horizonHours: '1.5' }),
    ]);
    // Each with the code of its message beside it (the Error text frame), for the pages to word it.
    expect(answers.A).toEqual({
      frames: [expect.any(Uint8Array)],
      error:
        'Unknown Headroom query type "forecastt": choose inventory, forecast, capacity, fragmentation, efficiency, ' +
        'serving or alert.',
      status: 400,
      errorSource: 'plugin',
    });
    // The person's horizon, like a horizon longer than the history: the query as saved, so 400.
    expect(answers.H).toEqual({
      frames: [expect.any(Uint8Array)],
      error:
        'The horizon must be a whole number of hours from 1 to 672 (the 28 days of history a forecast reads: a ' +
        'forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot ' +
        'say how wrong it gets), got "1.5".',
      status: 400,
      errorSource: 'plugin',
    });
    expect(answers.B).toEqual({
      frames: [],
      error: expect.stringContaining('The LSTM model trains in the browser only'),
      status: 400,
      errorSource: 'plugin',
    });
    expect(answers.F.status).toBe(400);
    expect(answers.F.error).toContain('Unknown alert measure "gpuTemperature": choose exhaustionProbability,');
    expect(answers.G.status).toBe(400);
    expect(answers.G.error).toContain('Within days must be a whole number of days from 1 to 28, got "60"');
    expect(answers.C.status).toBe(400);
    expect(answers.D.error).toBe('Unknown inventory view "racks": choose fleet, byModel, byNamespace or nodes.');
    expect(answers.E).toEqual({
      // The code of the message, for the pages to word it in the user's language (frames/frameTexts.ts).
      frames: [expect.any(Uint8Array)],
      error: expect.stringContaining('Workload days must be a number from 1 to 90'),
      status: 400,
      errorSource: 'plugin',
    });
  });

  test('Prometheus unreachable: the error names it and is downstream, for every query type and alert measure', async () => {
    const models = [
      { queryType: 'inventory' },
      { queryType: 'forecast' },
      { queryType: 'capacity' },
      { queryType: 'efficiency', efficiencyView: 'burn' },
      { queryType: 'alert', measure: 'exhaustionProbability' },
      { queryType: 'alert', measure: 'fragmentedShare' },
      { queryType: 'alert', measure: 'idleCostPerHour' },
      { queryType: 'alert', measure: 'budgetRatio', monthlyBudget: '1000' },
    ];
    const answers = await queryData(
      connection,
      models.map((model, i) => query(`Q${i}`, model))
    );
    for (const answer of Object.values(answers)) {
      expect(answer).toEqual({
        frames: [expect.any(Uint8Array)],
        error: expect.stringContaining('Cannot reach Prometheus at http://127.0.0.1:1'),
        status: 500,
        errorSource: 'downstream',
      });
    }
    expect(Object.keys(answers)).toHaveLength(models.length);
  });

  test("the app's settings sent with a query are checked before Prometheus: bad ones are the query's error (400)", async () => {
    const badPrices = { gpuPrices: [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: -1, reservedPerGpuHour: 0.5 }] };
    const answers = await queryData(connection, [
      query('A', { queryType: 'efficiency', efficiencyView: 'burn', appSettings: badPrices }),
      query('B', { queryType: 'alert', measure: 'budgetRatio', appSettings: { monthlyBudget: 0 } }),
      // Good settings: the query goes on to Prometheus, which is not there.
      query('C', { queryType: 'capacity', appSettings: { monthlyBudget: 1000, gpuPrices: [] } }),
    ]);
    expect(answers.A).toEqual({
      frames: [],
      error: expect.stringContaining('The on-demand price of NVIDIA L4 must be a number of dollars above 0'),
      status: 400,
      errorSource: 'plugin',
    });
    expect(answers.B.status).toBe(400);
    expect(answers.B.error).toContain('The monthly budget must be a positive number of dollars');
    expect(answers.C.status).toBe(500);
    expect(answers.C.errorSource).toBe('downstream');
  });
});
