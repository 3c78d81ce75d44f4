import { createCatalog } from '../../prometheus/catalog';
import type { PrometheusClient, PromSeries } from '../../prometheus/types';
import { runEfficiencyQuery } from './runEfficiencyQuery';

const JUNE_2 = Date.UTC(2025, 5, 2) / 1000;
const HOUR = 3600;

/** A Prometheus with DCGM (no profiling fields) and kube-state-metrics; answers by what each expression computes. */
function fakeClient(answer: (expr: string) => PromSeries[]): PrometheusClient {
  return {
    queryRange: async (expr) => ({ series: answer(expr), warnings: [] }),
    queryInstant: async () => ({ series: [], warnings: [] }),
    series: async () => [],
    labelNames: async () => ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'pod'],
    labelValues: async () => ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE'],
  };
}

const pod = (name: string, model: string, values: number[], start = JUNE_2) => ({
  labels: { namespace: 'ml', pod: name, modelName: model },
  timestampsSeconds: values.map((_, i) => start + 60 * i),
  values,
});

const context = (client: PrometheusClient, jsonData = {}) => ({
  client,
  catalog: createCatalog(),
  filters: {},
  fromMs: JUNE_2 * 1000,
  toMs: (JUNE_2 + 12 * HOUR) * 1000,
  appSettings: async () => jsonData,
});

describe('runEfficiencyQuery', () => {
  it('analyses waste from DCGM_FI_DEV_GPU_UTIL when profiling fields are off, and says so', async () => {
    const client = fakeClient((expr) => (expr.startsWith('avg by') ? [pod('nb', 'NVIDIA L4', Array(60).fill(0))] : []));
    const [summary, table] = await runEfficiencyQuery(
      { refId: 'A', queryType: 'efficiency', efficiencyView: 'waste' },
      context(client)
    );
    expect(summary.meta?.notices?.map((n) => n.text)).toContainEqual(
      expect.stringContaining('Activity comes from DCGM_FI_DEV_GPU_UTIL')
    );
    // One L4 for 60 one-minute samples at 0 %: 1 GPU-h idle at the L4 on-demand list price.
    expect(table.fields.find((f) => f.name === 'Idle GPU-h')!.values[0]).toBeCloseTo(1, 12);
    expect(table.fields.find((f) => f.name === 'Wasted $')!.values[0]).toBeCloseTo(1.1472, 12);
  });

  it('refuses the MFU view without DCGM_FI_PROF_PIPE_TENSOR_ACTIVE and names what still works', async () => {
    await expect(
      runEfficiencyQuery({ refId: 'A', queryType: 'efficiency', efficiencyView: 'mfu' }, context(fakeClient(() => [])))
    ).rejects.toThrow(/needs DCGM_FI_PROF_PIPE_TENSOR_ACTIVE.*still work from DCGM_FI_DEV_GPU_UTIL/);
  });

  it('adds up the month from GPUs held each hour × price, against the budget', async () => {
    // 2 L4 and 1 H100 held at every hour from June 2 00:00 to 12:00 (13 hourly samples).
    const held = (model: string, gpus: number) => ({
      labels: { modelName: model },
      timestampsSeconds: Array.from({ length: 13 }, (_, i) => JUNE_2 + i * HOUR),
      values: Array(13).fill(gpus),
    });
    const client = fakeClient((expr) =>
      expr.startsWith('sum by (modelName)') ? [held('NVIDIA L4', 2), held('NVIDIA H100 80GB HBM3', 1)] : []
    );
    const [burn, budget] = await runEfficiencyQuery(
      { refId: 'A', queryType: 'efficiency', efficiencyView: 'burn', pricingTier: 'spot' },
      context(client, { monthlyBudget: 1000 })
    );
    // Spot: 2 × 0.4504 + 4.4245 = 5.3253 $/h. The 13 samples stand for the hour after each, and the one at noon (now)
    // for nothing yet: × 12 h = 63.9036. June 1 had no data: 12 of the 36 elapsed hours.
    const value = (name: string) => budget.fields.find((f) => f.name === name)!.values[0];
    expect(value('Month to date')).toBeCloseTo(63.9036, 9);
    expect(value('Projected month')).toBeCloseTo(5.3253 * 720, 9);
    expect(value('Projected share of budget')).toBeCloseTo((5.3253 * 720) / 1000, 9);
    expect(burn.meta?.notices?.map((n) => n.text)).toContainEqual(expect.stringMatching(/data for 33 % of this month/));
    // The chart spans June; the projection runs from the 63.90 $ spent by noon on June 2 to the projected month.
    const times = burn.fields[0].values;
    expect([times[0], times[times.length - 1]]).toEqual([Date.UTC(2025, 5, 1), Date.UTC(2025, 6, 1)]);
    const projection = burn.fields.find((f) => f.name === 'Projected to month end')!.values;
    expect(projection[times.indexOf((JUNE_2 + 12 * HOUR) * 1000)]).toBeCloseTo(63.9036, 9);
    expect(projection[projection.length - 1]).toBeCloseTo(5.3253 * 720, 9);
  });

  it("starts the month at midnight of the first in the app's budget time zone", async () => {
    const ranges: Array<[number, number]> = [];
    const client = {
      ...fakeClient(() => []),
      queryRange: async (_expr: string, range: { startSeconds: number; endSeconds: number }) => {
        ranges.push([range.startSeconds, range.endSeconds]);
        return { series: [], warnings: [] };
      },
    };
    const [burn] = await runEfficiencyQuery(
      { refId: 'A', queryType: 'efficiency', efficiencyView: 'burn' },
      context(client, { budgetTimeZone: 'Asia/Tokyo' })
    );
    // June 1 00:00 in Tokyo (UTC+9) is May 31 15:00 UTC.
    const tokyoJune1 = Date.UTC(2025, 4, 31, 15) / 1000;
    expect(ranges).toContainEqual([tokyoJune1, JUNE_2 + 12 * HOUR]);
    expect(burn.fields[0].values[0]).toBe(tokyoJune1 * 1000);
    expect(burn.meta?.notices?.map((n) => n.text)).toContainEqual(
      expect.stringContaining('since 2025-06-01 00:00 Asia/Tokyo')
    );
  });

  it('says what is wrong with a pricing choice and passes on a Prometheus failure', async () => {
    await expect(
      runEfficiencyQuery(
        { refId: 'A', queryType: 'efficiency', pricingTier: 'cheap' as never },
        context(fakeClient(() => []))
      )
    ).rejects.toThrow('Pricing must be one of onDemand, reserved, spot, got "cheap".');
    const down = { ...fakeClient(() => []), labelValues: () => Promise.reject(new Error('connection refused')) };
    await expect(runEfficiencyQuery({ refId: 'A', queryType: 'efficiency' }, context(down))).rejects.toThrow(
      'connection refused'
    );
  });
});
