/**
 * `headroom plan export` as a child process against a real Prometheus (tests/kit) holding one hand-made demand
 * series: every format's YAML is parsed back and each document validated against its published schema
 * (tests/kit/manifestSchemas.ts), and the numbers are checked against the plan `headroom capacity --json` prints for
 * the same flags, by the relations docs/manifests.md states.
 */
import { parseAllDocuments } from 'yaml';

import type { CapacityReport } from '../../src/cli/commands/capacity';
import { runHeadroom, type CliRun } from '../kit/cli';
import { validateManifest } from '../kit/manifestSchemas';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// Midnight UTC today: recent enough for Prometheus retention.
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY) * DAY;
const HISTORY_DAYS = 8;
const SAMPLE_SECONDS = 300;
const GPUS_PER_REPLICA = 2;
const LEAD_MINUTES = 10;

/** GPUs demanded: 6 at night, 16 from 08:00 to 17:59 UTC, with deterministic noise of ±0.5. */
function demandAt(t: number): number {
  const hour = Math.floor((t % DAY) / HOUR);
  const noise = ((((t / SAMPLE_SECONDS) * 7919) % 101) / 101 - 0.5) * 1;
  return (hour >= 8 && hour < 18 ? 16 : 6) + noise;
}

let prometheus: RunningPrometheus;
let plan: CapacityReport['plan'];

const common = () => [
  '--prometheus',
  prometheus.url,
  '--end',
  String(END_SECONDS),
  '--expr',
  'gpu_demand',
  '--history-days',
  '7',
  '--horizon-hours',
  '168',
  '--forecast-model',
  'seasonal_naive_day',
  '--cold-start-minutes',
  String(LEAD_MINUTES),
];

const exportPlan = (format: string, args: string[] = []) =>
  runHeadroom(['plan', 'export', '--format', format, ...common(), ...args]);

const WORKLOAD_FLAGS = [
  '--deployment',
  'llama-70b',
  '--deployment-namespace',
  'inference',
  '--gpus-per-replica',
  String(GPUS_PER_REPLICA),
];

/** The YAML documents printed, each parsed and validated against its schema. */
function documents(run: CliRun): Array<Record<string, any>> {
  expect(run.stderr).not.toMatch(/headroom plan export: (?!warning)/);
  expect(run.code).toBe(0);
  const parsed = parseAllDocuments(run.stdout);
  if (!Array.isArray(parsed)) {
    throw new Error('no YAML documents');
  }
  return parsed.map((document) => {
    expect(document.errors).toEqual([]);
    const object = document.toJS() as Record<string, any>;
    validateManifest(object);
    return object;
  });
}

/** Seconds into the week (Sunday 00:00, cron's day 0) of a cron expression `m h * * d`. */
function cronOffset(cron: string): number {
  const [minute, hour, , , day] = cron.split(' ');
  return Number(day) * DAY + Number(hour) * HOUR + Number(minute) * 60;
}

/** Seconds into the week of a unix time (1970-01-01 was a Thursday, day 4). */
const weekOffset = (t: number) => (((t + 4 * DAY) % WEEK) + WEEK) % WEEK;

/** Whether offset x lies in the weekly window [start, end), which may wrap past the week's end. */
const inWindow = (x: number, start: number, end: number) =>
  start <= end ? x >= start && x < end : x >= start || x < end;

beforeAll(async () => {
  const samples: Array<[number, number]> = [];
  for (let t = END_SECONDS - HISTORY_DAYS * DAY; t <= END_SECONDS; t += SAMPLE_SECONDS) {
    samples.push([t, demandAt(t)]);
  }
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics([{ name: 'gpu_demand', samples }]) });
  const capacity = await runHeadroom(['capacity', ...common(), '--json']);
  expect(capacity.code).toBe(0);
  plan = (JSON.parse(capacity.stdout) as CapacityReport).plan;
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('headroom plan export', () => {
  it('keda: a ScaledObject whose cron triggers hold every hour of the plan a lead early', async () => {
    const [scaled, ...rest] = documents(await exportPlan('keda', WORKLOAD_FLAGS));
    expect(rest).toEqual([]);
    expect(scaled.kind).toBe('ScaledObject');
    expect(scaled.metadata).toMatchObject({ name: 'llama-70b', namespace: 'inference' });
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama-70b' });
    const needed = plan.gpus!.gpusNeeded;
    const replicas = needed.map((g) => Math.ceil(g / GPUS_PER_REPLICA));
    expect(scaled.spec.minReplicaCount).toBe(Math.min(...replicas));
    expect(scaled.spec.maxReplicaCount).toBe(Math.ceil(Math.max(...replicas) * 1.2));
    const triggers = scaled.spec.triggers as Array<{ type: string; metadata: Record<string, string> }>;
    const cron = triggers.filter((t) => t.type === 'cron');
    expect(cron.length).toBeGreaterThan(0);
    for (const trigger of cron) {
      expect(trigger.metadata.timezone).toBe('Etc/UTC');
    }
    // Demand rises at 08:00 UTC every day: with a 10-minute lead, every day of the week scales out at 07:50.
    const starts = cron.map((t) => t.metadata.start);
    for (let day = 0; day < 7; day++) {
      expect(starts).toContain(`50 7 * * ${day}`);
    }
    // What KEDA runs at a time of the week: the largest desiredReplicas of the active cron windows, at least the min.
    const at = (offset: number) =>
      Math.max(
        scaled.spec.minReplicaCount,
        ...cron
          .filter((t) => inWindow(offset, cronOffset(t.metadata.start), cronOffset(t.metadata.end)))
          .map((t) => Number(t.metadata.desiredReplicas))
      );
    plan.timestampsSeconds.forEach((t, h) => {
      const offset = weekOffset(t);
      expect(at(offset)).toBeGreaterThanOrEqual(replicas[h]);
      expect(at((offset - LEAD_MINUTES * 60 + WEEK) % WEEK)).toBeGreaterThanOrEqual(replicas[h]);
    });
    // The live signal: the forecast expression, one replica serving 2 GPUs × 0.8 target utilisation = 1.6 GPUs.
    expect(triggers.find((t) => t.type === 'prometheus')?.metadata).toEqual({
      serverAddress: prometheus.url,
      query: 'gpu_demand',
      threshold: '1.6',
    });
  });

  it('hpa: the HPA, the RBAC and one CronJob per change of minReplicas, at the KEDA cron starts', async () => {
    const objects = documents(await exportPlan('hpa', [...WORKLOAD_FLAGS, '--time-zone', 'Etc/UTC']));
    expect(objects.slice(0, 4).map((o) => o.kind)).toEqual([
      'HorizontalPodAutoscaler',
      'ServiceAccount',
      'Role',
      'RoleBinding',
    ]);
    const cronJobs = objects.filter((o) => o.kind === 'CronJob');
    expect(cronJobs.length).toBeGreaterThan(1);
    const [scaled] = documents(await exportPlan('keda', WORKLOAD_FLAGS));
    const starts = (scaled.spec.triggers as Array<{ type: string; metadata: Record<string, string> }>)
      .filter((t) => t.type === 'cron')
      .map((t) => [t.metadata.start, t.metadata.desiredReplicas]);
    const patches = cronJobs.map((c) => {
      const args = c.spec.jobTemplate.spec.template.spec.containers[0].args as string[];
      expect(args.slice(0, 5)).toEqual(['patch', 'hpa', 'llama-70b', '--namespace', 'inference']);
      return [c.spec.schedule, String(JSON.parse(args[args.length - 1]).spec.minReplicas)];
    });
    // Every KEDA window's start is a CronJob raising minReplicas to the same level.
    for (const start of starts) {
      expect(patches).toContainEqual(start);
    }
    expect(objects[0].spec.maxReplicas).toBe(scaled.spec.maxReplicaCount);
  });

  it('karpenter: the NodePool limit is the peak GPUs × 1.2; --max-gpus below it caps it and says so', async () => {
    const peak = Math.max(...plan.gpus!.gpusNeeded);
    const [pool] = documents(await exportPlan('karpenter'));
    expect(pool.spec.limits).toEqual({ 'nvidia.com/gpu': Math.ceil(peak * 1.2) });
    expect(pool.metadata.annotations['headroom/capped']).toBeUndefined();

    const run = await exportPlan('karpenter', ['--max-gpus', String(peak - 1)]);
    const [capped] = documents(run);
    expect(capped.spec.limits).toEqual({ 'nvidia.com/gpu': peak - 1 });
    expect(capped.metadata.annotations['headroom/capped']).toMatch(new RegExp(`at most ${peak - 1} are allowed`));
    expect(run.stderr).toMatch(/headroom plan export: warning: .*capped at .*--max-gpus/);
    expect(run.stdout).toMatch(/^# CAPPED: /m);
  });

  it('cluster-autoscaler: --nodes flags per node group, filled in order, with the cap of the groups', async () => {
    const needed = plan.gpus!.gpusNeeded;
    const floor = Math.ceil(Math.min(...needed) * 1.2);
    const ceiling = Math.ceil(Math.max(...needed) * 1.2);
    // Group a: 8 GPUs a node, at most 1; group b: 4 GPUs a node, at most 100.
    const run = await exportPlan('cluster-autoscaler', ['--node-group', 'gpu-a:8:1', '--node-group', 'gpu-b:4:100']);
    const [configMap] = documents(run);
    const nodes = (gpus: number) => [Math.min(1, Math.ceil(gpus / 8)), Math.ceil(Math.max(0, gpus - 8) / 4)];
    const [minA, minB] = nodes(floor);
    const [maxA, maxB] = nodes(ceiling);
    const flags = `--nodes=${minA}:${maxA}:gpu-a\n--nodes=${minB}:${maxB}:gpu-b`;
    expect(configMap.data.nodes).toBe(flags);
    expect(run.stdout).toContain(`#   --nodes=${minA}:${maxA}:gpu-a`);

    const small = await exportPlan('cluster-autoscaler', ['--node-group', 'gpu-a:8:1']);
    const [cappedMap] = documents(small);
    expect(cappedMap.data.nodes).toBe(`--nodes=1:1:gpu-a`);
    expect(small.stderr).toMatch(/warning: .*at most 8 are allowed.*node groups' maximum/);
  });

  it('prometheus-rule: the rule file of `headroom rules export` wrapped in a PrometheusRule', async () => {
    const [rule] = documents(await exportPlan('prometheus-rule', [...WORKLOAD_FLAGS, '--rule-label', 'release=kp']));
    expect(rule.metadata).toMatchObject({ name: 'llama-70b', namespace: 'inference' });
    expect(rule.metadata.labels.release).toBe('kp');
    const exported = await runHeadroom([
      'rules',
      'export',
      '--name',
      'llama_70b',
      '--prometheus',
      prometheus.url,
      '--expr',
      'gpu_demand',
      '--at',
      String(END_SECONDS),
    ]);
    expect(exported.code).toBe(0);
    const [file] = parseAllDocuments(exported.stdout) as Array<{ toJS(): unknown }>;
    expect(rule.spec).toEqual(file.toJS());

    // Calibrated two days before the end, the rule has 6 of the 8 days: under a week, which the rule export warns of.
    const short = await exportPlan('prometheus-rule', [
      ...WORKLOAD_FLAGS,
      ...['--end', String(END_SECONDS - 2 * DAY), '--history-days', '5', '--horizon-hours', '24'],
    ]);
    documents(short);
    expect(short.stderr).toMatch(/headroom plan export: warning: the band is learnt from .* not seen a whole week/);
  });

  it('--json: one kubectl List of the same objects', async () => {
    const run = await exportPlan('hpa', [...WORKLOAD_FLAGS, '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as { apiVersion: string; kind: string; items: unknown[] };
    expect([list.apiVersion, list.kind]).toEqual(['v1', 'List']);
    list.items.forEach((item) => validateManifest(item));
    const yamlObjects = documents(await exportPlan('hpa', WORKLOAD_FLAGS));
    expect(list.items).toEqual(yamlObjects);
  });

  it('refuses a deployment with no history, and GPUs per replica of zero or below, with exit 2', async () => {
    const none = await runHeadroom([
      'plan',
      'export',
      '--format',
      'keda',
      ...common().map((a) => (a === 'gpu_demand' ? 'gpu_demand{deployment="missing"}' : a)),
      ...WORKLOAD_FLAGS,
    ]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/--expr has no samples between .* check --end and --history-days/);
    for (const gpus of ['0', '-2']) {
      const run = await exportPlan('keda', [...WORKLOAD_FLAGS, '--gpus-per-replica', gpus]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`--gpus-per-replica must be a positive number, got "${gpus}"`));
    }
    const noName = await exportPlan('keda');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/--deployment NAME/);
    // Found from the metrics, a workload is a Deployment: a StatefulSet must be named with its namespace.
    const statefulSet = await exportPlan('keda', ['--kind', 'StatefulSet', '--deployment', 'llama-70b']);
    expect(statefulSet.code).toBe(2);
    expect(statefulSet.stdout).toBe('');
    expect(statefulSet.stderr).toMatch(/--kind StatefulSet needs its name and namespace: --deployment NAMESPACE\/NAME/);
  });
});
