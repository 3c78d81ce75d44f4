/**
 * The compiled alert condition means "the watched value is outside the band", whatever operators the watched
 * expression holds: checked in a real Prometheus on generated expressions built without parentheses from operators
 * that bind less tightly than the comparison (`or`, `and`, `unless`, comparisons, `+`, `-`) or more (`*`), so
 * Prometheus' own precedence decides what they mean. Expected answers come from evaluating the watched expression
 * alone and comparing each of its values with the thresholds here, not from the compiler.
 * Before the fix, `a or b > t` meant `a or (b > t)`: the rule returned `a` whatever the thresholds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';

import { sideCondition } from '../../src/alerting/grafanaRule';
import { thresholdRuleFile } from '../../src/alerting/prometheusRules';
import { compileAlertCondition, type Band } from '../../src/engine/thresholds';
import { createPrometheusClient } from '../../src/prometheus/client';
import { PrometheusQueryError } from '../../src/prometheus/errors';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import type { PrometheusClient, PromSeries } from '../../src/prometheus/types';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const T0 = 1_700_000_000;
const PROMTOOL = '/usr/bin/promtool';

let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      { name: 'm_a', labels: { k: 'x' }, samples: [[T0, 3]] },
      { name: 'm_a', labels: { k: 'y' }, samples: [[T0, 7]] },
      { name: 'm_b', labels: { k: 'x' }, samples: [[T0, 5]] },
      { name: 'm_b', labels: { k: 'z' }, samples: [[T0, -2]] },
      { name: 'm_c', samples: [[T0, 4]] },
    ]),
  });
  client = createPrometheusClient(createFetchTransport(prometheus.url));
});

afterAll(() => prometheus?.stop());

/** A sample as a comparable key: its labels (sorted) and value. */
const key = (labels: Record<string, string>, value: number) =>
  JSON.stringify([Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)), value]);
const keys = (series: PromSeries[]) => series.map((s) => key(s.labels, s.values[0])).sort();
const withoutName = ({ __name__, ...labels }: Record<string, string>) => labels;

/** What Prometheus answers, or undefined when it refuses the expression. */
async function evaluate(expr: string): Promise<PromSeries[] | undefined> {
  try {
    return (await client.queryInstant(expr, T0)).series;
  } catch (error) {
    if (error instanceof PrometheusQueryError) {
      return undefined;
    }
    throw error;
  }
}

const LEAVES = ['m_a', 'm_b', 'm_c', 'm_a{k="x"}', 'sum(m_a)', 'vector(4)', 'max by (k) (m_b)', 'm_b offset 0s'];
const VECTOR_OPS = ['or', 'and', 'unless', '+', '-', '*', '>', '<', '==', '!=', '>=', '> bool', '< bool'];
const SCALAR_OPS = ['+', '-', '*', '>', '<', '<=', '== bool'];

/** PromQL written without parentheses (now and then with), so operator precedence decides its meaning. */
const watchedExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.tuple(tie('expr'), fc.constantFrom(...VECTOR_OPS), tie('expr')).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc
      .tuple(tie('expr'), fc.constantFrom(...SCALAR_OPS), fc.integer({ min: 0, max: 8 }))
      .map(([l, op, n]) => `${l} ${op} ${n}`),
    tie('expr').map((e) => `(${e})`)
  ),
})).expr;

describe('the compiled condition watches the whole expression (real Prometheus, property)', () => {
  it('Prometheus rule condition: exactly the watched samples above the upper or below the lower threshold', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        watchedExpression,
        fc.integer({ min: -3, max: 9 }),
        fc.integer({ min: -3, max: 9 }),
        async (watched, lower, upper) => {
          const values = await evaluate(watched);
          if (values === undefined) {
            return; // Prometheus refuses the expression itself (types, duplicate label sets): nothing to watch.
          }
          checked++;
          const expected = values.filter((s) => s.values[0] > upper || s.values[0] < lower);
          const condition = compileAlertCondition(watched, { upper: `vector(${upper})`, lower: `vector(${lower})` });
          const firing = await evaluate(condition);
          expect({ condition, firing: firing && keys(firing) }).toEqual({ condition, firing: keys(expected) });
        }
      ),
      { numRuns: 150, seed: 12 }
    );
    expect(checked).toBeGreaterThan(75);
  });

  it('Grafana rule query: every watched sample, 1 outside the band on that side and 0 inside', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        watchedExpression,
        fc.integer({ min: -3, max: 9 }),
        fc.constantFrom('upper' as const, 'lower' as const),
        async (watched, threshold, side) => {
          const values = await evaluate(watched);
          if (values === undefined) {
            return;
          }
          const band: Band = { mode: 'flat', calibratedAtSeconds: T0, [side]: [threshold] };
          const query = sideCondition(watched, band, side);
          const answer = await evaluate(query);
          const labelSets = values.map((s) => JSON.stringify(withoutName(s.labels)));
          if (new Set(labelSets).size < labelSets.length) {
            // `bool` drops the metric name; two watched series alike but for it cannot both be kept.
            expect(answer).toBeUndefined();
            return;
          }
          checked++;
          const outside = (v: number) => (side === 'upper' ? v > threshold : v < threshold);
          const expected = values.map((s) => key(withoutName(s.labels), outside(s.values[0]) ? 1 : 0)).sort();
          expect({ query, answer: answer && keys(answer) }).toEqual({ query, answer: expected });
        }
      ),
      { numRuns: 150, seed: 21 }
    );
    expect(checked).toBeGreaterThan(75);
  });
});

describe('the exported rule file with `or vector(0)` (promtool test rules)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'headroom-precedence-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not fire while the watched sum is inside the band, and fires when it leaves it', () => {
    // Band 40…60; the watched sum is 50 for an hour (inside), then 75 (above) for an hour.
    const band: Band = { mode: 'flat', calibratedAtSeconds: 0, upper: [60], lower: [40] };
    const selector = 'sum(gpu_util) or vector(0)';
    const ruleFile = join(dir, 'orsel.rules.yml');
    writeFileSync(
      ruleFile,
      thresholdRuleFile({
        name: 'orsel',
        selector,
        band,
        forSeconds: 0,
        keepFiringForSeconds: 0,
        evaluationIntervalSeconds: 60,
      })
    );
    const alert = (minutes: number, firing: boolean) =>
      [
        `      - eval_time: ${minutes}m`,
        '        alertname: HeadroomThreshold_orsel',
        `        exp_alerts: ${firing ? '' : '[]'}`,
        ...(firing
          ? [
              '          - exp_labels: {managed_by: headroom, headroom_rule: orsel}',
              '            exp_annotations:',
              `              summary: ${JSON.stringify(`${selector} is outside its learnt flat band`)}`,
              '              headroom_calibrated_at: "1970-01-01T00:00:00.000Z"',
              '              headroom_season_mode: flat',
            ]
          : []),
      ].join('\n');
    const testFile = join(dir, 'orsel.test.yml');
    writeFileSync(
      testFile,
      [
        `rule_files: [${JSON.stringify(ruleFile)}]`,
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        '      - series: gpu_util{gpu="0"}',
        '        values: 20x60 30x60',
        '      - series: gpu_util{gpu="1"}',
        '        values: 30x60 45x60',
        '    alert_rule_test:',
        alert(30, false),
        alert(90, true),
        '',
      ].join('\n')
    );
    const run = spawnSync(PROMTOOL, ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });
});
