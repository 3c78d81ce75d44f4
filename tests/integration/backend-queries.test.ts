/**
 * Every query type through the backend process's QueryData against a real Prometheus (promtool backfill), each
 * answer's Arrow frames decoded and checked equal to the frames the browser data source builds for the same query and
 * data (its shared builders in src/frames, which it hands to Grafana through createDataFrame: datasource/frameValues.ts;
 * @grafana/data itself needs a browser window, which this Node test has not). Because both sides run the same code,
 * the alert measures are also checked against values worked out by hand from the fleet below, and Grafana's
 * reduce(last) + threshold run over the alert frames as pkg/expr does.
 *
 * Data: the integration kit's tiny fleet (tests/kit/tinyFleet.ts) for the fleet state, and tests/kit/backendQueryData.ts
 * (shared with the Go conformance test): a `lab` namespace whose pods DCGM reports on node-e (three H100s):
 * lab/notebook holds GPUs 0 and 1 at 1 % activity the whole hour (idle), and lab/busy holds GPU 2 at 90 %; an hourly
 * GPU demand of ten days with a daily rhythm for the forecasts, and one of ten hours (too little to forecast).
 */
import { type ChildProcess } from 'node:child_process';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { tableFromIPC } from 'apache-arrow';

import type { ProvisionedAlertRule, ThresholdEvaluator } from '../../src/alerting/grafanaRule';
import {
  headroomQueryTemplateRules,
  type HeadroomQueryTemplateOptions,
} from '../../src/alerting/templates/headroomQueryTemplates';
import { protocolServices } from '../../src/backend/protocol';
import { DEFAULT_GPU_PRICES, ENTERED_PRICE_SOURCE } from '../../src/frames/appSettings';
import { runEfficiencyInPlace } from '../../src/frames/efficiency/efficiencyTask';
import { runEfficiencyQuery } from '../../src/frames/efficiency/runEfficiencyQuery';
import { loadAugursInNode } from '../../src/cli/augursInNode';
import { forecastInPlace } from '../../src/frames/forecast/forecastTask';
import { runForecastQuery } from '../../src/frames/forecast/runForecastQuery';
import { fragmentationFrames, runInPlace } from '../../src/frames/fragmentation/fragmentationQuery';
import type { Frame } from '../../src/frames/types';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { DATASOURCE_IAM_PERMISSIONS, PLUGIN_ID } from '../../src/constants';
import { startBackend, stopAll, unaryCall } from '../kit/backendProcess';
import { runHeadroom } from '../kit/cli';
import { GrafanaDouble } from '../grafana-double/server';
import { createHttpTransport } from '../kit/httpTransport';
import { hourlyDemand, labAndDemandSeries } from '../kit/backendQueryData';
import { toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';
import { H100, tinyFleetSeries } from '../kit/tinyFleet';

const REPO_ROOT = path.resolve(__dirname, '../..');
const HOUR = 3600;
// The fleet's hour starts on a whole hour three hours ago; every query's range is that hour.
const FLEET_START_SECONDS = (Math.floor(Date.now() / 3_600_000) - 3) * HOUR;
const END_SECONDS = FLEET_START_SECONDS + HOUR;
const RANGE = { fromEpochMs: FLEET_START_SECONDS * 1000, toEpochMs: END_SECONDS * 1000 };

const series: PlainSeries[] = [
  ...tinyFleetSeries({ startSeconds: FLEET_START_SECONDS }),
  ...labAndDemandSeries(FLEET_START_SECONDS),
  // 30 hours of demand ending 70 hours before the range's end: enough hours, but 70 of the 100 after its first missing.
  { name: 'test_gappy_demand', samples: hourlyDemand(30, END_SECONDS - 70 * HOUR) },
];

let prometheus: RunningPrometheus;
let backend: ChildProcess;
let client: grpc.Client;
const services = protocolServices();

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(series) });
  const started = await startBackend(
    [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src/backend/main.ts')],
    {
      cwd: REPO_ROOT,
    }
  );
  backend = started.child;
  client = new grpc.Client(started.line.split('|')[3], grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => stopAll({ client, backend, prometheus }));

interface Answer {
  frames: Buffer[];
  error: string;
  status: number;
  errorSource: string;
}

/**
 * One QueryData call with the queries' models, as Grafana sends them for a panel or an alert rule; `context` adds to
 * the plugin context (the organisation, Grafana's configuration with a managed account's token).
 */
async function queryData(models: Record<string, object>, context: object = {}): Promise<Record<string, Answer>> {
  const answer = await unaryCall(client, services.data, 'QueryData', {
    pluginContext: {
      ...context,
      dataSourceInstanceSettings: { url: prometheus.url, jsonData: Buffer.from('{"timeout": 30}') },
    },
    queries: Object.entries(models).map(([refId, model]) => ({
      refId,
      intervalMs: 60_000,
      timeRange: RANGE,
      json: Buffer.from(JSON.stringify(model)),
    })),
  });
  return answer.responses as Record<string, Answer>;
}

/** A frame as comparable plain values: JSON drops what is undefined and writes NaN as null, on both sides. */
interface ComparableFrame {
  name?: string;
  refId?: string;
  meta?: unknown;
  fields: Array<{ name: string; type: string; values: unknown[]; config?: unknown; labels?: unknown }>;
}

const plain = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
const withoutEmpty = (config: object | undefined) =>
  config === undefined || Object.keys(config).length === 0 ? undefined : config;

/** One Arrow IPC file of the answer, read the way grafana-plugin-sdk-go's data/arrow.go reads the metadata. */
function decodeFrame(bytes: Buffer): ComparableFrame {
  const table = tableFromIPC(bytes);
  const metadata = table.schema.metadata;
  const json = (text: string | undefined) => (text === undefined ? undefined : (JSON.parse(text) as unknown));
  return plain({
    name: metadata.get('name') || undefined,
    refId: metadata.get('refId') || undefined,
    meta: json(metadata.get('meta')),
    fields: table.schema.fields.map((field) => {
      const type = field.metadata.get('tstype')!;
      const column = table.getChild(field.name)!;
      const values = Array.from({ length: column.length }, (_, i) => {
        const value: unknown = column.get(i);
        // Times travel as nanoseconds; the browser's frames hold milliseconds.
        return typeof value === 'bigint' ? Number(value / BigInt(1_000_000)) : value;
      });
      return {
        name: field.name,
        type,
        values,
        config: withoutEmpty(json(field.metadata.get('config')) as object | undefined),
        labels: json(field.metadata.get('labels')),
      };
    }),
  });
}

function comparable(frame: Frame): ComparableFrame {
  return plain({
    name: frame.name,
    refId: frame.refId,
    meta: frame.meta,
    fields: frame.fields.map((field) => ({
      name: field.name,
      type: field.type,
      values: [...field.values],
      // A unit that is undefined is no unit: the backend's JSON drops it, as Grafana's would.
      config: withoutEmpty(plain(field.config)),
      labels: field.labels,
    })),
  });
}

/**
 * The browser data source's context for the same range and data; its analyses run in place, as they do where no
 * Worker exists (the Web Worker runs the same task functions).
 */
function browserContext() {
  return {
    client: createPrometheusClient(createHttpTransport(prometheus.url)),
    catalog: createCatalog(),
    filters: {},
    fromMs: RANGE.fromEpochMs,
    toMs: RANGE.toEpochMs,
    endMs: RANGE.toEpochMs,
    // An app with nothing saved, as the backend's queries below bring it (`appSettings: {}`): the shipped prices, no
    // calendar, no budget.
    appSettings: async () => ({}),
    // The browser's worker loads augurs (MSTL, AutoETS), and so does the backend.
    run: forecastInPlace(loadAugursInNode),
  };
}
const efficiencyContext = () => ({ ...browserContext(), run: runEfficiencyInPlace });
const runFragmentationQuery = (query: { refId: string; fragmentationView: 'summary' }) =>
  fragmentationFrames(query, browserContext(), runInPlace);

function expectAnswered(answer: Answer): ComparableFrame[] {
  expect({ error: answer.error, status: answer.status }).toEqual({ error: '', status: 200 });
  return answer.frames.map(decodeFrame);
}

describe('QueryData answers every query type with the browser data source frames', () => {
  const forecast = { target: 'expr', expr: 'test_gpu_demand', horizonHours: '48', model: 'auto' };

  test("augurs' MSTL runs on the server as in the browser's worker", async () => {
    const models = { M: { queryType: 'forecast', ...forecast, model: 'mstl' } };
    const answers = await queryData(models);
    const browserM = await runForecastQuery({ refId: 'M', ...models.M }, browserContext());
    expect(expectAnswered(answers.M)).toEqual(browserM.map(comparable));
  }, 120_000);

  test('forecast and capacity: the same history, forecast, backtest, plan, schedule, cost mix and exhaustion', async () => {
    const models = {
      F: { queryType: 'forecast', ...forecast },
      C: { queryType: 'capacity', ...forecast, capacity: '38', priceGpuModel: H100 },
    };
    // With the app's settings as the browser's data source adds them for an app with nothing saved (`{}` in JSON).
    const answers = await queryData({ F: models.F, C: { ...models.C, appSettings: {} } });
    const browserF = await runForecastQuery({ refId: 'F', ...models.F }, browserContext());
    const browserC = await runForecastQuery({ refId: 'C', ...models.C }, browserContext());
    const backendC = expectAnswered(answers.C);
    expect(expectAnswered(answers.F)).toEqual(browserF.map(comparable));
    expect(backendC).toEqual(browserC.map(comparable));
    expect(backendC.map((frame) => frame.name)).toEqual([
      'History',
      'Forecast',
      'Backtest',
      'GPUs needed',
      'Scaling schedule',
      'Cost mix',
      'Exhaustion',
    ]);
  }, 120_000);

  test('efficiency: waste, MFU, burn and disagreements', async () => {
    const views = ['waste', 'mfu', 'burn', 'disagreements'] as const;
    // With the app's settings as the browser's data source adds them for an app with nothing saved (`{}` in JSON).
    const answers = await queryData(
      Object.fromEntries(
        views.map((view) => [view, { queryType: 'efficiency', efficiencyView: view, appSettings: {} }])
      )
    );
    for (const view of views) {
      const browser = await runEfficiencyQuery({ refId: view, efficiencyView: view }, efficiencyContext());
      expect(expectAnswered(answers[view])).toEqual(browser.map(comparable));
    }
  }, 120_000);

  test('fragmentation summary', async () => {
    const answers = await queryData({ S: { queryType: 'fragmentation', fragmentationView: 'summary' } });
    const browser = await runFragmentationQuery({ refId: 'S', fragmentationView: 'summary' });
    expect(expectAnswered(answers.S)).toEqual(browser.map(comparable));
  }, 60_000);
});

/** The number field and the labels of each row of an alert frame (Grafana's numeric table). */
function numbers(frame: ComparableFrame): Array<{ labels: Record<string, string>; value: number | null }> {
  const valueField = frame.fields.find((field) => field.type === 'number')!;
  const labelFields = frame.fields.filter((field) => field.type === 'string');
  return valueField.values.map((value, row) => ({
    labels: Object.fromEntries(labelFields.map((field) => [field.name, String(field.values[row])])),
    value: value as number | null,
  }));
}

/**
 * Grafana's server-side expressions over one alert answer, written from pkg/expr: the converter reads a single frame
 * without a time field, with one number field and otherwise string fields, as one Number per row whose labels are
 * the string fields (converter.go: isNumberTable, extractNumberSet; a null reads as NaN through FloatAt); reduce of a
 * Number keeps its value (commands.go, ReduceCommand.Execute: "any reduce op is just a noop"); threshold `gt` is 1
 * when the predicate holds and 0 otherwise (threshold.go, ThresholdCommand.Execute), so NaN never fires `gt`
 * (docs/grafana-compatibility.md, "Alerting on Headroom queries").
 */
function reduceLastThenAbove(frames: ComparableFrame[], threshold: number) {
  return reduceLastThenThreshold(frames, { type: 'gt', params: [threshold] }).map(({ labels, firing }) => ({
    labels,
    firing,
  }));
}

/** As reduceLastThenAbove, with threshold.go's `gt` and `lt`: strict comparisons, so NaN fires neither. */
function reduceLastThenThreshold(frames: ComparableFrame[], evaluator: ThresholdEvaluator) {
  expect(frames).toHaveLength(1);
  const frame = frames[0];
  // No dataplane type: SSE takes the numeric-table path (dataplane.go, shouldUseDataplane).
  expect(frame.meta).not.toHaveProperty('type');
  expect(frame.fields.filter((field) => field.type === 'number')).toHaveLength(1);
  expect(frame.fields.filter((field) => field.type !== 'number' && field.type !== 'string')).toEqual([]);
  const [limit] = evaluator.params;
  return numbers(frame).map(({ labels, value }) => {
    const reduced = value === null ? NaN : value;
    const fires = evaluator.type === 'gt' ? reduced > limit : reduced < limit;
    return { labels, value, firing: fires ? 1 : 0 };
  });
}

/**
 * A template rule evaluated as Grafana's scheduler does at `END_SECONDS`: query A through QueryData over the rule's
 * relative time range (ngalert/eval: now − from … now − to), then its B (reduce) and C (threshold) expressions.
 */
async function evaluateRule(rule: ProvisionedAlertRule, settings: Record<string, string> = {}) {
  const [query, reduce, threshold] = rule.data;
  expect(reduce.model).toMatchObject({ type: 'reduce', reducer: 'last', expression: query.refId });
  expect(threshold.model).toMatchObject({ type: 'threshold', expression: reduce.refId });
  const { from, to } = query.relativeTimeRange;
  const answer = await unaryCall(client, services.data, 'QueryData', {
    pluginContext: {
      dataSourceInstanceSettings: { url: prometheus.url, jsonData: Buffer.from('{"timeout": 30}') },
    },
    queries: [
      {
        refId: query.refId,
        intervalMs: 1000,
        timeRange: { fromEpochMs: (END_SECONDS - from) * 1000, toEpochMs: (END_SECONDS - to) * 1000 },
        json: Buffer.from(JSON.stringify({ ...query.model, ...settings })),
      },
    ],
  });
  const result = (answer.responses as Record<string, Answer>)[query.refId];
  if (result.error) {
    return { error: result.error, status: result.status };
  }
  const { evaluator } = (threshold.model as { conditions: Array<{ evaluator: ThresholdEvaluator }> }).conditions[0];
  return { series: reduceLastThenThreshold(expectAnswered(result), evaluator) };
}

describe("the templates on Headroom's alert queries, evaluated through the backend as Grafana does", () => {
  const ruleOf = (measure: string, options: Partial<HeadroomQueryTemplateOptions> = {}) =>
    headroomQueryTemplateRules({ headroomUid: 'hr', ...options }).find(
      (rule) => rule.data[0].model.measure === measure
    )!;

  test('largest gang: 3 GPUs on node-b is below the default 8 and fires; a 3-GPU threshold does not', async () => {
    expect(await evaluateRule(ruleOf('largestGang'))).toEqual({ series: [{ labels: {}, value: 3, firing: 1 }] });
    expect(await evaluateRule(ruleOf('largestGang', { gangGpus: 3 }))).toEqual({
      series: [{ labels: {}, value: 3, firing: 0 }],
    });
  }, 60_000);

  test("idle cost at the app's contract price the rule was written with: 2 idle H100s × 7.50 $ = 15 $/h", async () => {
    const appSettings = {
      gpuPrices: [{ gpuModel: H100, onDemandPerGpuHour: 7.5, reservedPerGpuHour: 5, source: ENTERED_PRICE_SOURCE }],
    };
    const rule = ruleOf('idleCostPerHour', { appSettings });
    expect(rule.data[0].model.appSettings).toEqual(appSettings);
    const { series: rows } = await evaluateRule(rule);
    expect(rows).toContainEqual({ labels: { namespace: 'lab' }, value: 15, firing: 1 });
    // A price the configuration page would refuse is the rule's error, not a silent list price.
    const zero = { gpuPrices: [{ ...appSettings.gpuPrices[0], onDemandPerGpuHour: 0 }] };
    expect(await evaluateRule(ruleOf('idleCostPerHour', { appSettings: zero }))).toEqual({
      status: 400,
      error: expect.stringContaining("app's settings"),
    });
  }, 60_000);

  test("`headroom rules templates` writes the app's prices into its idle-cost rule: 2 × 7.50 = 15 $/h, not 2 × 11.0612 list", async () => {
    const token = 'glsa_cli_settings_test_token';
    const contract = { gpuModel: H100, onDemandPerGpuHour: 7.5, reservedPerGpuHour: 5, source: ENTERED_PRICE_SOURCE };
    // The app as its configuration page saved it: a contract price, and a default data source the rules do not carry.
    const grafana = new GrafanaDouble({
      token,
      datasources: { hr: '' },
      apps: { [PLUGIN_ID]: { defaultDatasourceUid: 'hr', gpuPrices: [contract] } },
    });
    await grafana.start();
    const writtenIdleCost = async (...flags: string[]) => {
      const run = await runHeadroom(
        ['rules', 'templates', '--headroom-uid', 'hr', '--grafana-url', grafana.url, ...flags],
        { env: { HEADROOM_GRAFANA_TOKEN: token } }
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const rules = [...grafana.rules.values()] as unknown as ProvisionedAlertRule[];
      return rules.find((r) => r.data[0].model.measure === 'idleCostPerHour')!;
    };
    try {
      const rule = await writtenIdleCost();
      expect(rule.data[0].model.appSettings).toEqual({ gpuPrices: [contract] });
      expect(grafana.requests.filter((r) => r.path === `/api/plugins/${PLUGIN_ID}/settings`)).toHaveLength(1);
      expect((await evaluateRule(rule)).series).toContainEqual({ labels: { namespace: 'lab' }, value: 15, firing: 1 });
      // The same rule printed without Grafana carries no settings: the backend prices at the list price, 2 × 11.0612.
      const printed = await runHeadroom(['rules', 'templates', '--headroom-uid', 'hr']);
      const listPriced = (JSON.parse(printed.stdout) as ProvisionedAlertRule[]).find(
        (r) => r.data[0].model.measure === 'idleCostPerHour'
      )!;
      expect((await evaluateRule(listPriced)).series![0].value).toBeCloseTo(22.1224, 6);
      // --pricing picks the app's reserved price: 2 × 5 = 10 $/h, not above the default 10 $/h threshold.
      const reserved = await writtenIdleCost('--pricing', 'reserved');
      expect(reserved.data[0].model.pricingTier).toBe('reserved');
      expect((await evaluateRule(reserved)).series).toContainEqual({
        labels: { namespace: 'lab' },
        value: 10,
        firing: 0,
      });
    } finally {
      await grafana.stop();
    }
  }, 120_000);

  test('idle GPUs over its 6-hour window: lab holds 2 idle GPUs, above 0, so its series fires', async () => {
    const { series: rows } = await evaluateRule(ruleOf('idleGpus'));
    expect(rows).toContainEqual({ labels: { namespace: 'lab' }, value: 2, firing: 1 });
  }, 120_000);

  test('exhaustion probability: too little history is the rule error; demand 20 to 40 against 10 or 100,000 GPUs', async () => {
    const rule = ruleOf('exhaustionProbability');
    // The template's default target, on a fleet of one hour: an error answer, which the rule shows (execErrState).
    expect(rule.execErrState).toBe('Error');
    expect(await evaluateRule(rule)).toEqual({ status: 400, error: expect.stringContaining('hours of data') });
    // A window longer than the 10 days of history is the person's too: 400 with what to choose, not 500.
    expect(await evaluateRule(rule, forecastOf('10'))).toEqual({
      status: 400,
      error: expect.stringMatching(/longer than the history[\s\S]*Choose a horizon of at most 24\d hours/),
    });
    // A person's own target: demand never under 20 GPUs exceeds 10 GPUs for certain, and never reaches 100,000.
    // The series has 10 days of history, so the person also shortens the window to 7 days (a forecast looks at most
    // as far ahead as its history looks back).
    const over = await evaluateRule(rule, { ...forecastOf('10'), withinDays: '7' });
    expect(over.series).toEqual([{ labels: { target: 'expr' }, value: 1, firing: 1 }]);
    const under = await evaluateRule(rule, { ...forecastOf('100000'), withinDays: '7' });
    expect(under.series).toEqual([{ labels: { target: 'expr' }, value: 0, firing: 0 }]);
  }, 240_000);

  test('budget guard rails: a projection at 120 % of the budget fires notify and control, not circuit-break', async () => {
    // The projected spend does not depend on the budget: the ratio at 1,000 $ tells the budget it is 120 % of.
    const probe = await evaluateRule(ruleOf('budgetRatio', { monthlyBudget: 1000 }));
    const spend = probe.series![0].value! * 1000;
    expect(spend).toBeGreaterThan(0);
    const rules = headroomQueryTemplateRules({ headroomUid: 'hr', monthlyBudget: spend / 1.2 }).filter(
      (rule) => rule.data[0].model.measure === 'budgetRatio'
    );
    const fired: Record<string, number> = {};
    for (const rule of rules) {
      const { series: rows } = await evaluateRule(rule);
      expect(rows![0].value).toBeCloseTo(1.2, 6);
      fired[rule.labels!.headroom_budget_level] = rows![0].firing;
    }
    expect(fired).toEqual({ notify: 1, control: 1, 'circuit-break': 0 });
  }, 240_000);
});

describe('alert queries: one number per series', () => {
  test('idle GPUs and idle cost per hour by namespace, worked out by hand', async () => {
    const answers = await queryData({
      G: { queryType: 'alert', measure: 'idleGpus', namespace: 'lab' },
      $: { queryType: 'alert', measure: 'idleCostPerHour', namespace: 'lab' },
    });
    // lab/notebook is idle (1 % activity, under the 5 % idle rule, for the whole window) and holds 2 GPUs; lab/busy
    // is not idle.
    expect(numbers(expectAnswered(answers.G)[0])).toEqual([{ labels: { namespace: 'lab' }, value: 2 }]);
    // 2 idle H100s × the shipped on-demand list price of one H100 GPU-hour.
    const h100 = DEFAULT_GPU_PRICES.find((price) => price.gpuModel === H100)!;
    const [cost] = numbers(expectAnswered(answers.$)[0]);
    expect(cost.labels).toEqual({ namespace: 'lab' });
    expect(cost.value).toBeCloseTo(2 * h100.onDemandPerGpuHour, 10);
    expect(expectAnswered(answers.$)[0].fields.at(-1)!.config).toEqual({ unit: 'currencyUSD', decimals: 2 });
    // A priced answer to a query without the app's settings says it used list prices; an unpriced one says nothing.
    const notices = (expectAnswered(answers.$)[0].meta as { notices: Array<{ text: string }> }).notices;
    expect(notices.map((notice) => notice.text)).toEqual(
      expect.arrayContaining([
        'GPU-hours priced at the shipped on-demand list prices.',
        expect.stringContaining('This query brought no app settings'),
      ])
    );
    expect(JSON.stringify(expectAnswered(answers.G)[0].meta ?? {})).not.toContain('no app settings');
  }, 120_000);

  test("a rule without the app's settings, with the data source's managed account: the app's saved price, or Grafana's refusal said", async () => {
    const token = 'glsa_datasource_managed_token_test';
    const contract = { gpuModel: H100, onDemandPerGpuHour: 7.5, reservedPerGpuHour: 5, source: ENTERED_PRICE_SOURCE };
    const grafana = new GrafanaDouble({ token, apps: { [PLUGIN_ID]: { gpuPrices: [contract], monthlyBudget: 900 } } });
    // The account Grafana makes from the data source's `iam` block: that permission, no basic role.
    grafana.role = { custom: Object.fromEntries(DATASOURCE_IAM_PERMISSIONS.map((p) => [p.action, [p.scope]])) };
    await grafana.start();
    // A second Grafana where the account lost the permission (another URL: the backend keeps an answer a minute).
    const refusing = new GrafanaDouble({ token, apps: { [PLUGIN_ID]: { gpuPrices: [contract] } } });
    refusing.role = { custom: {} };
    await refusing.start();
    const managed = (url: string) => ({
      orgId: 1,
      grafanaConfig: { GF_APP_URL: url, GF_PLUGIN_APP_CLIENT_SECRET: token },
    });
    try {
      const idleCost = { queryType: 'alert', measure: 'idleCostPerHour', namespace: 'lab' };
      const read = await queryData({ $: idleCost }, managed(grafana.url));
      // 2 idle H100s × the app's 7.50 $ contract price.
      expect(numbers(expectAnswered(read.$)[0])).toEqual([{ labels: { namespace: 'lab' }, value: 15 }]);
      expect(JSON.stringify(expectAnswered(read.$)[0].meta)).not.toContain("app's settings");
      expect(grafana.requests.filter((r) => r.path === `/api/plugins/${PLUGIN_ID}/settings`)).toHaveLength(1);

      // An exhaustion measure without the calendar uses none of the settings: not read, and no notice about them.
      const exhaustion = {
        queryType: 'alert',
        measure: 'daysToExhaustion80',
        horizonHours: '48',
        ...forecastOf('100000'),
      };
      const unused = await queryData({ D: exhaustion }, managed(refusing.url));
      expect(JSON.stringify(expectAnswered(unused.D)[0].meta ?? {})).not.toContain("app's settings");
      expect(refusing.requests.filter((r) => r.path === `/api/plugins/${PLUGIN_ID}/settings`)).toHaveLength(0);

      const refused = await queryData({ $: idleCost }, managed(refusing.url));
      const h100 = DEFAULT_GPU_PRICES.find((price) => price.gpuModel === H100)!;
      expect(numbers(expectAnswered(refused.$)[0])[0].value).toBeCloseTo(2 * h100.onDemandPerGpuHour, 10);
      const meta = expectAnswered(refused.$)[0].meta as { notices: Array<{ severity: string; text: string }> };
      expect(meta.notices).toContainEqual({
        severity: 'warning',
        text: expect.stringMatching(/^Grafana answered 403 when the data source asked for the app's settings/),
      });
      expect(JSON.stringify(meta)).not.toContain(token);
    } finally {
      await grafana.stop();
      await refusing.stop();
    }
  }, 120_000);

  test("Grafana's reduce(last) + threshold over a measure without a value; a namespace without GPU pods", async () => {
    const answers = await queryData({
      D: { queryType: 'alert', measure: 'daysToExhaustion80', horizonHours: '48', ...forecastOf('100000') },
      N: { queryType: 'alert', measure: 'idleGpus', namespace: 'no-such-namespace' },
    });
    // 100,000 GPUs are not reached within 48 h: no value, which Grafana reads as NaN; neither `gt` nor `lt` fires.
    const [days] = numbers(expectAnswered(answers.D)[0]);
    expect(days.value).toBeNull();
    expect(reduceLastThenAbove(expectAnswered(answers.D), 0)).toEqual([{ labels: days.labels, firing: 0 }]);
    // No pod held a GPU in the namespace: an error answer (the rule's error), not zero idle GPUs.
    expect(answers.N.error).toMatch(/^No pod held a GPU in this time range/);
  }, 120_000);

  test('largest placeable gang: 3 free GPUs on node-b once train-2 has finished, 2 on node-a', async () => {
    const answers = await queryData({ L: { queryType: 'alert', measure: 'largestGang' } });
    expect(numbers(expectAnswered(answers.L)[0])).toEqual([{ labels: {}, value: 3 }]);
  }, 60_000);

  test('fragmented share and the exhaustion measures equal what the panels show', async () => {
    const answers = await queryData({
      S: { queryType: 'alert', measure: 'fragmentedShare' },
      P: { queryType: 'alert', measure: 'exhaustionProbability', withinDays: '2', ...forecastOf('38') },
      D: { queryType: 'alert', measure: 'daysToExhaustion80', horizonHours: '48', ...forecastOf('38') },
    });
    const [summary] = await runFragmentationQuery({ refId: 'S', fragmentationView: 'summary' });
    const share = summary.fields.find((field) => field.name === 'Fragmented share of free')!.values[0];
    expect(numbers(expectAnswered(answers.S)[0])).toEqual([{ labels: {}, value: share }]);

    // The capacity panel's Exhaustion frame: when the upper 80 % bound first exceeds 38 GPUs.
    const capacity = await runForecastQuery(
      { refId: 'C', queryType: 'capacity', horizonHours: '48', ...forecastOf('38') },
      browserContext()
    );
    const exhaustion = capacity.find((frame) => frame.name === 'Exhaustion')!;
    const upper80Ms = exhaustion.fields[1].values[exhaustion.fields[0].values.indexOf('Upper 80 %')] as number;
    // The daily peak is 40 GPUs, so the 80 % upper bound passes 38 within the first day ahead.
    expect(upper80Ms).toBeGreaterThan(RANGE.toEpochMs);
    expect(upper80Ms).toBeLessThanOrEqual(RANGE.toEpochMs + 24 * HOUR * 1000);
    expect(numbers(expectAnswered(answers.D)[0])).toEqual([
      { labels: { target: 'expr' }, value: (upper80Ms - RANGE.toEpochMs) / 86_400_000 },
    ]);
    const [probability] = numbers(expectAnswered(answers.P)[0]);
    expect(probability.labels).toEqual({ target: 'expr' });
    // A peak of 40 against 38: more likely than not at the peak hour, never certain.
    expect(probability.value).toBeGreaterThan(0.5);
    expect(probability.value).toBeLessThan(1);
  }, 180_000);

  test("Grafana's reduce(last) + threshold over the alert frames: the idle namespace fires, a far threshold does not", async () => {
    const answers = await queryData({ G: { queryType: 'alert', measure: 'idleGpus', namespace: 'lab' } });
    const frames = expectAnswered(answers.G);
    expect(reduceLastThenAbove(frames, 1)).toEqual([{ labels: { namespace: 'lab' }, firing: 1 }]);
    expect(reduceLastThenAbove(frames, 2)).toEqual([{ labels: { namespace: 'lab' }, firing: 0 }]);
  }, 120_000);

  test('bad input: too little history, an unknown measure, the LSTM, Prometheus down: an error per query', async () => {
    const answers = await queryData({
      H: {
        queryType: 'alert',
        measure: 'exhaustionProbability',
        target: 'expr',
        expr: 'test_short_demand',
        capacity: '38',
      },
      M: { queryType: 'alert', measure: 'gpuTemperature' },
      N: { queryType: 'alert', measure: 'daysToExhaustion80', model: 'lstm', ...forecastOf('38') },
      B: { queryType: 'alert', measure: 'budgetRatio' },
      G: { queryType: 'forecast', target: 'expr', expr: 'test_gappy_demand', horizonHours: '24' },
    });
    expect(answers.H).toEqual({
      frames: [expect.any(Uint8Array)],
      error: expect.stringContaining('has 10 hours of data in the 28 days before the end of the range'),
      status: 400,
      errorSource: 'plugin',
    });
    // Beside the English message, a frame with no fields carries its code, for the pages to word it.
    const errorText = tableFromIPC(answers.H.frames[0]);
    expect(errorText.schema.fields).toEqual([]);
    expect(JSON.parse(errorText.schema.metadata.get('meta')!)).toEqual({
      custom: {
        texts: {
          errors: {
            [answers.H.error]: {
              code: 'short-history-error',
              target: 'PromQL result',
              hours: 10,
              neededHours: 24,
              historyDays: 28,
            },
          },
        },
      },
    });
    // The engine's own too little history (the hourly grid from the first sample: 100 hours, 30 observed, more than
    // half missing): 400, its English as the command line writes it, its code and figures beside it.
    expect(answers.G).toEqual({
      frames: [expect.any(Uint8Array)],
      error:
        'insufficient history: more than half of the buckets are missing; widen the step or the range (have 30 ' +
        'steps, need at least 50)',
      status: 400,
      errorSource: 'plugin',
    });
    expect(JSON.parse(tableFromIPC(answers.G.frames[0]).schema.metadata.get('meta')!)).toEqual({
      custom: {
        texts: {
          errors: {
            [answers.G.error]: {
              code: 'insufficient-history-error',
              reason: 'mostly-missing',
              haveSteps: 30,
              neededSteps: 50,
            },
          },
        },
      },
    });
    expect(answers.M.error).toContain('Unknown alert measure "gpuTemperature"');
    expect(answers.N.error).toContain('The LSTM model trains in the browser only');
    expect(answers.B).toMatchObject({ status: 400, error: expect.stringContaining('No monthly budget') });

    const down = await unaryCall(client, services.data, 'QueryData', {
      pluginContext: { dataSourceInstanceSettings: { url: 'http://127.0.0.1:1', jsonData: Buffer.from('{}') } },
      queries: [{ refId: 'A', timeRange: RANGE, json: Buffer.from('{"queryType":"alert","measure":"idleGpus"}') }],
    });
    const unreachable = (down.responses as Record<string, Answer>).A;
    expect(unreachable).toMatchObject({
      frames: [expect.any(Uint8Array)],
      status: 500,
      errorSource: 'downstream',
      error: expect.stringContaining('Cannot reach Prometheus at http://127.0.0.1:1'),
    });
    // The code of Headroom's message with its figures, for the panels to word it in the user's language.
    const downText = JSON.parse(tableFromIPC(unreachable.frames[0]).schema.metadata.get('meta')!) as {
      custom: { texts: { errors: Record<string, { code: string; target: string }> } };
    };
    expect(downText.custom.texts.errors[unreachable.error]).toMatchObject({
      code: 'prometheus-unreachable',
      target: expect.stringContaining('http://127.0.0.1:1'),
    });
  }, 120_000);
});

function forecastOf(capacity: string) {
  return { target: 'expr', expr: 'test_gpu_demand', capacity };
}
