/** @jest-environment node */
import { getEventListeners } from 'node:events';
import { createCatalog } from '../../prometheus/catalog';
import { FLEET_METADATA } from '../../prometheus/testing/fleetMetadata';
import type { PrometheusClient, PromSeries, TimeRangeSeconds } from '../../prometheus/types';
import { fragmentationFrames, runInPlace, type FragmentationView } from './fragmentationQuery';

const END = Date.UTC(2025, 5, 2, 12) / 1000;
const RANGE_SECONDS = 12 * 3600;

/**
 * One node, n1, with two whole GPUs and 8 cores: GPU 0 held by ml/a (1 GPU, 2 cores), GPU 1 free, the same at every
 * instant. The pods of the last days: ml/a (1 GPU, 2 cores) and ml/b (2 GPUs, 4 cores), so the workload is a 1-GPU
 * and a 2-GPU job type, each half of the pods.
 *
 * By hand: one GPU is free. The 1-GPU job fits on it (CPU 6 of 8 cores free), so it leaves nothing fragmented; the
 * 2-GPU job cannot run on n1 (one GPU free), so the whole free GPU is fragmented for it. FGD = ½·0 + ½·1 = 0.5 GPU,
 * a share of 0.5 of the free GPUs.
 */
const gpu = (index: number, pod?: string) => ({
  gpu: String(index),
  UUID: `GPU-${index}`,
  Hostname: 'n1',
  modelName: 'NVIDIA H100',
  ...(pod ? { namespace: 'ml', pod, container: 'main' } : {}),
});

/** The series of one instant query, or of a range query when `times` are its steps. */
function answer(expr: string, times: number[]): PromSeries[] {
  const series = (labels: Record<string, string>, value: (t: number) => number): PromSeries => ({
    labels,
    timestampsSeconds: times,
    values: times.map(value),
  });
  if (expr.startsWith('max(timestamp(')) {
    return [series({}, (t) => t)];
  }
  if (expr.startsWith('timestamp(')) {
    return [series(gpu(0, 'a'), (t) => t), series(gpu(1), (t) => t)];
  }
  if (expr.startsWith('kube_node_status_allocatable')) {
    return [
      series({ node: 'n1', resource: 'cpu' }, () => 8),
      series({ node: 'n1', resource: 'nvidia_com_gpu' }, () => 2),
    ];
  }
  if (expr.includes('"Running"')) {
    return [
      series({ namespace: 'ml', pod: 'a', node: 'n1', resource: 'cpu' }, () => 2),
      series({ namespace: 'ml', pod: 'a', node: 'n1', resource: 'nvidia_com_gpu' }, () => 1),
    ];
  }
  if (expr.startsWith('count(')) {
    return []; // No pod asked for MIG instances only.
  }
  if (expr.includes('max_over_time')) {
    return [
      series({ namespace: 'ml', pod: 'a', resource: 'cpu' }, () => 2),
      series({ namespace: 'ml', pod: 'a', resource: 'nvidia_com_gpu' }, () => 1),
      series({ namespace: 'ml', pod: 'b', resource: 'cpu' }, () => 4),
      series({ namespace: 'ml', pod: 'b', resource: 'nvidia_com_gpu' }, () => 2),
    ];
  }
  return []; // Pending requests and busy GPUs without a pod: none.
}

interface Scripted {
  client: PrometheusClient;
  /** Every query sent, in order: `instant <expr>` or `range <expr>`; `workload answered` when the history is. */
  log: string[];
  /** The signals the range queries were sent with. */
  rangeSignals: AbortSignal[];
}

/**
 * A Prometheus answering from `answer`. The workload history (`max_over_time`) is answered only once `holdWorkload`
 * says so (given the log so far), or after a second: a query that waited for it would then show in the log after it.
 */
function scriptedClient(
  holdWorkload: (log: string[]) => boolean = () => false,
  workloadAnswer: (expr: string) => PromSeries[] = (expr) => answer(expr, [END])
): Scripted {
  const log: string[] = [];
  const rangeSignals: AbortSignal[] = [];
  const waiting: Array<() => void> = [];
  const release = () => waiting.splice(0).forEach((resume) => resume());
  const timer = setTimeout(release, 1000);
  const client: PrometheusClient = {
    queryInstant: async (expr) => {
      log.push(`instant ${expr}`);
      if (expr.includes('max_over_time')) {
        if (holdWorkload(log)) {
          await new Promise<void>((resume) => waiting.push(resume));
        }
        log.push('workload answered');
        return { series: workloadAnswer(expr), warnings: [] };
      }
      return { series: answer(expr, [END]), warnings: [] };
    },
    queryRange: async (expr: string, range: TimeRangeSeconds & { stepSeconds: number }, signal?: AbortSignal) => {
      log.push(`range ${expr}`);
      if (signal) {
        rangeSignals.push(signal);
      }
      if (log.filter((line) => line.startsWith('range ')).length === 5) {
        clearTimeout(timer);
        release();
      }
      const times: number[] = [];
      for (let t = range.startSeconds; t <= range.endSeconds; t += range.stepSeconds) {
        times.push(t);
      }
      return { series: answer(expr, times), warnings: [] };
    },
    ...FLEET_METADATA,
  };
  return { client, log, rangeSignals };
}

function frames(view: FragmentationView, client: PrometheusClient, sharedBy?: object, signal?: AbortSignal) {
  return fragmentationFrames(
    { refId: view, fragmentationView: view },
    {
      client,
      catalog: createCatalog(),
      filters: {},
      fromMs: (END - RANGE_SECONDS) * 1000,
      toMs: END * 1000,
      sharedBy,
      signal,
    },
    runInPlace
  );
}

const valuesOf = (frame: { fields: Array<{ name: string; values: unknown[] }> }, name: string) =>
  frame.fields.find((f) => f.name === name)?.values;

describe('fragmentationFrames over time', () => {
  it('sends its range queries while the workload history is still being read, and measures FGD with it', async () => {
    // The history is held until the five range queries of the fleet states over time have been sent.
    const { client, log } = scriptedClient(() => true);
    const [overTime] = await frames('overTime', client);
    const ranges = log.map((line, i) => [line, i] as const).filter(([line]) => line.startsWith('range '));
    expect(ranges).toHaveLength(5);
    expect(ranges.every(([, i]) => i < log.indexOf('workload answered'))).toBe(true);
    // 12 hours, a fleet of 2 GPUs: 60 instants, each with FGD 0.5 of 1 free GPU (see the fleet above).
    expect(valuesOf(overTime, 'Fragmented GPUs')).toEqual(Array(60).fill(0.5));
    expect(valuesOf(overTime, 'Free GPUs')).toEqual(Array(60).fill(1));
    expect(valuesOf(overTime, 'Fragmented share of free')).toEqual(Array(60).fill(0.5));
  });

  it('leaves no listener on the signal of the query once it has answered', async () => {
    const query = new AbortController();
    const [overTime] = await frames('overTime', scriptedClient().client, undefined, query.signal);
    expect(valuesOf(overTime, 'Fragmented GPUs')).toEqual(Array(60).fill(0.5));
    expect(getEventListeners(query.signal, 'abort')).toHaveLength(0);
  });

  it('stops its range queries and answers an empty frame when no pod asked for GPUs in the workload days', async () => {
    const { client, log, rangeSignals } = scriptedClient(
      () => true,
      () => []
    );
    const [overTime] = await frames('overTime', client);
    expect(log.filter((line) => line.startsWith('range '))).toHaveLength(5);
    expect(rangeSignals.map((signal) => signal.aborted)).toEqual(Array(5).fill(true));
    expect(overTime.fields.every((field) => field.values.length === 0)).toBe(true);
  });
});

describe('fragmentationFrames sharing the newest state', () => {
  const instantQueries = (log: string[]) => log.filter((line) => line.startsWith('instant '));

  it('reads it once for the views that ask at once with the same sharedBy, and anew after it has been read', async () => {
    const { client, log } = scriptedClient();
    const sharedBy = {};
    const views: FragmentationView[] = ['summary', 'grid', 'jobsFit', 'defragPlan', 'overTime'];
    const together = await Promise.all(views.map((view) => frames(view, client, sharedBy)));
    // The newest sample, the five expressions of the state and the two of the workload: each once.
    expect(instantQueries(log)).toHaveLength(8);
    expect(new Set(instantQueries(log)).size).toBe(8);
    // The same frames as views that each read on their own.
    const alone = await Promise.all(views.map((view) => frames(view, scriptedClient().client)));
    expect(together).toEqual(alone);
    // Summary by hand: 1 free GPU, 0.5 of it fragmented.
    expect(valuesOf(together[0][0], 'Free GPUs')).toEqual([1]);
    expect(valuesOf(together[0][0], 'Fragmented GPUs')).toEqual([0.5]);
    log.length = 0;
    await frames('summary', client, sharedBy);
    expect(instantQueries(log)).toHaveLength(8);
  });

  it('goes on while one query sharing it still waits, and stops once every one is aborted', async () => {
    // Refuses a query whose signal is aborted, as the Prometheus client does.
    const honouring = (client: PrometheusClient): PrometheusClient => ({
      ...client,
      queryInstant: (expr, timeSeconds, signal) =>
        signal?.aborted ? Promise.reject(signal.reason) : client.queryInstant(expr, timeSeconds, signal),
    });
    const client = honouring(scriptedClient().client);
    const [first, second] = [new AbortController(), new AbortController()];
    const sharedBy = {};
    const asked = [
      frames('summary', client, sharedBy, first.signal),
      frames('summary', client, sharedBy, second.signal),
    ];
    first.abort(new Error('first gone'));
    const [gone, stillWaiting] = await Promise.allSettled(asked);
    // The query that left stops waiting with its own reason; the other is answered from the same fetch.
    expect(gone).toEqual({ status: 'rejected', reason: new Error('first gone') });
    expect(stillWaiting.status === 'fulfilled' && valuesOf(stillWaiting.value[0], 'Free GPUs')).toEqual([1]);

    const [third, fourth] = [new AbortController(), new AbortController()];
    const abandoned = [
      frames('summary', client, sharedBy, third.signal),
      frames('summary', client, sharedBy, fourth.signal),
    ];
    third.abort(new Error('third gone'));
    fourth.abort(new Error('fourth gone'));
    expect(await Promise.allSettled(abandoned)).toEqual([
      { status: 'rejected', reason: new Error('third gone') },
      { status: 'rejected', reason: new Error('fourth gone') },
    ]);
  });
});
