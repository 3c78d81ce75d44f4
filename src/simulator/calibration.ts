/**
 * Compares the simulator with real production data: the distribution of DCGM_FI_DEV_GPU_UTIL over
 * allocated GPUs (AcmeTrace / Helios CDFs) and the daily and weekly shape of allocated GPUs (Helios clusters).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FleetSpec } from './fleetSpec';
import { activityAt, gpuUtilPercent } from './signals';
import { FleetSimulation, TICK_SECONDS } from './simulation';
import { FREE } from './scheduler';
import { dayOfWeek } from './rhythm';

export interface UtilizationComparison {
  cluster: string;
  ksDistance: number;
  /** Quantiles p10, p25, p50, p75, p90 of GPU_UTIL (%). */
  referenceQuantiles: number[];
}

export interface ShapeComparison {
  cluster: string;
  hourCorrelation: number;
  weekdayCorrelation: number;
  referencePeakToTrough: number;
}

export interface CalibrationReport {
  simulatedQuantiles: number[];
  simulatedShareAtZero: number;
  utilization: UtilizationComparison[];
  simulatedHourProfile: number[];
  simulatedWeekdayProfile: number[];
  simulatedPeakToTrough: number;
  shapes: ShapeComparison[];
}

export const QUANTILE_LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9];

/** Empirical CDF at x from sorted values. */
function cdfAt(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo / sorted.length;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Kolmogorov–Smirnov distance between two samples, evaluated on whole percent 0..100. */
export function ksDistance(a: number[], b: number[]): number {
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  let worst = 0;
  for (let x = 0; x <= 100; x += 0.5) {
    worst = Math.max(worst, Math.abs(cdfAt(sa, x) - cdfAt(sb, x)));
  }
  return worst;
}

export function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

const normalise = (profile: number[]) => {
  const mean = profile.reduce((s, x) => s + x, 0) / profile.length;
  return profile.map((x) => x / mean);
};

/** Reference GPU_UTIL samples per cluster: the quantile table read as an evenly weighted sample. */
function referenceUtilization(dataDir: string): Map<string, number[]> {
  const rows = readFileSync(join(dataDir, 'reference/utilization_cdfs.csv'), 'utf8').trim().split('\n').slice(1);
  const byCluster = new Map<string, number[]>();
  for (const row of rows) {
    const [cluster, metric, , , value] = row.split(',');
    // PAI's table is a coarse, non-monotone step list; the three full CDFs are compared.
    if (metric === 'gpu_util_pct' && cluster !== 'PAI') {
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), Number(value)]);
    }
  }
  return byCluster;
}

function profilesOf(times: number[], values: number[]): { hour: number[]; weekday: number[] } {
  const hour = new Array(24).fill(0);
  const hourN = new Array(24).fill(0);
  const weekday = new Array(7).fill(0);
  const weekdayN = new Array(7).fill(0);
  times.forEach((t, i) => {
    const h = Math.floor((t % 86400) / 3600);
    hour[h] += values[i];
    hourN[h]++;
    weekday[dayOfWeek(t)] += values[i];
    weekdayN[dayOfWeek(t)]++;
  });
  return {
    hour: normalise(hour.map((s, i) => s / hourN[i])),
    weekday: normalise(weekday.map((s, i) => s / weekdayN[i])),
  };
}

function referenceShapes(dataDir: string): Map<string, { hour: number[]; weekday: number[] }> {
  const folder = join(dataDir, 'forecast');
  const shapes = new Map<string, { hour: number[]; weekday: number[] }>();
  for (const name of readdirSync(folder).filter((f) => f.endsWith('_cluster_sequence_vc.csv'))) {
    const [header, ...rows] = readFileSync(join(folder, name), 'utf8').trim().split('\n');
    const column = header.split(',').indexOf('running_gpu_num');
    const times: number[] = [];
    const values: number[] = [];
    for (const row of rows) {
      const cells = row.split(',');
      times.push(Date.parse(`${cells[0].replace(' ', 'T')}Z`) / 1000);
      values.push(Number(cells[column]));
    }
    shapes.set(name.replace('_cluster_sequence_vc.csv', ''), profilesOf(times, values));
  }
  return shapes;
}

const peakToTrough = (profile: number[]) => Math.max(...profile) / Math.min(...profile);

/** Simulates `days` days from `startSeconds` and compares with the real data under `dataDir`. */
export function calibrate(
  spec: FleetSpec,
  options: { startSeconds: number; days: number; dataDir: string }
): CalibrationReport {
  const sim = new FleetSimulation(spec, options.startSeconds);
  const utilization: number[] = [];
  const times: number[] = [];
  const allocated: number[] = [];
  // One warm-up day so the fleet is full before anything is measured.
  const firstTick = sim.startTick + 1440;
  for (let tick = firstTick; tick < firstTick + options.days * 1440; tick += 5) {
    sim.advanceTo(tick);
    const seconds = tick * TICK_SECONDS;
    let count = 0;
    sim.layout.slots.forEach((slot, s) => {
      if (sim.holder[s] !== FREE && !slot.migProfile) {
        count++;
        utilization.push(gpuUtilPercent(activityAt(sim, sim.pods[sim.holder[s]], seconds)));
      }
    });
    times.push(seconds);
    allocated.push(count);
  }
  const sorted = [...utilization].sort((a, b) => a - b);
  const sim_ = profilesOf(times, allocated);
  const reference = referenceUtilization(options.dataDir);
  return {
    simulatedQuantiles: QUANTILE_LEVELS.map((q) => quantile(sorted, q)),
    simulatedShareAtZero: cdfAt(sorted, 0),
    utilization: [...reference].map(([cluster, values]) => ({
      cluster,
      ksDistance: ksDistance(utilization, values),
      referenceQuantiles: QUANTILE_LEVELS.map((q) =>
        quantile(
          [...values].sort((a, b) => a - b),
          q
        )
      ),
    })),
    simulatedHourProfile: sim_.hour,
    simulatedWeekdayProfile: sim_.weekday,
    simulatedPeakToTrough: peakToTrough(sim_.hour),
    shapes: [...referenceShapes(options.dataDir)].map(([cluster, p]) => ({
      cluster,
      hourCorrelation: pearson(sim_.hour, p.hour),
      weekdayCorrelation: pearson(sim_.weekday, p.weekday),
      referencePeakToTrough: peakToTrough(p.hour),
    })),
  };
}
