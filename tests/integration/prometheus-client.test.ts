/**
 * The client against a real Prometheus filled with a few hand-made samples.
 */
import { createPrometheusClient } from '../../src/prometheus/client';
import { PrometheusQueryError } from '../../src/prometheus/errors';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import type { PrometheusClient } from '../../src/prometheus/types';
import { toOpenMetrics } from '../kit/openMetrics';
import { onVictoriaMetrics, startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const T0 = 1_700_000_040;

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      {
        name: 'test_gauge',
        labels: { gpu: '0' },
        samples: [
          [T0, 1],
          [T0 + 60, 2],
          [T0 + 120, 3],
        ],
      },
      {
        name: 'test_gauge',
        labels: { gpu: '1' },
        samples: [
          [T0, NaN],
          [T0 + 60, Infinity],
          [T0 + 120, -Infinity],
        ],
      },
      // A gap longer than Prometheus' 5-minute lookback.
      {
        name: 'test_sparse',
        samples: [
          [T0, 1],
          [T0 + 600, 2],
        ],
      },
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

describe('Prometheus client against a real Prometheus', () => {
  it('reads a range', async () => {
    const result = await client.queryRange('test_gauge{gpu="0"}', {
      startSeconds: T0,
      endSeconds: T0 + 120,
      stepSeconds: 60,
    });
    expect(result.series).toEqual([
      { labels: { __name__: 'test_gauge', gpu: '0' }, timestampsSeconds: [T0, T0 + 60, T0 + 120], values: [1, 2, 3] },
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.stepSeconds).toBe(60);
  });

  it('keeps NaN and ±Inf samples', async () => {
    const result = await client.queryRange('test_gauge{gpu="1"}', {
      startSeconds: T0,
      endSeconds: T0 + 120,
      stepSeconds: 60,
    });
    if (onVictoriaMetrics()) {
      // Store-specific: "MetricsQL removes all the NaN values from the output" (VictoriaMetrics' docs/MetricsQL.md,
      // differences from PromQL), so the NaN sample is a missing step there.
      expect(result.series[0].timestampsSeconds).toEqual([T0 + 60, T0 + 120]);
      expect(result.series[0].values).toEqual([Infinity, -Infinity]);
    } else {
      expect(result.series[0].values).toEqual([NaN, Infinity, -Infinity]);
    }
  });

  it('leaves out steps with no sample within the lookback', async () => {
    const result = await client.queryRange('test_sparse', { startSeconds: T0, endSeconds: T0 + 600, stepSeconds: 120 });
    // T0+360 and T0+480 are more than 5 minutes after the sample at T0.
    expect(result.series[0].timestampsSeconds).toEqual([T0, T0 + 120, T0 + 240, T0 + 600]);
    expect(result.series[0].values).toEqual([1, 1, 1, 2]);
  });

  it('evaluates an instant query at a given time', async () => {
    const result = await client.queryInstant('sum(test_gauge{gpu="0"}) * 10', T0 + 60);
    expect(result.series).toEqual([{ labels: {}, timestampsSeconds: [T0 + 60], values: [20] }]);
  });

  it('returns no series, not an error, when nothing matches', async () => {
    expect(await client.queryInstant('no_such_metric', T0)).toEqual({ series: [], warnings: [] });
    expect(await client.queryInstant('test_gauge', T0 + 3600)).toEqual({ series: [], warnings: [] });
  });

  it('lists series, label names and label values over a range', async () => {
    const span = { startSeconds: T0, endSeconds: T0 + 600 };
    const series = await client.series(['test_gauge'], span);
    expect(series.map((s) => s.gpu).sort()).toEqual(['0', '1']);
    expect(await client.labelNames(['test_gauge'], span)).toEqual(['__name__', 'gpu']);
    expect(await client.labelValues('gpu', ['test_gauge'], span)).toEqual(['0', '1']);
    expect(await client.labelValues('__name__', [], span)).toEqual(['test_gauge', 'test_sparse']);
    // An hour before the first sample. Store-specific: VictoriaMetrics looks label values up in a per-day index and
    // rounds the range to whole UTC days (its docs: "rounds the specified start..end time range to day granularity"),
    // so the same day's values come back there; a range on an earlier day is empty on both stores.
    expect(await client.labelValues('gpu', ['test_gauge'], { startSeconds: T0 - 7200, endSeconds: T0 - 3600 })).toEqual(
      onVictoriaMetrics() ? ['0', '1'] : []
    );
    expect(
      await client.labelValues('gpu', ['test_gauge'], { startSeconds: T0 - 3 * 86400, endSeconds: T0 - 2 * 86400 })
    ).toEqual([]);
  });

  it('quotes Prometheus when the PromQL is invalid', async () => {
    const error = await client.queryInstant('sum(test_gauge', T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    if (onVictoriaMetrics()) {
      // Store-specific answer (422, errorType "422", MetricsQL's parser message); Headroom still calls it invalid PromQL.
      expect(error).toMatchObject({ status: 422, errorType: '422' });
      expect((error as Error).message).toMatch(/^The PromQL is invalid: Prometheus says ".*unparsed data/);
    } else {
      expect(error).toMatchObject({ status: 400, errorType: 'bad_data' });
      expect((error as Error).message).toMatch(/^The PromQL is invalid: Prometheus says ".*unclosed left parenthesis/);
    }
  });

  it('explains a range with too many points', async () => {
    const error = await client
      .queryRange('test_gauge', { startSeconds: T0, endSeconds: T0 + 86400, stepSeconds: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    // Store-specific limits and wording: Prometheus refuses more than 11,000 points per series (400 bad_data),
    // VictoriaMetrics more than -search.maxPointsPerTimeseries (30,000 by default; 86,401 here; 422, with the advice).
    expect((error as Error).message).toMatch(
      onVictoriaMetrics()
        ? /too many points.*cannot exceed -search\.maxPointsPerTimeseries=30000.*narrow the time range/
        : /exceeded maximum resolution of 11,000 points/
    );
  });
});
