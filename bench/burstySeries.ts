/**
 * The bursty benchmark's 10-minute series from ../shared/data (see its README.md), each with its family:
 *
 * - helios (SenseTime "Earth" virtual clusters, 1-minute samples, May 2020), per cluster:
 *   `pending_gpus`: queue depth, the mean of the minute samples of pending_gpu_num over each 10 minutes;
 *   `submitted_gpus`: GPUs demanded per 10 minutes, the sum of the minute-to-minute rises of running + pending GPUs
 *   (a job that arrives raises it; one that starts moves from pending to running and leaves it; a lower bound on the
 *   GPUs submitted, since an arrival and an end in the same minute cancel);
 *   `running_gpus`: GPUs in use (10-minute mean), a smooth control.
 * - alibaba (openb pods, Alibaba cluster-trace-gpu-v2023): GPUs requested per 10 minutes, num_gpu × gpu_milli / 1000
 *   summed over the pods created in each 10 minutes, for all pods and for the LS and BE QoS classes; from day 115 of
 *   the trace on (before it, 1–3 pods a day: pods created before the trace window).
 * - nab (Numenta Anomaly Benchmark, realAWSCloudwatch, 5-minute samples): 10-minute means of every series of at least
 *   a week (request counts, network and disk bytes, CPU).
 * - philly (active nodes, 1-minute) and donut (a server CPU KPI, 5-minute): smooth controls at 10-minute means.
 *
 * Not used, too short for a day-ahead forecast with history: the Azure LLM inference trace (one hour) and the Alibaba
 * GenAI QPS (22 hours). The Mooncake request trace and the AcmeTrace and Helios job logs are not in ../shared/data.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fitReady, regularise } from '../src/engine/series';
import { readCsv, toSeconds, type Series } from './realSeries';

export const TEN_MINUTES = 600;

export interface BurstySeries extends Series {
  family: string;
}
const DAY_STEPS = 144;

function tenMinuteMeans(name: string, family: string, timestampsSeconds: number[], values: number[]): BurstySeries {
  const regular = regularise(
    { timestampsSeconds, values },
    { stepSeconds: TEN_MINUTES, aggregation: 'mean', maxBridgeSteps: 18 }
  );
  const ready = fitReady(regular, DAY_STEPS);
  return { name, family, startSeconds: ready.startSeconds, values: ready.values };
}

/** Amounts at event times summed per 10-minute bucket from `fromSeconds` to the last event (empty buckets are 0). */
function tenMinuteSums(
  name: string,
  family: string,
  events: Array<[number, number]>,
  fromSeconds: number
): BurstySeries {
  const startSeconds = Math.floor(fromSeconds / TEN_MINUTES) * TEN_MINUTES;
  const kept = events.filter(([t]) => t >= startSeconds);
  const last = Math.max(...kept.map(([t]) => t));
  const values = new Array<number>(Math.floor((last - startSeconds) / TEN_MINUTES) + 1).fill(0);
  for (const [t, amount] of kept) {
    values[Math.floor((t - startSeconds) / TEN_MINUTES)] += amount;
  }
  return { name, family, startSeconds, values };
}

function columns(path: string): { t: number[]; get: (col: string) => number[] } {
  const { header, rows } = readCsv(path);
  const index = new Map(header.map((h, i) => [h, i]));
  return { t: rows.map((r) => toSeconds(r[0])), get: (col) => rows.map((r) => Number(r[index.get(col)!])) };
}

function helios(dataDir: string): BurstySeries[] {
  const dir = join(dataDir, 'forecast');
  const out: BurstySeries[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('_cluster_sequence_vc.csv'))
    .sort()) {
    const cluster = file.split('_')[0];
    const { t, get } = columns(join(dir, file));
    const pending = get('pending_gpu_num');
    const running = get('running_gpu_num');
    out.push(tenMinuteMeans(`${cluster}.pending_gpus`, 'helios', t, pending));
    const rises: Array<[number, number]> = [];
    for (let i = 1; i < t.length; i++) {
      rises.push([t[i], Math.max(0, running[i] + pending[i] - running[i - 1] - pending[i - 1])]);
    }
    out.push(tenMinuteSums(`${cluster}.submitted_gpus`, 'helios', rises, t[0]));
    out.push(tenMinuteMeans(`${cluster}.running_gpus`, 'helios', t, running));
  }
  return out;
}

function alibaba(dataDir: string): BurstySeries[] {
  const { header, rows } = readCsv(join(dataDir, 'fragmentation/openb_pod_list_default.csv'));
  const col = (name: string) => header.indexOf(name);
  const pods = rows.map((r) => ({
    createdSeconds: Number(r[col('creation_time')]),
    gpus: (Number(r[col('num_gpu')]) * Number(r[col('gpu_milli')])) / 1000,
    qos: r[col('qos')],
  }));
  const from = 115 * 86_400;
  const series = (name: string, keep: (qos: string) => boolean) =>
    tenMinuteSums(
      name,
      'alibaba',
      pods.filter((p) => keep(p.qos)).map((p) => [p.createdSeconds, p.gpus]),
      from
    );
  return [
    series('openb.requested_gpus', () => true),
    series('openb.LS', (q) => q === 'LS'),
    series('openb.BE', (q) => q === 'BE'),
  ];
}

function nab(dataDir: string): BurstySeries[] {
  const dir = join(dataDir, 'anomaly/nab/data/realAWSCloudwatch');
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const { t, get } = columns(join(dir, file));
      return tenMinuteMeans(`nab.${file.replace('.csv', '')}`, 'nab', t, get('value'));
    })
    .filter((s) => s.values.length >= 7 * DAY_STEPS);
}

function controls(dataDir: string): BurstySeries[] {
  const philly = columns(join(dataDir, 'forecast/philly_node_sequence.csv'));
  const donut = columns(join(dataDir, 'anomaly/donut/cpu4.csv'));
  return [
    tenMinuteMeans('philly.active', 'philly', philly.t, philly.get('active')),
    tenMinuteMeans('donut.cpu4', 'donut', donut.t, donut.get('value')),
  ];
}

export function loadBurstySeries(dataDir: string): BurstySeries[] {
  return [...helios(dataDir), ...alibaba(dataDir), ...nab(dataDir), ...controls(dataDir)];
}
