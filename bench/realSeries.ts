/**
 * The benchmark's real series (see ../shared/data/README.md) as hourly means, each with its family (the data set it
 * comes from), for bench/forecast.ts and bench/intervalRules.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fitReady, regularise } from '../src/engine/series';

export const HOUR = 3600;

export interface Series {
  name: string;
  startSeconds: number;
  values: number[];
  /** The data set: helios, philly, donut or nab. */
  family?: string;
}

export function readCsv(path: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

export const toSeconds = (text: string) =>
  /^\d+$/.test(text) ? Number(text) : Date.parse(text.replace(' ', 'T') + 'Z') / 1000;

function hourly(name: string, timestampsSeconds: number[], values: number[]): Series {
  const regular = regularise(
    { timestampsSeconds, values },
    { stepSeconds: HOUR, aggregation: 'mean', maxBridgeSteps: 3 }
  );
  const ready = fitReady(regular, 24);
  return { name, startSeconds: ready.startSeconds, values: ready.values };
}

function column(path: string, pick: (get: (col: string) => number) => number): { t: number[]; v: number[] } {
  const { header, rows } = readCsv(path);
  const index = new Map(header.map((h, i) => [h, i]));
  const t = rows.map((r) => toSeconds(r[0]));
  const v = rows.map((r) => pick((col) => Number(r[index.get(col)!])));
  return { t, v };
}

export function loadSeries(dataDir: string): Series[] {
  const out: Series[] = [];
  const forecastDir = join(dataDir, 'forecast');
  for (const file of readdirSync(forecastDir)
    .filter((f) => f.endsWith('_cluster_sequence_vc.csv'))
    .sort()) {
    const cluster = file.split('_')[0];
    const running = column(join(forecastDir, file), (g) => g('running_gpu_num'));
    out.push({ ...hourly(`${cluster}.running`, running.t, running.v), family: 'helios' });
    const demand = column(join(forecastDir, file), (g) => g('running_gpu_num') + g('pending_gpu_num'));
    out.push({ ...hourly(`${cluster}.running+pending`, demand.t, demand.v), family: 'helios' });
  }
  const philly = column(join(forecastDir, 'philly_node_sequence.csv'), (g) => g('active'));
  out.push({ ...hourly('philly.active', philly.t, philly.v), family: 'philly' });
  const cpu = column(join(dataDir, 'anomaly/donut/cpu4.csv'), (g) => g('value'));
  out.push({ ...hourly('donut.cpu4', cpu.t, cpu.v), family: 'donut' });
  const awsDir = join(dataDir, 'anomaly/nab/data/realAWSCloudwatch');
  for (const file of readdirSync(awsDir).sort()) {
    const s = column(join(awsDir, file), (g) => g('value'));
    const series = hourly(`nab.${file.replace('.csv', '')}`, s.t, s.v);
    if (series.values.length >= 7 * 24) {
      out.push({ ...series, family: 'nab' });
    }
  }
  return out;
}

/**
 * The family a series is held out with in leave-one-family-out evaluation (bench/forecastLofo.ts): its data set
 * (`family`), split finer where a data set holds unrelated sources: each Helios cluster (its running and
 * running + pending series together) and each NAB metric (all EC2 CPU series together); a series without a
 * family is its own.
 */
export function foldOf(series: Series): string {
  if (series.family === 'helios') {
    return `helios.${series.name.split('.')[0]}`;
  }
  if (series.family === 'nab') {
    return series.name.replace(/_[0-9a-f]{6}$/, '');
  }
  return series.family ?? series.name;
}
