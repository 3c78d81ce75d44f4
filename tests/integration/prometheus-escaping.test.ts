/**
 * No PromQL injection: any label value, written into a matcher by promql.ts, selects exactly its own series in a
 * real Prometheus, alone (`=`) and in alternations (`=~`).
 */
import fc from 'fast-check';

import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { anyOfMatcher, matcher, selector } from '../../src/prometheus/promql';
import type { PrometheusClient } from '../../src/prometheus/types';
import { toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const T0 = 1_700_000_000;

const HAND_PICKED = [
  'plain',
  '"}',
  '"} or vector(1) #',
  '\\',
  '\\"',
  'line\nbreak',
  'tab\tcr\r',
  'nul\x00bell\x07del\x7f',
  '.*',
  'a|b',
  '(?i)PLAIN',
  '[x]{2}^$+?',
  'ünïcødé 😀',
  '',
];
// Values Prometheus can store are UTF-8 strings; fast-check's binary-unit strings (any code point, no lone surrogate) are exactly those.
const GENERATED = fc.sample(fc.string({ unit: 'binary', maxLength: 12 }), { numRuns: 60, seed: 20240611 });
const VALUES = [...new Set([...HAND_PICKED, ...GENERATED])];

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(
      // Prometheus drops a label with an empty value, so the empty string selects the series without `v`.
      VALUES.map((v, i): PlainSeries => ({
        name: 'escape_test',
        labels: v === '' ? { i: String(i) } : { v, i: String(i) },
        samples: [[T0, i]],
      }))
    ),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

async function selectedIndexes(labelMatcher: string | undefined): Promise<number[]> {
  const result = await client.queryInstant(selector('escape_test', [labelMatcher]), T0);
  return result.series.map((s) => s.values[0]).sort((a, b) => a - b);
}

describe('label values in matchers', () => {
  it('every value selects exactly its own series with =', async () => {
    for (const [i, v] of VALUES.entries()) {
      expect({ v, selected: await selectedIndexes(matcher('v', '=', v)) }).toEqual({ v, selected: [i] });
    }
  });

  it('any pair of values selects exactly those two series with =~', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: VALUES.length - 1 }),
        fc.integer({ min: 0, max: VALUES.length - 1 }),
        async (a, b) => {
          const selected = await selectedIndexes(anyOfMatcher('v', [VALUES[a], VALUES[b]]));
          expect(selected).toEqual([...new Set([a, b])].sort((x, y) => x - y));
        }
      ),
      { numRuns: 40, seed: 7 }
    );
  });
});
