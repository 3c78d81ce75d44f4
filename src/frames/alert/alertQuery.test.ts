import { createCatalog } from '../../prometheus/catalog';
import type { PrometheusClient, PromSeries } from '../../prometheus/types';
import { runEfficiencyInPlace } from '../efficiency/efficiencyTask';
import { runForecastInPlace } from '../forecast/forecastTask';
import { answerForecastQuery } from '../forecast/runForecastQuery';
import { runInPlace } from '../fragmentation/fragmentationQuery';
import { QueryModelError } from '../queryModelError';
import { alertFrames, type AlertQueryContext } from './alertQuery';

const JUNE_2 = Date.UTC(2025, 5, 2) / 1000;
const HOUR = 3600;

/**
 * A Prometheus holding DCGM activity per pod (whole GPUs, no profiling fields): the PromQL itself is checked against a
 * real Prometheus in tests/integration/backend-queries.test.ts; here the per-namespace arithmetic is.
 */
function dcgmClient(pods: Array<{ namespace: string; pod: string; gpus: number; activity: number }>): PrometheusClient {
  const minutes = Array.from({ length: 60 }, (_, i) => JUNE_2 + 60 * i);
  const series = (value: (pod: (typeof pods)[number]) => number): PromSeries[] =>
    pods.map((pod) => ({
      labels: { namespace: pod.namespace, pod: pod.pod, modelName: 'NVIDIA L4' },
      timestampsSeconds: minutes,
      values: minutes.map(() => value(pod)),
    }));
  return {
    queryRange: async (expr) => ({
      series: expr.startsWith('avg by')
        ? series((pod) => pod.activity)
        : expr.startsWith('count by')
          ? // The devices each pod holds (podActivity.ts), counted per pod by MIG profile: whole GPUs here.
            series((pod) => pod.gpus)
          : [],
      warnings: [],
    }),
    queryInstant: async () => ({ series: [], warnings: [] }),
    series: async () => [],
    labelNames: async () => ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'pod'],
    labelValues: async () => ['DCGM_FI_DEV_GPU_UTIL'],
  };
}

function context(client: PrometheusClient, settings = {}): AlertQueryContext {
  return {
    client,
    catalog: createCatalog(),
    filters: {},
    fromMs: JUNE_2 * 1000,
    toMs: (JUNE_2 + HOUR) * 1000,
    appSettings: async () => settings,
    runForecast: runForecastInPlace,
    runEfficiency: runEfficiencyInPlace,
    runFragmentation: runInPlace,
  };
}

const noPrometheus: PrometheusClient = {
  queryRange: () => Promise.reject(new Error('no query expected')),
  queryInstant: () => Promise.reject(new Error('no query expected')),
  series: () => Promise.reject(new Error('no query expected')),
  labelNames: () => Promise.reject(new Error('no query expected')),
  labelValues: () => Promise.reject(new Error('no query expected')),
};

/** A PromQL demand of 10 GPUs at night and 20 by day, hourly, over the three days before the range's end. */
function demandClient(endSeconds: number): PrometheusClient {
  const hours = Array.from({ length: 72 }, (_, i) => endSeconds - (72 - i) * HOUR);
  return {
    ...noPrometheus,
    queryRange: async () => ({
      series: [
        {
          labels: {},
          timestampsSeconds: hours,
          values: hours.map((t) => (new Date(t * 1000).getUTCHours() >= 8 ? 20 : 10)),
        },
      ],
      warnings: [],
    }),
  };
}

describe('alertFrames', () => {
  // L4 at $2/GPU-h on demand. ml/idle-a (2 GPUs, 1 %) and ml/idle-b (1 GPU, 0 %) are idle; ml/busy (1 GPU, 80 %) and
  // web/serve (1 GPU, 60 %) are not. Idle GPUs: ml 2 + 1 = 3, web 0. Idle cost per hour: ml 3 × $2 = $6, web $0.
  const pods = [
    { namespace: 'ml', pod: 'idle-a', gpus: 2, activity: 1 },
    { namespace: 'ml', pod: 'idle-b', gpus: 1, activity: 0 },
    { namespace: 'ml', pod: 'busy', gpus: 1, activity: 80 },
    { namespace: 'web', pod: 'serve', gpus: 1, activity: 60 },
  ];
  const prices = {
    gpuPrices: [{ gpuModel: 'NVIDIA L4', onDemandPerGpuHour: 2, reservedPerGpuHour: 1, source: 'test' }],
  };

  it('answers idle GPUs and their cost per hour as one number per namespace, labelled by a string field', async () => {
    const [gpus] = await alertFrames({ refId: 'A', measure: 'idleGpus' }, context(dcgmClient(pods), prices));
    expect(gpus.fields.map((field) => [field.name, field.type, field.values])).toEqual([
      ['namespace', 'string', ['ml', 'web']],
      ['Idle GPUs', 'number', [3, 0]],
    ]);
    const [cost] = await alertFrames({ refId: 'B', measure: 'idleCostPerHour' }, context(dcgmClient(pods), prices));
    expect(cost.fields[1].values).toEqual([6, 0]);
    expect(cost.fields[1].config).toEqual({ unit: 'currencyUSD', decimals: 2 });
    expect(cost.meta).not.toHaveProperty('type');
  });

  // Priced as a GPU model the shipped list has without a reserved price (the cost mix's own note), and as one no list
  // has (the plan's note that the cost mix is not shown): both are about money, not about running out of GPUs.
  it.each([
    ['NVIDIA H200', /Cost mix: no reserved price known for NVIDIA H200/],
    ['Acme Z9', /no price for Acme Z9/i],
  ])("drops the cost mix's notices of a fleet priced as %s from the exhaustion measures", async (gpuModel, note) => {
    const query = { target: 'expr', expr: 'gpu_demand', capacity: '1000', priceGpuModel: gpuModel };
    const alertContext = context(demandClient(JUNE_2 + HOUR));
    const capacity = await answerForecastQuery(
      { refId: 'C', queryType: 'capacity', horizonHours: '24', ...query },
      { ...alertContext, endMs: alertContext.toMs, run: runForecastInPlace, scoreHoldout: false }
    );
    const notices = capacity.frames.flatMap((frame) => frame.meta?.notices ?? []);
    expect(notices.map((n) => n.text)).toContainEqual(expect.stringMatching(note));
    for (const measure of [
      { measure: 'exhaustionProbability', withinDays: '1' },
      { measure: 'daysToExhaustion80', horizonHours: '24' },
    ]) {
      const [frame] = await alertFrames({ refId: 'A', ...query, ...measure }, alertContext);
      expect(JSON.stringify(frame.meta)).not.toMatch(note);
      // The forecast's own notices stay: three days of history is short for the weekly rhythm.
      expect(frame.meta?.notices?.map((n) => n.text)).toContainEqual(expect.stringMatching(/^Short history: 3 days/));
      // A demand of at most 20 GPUs against 1,000: no risk within the day, no crossing within the horizon.
      expect(frame.fields.at(-1)!.values).toEqual([measure.measure === 'exhaustionProbability' ? 0 : null]);
    }
  });

  it('refuses an unknown measure, days beyond the forecast and a bad budget before asking Prometheus', async () => {
    const ask = (model: object) => alertFrames({ refId: 'A', ...model }, context(noPrometheus));
    await expect(ask({ measure: 'temperature' })).rejects.toThrow(QueryModelError);
    await expect(ask({})).rejects.toThrow('Unknown alert measure ""');
    await expect(ask({ measure: 'exhaustionProbability', withinDays: '29' })).rejects.toThrow(
      'Within days must be a whole number of days from 1 to 28, got "29".'
    );
    await expect(ask({ measure: 'budgetRatio', monthlyBudget: '-5' })).rejects.toThrow(
      'Monthly budget must be a number of dollars above 0, got "-5".'
    );
  });
});
