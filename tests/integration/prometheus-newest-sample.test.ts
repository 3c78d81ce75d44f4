/**
 * findNewestSampleSeconds against a real Prometheus: live data, data that stopped long ago, and sparse data with
 * gaps far longer than Prometheus' 5-minute lookback; findOldestSampleSeconds and findSampleSpan on the same data.
 */
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { findNewestSampleSeconds, findOldestSampleSeconds } from '../../src/prometheus/newestSample';
import { findSampleSpan } from '../../src/prometheus/sampleSpan';
import type { PrometheusClient } from '../../src/prometheus/types';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const NOW = Math.floor(Date.now() / 1000);
// Within the kit's 400-day retention, which Prometheus counts back from its newest sample.
const OLD_END = NOW - 200 * 86400 + 37;
const SPARSE_END = NOW - 300 * 86400;

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  const everyMinute = (end: number): Array<[number, number]> => Array.from({ length: 30 }, (_, i) => [end - 60 * i, 1]);
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      { name: 'live_metric', samples: everyMinute(NOW - 100) },
      { name: 'old_metric', labels: { node: 'a' }, samples: everyMinute(OLD_END) },
      { name: 'old_metric', labels: { node: 'b' }, samples: everyMinute(OLD_END - 7) },
      // Three samples six hours apart.
      { name: 'sparse_metric', samples: [0, 1, 2].map((i): [number, number] => [SPARSE_END - 6 * 3600 * i, 1]) },
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

describe('findNewestSampleSeconds', () => {
  it('finds the newest sample of live data', async () => {
    expect(await findNewestSampleSeconds(client, 'live_metric', NOW)).toBe(NOW - 100);
  });

  it('finds the exact newest sample of data that stopped months ago', async () => {
    expect(await findNewestSampleSeconds(client, 'old_metric', NOW)).toBe(OLD_END);
    expect(await findNewestSampleSeconds(client, 'old_metric{node="b"}', NOW)).toBe(OLD_END - 7);
  });

  it('does not miss sparse samples between coarse grid points', async () => {
    expect(await findNewestSampleSeconds(client, 'sparse_metric', NOW)).toBe(SPARSE_END);
  });

  it('answers undefined when there is no sample', async () => {
    expect(await findNewestSampleSeconds(client, 'no_such_metric', NOW)).toBeUndefined();
    expect(await findNewestSampleSeconds(client, 'old_metric', NOW, 100 * 86400)).toBeUndefined();
  });
});

describe('findOldestSampleSeconds and findSampleSpan', () => {
  // everyMinute(end) writes 30 samples a minute apart: the oldest is end − 29 · 60.
  it('finds the exact oldest sample of data a minute apart', async () => {
    expect(await findOldestSampleSeconds(client, 'old_metric', NOW)).toBe(OLD_END - 7 - 29 * 60);
    expect(await findOldestSampleSeconds(client, 'old_metric{node="a"}', NOW)).toBe(OLD_END - 29 * 60);
  });

  it('does not miss a sparse first sample', async () => {
    // Three samples six hours apart ending at SPARSE_END: the first is 12 h before it.
    expect(await findOldestSampleSeconds(client, 'sparse_metric', NOW)).toBe(SPARSE_END - 12 * 3600);
  });

  it('gives first and last together, or undefined without samples', async () => {
    expect(await findSampleSpan(client, 'live_metric', NOW)).toEqual({
      firstSeconds: NOW - 100 - 29 * 60,
      lastSeconds: NOW - 100,
    });
    expect(await findSampleSpan(client, 'no_such_metric', NOW)).toBeUndefined();
  });
});

describe('with a lookback shorter than the search minute', () => {
  // A Prometheus run with `--query.lookback-delta=30s`: an instant query at the end of the minute that holds the
  // newest sample sees nothing when that sample is more than 30 s before it.
  const END = NOW - 3600 - (NOW % 60);
  let shortLookback: RunningPrometheus;
  let shortClient: PrometheusClient;

  beforeAll(async () => {
    const samples = Array.from({ length: 10 }, (_, i): [number, number] => [END - 60 * i, 1]);
    shortLookback = await startPrometheus({
      openMetricsText: toOpenMetrics([{ name: 'minutely_metric', samples }]),
      lookbackDeltaSeconds: 30,
    });
    shortClient = createPrometheusClient(createFetchTransport(shortLookback.url));
  });

  afterAll(() => shortLookback?.stop());

  it.each([0, 0.5, 59.5, 60])('finds first and last sample when asked %s s past a whole minute', async (offset) => {
    // Whole and fractional "now" both occur: the CLI's efficiency command passes Date.now() / 1000 unrounded.
    expect(await findSampleSpan(shortClient, 'minutely_metric', END + 600 + offset)).toEqual({
      firstSeconds: END - 9 * 60,
      lastSeconds: END,
    });
  });
});
