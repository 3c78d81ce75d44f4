/**
 * Per-pod GPU activity and memory over a time range, from the DCGM series that carry a pod label (dcgm-exporter adds
 * it while a pod holds the GPU), shaped for the waste analysis (`analyseWaste`). Each expression aggregates by pod in
 * PromQL, so the answer grows with pods × steps, never with GPUs × samples; the step comes from the step chooser.
 */
import type { PodUtilisation } from '../engine/efficiency';
import { DEFAULT_DCGM_MODEL_LABEL, type MetricCatalog } from './catalog';
import { detectFamilies } from './detect';
import { FleetDataError } from './fleetState';
import { chooseActivitySource } from './inventoryQueries';
import { matcher, selector } from './promql';
import { chooseStepSeconds } from './step';
import type { PrometheusClient, PromSeries, RangeQueryOptions } from './types';

const MIG_PROFILE_LABEL = 'GPU_I_PROFILE';
const BYTES_PER_MIB = 2 ** 20;

export interface PodActivityResult {
  /** One per pod; `pod` is the pod name, or `namespace/pod` when the name occurs in several namespaces. */
  pods: PodUtilisation[];
  stepSeconds: number;
  /** The activity metric used, e.g. `DCGM_FI_PROF_GR_ENGINE_ACTIVE`. */
  activitySource: string;
  warnings: string[];
  queries: Array<{ name: string; expr: string }>;
}

/**
 * Activity in % (GR_ENGINE_ACTIVE × 100, else GPU_UTIL) as the mean over the pod's GPUs at each step, the number of
 * GPUs (or MIG instances) it held (the most at any step), its memory as FB_USED of its fullest GPU in bytes, and the
 * memory of one of its GPUs (FB_USED + FB_FREE, by model and MIG profile, as last reported in the range).
 */
export async function fetchPodActivity(
  client: PrometheusClient,
  catalog: MetricCatalog,
  request: RangeQueryOptions,
  signal?: AbortSignal
): Promise<PodActivityResult> {
  const range = { startSeconds: request.startSeconds, endSeconds: request.endSeconds };
  const stepSeconds = request.stepSeconds ?? chooseStepSeconds(range);
  const detection = await detectFamilies(client, range, catalog, signal);
  const activity = chooseActivitySource(detection, catalog);
  const { namespace, pod } = detection.dcgmLabels;
  if (!activity || !namespace || !pod) {
    throw new FleetDataError(
      'Per-pod GPU activity needs DCGM series with namespace and pod labels in this range. ' +
        detection.messages.join(' ')
    );
  }
  const gpuModel = catalog.name(DEFAULT_DCGM_MODEL_LABEL);
  const byPod = `${namespace}, ${pod}`;
  const device = `${byPod}, ${gpuModel}, ${MIG_PROFILE_LABEL}`;
  const held = (metric: string) => selector(metric, [matcher(pod, '!=', '')]);
  const fbUsed = catalog.name('DCGM_FI_DEV_FB_USED');
  const fbFree = catalog.name('DCGM_FI_DEV_FB_FREE');
  const hasMemory = detection.present.includes('DCGM_FI_DEV_FB_USED');
  const hasTotal = hasMemory && detection.present.includes('DCGM_FI_DEV_FB_FREE');

  const queries: PodActivityResult['queries'] = [];
  const run = async (name: string, expr: string | false, kind: 'range' | 'instant' = 'range') => {
    if (!expr) {
      return [];
    }
    queries.push({ name, expr });
    const result =
      kind === 'range'
        ? await client.queryRange(expr, { ...range, stepSeconds }, signal)
        : await client.queryInstant(expr, range.endSeconds, signal);
    return result.series;
  };
  const span = range.endSeconds - range.startSeconds;
  const percent = activity.scale === 1 ? ' * 100' : '';
  const [activitySeries, deviceCounts, memory, gpuMemory] = await Promise.all([
    run('activityPercent', `avg by (${device}) (${held(activity.metric)})${percent}`),
    run('devices', `count by (${device}) (${held(activity.metric)})`),
    run('memoryBytes', hasMemory && `max by (${byPod}) (${held(fbUsed)}) * ${BYTES_PER_MIB}`),
    run(
      'gpuMemoryBytes',
      // Each GPU's last used + free, sampled together, wherever in the range its exporter last reported.
      hasTotal &&
        `max by (${gpuModel}, ${MIG_PROFILE_LABEL}) (last_over_time(${fbUsed}[${span}s]) + ` +
          `last_over_time(${fbFree}[${span}s])) * ${BYTES_PER_MIB}`,
      'instant'
    ),
  ]);

  const warnings: string[] = [];
  const keyOf = (s: PromSeries) => `${s.labels[namespace] ?? ''}/${s.labels[pod]}`;
  const memoryOfModel = new Map(
    gpuMemory.map((s) => [`${s.labels[gpuModel] ?? ''}|${s.labels[MIG_PROFILE_LABEL] ?? ''}`, s.values[0]])
  );
  const devicesOf = new Map(deviceCounts.map((s) => [JSON.stringify(s.labels), Math.max(...s.values)]));
  const memoryOf = new Map(memory.map((s) => [keyOf(s), s]));
  const seen = new Set<string>();
  const names = new Map<string, number>();
  for (const s of activitySeries) {
    names.set(s.labels[pod], (names.get(s.labels[pod]) ?? 0) + 1);
  }
  const pods: PodUtilisation[] = [];
  const migPods: string[] = [];
  for (const s of activitySeries) {
    const key = keyOf(s);
    if (seen.has(key)) {
      warnings.push(`${key} appears on more than one GPU model or MIG profile; only its first is analysed`);
      continue;
    }
    seen.add(key);
    const profile = s.labels[MIG_PROFILE_LABEL] ?? '';
    if (profile !== '') {
      migPods.push(key);
    }
    const podMemory = memoryOf.get(key);
    pods.push({
      pod: (names.get(s.labels[pod]) ?? 0) > 1 ? key : s.labels[pod],
      namespace: s.labels[namespace] ?? '',
      gpuModel: s.labels[gpuModel] ?? '',
      gpuCount: devicesOf.get(JSON.stringify(s.labels)) ?? 1,
      timestampsSeconds: s.timestampsSeconds,
      activityPercent: s.values,
      memoryTimestampsSeconds: podMemory?.timestampsSeconds,
      memoryBytes: podMemory?.values,
      gpuMemoryBytes: memoryOfModel.get(`${s.labels[gpuModel] ?? ''}|${profile}`),
    });
  }
  if (!detection.dcgmProfiling) {
    warnings.push(
      `Activity comes from ${activity.metric}, which counts any kernel as busy and is not reported for MIG ` +
        'instances; enable DCGM_FI_PROF_GR_ENGINE_ACTIVE for a truer figure.'
    );
  }
  if (migPods.length > 0) {
    warnings.push(
      `${migPods.length} pod(s) hold MIG instances; each instance counts as one GPU in their GPU-hours and cost`
    );
  }
  if (!hasTotal) {
    warnings.push(`${fbUsed} or ${fbFree} is missing: GPU memory sizes are unknown and over-provisioning not judged`);
  }
  return { pods, stepSeconds, activitySource: activity.metric, warnings, queries };
}
