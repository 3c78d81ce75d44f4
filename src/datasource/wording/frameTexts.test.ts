import { createDataFrame, FieldType } from '@grafana/data';
import { listPrices, type FleetSource } from '../../engine/capacity';
import { PUBLISHED_GPU_PRICES } from '../../engine/efficiency';
import { ENTERED_PRICE_SOURCE } from '../appSettings';
import { appSettingsUnreadText, podWindowsText, type AppSettingsUnread } from '../frameTexts';
import { errorsInUserLanguage, frameText, inUserLanguage } from './frameTexts';

// In English (the tests' language): the words must read as the frames write them (frames/frameTexts.ts,
// engine/fragmentation/blocked.ts); the Chinese is read in tests/browser/zhHans.test.ts.
describe('frame texts in the user language', () => {
  it('words each reason why no pod fits as the frames do', () => {
    expect(
      frameText({
        code: 'gpus-not-together',
        gpuCount: 8,
        gpuPercent: 100,
        modelsNamed: false,
        mostOnOneNode: 4,
        mostOnNode: 'gpu-node-03',
        totalGpus: 1234,
        nodesWithAny: 300,
      })
    ).toBe(
      // Counts grouped as the regional format groups them.
      'it needs 8 fully free GPUs on one node; the most on any node is 4 (on gpu-node-03), 1,234 in all spread over 300 nodes'
    );
    expect(
      frameText({
        code: 'gpus-not-together',
        gpuCount: 1,
        gpuPercent: 12.5,
        modelsNamed: true,
        mostOnOneNode: 0,
        totalGpus: 0,
        nodesWithAny: 1,
      })
    ).toBe('it needs 1 GPU with 12.5 % free on one node; the most on any such node is 0, 0 in all spread over 1 node');
    // A whole percentage reads as the engine writes it (`${percent} %`), with no decimal added.
    expect(
      frameText({
        code: 'gpus-not-together',
        gpuCount: 2,
        gpuPercent: 50,
        modelsNamed: true,
        mostOnOneNode: 1,
        totalGpus: 3,
        nodesWithAny: 2,
      })
    ).toBe('it needs 2 GPUs with 50 % free on one node; the most on any such node is 1, 3 in all spread over 2 nodes');
    expect(frameText({ code: 'no-gpu-model', gpuModels: ['B200', 'GB200'] })).toBe(
      'no node has GPU model B200 or GB200'
    );
    expect(frameText({ code: 'cpu-short', gpuCount: 1, cpuCores: 9, mostFreeCores: 8 })).toBe(
      'the nodes with 1 such GPU free lack CPU: it asks 9 cores, the most free there is 8'
    );
    expect(frameText({ code: 'cpu-only-no-cpu' })).toBe('it asks for no GPU, and no node has its CPU free');
  });

  it('names learnt job types and the defragmentation notices as the frames do', () => {
    const job = { code: 'learnt-job', id: 'm01', gpuCount: 2, gpuPercent: 100, cpuCores: 16, gpuSpec: '' } as const;
    expect(frameText(job)).toBe('m01: 2 GPUs, 16 cores');
    expect(frameText({ ...job, gpuCount: 1, gpuPercent: 50, cpuCores: 0.5, gpuSpec: 'A100|H100' })).toBe(
      'm01: 50 % GPU, 0.5 cores, A100|H100'
    );
    expect(frameText({ ...job, gpuCount: 1 })).toBe('m01: 1 GPU, 16 cores');
    expect(frameText({ code: 'defrag-fits-now', node: 'gpu-node-07' })).toBe(
      'It fits on gpu-node-07 now; nothing to move.'
    );
  });

  it('words the forecast notices, backtest model names and what-if totals as the frames do', () => {
    expect(frameText({ code: 'short-history', hours: 12 })).toBe(
      'Short history: 12 h of data. The weekly rhythm needs two weeks to be learnt; treat forecasts beyond a few days with care.'
    );
    // 200 h is 8.33 days, written to one decimal.
    expect(frameText({ code: 'noisy-series', heldOutHours: 200, wapePercent: 31.26, targetPercent: 25 })).toMatch(
      /^Noisy series: on the last 8\.3 days held out, the forecast was off by 31\.3 % \(WAPE\), above the 25 % capacity-planning target\./
    );
    expect(
      frameText({
        code: 'models-not-used',
        models: [
          { model: 'seasonal_naive_week', cause: { code: 'too-short', needSteps: 336, haveSteps: 192 } },
          { model: 'naive', cause: { code: 'ignores-events' } },
          { model: 'mstl', cause: { code: 'no-backtest' } },
          { model: 'theta', cause: { code: 'failed-backtest', error: 'matrix is singular' } },
          { model: 'ets', cause: { code: 'failed-fit', error: 'no convergence' } },
        ],
      })
    ).toBe(
      'Models not used: seasonal_naive_week (needs 336 steps of history, has 192); naive (ignores the business ' +
        'events in the horizon); mstl (too little history for a backtest); theta (failed in backtest: matrix is ' +
        'singular); ets (failed on the full history: no convergence).'
    );
    expect(frameText({ code: 'calendar-events', names: ['Launch', 'Sale'] })).toBe(
      'Business calendar events in the horizon: Launch, Sale.'
    );
    expect(frameText({ code: 'model', model: 'auto → wmedian(naive,drift,mstl,theta,ets)' })).toBe(
      'auto → weighted median of 5: naive, drift, mstl +2'
    );
    expect(frameText({ code: 'what-if-row', row: 'expected-cost-per-hour' })).toBe('Expected cost ($ / h)');
    const value = (v: number, decimals: number, signed: boolean) =>
      frameText({ code: 'what-if-value', value: v, decimals, signed });
    expect([value(16128, 0, false), value(15, 0, true), value(-12.5, 2, true), value(0, 0, true)]).toEqual([
      '16,128',
      '+15',
      '−12.50',
      '±0',
    ]);
  });

  it('rewords the cells and notices that carry a code, and leaves the rest as the frame wrote it', () => {
    const frame = createDataFrame({
      name: 'Jobs that fit',
      meta: {
        notices: [
          { severity: 'info', text: 'It fits on n1 now; nothing to move.' },
          { severity: 'info', text: 'Prices are list prices.' },
        ],
        custom: {
          texts: {
            cells: {
              Job: [null, { code: 'learnt-job', id: 'm3', gpuCount: 1, gpuPercent: 100, cpuCores: 8, gpuSpec: '' }],
            },
            notices: { 'It fits on n1 now; nothing to move.': { code: 'defrag-fits-now', node: 'n1' } },
          },
        },
      },
      fields: [
        { name: 'Job', type: FieldType.string, values: ['1-GPU job', 'frame text'] },
        { name: 'Fit now', type: FieldType.number, values: [3, 0] },
      ],
    });
    const [worded] = inUserLanguage([frame]);
    expect(worded.fields[0].values).toEqual(['1-GPU job', 'm3: 1 GPU, 8 cores']);
    expect(worded.fields[1]).toBe(frame.fields[1]);
    expect(worded.meta?.notices?.map((n) => n.text)).toEqual([
      'It fits on n1 now; nothing to move.',
      'Prices are list prices.',
    ]);
    // The data source's frame is not changed.
    expect(frame.fields[0].values).toEqual(['1-GPU job', 'frame text']);
    const plain = createDataFrame({ name: 'plain', fields: [] });
    expect(inUserLanguage([plain])[0]).toBe(plain);
  });
});

describe('cost-mix price sources in the user language', () => {
  it('words a shipped list price, with its share of an instance and its note, as listPrices() writes it', () => {
    const [h100, a100] = PUBLISHED_GPU_PRICES;
    const list =
      'list of 2025-03-06 (https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/0166a59ebba7c36f2cc8c931d9f258dcebc44776/pricing.yml), read 2026-11-27';
    expect(frameText({ code: 'list-price', citation: h100.citation })).toBe(
      `List price: Google Cloud a3-highgpu-8g ÷ 8 GPUs, us-west1, ${list}`
    );
    expect(frameText({ code: 'list-price', citation: a100.citation })).toBe(
      `List price: Google Cloud a2-ultragpu-1g, us-central1, ${list}; the list has no 1-year price for this ` +
        'instance: reserved is set to on-demand until you enter yours'
    );
    // Every shipped row reads as the frames write it.
    for (const [i, price] of listPrices().entries()) {
      expect(frameText({ code: 'list-price', citation: PUBLISHED_GPU_PRICES[i].citation })).toBe(price.source);
    }
  });

  it('words an entered price and a model without a price as the frames do', () => {
    expect(frameText({ code: 'entered-price' })).toBe(ENTERED_PRICE_SOURCE);
    expect(frameText({ code: 'no-price', gpuModel: 'Tesla T4', sharePercent: 12.5 })).toBe(
      'no price for Tesla T4: its 12.5 % of the GPUs is not costed'
    );
    expect(frameText({ code: 'no-price', gpuModel: 'Tesla T4', sharePercent: 50 })).toBe(
      'no price for Tesla T4: its 50 % of the GPUs is not costed'
    );
  });
});

describe("the capacity plan's notes on the cost mix in the user language", () => {
  it('words a model without a reserved price below on-demand, and one without a price, as the engine does', () => {
    const a100 = PUBLISHED_GPU_PRICES[1];
    expect(
      frameText({
        code: 'cost-mix-note',
        note: {
          code: 'no-reserved-price',
          gpuModel: 'NVIDIA A100-SXM4-80GB',
          reservedPerGpuHour: 5.0688,
          onDemandPerGpuHour: 5.0688,
          source: listPrices()[1].source,
          sourceText: { code: 'list-price', citation: a100.citation },
        },
      })
    ).toBe(
      'Cost mix: no reserved price known for NVIDIA A100-SXM4-80GB (reserved 5.0688 is not below on-demand 5.0688 in ' +
        'List price: Google Cloud a2-ultragpu-1g, us-central1, list of 2025-03-06 (https://github.com/Cyclenerd/' +
        'google-cloud-pricing-cost-calculator/blob/0166a59ebba7c36f2cc8c931d9f258dcebc44776/pricing.yml), read ' +
        '2026-11-27; the list has no 1-year price for this instance: reserved is set to on-demand until you enter ' +
        'yours): no reserved recommendation.'
    );
    const typed = {
      code: 'no-reserved-price',
      gpuModel: 'NVIDIA L4',
      reservedPerGpuHour: 4.5,
      onDemandPerGpuHour: 4,
      source: 'contract B',
      sourceText: null,
    } as const;
    expect(frameText({ code: 'cost-mix-note', note: typed })).toBe(
      'Cost mix: no reserved price known for NVIDIA L4 (reserved 4.5 is not below on-demand 4 in contract B): no ' +
        'reserved recommendation.'
    );
    expect(frameText({ code: 'cost-mix-note', note: { ...typed, reservedPerGpuHour: undefined } })).toBe(
      'Cost mix: no reserved price known for NVIDIA L4 (the price list has none): no reserved recommendation.'
    );
    expect(
      frameText({ code: 'cost-mix-note', note: { code: 'no-price', gpuModel: 'NVIDIA A10G', sharePercent: 25 } })
    ).toBe('Cost mix: no price for NVIDIA A10G: its 25 % of the GPUs is not costed.');
  });
});

describe("the capacity plan's other notes in the user language", () => {
  it('words each as the engine writes it, the target by its preset name', () => {
    const tokens = 'Generated tokens/s';
    expect(frameText({ code: 'no-throughput', label: tokens })).toBe(
      'Generated tokens/s is a throughput, so GPUs are planned from a throughput per GPU; none was entered or ' +
        'calibrated. Enter one from a benchmark.'
    );
    expect(
      frameText({ code: 'throughput-not-calibrated', label: tokens, reason: 'Busy GPUs did not vary in the history.' })
    ).toBe(
      'Generated tokens/s is a throughput, so GPUs are planned from a throughput per GPU, and it could not be ' +
        'calibrated: Busy GPUs did not vary in the history. Enter one from a benchmark.'
    );
    expect(frameText({ code: 'not-gpus', label: 'GPU utilisation', unit: 'ratio', capacityInGpus: true })).toBe(
      'GPU utilisation is measured in ratio, not in GPUs or a throughput: no GPUs are planned for it, and a ' +
        'capacity in GPUs cannot be compared with it. Forecast allocated or busy GPUs, or generated tokens/s, to ' +
        'plan GPUs.'
    );
    expect(frameText({ code: 'not-gpus', label: 'Queued requests', unit: 'requests', capacityInGpus: false })).toBe(
      'Queued requests is measured in requests, not in GPUs or a throughput: no GPUs are planned for it. Forecast ' +
        'allocated or busy GPUs, or generated tokens/s, to plan GPUs.'
    );
    expect(frameText({ code: 'capacity-not-convertible', gpus: 20, unit: 'tokens/s' })).toBe(
      'The capacity of 20 GPUs cannot be turned into tokens/s without a throughput per GPU, so when it runs out is ' +
        'not shown.'
    );
    expect(frameText({ code: 'capacity-not-convertible', gpus: 2.5 })).toBe(
      "The capacity of 2.5 GPUs cannot be turned into the expression's unit without a throughput per GPU, so when " +
        'it runs out is not shown.'
    );
    expect(frameText({ code: 'no-prices', gpuModels: ['NVIDIA T4', 'NVIDIA L4'] })).toBe(
      "No price for NVIDIA T4, NVIDIA L4 in the price list: the cost mix is not shown. Add the model's prices."
    );
  });

  it('words where the GPU models come from as the data source writes it; an error as it came', () => {
    expect(
      frameText({
        code: 'unknown-gpu-models',
        source: '',
        sourceCode: { code: 'no-capacity-by-model', gpuModelLabel: 'modelName', hostnameLabel: 'Hostname' },
      })
    ).toBe(
      "The fleet's GPU models are unknown (no GPU capacity per model: it needs kube-state-metrics and DCGM series " +
        'with the modelName and Hostname labels): the cost mix needs the model to price.'
    );
    expect(frameText({ code: 'unknown-gpu-models', source: 'Prometheus answered 503' })).toBe(
      "The fleet's GPU models are unknown (Prometheus answered 503): the cost mix needs the model to price."
    );
    expect(frameText({ code: 'unknown-gpu-models', source: '', sourceCode: { code: 'no-inventory-capacity' } })).toBe(
      "The fleet's GPU models are unknown (no GPU capacity per model in the inventory in the day before the " +
        'forecast): the cost mix needs the model to price.'
    );
    const pricedFrom = (source: FleetSource) => frameText({ code: 'priced-from', source });
    expect(pricedFrom({ code: 'inventory', atSeconds: Date.UTC(2025, 5, 2, 12) / 1000 })).toBe(
      'GPU models priced from GPU capacity per model in the inventory, at 2025-06-02T12:00:00Z.'
    );
    expect(pricedFrom({ code: 'gpu-model-filter' })).toBe('GPU models priced from the GPU model filter.');
    expect(pricedFrom({ code: 'priced-as' })).toBe('GPU models priced from the model chosen in "Priced as".');
  });
});

describe('query errors in the user language', () => {
  const text = {
    code: 'short-history-error',
    target: 'Allocated GPUs',
    hours: 12,
    neededHours: 24,
    historyDays: 28,
  } as const;
  // The message the backend and the browser answer (frames/forecast/forecastQuery.ts, engine/series/errors.ts).
  const message =
    'insufficient history: Allocated GPUs has 12 hours of data in the 28 days before the end of the range; a ' +
    'forecast needs at least 24. Move the range to where the metric exists, or wait for more history (have 12 ' +
    'steps, need at least 24)';

  it('words too little history as the answer writes it', () => {
    expect(frameText(text)).toBe(message);
  });

  it('words the other forecast errors as the answer writes them, the target by its preset name', () => {
    expect(
      frameText({ code: 'no-history-error', target: 'Generated tokens/s', historyDays: 28, expr: 'sum(rate(x[1h]))' })
    ).toBe(
      'Generated tokens/s: Prometheus returned no data for the 28 days before the end of the range. Check the ' +
        'expression and the time range. Query: sum(rate(x[1h]))'
    );
    expect(frameText({ code: 'series-count-error', target: 'PromQL result', series: 12, expr: 'up' })).toBe(
      'PromQL result: the expression returns 12 series; a forecast needs one. Aggregate it, e.g. sum(...) or sum by ' +
        '(...) with a filter. Query: up'
    );
    expect(frameText({ code: 'horizon-hours-error', maxHours: 672, historyDays: 28, got: '700' })).toBe(
      'The horizon must be a whole number of hours from 1 to 672 (the 28 days of history a forecast reads: a ' +
        'forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot say ' +
        'how wrong it gets), got "700".'
    );
    expect(frameText({ code: 'horizon-too-long-error', target: 'Busy GPUs', horizonHours: 240, maxHours: 36 })).toBe(
      'Busy GPUs: the horizon (10 days) is longer than the history before the end of the range (36 h): a forecast ' +
        'looks at most as far ahead as its history looks back, because beyond that its backtest cannot say how ' +
        'wrong it gets. Choose a horizon of at most 36 hours, or move the range to where there is more history.'
    );
  });

  it('rewords an error whose message a frame of the answer carries, and leaves the others as they came', () => {
    const carrier = createDataFrame({
      name: 'Error text',
      refId: 'A',
      fields: [],
      meta: { custom: { texts: { errors: { [message]: { ...text, target: 'PromQL result', hours: 3 } } } } },
    });
    const errors = [
      { refId: 'A', message, status: 400 },
      { refId: 'B', message: 'Cannot reach Prometheus at http://prometheus:9090', status: 500 },
    ];
    expect(errorsInUserLanguage(errors, [carrier])).toEqual([
      {
        refId: 'A',
        message:
          'insufficient history: PromQL result has 3 hours of data in the 28 days before the end of the range; a ' +
          'forecast needs at least 24. Move the range to where the metric exists, or wait for more history (have 3 ' +
          'steps, need at least 24)',
        status: 400,
      },
      errors[1],
    ]);
    expect(errorsInUserLanguage(errors, [])).toEqual(errors);
  });
});

describe("the fragmentation query's context notices in the user language", () => {
  it('words each as the query writes it', () => {
    expect(frameText({ code: 'state-before-end', timeSeconds: 1_748_865_600 })).toBe(
      'The newest fleet state is from 2025-06-02T12:00:00.000Z, before the end of the time range.'
    );
    expect(frameText({ code: 'no-node-matches' })).toBe('No GPU node matches the node and GPU model filters.');
    expect(frameText({ code: 'mig-only-pods', pods: 3 })).toBe(
      '3 pod(s) asking only for MIG instances are not part of the FGD workload.'
    );
    expect(frameText({ code: 'disagreements', places: 2 })).toBe(
      'kube-state-metrics and DCGM disagree in 2 place(s); run `headroom fragmentation --prometheus` to list them.'
    );
    expect(frameText({ code: 'no-workload', days: 7 })).toBe(
      'No pod asked for whole GPUs in the 7 days before the state, so the workload FGD measures against cannot be ' +
        'learnt: fragmented GPUs are not shown. Widen the workload days or the namespace filter.'
    );
    expect(frameText({ code: 'over-time-workload' })).toBe(
      'FGD at each instant is measured against the workload learnt before the newest state.'
    );
    // The frame's English (fragmentationFrames.test.ts, overTimePlan), word for word.
    expect(frameText({ code: 'over-time-fewer-instants', gpus: 10_000, instants: 20, usualInstants: 60 })).toBe(
      'The fleet has 10,000 GPUs, so the state is read at 20 instants over the range instead of 60, to bound what ' +
        'one query answers.'
    );
    // The fleet state's own warning (prometheus/fleetState.ts), passed on by the query.
    expect(frameText({ code: 'dcgm-no-pod-labels' })).toBe(
      'DCGM series carry no pod labels, so which GPU is held is unknown: each node counts allocatable minus ' +
        "requested GPUs as fully free. Enable dcgm-exporter's Kubernetes pod mapping."
    );
  });
});

describe("the efficiency query's per-pod windows in the user language", () => {
  it('words the notice as the query writes it, at every unit of step', () => {
    const windows = {
      code: 'pod-windows',
      pods: 3312,
      windowSeconds: 600,
      fineStepSeconds: 60,
      maxPoints: 500_000,
    } as const;
    expect(frameText(windows)).toBe(
      "3,312 pods held GPUs in this range: each pod's activity is read as the mean of every 10 min instead of a " +
        'sample every 1 min, so that no per-pod query answers more than 500,000 points. GPU-hours and cost are ' +
        'unchanged; the idle rule judges the 10 min means.'
    );
    for (const [windowSeconds, fineStepSeconds] of [
      [3600, 15],
      [5400, 30],
    ]) {
      const notice = { ...windows, windowSeconds, fineStepSeconds };
      expect(frameText(notice)).toBe(podWindowsText(notice));
    }
  });
});

describe("the notice of an answer without the app's settings in the user language", () => {
  it('words each reason as the backend writes it', () => {
    const reasons: AppSettingsUnread[] = [
      { code: 'app-settings-unread', reason: 'no-account' },
      { code: 'app-settings-unread', reason: 'other-organisation', orgId: '2', accountOrgId: '1' },
      { code: 'app-settings-unread', reason: 'not-grafana' },
      { code: 'app-settings-unread', reason: 'refused', status: 403 },
      { code: 'app-settings-unread', reason: 'unreachable' },
      { code: 'app-settings-unread', reason: 'grafana-unavailable', status: 503 },
      { code: 'app-settings-unread', reason: 'bad-account-org', value: 'two' },
    ];
    for (const unread of reasons) {
      expect(frameText(unread)).toBe(appSettingsUnreadText(unread));
    }
    expect(frameText(reasons[3])).toBe(
      "Grafana answered 403 when the data source asked for the app's settings, so the shipped list prices, no " +
        'business calendar and only a monthly budget entered in the query (if any) were used. Its service account ' +
        'needs plugins.app:access on the Headroom app.'
    );
    expect(frameText(reasons[5])).toBe(
      "Grafana was unavailable when the data source asked for the app's settings (the proxy in front of it answered " +
        '503: Grafana is usually restarting or overloaded), so the shipped list prices, no business calendar and only ' +
        'a monthly budget entered in the query (if any) were used. The settings are asked for again a minute later.'
    );
    expect(frameText(reasons[6])).toBe(
      'managed_account_org_id under [plugin.headroom-capacity-datasource] is "two", not an organisation id (a whole ' +
        "number from 1), so the app's settings were not read and the shipped list prices, no business calendar and " +
        "only a monthly budget entered in the query (if any) were used. Set it to the id of Grafana's default " +
        'organisation (auto_assign_org_id), or remove it for organisation 1.'
    );
  });
});
