import { createCatalog } from '../../prometheus/catalog';
import type { PrometheusClient, PromSeries } from '../../prometheus/types';
import { runEfficiencyInPlace } from '../efficiency/efficiencyTask';
import { runForecastInPlace } from '../forecast/forecastTask';
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
