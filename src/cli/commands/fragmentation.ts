/**
 * `headroom fragmentation`: GPU fragmentation (Weng et al., ATC'23) of a cluster state against its target workload.
 */
import { readFileSync } from 'node:fs';

import {
  analyseFragmentation,
  FragmentationInputError,
  GANG_SIZES,
  learnWorkload,
  type FragmentationReport,
  type NodeState,
  type TaskType,
} from '../../engine/fragmentation';
import type { MetricCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { fetchFleetState, fetchRecentGpuRequests, type Disagreement } from '../../prometheus/fleetState';
import { findNewestSampleSeconds } from '../../prometheus/newestSample';
import type { PrometheusClient } from '../../prometheus/types';
import { isoSeconds, metricOverrides, parseFlags, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { explainOutsideData, gpuProbes } from '../dataChecks';
import { reportCommandError } from '../reportError';

const USAGE = `usage: headroom fragmentation (--state FILE | --prometheus URL [--time T] [--workload-days N]) [--json]

Fragmentation of free GPUs against the requests people submit: how much free GPU the target workload cannot use
(FGD measure, Weng et al., USENIX ATC'23), fully free GPUs, gangs, and how many more pods of each type fit.

options:
  --state FILE   JSON {"workload": [{"id", "cpu_milli", "num_gpu", "gpu_milli", "gpu_spec", "popularity"}],
                 "nodes": [{"name", "model", "gpu_count", "cpu_milli_free", "gpus": [{"index", "free_milli"}]}]}
                 (gpu_milli and free_milli in thousandths of a GPU; gpu_spec "" = any model, "A|B" = either)
  --prometheus URL    read the state from Prometheus (kube-state-metrics and DCGM) instead: whole GPUs, free
                      when no pod holds them per DCGM; MIG GPUs are left out. Also lists where the two disagree.
  --time T            instant of the state, ISO 8601 or unix seconds (default: the newest GPU allocatable sample);
                      a time with no GPU allocatable sample in the hour before it is refused with the range that
                      exists (exit code 2)
  --workload-days N   learn the workload from the GPU requests of the pods of the last N days (default 7)
  --json         print the result as JSON
with --prometheus:
${metricOverrides.usage}`;

const DEFAULT_WORKLOAD_DAYS = 7;

/** How many of the most fragmented nodes the table shows; --json has all. */
const TABLE_NODES = 10;

export const fragmentationCommand: CliCommand = {
  summary: 'GPU fragmentation of a cluster state against its workload (FGD)',
  async run(args: string[]): Promise<number> {
    try {
      const options = parseOptions(args);
      if (options === 'help') {
        process.stdout.write(USAGE);
        return 0;
      }
      if ('statePath' in options) {
        const { nodes, workload } = readState(options.statePath);
        const report = analyseFragmentation(nodes, workload);
        process.stdout.write(options.json ? `${JSON.stringify(toJson(report), null, 2)}\n` : formatReport(report));
        printWarnings(report.warnings);
        return 0;
      }
      const live = await fromPrometheus(options);
      const json = { time: isoSeconds(live.timeSeconds), ...toJson(live.report), disagreements: live.disagreements };
      process.stdout.write(
        options.json
          ? `${JSON.stringify(json, null, 2)}\n`
          : `State at ${json.time}\n${formatReport(live.report)}\n${formatDisagreements(live.disagreements)}`
      );
      printWarnings([...live.warnings, ...live.report.warnings]);
      return 0;
    } catch (error) {
      return reportCommandError('fragmentation', error);
    }
  },
};

interface PrometheusOptions {
  prometheusUrl: string;
  catalog: MetricCatalog;
  timeSeconds?: number;
  workloadDays: number;
  json: boolean;
}

function parseOptions(args: string[]): { statePath: string; json: boolean } | PrometheusOptions | 'help' {
  const values = parseFlags(args, {
    state: { type: 'string' },
    prometheus: { type: 'string' },
    time: { type: 'string' },
    'workload-days': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...metricOverrides.flags,
  });
  if (values.help) {
    return 'help';
  }
  if (values.state && values.prometheus) {
    throw new UsageError('--state and --prometheus are alternatives; give one.');
  }
  if (values.prometheus) {
    const days = Number(values['workload-days'] ?? DEFAULT_WORKLOAD_DAYS);
    if (!(days > 0) || !Number.isFinite(days)) {
      throw new UsageError(`--workload-days must be a positive number, got "${values['workload-days']}".`);
    }
    return {
      prometheusUrl: values.prometheus,
      catalog: metricOverrides.catalog(values),
      timeSeconds: parseTimeSeconds('--time', values.time),
      workloadDays: days,
      json: values.json ?? false,
    };
  }
  if (values.time || values['workload-days'] || values['metric-override'] || values['metric-overrides']) {
    throw new UsageError('--time, --workload-days and the metric-name overrides go with --prometheus.');
  }
  if (!values.state) {
    throw new UsageError('--state FILE or --prometheus URL is required.');
  }
  return { statePath: values.state, json: values.json ?? false };
}

/** The state at `--time` (default the newest allocatable sample) and the workload of the days before it. */
async function fromPrometheus(options: PrometheusOptions) {
  const client = createPrometheusClient(createFetchTransport(options.prometheusUrl));
  const { catalog } = options;
  const [allocatable] = gpuProbes(catalog);
  const timeSeconds =
    options.timeSeconds ?? (await findNewestSampleSeconds(client, allocatable.selector, Math.floor(Date.now() / 1000)));
  if (options.timeSeconds !== undefined) {
    await requireStateAt(client, allocatable, options.timeSeconds);
  }
  if (timeSeconds === undefined) {
    throw new UsageError(
      `${options.prometheusUrl} holds no GPU allocatable sample of kube-state-metrics; pass --time or check that ` +
        'kube-state-metrics is scraped.'
    );
  }
  const [state, recent] = await Promise.all([
    fetchFleetState(client, catalog, timeSeconds),
    fetchRecentGpuRequests(client, catalog, timeSeconds, options.workloadDays * 86400),
  ]);
  const warnings = [...state.warnings];
  if (recent.migOnlyPods > 0) {
    warnings.push(`${recent.migOnlyPods} pod(s) asking only for MIG instances are not part of the workload`);
  }
  const report = analyseFragmentation(state.nodes, learnWorkload(recent.requests));
  return { timeSeconds, report, disagreements: state.disagreements, warnings };
}

/**
 * The state at --time is read from the hour before it: a time whose hour holds no GPU allocatable sample is refused
 * with the range that exists (not with advice to deploy exporters that are deployed).
 */
async function requireStateAt(
  client: PrometheusClient,
  probe: { selector: string; what: string },
  timeSeconds: number
): Promise<void> {
  const windowSeconds = 3600;
  const found = await client.queryInstant(`count(last_over_time(${probe.selector}[${windowSeconds}s]))`, timeSeconds);
  if (found.series.length > 0) {
    return;
  }
  const outside = await explainOutsideData(
    client,
    [probe],
    { startSeconds: timeSeconds - windowSeconds, endSeconds: timeSeconds },
    `--time ${isoSeconds(timeSeconds)}`
  );
  if (outside) {
    throw outside;
  }
}

function printWarnings(warnings: string[]): void {
  for (const warning of warnings) {
    process.stderr.write(`warning: ${warning}\n`);
  }
}

function formatDisagreements(disagreements: Disagreement[]): string {
  const lines = disagreements.map((d) => {
    switch (d.kind) {
      case 'busy-without-pod':
        return `  ${d.node} GPU ${d.gpu}: ${fixed(d.activityRatio * 100)} % busy but no pod holds it`;
      case 'pod-not-in-dcgm':
        return `  ${d.namespace}/${d.pod} on ${d.node}: requests ${d.requestedGpus} GPUs, DCGM shows it on ${d.dcgmGpus}`;
      case 'allocatable-mismatch':
        return `  ${d.node}: ${d.allocatableGpus} allocatable GPUs, DCGM sees ${d.dcgmGpus} whole GPUs`;
    }
  });
  return `kube-state-metrics and DCGM disagree\n${lines.length > 0 ? lines.join('\n') : '  (nowhere)'}\n`;
}

/** Reads the state file; its snake_case fields become the engine's names. Shape errors name the field. */
function readState(path: string): { nodes: NodeState[]; workload: TaskType[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --state ${path}: ${(error as Error).message}`);
  }
  let state: Record<string, unknown>;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new FragmentationInputError('state', `${path} is not JSON: ${(error as Error).message}`);
  }
  const list = (value: unknown, field: string): Array<Record<string, unknown>> => {
    if (!Array.isArray(value)) {
      throw new FragmentationInputError(field, `"${field}" must be a list.`);
    }
    return value;
  };
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new FragmentationInputError('state', 'The state must be a JSON object with "workload" and "nodes".');
  }
  const workload = list(state.workload ?? [], 'workload').map((t) => ({
    id: t.id as string,
    cpuMilli: t.cpu_milli as number,
    gpuCount: t.num_gpu as number,
    gpuMilli: t.gpu_milli as number,
    gpuSpec: (t.gpu_spec as string | undefined) ?? '',
    popularity: t.popularity as number,
  }));
  const nodes = list(state.nodes, 'nodes').map((n, i) => ({
    name: n.name as string,
    gpuModel: (n.model as string | undefined) ?? '',
    gpuCount: n.gpu_count as number,
    cpuFreeMilli: n.cpu_milli_free as number,
    gpus: list(n.gpus ?? [], `nodes[${i}].gpus`).map((g) => ({
      index: g.index as number,
      freeMilli: g.free_milli as number,
    })),
  }));
  return { nodes, workload };
}

function toJson(report: FragmentationReport) {
  return {
    total_free_gpu: report.totalFreeGpus,
    fgd_frag_gpu: report.fragmentedGpus,
    fgd_frag_pct_of_free: report.fragmentedShareOfFree * 100,
    fully_free_gpus: report.fullyFreeGpus,
    nodes_with_fully_free_ge: Object.fromEntries(
      GANG_SIZES.map((k) => [String(k), report.nodesWithFullyFreeAtLeast[k]])
    ),
    largest_whole_gpu_gang_on_one_node: report.largestWholeGpuGangOnOneNode,
    node_frag_gpu: Object.fromEntries(report.nodes.map((n) => [n.name, n.fragmentedGpus])),
    placeable: report.tasks.map((t) => ({
      id: t.id,
      gpus_per_pod: t.gpuCount,
      gpu_share: t.gpuShare,
      cpu_cores: t.cpuMilli / 1000,
      gpu_models: t.gpuModels ?? null,
      popularity: t.popularity,
      // The workload is learnt from pods: which pods make up one job (a gang) is not known.
      pods_per_job: null,
      placeable: t.placeable,
      fgd_frag_gpu: t.fragmentedGpus,
      blocked_by: t.blockedBy ?? null,
    })),
  };
}

/** "whole", or the share of each GPU as a percentage. */
const shareText = (share: number) => (share >= 1 ? 'whole' : `${(share * 100).toFixed(0)} %`);

function formatReport(report: FragmentationReport): string {
  const gangs = GANG_SIZES.map((k) => `≥${k}: ${report.nodesWithFullyFreeAtLeast[k]}`).join(', ');
  const summary = [
    `Free GPUs                       ${fixed(report.totalFreeGpus)}`,
    `Fragmented (FGD)                ${fixed(report.fragmentedGpus)} GPUs, ${fixed(report.fragmentedShareOfFree * 100)} % of free`,
    `Fully free GPUs                 ${report.fullyFreeGpus}`,
    `Nodes with fully free GPUs      ${gangs}`,
    `Largest whole-GPU gang, 1 node  ${report.largestWholeGpuGangOnOneNode}`,
  ];
  const tasks = table(
    [
      'type',
      'GPUs/pod',
      'GPU share',
      'CPU cores',
      'GPU model',
      'popularity',
      'fit now',
      'fragmented GPUs for it',
      'why none fits',
    ],
    report.tasks.map((t) => [
      t.id,
      String(t.gpuCount),
      shareText(t.gpuShare),
      String(t.cpuMilli / 1000),
      t.gpuModels?.join(' | ') ?? 'any',
      `${(t.popularity * 100).toFixed(1)} %`,
      String(t.placeable),
      fixed(t.fragmentedGpus),
      t.blockedBy ?? '',
    ])
  );
  const worst = [...report.nodes]
    .sort((a, b) => b.fragmentedGpus - a.fragmentedGpus || a.name.localeCompare(b.name))
    .slice(0, TABLE_NODES);
  const nodes = table(
    ['node', 'model', 'free GPUs', 'fragmented', 'fully free'],
    worst.map((n) => [
      n.name,
      n.gpuModel || '(none)',
      fixed(n.freeGpus),
      fixed(n.fragmentedGpus),
      String(n.fullyFreeGpus),
    ])
  );
  return `${summary.join('\n')}\n\nHow many more pods of each type fit (each pod on its own: pods per job are not known)\n${tasks}\n\nMost fragmented nodes (top ${TABLE_NODES})\n${nodes}\n`;
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) {
    return '  (none)';
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const fixed = (x: number) => x.toFixed(2);
