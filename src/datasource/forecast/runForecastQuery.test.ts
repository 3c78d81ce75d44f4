import type { DataFrame } from '@grafana/data';
import { createCatalog } from '../../prometheus/catalog';
import { QueryModelError } from '../../frames/queryModelError';
import { PrometheusQueryError } from '../../prometheus/errors';
import { INVENTORY_RECORDS } from '../../prometheus/inventoryRecords';
import type { PrometheusClient, QueryResult, RangeQueryOptions } from '../../prometheus/types';
import type { HeadroomAppSettings } from '../appSettings';
import type { HeadroomQuery } from '../types';
import { runForecastQuery, type ForecastQueryContext } from './runForecastQuery';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** The dashboard range ends on Monday 2025-02-03 00:00 UTC; the history is the 28 days before. */
const END_SECONDS = Date.UTC(2025, 1, 3) / 1000;

/** 30 GPUs on average, 40 at 14:00, 20 at 02:00 UTC. */
const rhythm = (t: number) => 30 + 10 * Math.sin((2 * Math.PI * ((t % DAY) / HOUR - 8)) / 24);

interface FakeOptions {
  /** Value at a time for an expression; undefined = no series. */
  demandAt?: (expr: string, t: number) => number;
  seriesCount?: number;
  /** Several labelled series for an expression (per-model capacity); undefined falls back to `demandAt`. */
  labelledSeries?: (expr: string) => Array<{ labels: Record<string, string>; value: number }> | undefined;
  /** Metric names the Prometheus holds (default: kube-state-metrics only). */
  metricNames?: string[];
  failWith?: Error;
  settings?: HeadroomAppSettings;
  filters?: ForecastQueryContext['filters'];
}

const KUBE_STATE_METRICS = [
  'kube_node_status_allocatable',
  'kube_pod_container_resource_requests',
  'kube_pod_status_phase',
];
/** kube-state-metrics, DCGM profiling activity with node and GPU model labels, and vLLM's token counter. */
const WHOLE_FLEET = [...KUBE_STATE_METRICS, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'vllm:generation_tokens_total'];

/** A Prometheus holding kube-state-metrics only (unless told otherwise), answering range queries from `demandAt`. */
function fakeContext(options: FakeOptions = {}) {
  const rangeQueries: Array<{ expr: string; range: RangeQueryOptions }> = [];
  let lookups = 0;
  let settingsLoads = 0;
  const client: PrometheusClient = {
    queryRange: async (expr, range) => {
      rangeQueries.push({ expr, range });
      if (options.failWith) {
        throw options.failWith;
      }
      const timestampsSeconds: number[] = [];
      for (let t = range.startSeconds; t <= range.endSeconds; t += range.stepSeconds ?? HOUR) {
        timestampsSeconds.push(t);
      }
      const demandAt = options.demandAt ?? ((_: string, t: number) => rhythm(t));
      const labelled = options.labelledSeries?.(expr);
      // A Prometheus without Headroom's recording rules: a recorded series' name has no samples.
      const series = expr.startsWith('headroom:')
        ? []
        : labelled
          ? labelled.map(({ labels, value }) => ({
              labels,
              timestampsSeconds,
              values: timestampsSeconds.map(() => value),
            }))
          : Array.from({ length: options.seriesCount ?? 1 }, (_, i) => ({
              labels: { i: String(i) },
              timestampsSeconds,
              values: timestampsSeconds.map((t) => demandAt(expr, t)),
            }));
      return { series, warnings: [] } satisfies QueryResult;
    },
    queryInstant: async () => ({ series: [], warnings: [] }),
    series: async () => [],
    labelNames: async () => {
      lookups++;
      return ['namespace', 'pod', 'resource', 'node', 'Hostname', 'modelName'];
    },
    labelValues: async () => {
      lookups++;
      return options.metricNames ?? KUBE_STATE_METRICS;
    },
  };
  const context: ForecastQueryContext = {
    client,
    catalog: createCatalog(),
    filters: options.filters ?? {},
    endMs: END_SECONDS * 1000,
    appSettings: async () => {
      settingsLoads++;
      return options.settings ?? {};
    },
  };
  return { context, rangeQueries, lookups: () => lookups, settingsLoads: () => settingsLoads };
}

const frame = (frames: DataFrame[], name: string) => frames.find((f) => f.name === name)!;
const field = (f: DataFrame, name: string) => f.fields.find((x) => x.name === name)!.values as number[];
const query = (patch: Partial<HeadroomQuery>): HeadroomQuery => ({ refId: 'A', queryType: 'forecast', ...patch });

describe('runForecastQuery', () => {
  it('forecasts a preset target with the PromQL detected for this Prometheus', async () => {
    const fake = fakeContext();
    const frames = await runForecastQuery(query({ target: 'gpus_allocated', horizonHours: '24' }), fake.context);
    expect(fake.lookups()).toBeGreaterThan(0);
    // The fleet's allocated GPUs are a recording rule's expression: its record is asked first (this Prometheus has
    // none), then the raw series.
    expect(fake.rangeQueries.map((q) => q.expr)[0]).toBe(INVENTORY_RECORDS.fleetAllocated);
    expect(fake.rangeQueries).toHaveLength(2);
    const { expr, range } = fake.rangeQueries[1];
    expect(expr).toContain('kube_pod_container_resource_requests');
    expect(expr).toContain('nvidia_com_gpu');
    // Hourly, the 28 days before the end of the range.
    expect(range).toEqual({ startSeconds: END_SECONDS - 28 * DAY, endSeconds: END_SECONDS, stepSeconds: HOUR });
    expect(frames.map((f) => f.name)).toEqual(['History', 'Forecast', 'Backtest']);
    const forecast = frame(frames, 'Forecast');
    expect(forecast.length).toBe(24);
    expect(forecast.fields[1].config.unit).toBe('suffix: GPUs');
    // The first forecast hour is the one after the end; 14:00 is 14 hours later and the rhythm's peak, 40 GPUs.
    expect(field(forecast, 'Time')[0]).toBe((END_SECONDS + HOUR) * 1000);
    expect(field(forecast, 'Mean')[13]).toBeCloseTo(40, 1);
    // Neither the calendar nor prices are needed for a forecast without the calendar.
    expect(fake.settingsLoads()).toBe(0);
  });

  it('forecasts a PromQL expression as written, without looking up metric families', async () => {
    const fake = fakeContext();
    const frames = await runForecastQuery(
      query({ target: 'expr', expr: '  sum(my_gpu_demand)  ', horizonHours: '6', model: 'naive' }),
      fake.context
    );
    expect(fake.rangeQueries.map((q) => q.expr)).toEqual(['sum(my_gpu_demand)']);
    expect(fake.lookups()).toBe(0);
    const forecast = frame(frames, 'Forecast');
    expect(forecast.meta?.custom?.model).toBe('naive');
    expect(forecast.meta?.custom?.targetName).toBe('PromQL result');
    // The naive forecast repeats the last value, the rhythm at the end hour.
    expect(field(forecast, 'Mean')).toEqual(Array(6).fill(rhythm(END_SECONDS)));
  });

  it('plans capacity: GPUs needed at the target utilisation, and no exhaustion below capacity', async () => {
    // Constant demand of 40 GPUs: every model forecasts 40 with no backtest error, so the bands are the resolution
    // floor (engine/forecast/intervals.ts): a history that never moved has the unit of its last decimal place, 1, so
    // the 80 % upper bound is 40 + 1·ln(1/0.2) = 41.61 (zero-width bands at 40 before the floor). At 80 % utilisation
    // and one GPU per GPU of demand that needs ceil(41.61 / 0.8) = ceil(52.01) = 53 GPUs every hour; 60 GPUs are never
    // exceeded (the 95 % upper bound is 40 + ln 20 = 43), and the need never changes, so there is nothing to scale.
    const fake = fakeContext({ demandAt: () => 40 });
    const frames = await runForecastQuery(
      query({ queryType: 'capacity', target: 'expr', expr: 'sum(demand)', horizonHours: '12', capacity: '60' }),
      fake.context
    );
    expect(field(frame(frames, 'GPUs needed'), 'GPUs needed')).toEqual(Array(12).fill(53));
    expect(field(frame(frames, 'Forecast'), 'Capacity')).toEqual(Array(12).fill(60));
    expect(frame(frames, 'Scaling schedule').length).toBe(0);
    expect(field(frame(frames, 'Exhaustion'), 'Exceeds capacity at')).toEqual([null, null, null]);
    // Prices come from the app settings (their placeholders when none are saved).
    expect(fake.settingsLoads()).toBe(1);
  });

  describe('the horizon', () => {
    // The rhythm plus a slow rise and deterministic noise (an LCG by time), so models differ and intervals are wide.
    const noisy = (_: string, t: number) => {
      const k = (t - END_SECONDS) / HOUR;
      const noise = (((Math.abs(k) * 7919) % 101) / 101 - 0.5) * 6;
      return rhythm(t) + 0.02 * k + noise;
    };
    const capacityAt = (horizonHours: string) =>
      runForecastQuery(
        query({ queryType: 'capacity', target: 'expr', expr: 'sum(demand)', horizonHours, capacity: '42' }),
        fakeContext({ demandAt: noisy }).context
      );

    it('changes neither the first hours of the forecast, their intervals nor an exhaustion within them', async () => {
      const [near, far] = await Promise.all([capacityAt('48'), capacityAt('168')]);
      const forecastNear = frame(near, 'Forecast');
      const forecastFar = frame(far, 'Forecast');
      expect(forecastNear.length).toBe(48);
      expect(forecastFar.length).toBe(168);
      for (const name of ['Mean', 'Lower 80', 'Upper 80', 'Lower 95', 'Upper 95']) {
        const nearValues = field(forecastNear, name);
        nearValues.forEach((v, h) => expect(field(forecastFar, name)[h]).toBeCloseTo(v, 9));
      }
      // Capacity 42 is above the rhythm's peak of 40 plus the noise's 3: the upper bounds cross it, hours into the
      // forecast; the same hour whichever horizon was asked, when it is within the first 48.
      const lastNear = END_SECONDS + 48 * HOUR;
      const crossings = (frames: DataFrame[]) =>
        (field(frame(frames, 'Exhaustion'), 'Exceeds capacity at') as Array<number | null>).map((ms) =>
          ms !== null && ms <= lastNear * 1000 ? ms : null
        );
      expect(crossings(near).some((ms) => ms !== null)).toBe(true);
      expect(crossings(far)).toEqual(crossings(near));
    });

    it('is refused, saying why, when it is longer than the history before the end of the range', async () => {
      // Only the last 3 days (72 hours and the end) hold samples.
      const fake = fakeContext({ demandAt: (_, t) => (t > END_SECONDS - 3 * DAY ? rhythm(t) : Number.NaN) });
      await expect(
        runForecastQuery(query({ target: 'expr', expr: 'sum(demand)', horizonHours: '168' }), fake.context)
      ).rejects.toThrow(
        'PromQL result: the horizon (7 days) is longer than the history before the end of the range (3 days): a ' +
          'forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot ' +
          'say how wrong it gets. Choose a horizon of at most 72 hours, or move the range to where there is more history.'
      );
      // The person's input, so the backend answers 400 (queryData.ts), not 500.
      await expect(
        runForecastQuery(query({ target: 'expr', expr: 'sum(demand)', horizonHours: '168' }), fake.context)
      ).rejects.toBeInstanceOf(QueryModelError);
      const served = await runForecastQuery(
        query({ target: 'expr', expr: 'sum(demand)', horizonHours: '72' }),
        fake.context
      );
      expect(frame(served, 'Forecast').length).toBe(72);
    });
  });

  it('reads capacity from the fleet when asked, and says when demand exceeds it', async () => {
    // Demand 40, the capacity preset's latest value 30: the mean crosses at the first forecast hour.
    const fake = fakeContext({ demandAt: (expr) => (expr.includes('kube_node_status_allocatable') ? 30 : 40) });
    const frames = await runForecastQuery(
      query({
        queryType: 'capacity',
        target: 'expr',
        expr: 'sum(demand)',
        horizonHours: '12',
        capacity: 'gpu_capacity',
      }),
      fake.context
    );
    expect(field(frame(frames, 'Forecast'), 'Capacity')[0]).toBe(30);
    expect(field(frame(frames, 'Exhaustion'), 'Exceeds capacity at')[0]).toBe((END_SECONDS + HOUR) * 1000);
  });

  it('applies the business calendar to the forecast when the query uses it', async () => {
    // A launch from 10:00 to 16:00 on the first forecast day, expected to lift demand by half (×1.5). The rhythm
    // is pure, so the event-aware regression fits it exactly and multiplies those six hours by 1.5; the other hours
    // stay on the rhythm. Without the calendar the same hours follow the rhythm.
    const launch = { name: 'launch', startSeconds: END_SECONDS + 10 * HOUR, endSeconds: END_SECONDS + 16 * HOUR };
    const fake = fakeContext({ settings: { businessCalendar: [{ ...launch, effect: 1.5 }] } });
    const ask = (useCalendar: boolean) =>
      runForecastQuery(query({ target: 'expr', expr: 'sum(demand)', horizonHours: '24', useCalendar }), fake.context);
    const [withCalendar, without] = [frame(await ask(true), 'Forecast'), frame(await ask(false), 'Forecast')];
    const times = field(withCalendar, 'Time').map((ms) => ms / 1000);
    const during = (t: number) => t >= launch.startSeconds && t < launch.endSeconds;
    expect(times.filter(during)).toHaveLength(6);
    times.forEach((t, h) => {
      expect(field(withCalendar, 'Mean')[h]).toBeCloseTo(rhythm(t) * (during(t) ? 1.5 : 1), 1);
      expect(field(without, 'Mean')[h]).toBeCloseTo(rhythm(t), 1);
    });
    expect(withCalendar.meta?.custom?.model).toBe('regression');
    expect(withCalendar.meta?.notices?.map((n) => n.text)).toContain(
      'Business calendar events in the horizon: launch.'
    );
  });

  it('warns when the series is too noisy to forecast within the planning target', async () => {
    // Hours jump between 2 and 18 GPUs at random: the held-out error is near the 8-GPU spread of a mean of 10.
    let state = 11;
    const coin = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) < 2 ** 30 ? 2 : 18);
    const noisy = fakeContext({ demandAt: () => coin() });
    const quiet = fakeContext();
    const notices = async (fake: ReturnType<typeof fakeContext>) =>
      frame(
        await runForecastQuery(query({ target: 'expr', expr: 'x', horizonHours: '24' }), fake.context),
        'Forecast'
      ).meta?.notices?.map((n) => n.text) ?? [];
    expect((await notices(noisy)).find((text) => text.startsWith('Noisy series'))).toMatch(
      /^Noisy series: on the last 24 h held out, the forecast was off by \d+\.\d % \(WAPE\), above the 15 % capacity-planning target/
    );
    expect((await notices(quiet)).some((text) => text.startsWith('Noisy series'))).toBe(false);
  });

  describe('the range of the quantity', () => {
    // Hours jump between 0 and 4 at random (mean 2): any forecast's errors are about ±2, so a symmetric 95 % interval
    // around a mean near 2 reaches well below 0 unless it is clamped.
    const jumpy = (low: number, high: number) => {
      let state = 5;
      return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) < 2 ** 30 ? low : high);
    };
    const bounds = (frames: DataFrame[]) => {
      const forecast = frame(frames, 'Forecast');
      return ['Mean', 'Lower 80', 'Upper 80', 'Lower 95', 'Upper 95'].flatMap((name) => field(forecast, name));
    };

    it('keeps a GPU count and its intervals at or above 0 GPUs, in forecasts and capacity plans', async () => {
      for (const queryType of ['forecast', 'capacity'] as const) {
        const frames = await runForecastQuery(
          query({ queryType, target: 'gpus_allocated', horizonHours: '48', capacity: '100' }),
          fakeContext({ demandAt: jumpy(0, 4) }).context
        );
        expect(Math.min(...bounds(frames))).toBe(0);
      }
      // The same numbers as a PromQL expression, whose unit nobody stated, are left as forecast: below 0.
      const frames = await runForecastQuery(
        query({ target: 'expr', expr: 'sum(x)', horizonHours: '48' }),
        fakeContext({ demandAt: jumpy(0, 4) }).context
      );
      expect(Math.min(...bounds(frames))).toBeLessThan(0);
    });

    it('keeps a ratio and its intervals within [0, 1]', async () => {
      const frames = await runForecastQuery(
        query({ target: 'gpu_utilisation', horizonHours: '48' }),
        fakeContext({ metricNames: WHOLE_FLEET, demandAt: jumpy(0.2, 1) }).context
      );
      const values = bounds(frames);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...values)).toBe(1);
    });
  });

  describe('capacity plan by the demand’s unit and the fleet’s GPU models', () => {
    const A100 = 'NVIDIA A100-SXM4-80GB';
    const L4 = 'NVIDIA L4';
    /** Busy GPUs follow half the rhythm; every busy GPU turns out 100 tokens/s; 24 A100s are the fleet. */
    const tokensFleet = (patch: FakeOptions = {}) =>
      fakeContext({
        metricNames: WHOLE_FLEET,
        labelledSeries: (expr) =>
          expr.startsWith('sum by (modelName)') && expr.includes('kube_node_status_allocatable')
            ? [{ labels: { modelName: A100 }, value: 24 }]
            : undefined,
        demandAt: (expr, t) =>
          expr.includes('kube_node_status_allocatable')
            ? 24
            : expr.includes('vllm:generation_tokens_total')
              ? 100 * (rhythm(t) / 2)
              : rhythm(t) / 2,
        ...patch,
      });
    const capacityQuery = (patch: Partial<HeadroomQuery>) =>
      query({ queryType: 'capacity', horizonHours: '24', model: 'seasonal_naive_day', ...patch });

    it('plans tokens/s with a throughput per GPU calibrated on busy GPUs, not tokens/s ÷ utilisation', async () => {
      const fake = tokensFleet();
      const frames = await runForecastQuery(capacityQuery({ target: 'tokens_per_second' }), fake.context);
      // Tokens/s = 100 × busy GPUs exactly: 100 tokens/s per GPU. Plan for the upper 80 % bound at 80 %:
      // ceil(upper / 80). Before, "GPUs needed" was ceil(upper / 0.8), a hundred times too many.
      const upper = field(frame(frames, 'Forecast'), 'Upper 80');
      const needed = field(frame(frames, 'GPUs needed'), 'GPUs needed');
      expect(needed).toEqual(upper.map((u) => Math.ceil(u / 80 - 1e-9)));
      // The daily model is exact, so the band is the resolution floor: the smallest hourly change of 1500 + 500·sin in
      // 15° steps, 500·(1 − cos 15°) = 17.0, times ln 5 at 80 %: 27.4 above the peak of 2000, ceil(2027.4 / 80) = 26.
      expect(Math.max(...needed)).toBeLessThanOrEqual(
        Math.ceil((2000 + 500 * (1 - Math.cos(Math.PI / 12)) * Math.log(5)) / 80)
      );
      // The hourly average rate, as the command line forecasts it.
      expect(fake.rangeQueries.map((q) => q.expr)).toContain('sum(rate(vllm:generation_tokens_total{}[1h]))');
      // Capacity: 24 GPUs × 100 tokens/s in the forecast's unit; 24 GPUs beside the GPUs needed.
      const capacity = field(frame(frames, 'Forecast'), 'Capacity');
      expect(capacity).toHaveLength(24);
      capacity.forEach((c) => expect(c).toBeCloseTo(2400, 9));
      expect(field(frame(frames, 'GPUs needed'), 'Capacity')).toEqual(Array(24).fill(24));
      expect(frame(frames, 'Exhaustion').meta?.custom?.capacity).toBeCloseTo(2400, 9);
    });

    it('plans no GPUs for a ratio, compares it with no GPU count, and says why', async () => {
      const fake = fakeContext({ metricNames: WHOLE_FLEET, demandAt: () => 0.5 });
      const frames = await runForecastQuery(capacityQuery({ target: 'gpu_utilisation' }), fake.context);
      const why =
        'GPU utilisation is measured in ratio, not in GPUs or a throughput: no GPUs are planned for it. Forecast ' +
        'allocated or busy GPUs, or generated tokens/s, to plan GPUs.';
      expect(frame(frames, 'Forecast').meta?.notices).toContainEqual({ severity: 'warning', text: why });
      expect(frame(frames, 'Forecast').fields.map((f) => f.name)).not.toContain('Capacity');
      expect(frame(frames, 'GPUs needed').length).toBe(0);
      expect(frame(frames, 'GPUs needed').meta?.notices).toContainEqual({ severity: 'warning', text: why });
      expect(frame(frames, 'Cost mix').length).toBe(0);
      expect(frames.map((f) => f.name)).not.toContain('Exhaustion');
      // GPU capacity is not even read.
      expect(fake.rangeQueries.map((q) => q.expr).filter((e) => e.includes('kube_node_status_allocatable'))).toEqual(
        []
      );
    });

    it('prices the fleet’s own GPU model and says when no reserved price is known', async () => {
      const frames = await runForecastQuery(capacityQuery({ target: 'tokens_per_second' }), tokensFleet().context);
      const mix = frame(frames, 'Cost mix');
      const needed = field(frame(frames, 'GPUs needed'), 'GPUs needed');
      // The A100 80GB list row has no 1-year price (reserved = on-demand $5.0688): no recommendation, all on demand.
      expect(mix.fields.find((f) => f.name === 'GPU model')!.values).toEqual([A100]);
      expect(field(mix, 'Reserved GPUs')).toEqual([null]);
      expect(mix.fields.find((f) => f.name === 'Reserved GPUs')!.config.noValue).toBe('no reserved price known');
      expect(field(mix, 'Expected cost / h')[0]).toBeCloseTo((needed.reduce((a, b) => a + b, 0) / 24) * 5.0688, 9);
      expect(String(mix.fields.find((f) => f.name === 'Price source')!.values[0])).toMatch(
        /^List price: Google Cloud a2-ultragpu-1g, us-central1/
      );
      // Beside it, the code the pages word it from: the shipped row's citation, found by its source text; and the
      // plan's note on the model, also on the forecast frame.
      const note = mix.meta!.notices!.find((n) => n.text.startsWith('Cost mix: '))!.text;
      const noteText = {
        code: 'cost-mix-note',
        note: expect.objectContaining({
          code: 'no-reserved-price',
          gpuModel: A100,
          reservedPerGpuHour: 5.0688,
          onDemandPerGpuHour: 5.0688,
          sourceText: expect.objectContaining({ code: 'list-price' }),
        }),
      };
      expect(frame(frames, 'Forecast').meta?.custom?.texts.notices[note]).toEqual(noteText);
      expect(frame(frames, 'GPUs needed').meta?.custom?.texts.notices[note]).toEqual(noteText);
      // Where the models come from, as a code too: the inventory at the end of the range, 2025-02-03T00:00:00Z.
      const pricedFrom = {
        code: 'priced-from',
        source: { code: 'inventory', atSeconds: Date.UTC(2025, 1, 3) / 1000 },
      };
      expect(mix.meta?.custom?.texts).toEqual({
        notices: {
          [note]: noteText,
          'GPU models priced from GPU capacity per model in the inventory, at 2025-02-03T00:00:00Z.': pricedFrom,
        },
        cells: {
          'Price source': [
            {
              code: 'list-price',
              citation: expect.objectContaining({
                provider: 'Google Cloud',
                instanceType: 'a2-ultragpu-1g',
                region: 'us-central1',
                note: 'no-one-year-price',
              }),
            },
          ],
        },
      });
      expect(mix.meta?.notices?.map((n) => n.text)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^Cost mix: no reserved price known for NVIDIA A100-SXM4-80GB \(reserved 5.0688 is not below on-demand 5.0688/
          ),
          expect.stringMatching(
            /^GPU models priced from GPU capacity per model in the inventory, at 2025-02-03T00:00:00Z\.$/
          ),
        ])
      );
    });

    it('splits a mixed fleet between its models at each model’s prices', async () => {
      // Constant 40 GPUs: 53 needed every hour at 80 % (the 80 % upper bound 40 + ln 5 of the resolution floor, as in
      // "plans capacity" above). 18 A100s and 6 L4s: 39.75 and 13.25 GPUs per hour.
      // A100, r/o = 1/4: the 0.75 quantile of a constant 39.75 is 39.75; 40 reserved ($40/h) beat 39 ($39 + 0.75 × $4).
      // L4, r/o = 3/4: 13.25; 13 reserved ($39 + 0.25 × $4 = $40/h) beat 14 ($42/h). All on demand: 53 × $4 = $212/h.
      const fake = fakeContext({
        metricNames: WHOLE_FLEET,
        demandAt: () => 40,
        labelledSeries: (expr) =>
          expr.startsWith('sum by (modelName)') && expr.includes('kube_node_status_allocatable')
            ? [
                { labels: { modelName: A100 }, value: 18 },
                { labels: { modelName: L4 }, value: 6 },
              ]
            : undefined,
        settings: {
          gpuPrices: [
            { gpuModel: A100, onDemandPerGpuHour: 4, reservedPerGpuHour: 1, source: 'contract A' },
            { gpuModel: L4, onDemandPerGpuHour: 4, reservedPerGpuHour: 3, source: 'contract B' },
          ],
        },
      });
      const frames = await runForecastQuery(
        capacityQuery({ target: 'expr', expr: 'sum(demand)', horizonHours: '12', capacity: '60' }),
        fake.context
      );
      const mix = frame(frames, 'Cost mix');
      expect(mix.fields.find((f) => f.name === 'GPU model')!.values).toEqual([A100, L4, 'All priced models']);
      expect(field(mix, 'Share of GPUs')).toEqual([0.75, 0.25, 1]);
      expect(field(mix, 'Reserved GPUs')).toEqual([40, 13, 53]);
      expect(field(mix, 'Expected cost / h')).toEqual([40, 40, 80]);
      expect(field(mix, 'All on-demand / h')).toEqual([159, 53, 212]);
      expect(field(mix, 'Reserved / GPU-h')).toEqual([1, 3, null]);
      expect(mix.fields.find((f) => f.name === 'Price source')!.values).toEqual(['contract A', 'contract B', null]);
      // Sources someone typed are shown as typed: no code.
      expect(mix.meta?.custom?.texts?.cells).toEqual({ 'Price source': [null, null, null] });
      // The models are the inventory's capacity per model at the end of the range, and the notice says so.
      expect(Object.values(mix.meta?.custom?.texts?.notices ?? {})).toContainEqual({
        code: 'priced-from',
        source: { code: 'inventory', atSeconds: END_SECONDS },
      });
    });

    it('prices the model the GPU model filter or "Priced as" names', async () => {
      const modelOf = async (patch: Partial<HeadroomQuery>, filters?: FakeOptions['filters']) => {
        const fake = tokensFleet({ filters });
        const frames = await runForecastQuery(capacityQuery({ target: 'gpus_allocated', ...patch }), fake.context);
        const mix = frame(frames, 'Cost mix');
        return [mix.fields.find((f) => f.name === 'GPU model')!.values, mix.meta?.custom?.texts?.notices];
      };
      expect(await modelOf({}, { gpuModels: [L4] })).toEqual([
        [L4],
        expect.objectContaining({
          'GPU models priced from the GPU model filter.': { code: 'priced-from', source: { code: 'gpu-model-filter' } },
        }),
      ]);
      expect(await modelOf({ priceGpuModel: 'NVIDIA H200' })).toEqual([
        ['NVIDIA H200'],
        expect.objectContaining({
          'GPU models priced from the model chosen in "Priced as".': {
            code: 'priced-from',
            source: { code: 'priced-as' },
          },
        }),
      ]);
    });
  });

  describe('bad input', () => {
    it('asks for an expression when the PromQL target has none', async () => {
      const fake = fakeContext();
      await expect(runForecastQuery(query({ target: 'expr', expr: '  ' }), fake.context)).rejects.toThrow(
        'Enter a PromQL expression to forecast, or choose a preset target.'
      );
      expect(fake.rangeQueries).toHaveLength(0);
    });

    it('names the models on offer when the model is unknown', async () => {
      const fake = fakeContext();
      await expect(
        runForecastQuery(query({ target: 'expr', expr: 'sum(x)', model: 'prophet' }), fake.context)
      ).rejects.toThrow(/Unknown model "prophet": choose auto or one of .*seasonal_naive_day/);
    });

    it('passes on what Prometheus said about a bad query', async () => {
      const fake = fakeContext({
        failWith: new PrometheusQueryError(400, 'bad_data', '1:5: parse error: unexpected ")"', 'sum(x))'),
      });
      await expect(runForecastQuery(query({ target: 'expr', expr: 'sum(x))' }), fake.context)).rejects.toThrow(
        'The PromQL is invalid: Prometheus says "1:5: parse error: unexpected ")"". Query: sum(x))'
      );
    });

    it('asks for one series, an hours horizon, a known preset and a sane calendar', async () => {
      const ask = (patch: Partial<HeadroomQuery>, options?: FakeOptions) =>
        runForecastQuery(query({ target: 'expr', expr: 'x', ...patch }), fakeContext(options).context);
      await expect(ask({}, { seriesCount: 2 })).rejects.toThrow(
        'the expression returns 2 series; a forecast needs one'
      );
      await expect(ask({}, { seriesCount: 2 })).rejects.toBeInstanceOf(QueryModelError);
      // 672 hours are the 28 days of history a forecast reads.
      await expect(ask({ horizonHours: '1.5' })).rejects.toThrow('whole number of hours from 1 to 672 (the 28 days');
      await expect(ask({ horizonHours: '673' })).rejects.toThrow('from 1 to 672');
      await expect(ask({ horizonHours: '1000000000' })).rejects.toThrow('from 1 to 672');
      await expect(ask({ target: 'gpus_everywhere' })).rejects.toThrow('Unknown forecast target "gpus_everywhere"');
      const zero = {
        businessCalendar: [{ name: 'outage', startSeconds: END_SECONDS, endSeconds: END_SECONDS + DAY, effect: 0 }],
      };
      await expect(ask({ useCalendar: true }, { settings: zero })).rejects.toThrow(
        'event "outage": the expected effect is a demand multiplier above 0'
      );
    });
  });
});
