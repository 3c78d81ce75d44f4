/**
 * `headroom inventory`: GPU capacity, allocation and busy GPUs of a fleet from Prometheus, as a table or JSON.
 */

import { DurationSyntaxError, parseDurationMs } from '../../alerting/promDuration';
import type { MetricCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { fetchInventory } from '../../prometheus/inventory';
import { detectFamilies } from '../../prometheus/detect';
import { findNewestSampleSeconds } from '../../prometheus/newestSample';
import { MAX_POINTS_PER_SERIES } from '../../prometheus/step';
import type { InventoryResult, PrometheusClient } from '../../prometheus/types';
import { isoSeconds, metricOverrides, parseFlags, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
import { explainOutsideData, gpuProbes, NoMatchError, requireFilterMatches } from '../dataChecks';
import { reportCommandError } from '../reportError';

const DEFAULT_SPAN_SECONDS = 24 * 3600;

const USAGE = `usage: headroom inventory --prometheus URL [options]

GPU capacity (kube-state-metrics), allocation (GPU requests of running pods) and busy GPUs (DCGM activity) of a
fleet: totals at the end of the range, by GPU model, by namespace and by node.

options:
  --prometheus URL    Prometheus base URL, e.g. http://localhost:9090 (required)
  --start TIME        range start, ISO 8601 or unix seconds (default: 24 h before the end)
  --end TIME          range end, ISO 8601 or unix seconds (default: the newest kube-state-metrics or DCGM sample,
                      so that data that stopped arriving or was backfilled still shows)
  --step DURATION     query step, seconds or with a unit: 60, 30s, 5m, 1h (default: chosen from the range; Prometheus
                      answers at most 11,000 steps per series)
  --node NAME         only this node (repeatable)
  --namespace NAME    only this namespace (repeatable); capacity stays the whole fleet's
  --gpu-model NAME    only nodes with this GPU model, as DCGM's modelName says it (repeatable)
  --json              print the tables as JSON, values at the end of the range (unknown values are null):
                      {startSeconds, endSeconds, stepSeconds, busySource, fleet: {capacityGpus, allocatedGpus,
                      freeGpus, busyGpus}, byModel: [...], byNamespace: [...], nodes: [...], warnings}
  --series            with --json: the whole InventoryResult instead, every series over the range on the step grid
                      and the PromQL run (what --json printed up to 0.1.0; large: ~1 MB per day of a small fleet
                      at the default step)

A --node, --namespace or --gpu-model value that matches no series in the range is an error (exit code 2) that
lists the values that exist.
${metricOverrides.usage}`;

export const inventoryCommand: CliCommand = {
  summary: 'GPU capacity, allocation and busy GPUs by model, namespace and node',
  async run(args: string[]): Promise<number> {
    try {
      const options = parseOptions(args);
      if (options === 'help') {
        process.stdout.write(USAGE);
        return 0;
      }
      const client = createPrometheusClient(createFetchTransport(options.prometheusUrl));
      const { catalog } = options;
      const endSeconds = options.endSeconds ?? (await newestSampleOrExplain(client, catalog, options.prometheusUrl));
      const startSeconds = options.startSeconds ?? endSeconds - DEFAULT_SPAN_SECONDS;
      if (startSeconds >= endSeconds) {
        throw new UsageError(
          `--start (${isoSeconds(startSeconds)}) must be before the end (${isoSeconds(endSeconds)}).`
        );
      }
      const range = { startSeconds, endSeconds };
      if (options.stepSeconds !== undefined) {
        checkStepFits(options.stepSeconds, range);
      }
      const filters = { nodes: options.nodes, namespaces: options.namespaces, gpuModels: options.gpuModels };
      const detection = await detectFamilies(client, range, catalog);
      if (!detection.dcgm && !detection.dcgmProfiling && !detection.present.includes('kube_node_status_allocatable')) {
        const outside = await explainOutsideData(
          client,
          gpuProbes(catalog),
          range,
          `The range ${isoSeconds(startSeconds)} – ${isoSeconds(endSeconds)}`
        );
        if (outside) {
          throw outside;
        }
      }
      const filterWarnings = await requireFilterMatches(client, catalog, filters, range, detection);
      const result = await fetchInventory(client, catalog, { ...range, stepSeconds: options.stepSeconds, filters });
      result.warnings.unshift(...filterWarnings);
      // The command line's own warnings have no code: warningCodes stays in step with warnings.
      result.warningCodes.unshift(...filterWarnings.map(() => null));
      if (Object.values(filters).some((f) => f?.length) && holdsNothing(result)) {
        throw new NoMatchError(
          `${describeFilters(options)} together match no GPU between ${isoSeconds(startSeconds)} and ` +
            `${isoSeconds(endSeconds)}, although each value exists; drop one of them.`
        );
      }
      process.stdout.write(
        options.json
          ? `${JSON.stringify(options.series ? result : inventorySummary(result), null, 2)}\n`
          : formatInventory(result)
      );
      for (const warning of result.warnings) {
        process.stderr.write(`warning: ${warning}\n`);
      }
      return 0;
    } catch (error) {
      return reportCommandError('inventory', error);
    }
  },
};

interface InventoryOptions {
  prometheusUrl: string;
  catalog: MetricCatalog;
  startSeconds?: number;
  endSeconds?: number;
  stepSeconds?: number;
  nodes?: string[];
  namespaces?: string[];
  gpuModels?: string[];
  json: boolean;
  series: boolean;
}

function parseOptions(args: string[]): InventoryOptions | 'help' {
  const values = parseFlags(args, {
    prometheus: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    step: { type: 'string' },
    node: { type: 'string', multiple: true },
    namespace: { type: 'string', multiple: true },
    'gpu-model': { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
    series: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...metricOverrides.flags,
  });
  if (values.help) {
    return 'help';
  }
  if (!values.prometheus) {
    throw new UsageError('--prometheus URL is required, e.g. --prometheus http://localhost:9090.');
  }
  const stepSeconds = values.step === undefined ? undefined : parseStepSeconds(values.step);
  if (values.series && !values.json) {
    throw new UsageError('--series goes with --json.');
  }
  return {
    prometheusUrl: values.prometheus,
    catalog: metricOverrides.catalog(values),
    startSeconds: parseTimeSeconds('--start', values.start),
    endSeconds: parseTimeSeconds('--end', values.end),
    stepSeconds,
    nodes: values.node,
    namespaces: values.namespace,
    gpuModels: values['gpu-model'],
    json: values.json ?? false,
    series: values.series ?? false,
  };
}

async function newestSampleOrExplain(client: PrometheusClient, catalog: MetricCatalog, url: string): Promise<number> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  for (const probe of gpuProbes(catalog)) {
    const newest = await findNewestSampleSeconds(client, probe.selector, nowSeconds);
    if (newest !== undefined) {
      if (nowSeconds - newest > 600) {
        process.stderr.write(
          `note: the newest GPU sample is from ${isoSeconds(newest)}; the range ends there (use --end to choose).\n`
        );
      }
      return newest;
    }
  }
  throw new UsageError(
    `${url} holds no kube-state-metrics GPU allocatable or DCGM samples in the last 400 days; pass --start and --end, ` +
      'or check that the exporters are scraped.'
  );
}

/**
 * `--step` as Prometheus reads its own step parameter: seconds (a number), else a Prometheus duration (`30s`, `5m`,
 * `1h30m`, `1d`).
 */
export function parseStepSeconds(text: string): number {
  const trimmed = text.trim();
  const seconds = trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : durationSecondsOrNaN(trimmed);
  if (!(seconds > 0)) {
    throw new UsageError(
      `--step must be a positive duration: seconds (60) or with a unit (30s, 5m, 1h, 1d), got "${text}".`
    );
  }
  return seconds;
}

function durationSecondsOrNaN(text: string): number {
  try {
    return parseDurationMs(text) / 1000;
  } catch (error) {
    if (error instanceof DurationSyntaxError) {
      return NaN;
    }
    throw error;
  }
}

/**
 * Prometheus refuses a range query when (end − start) / step exceeds 11,000 ("exceeded maximum resolution"): say so
 * in terms of the flags, with the smallest step that fits.
 */
function checkStepFits(stepSeconds: number, range: { startSeconds: number; endSeconds: number }): void {
  const spanSeconds = range.endSeconds - range.startSeconds;
  if (Math.floor(spanSeconds / stepSeconds) > MAX_POINTS_PER_SERIES) {
    const smallest = Math.ceil(spanSeconds / MAX_POINTS_PER_SERIES);
    throw new UsageError(
      `--step ${stepSeconds} s is too fine for ${isoSeconds(range.startSeconds)} – ${isoSeconds(range.endSeconds)}: ` +
        `${(Math.floor(spanSeconds / stepSeconds) + 1).toLocaleString('en')} points per series, and Prometheus answers at most ` +
        `${MAX_POINTS_PER_SERIES.toLocaleString('en')} steps per range query. Use --step ${smallest} or more, a ` +
        'shorter range, or leave --step out to have one chosen.'
    );
  }
}

/** No capacity, allocation or busy value anywhere, and no node: the filters selected no series. */
function holdsNothing(result: InventoryResult): boolean {
  const { capacityGpus, allocatedGpus, busyGpus } = result.fleet;
  return result.nodes.length === 0 && [capacityGpus, allocatedGpus, busyGpus].every((s) => s.every(Number.isNaN));
}

function describeFilters(options: InventoryOptions): string {
  const flags: Array<[string, string[] | undefined]> = [
    ['--node', options.nodes],
    ['--namespace', options.namespaces],
    ['--gpu-model', options.gpuModels],
  ];
  return flags.flatMap(([flag, values]) => (values ?? []).map((v) => `${flag} ${JSON.stringify(v)}`)).join(' ');
}

/**
 * What `--json` prints without `--series`: the tables' numbers, at the end of the range. `--series` prints the whole
 * InventoryResult instead (every series on the step grid, the queries run), as `--json` did up to 0.1.0.
 */
export function inventorySummary(result: InventoryResult) {
  const last = result.timestampsSeconds.length - 1;
  const at = (values: number[] | undefined) => nullIfNaN(values ? values[last] : NaN);
  return {
    startSeconds: result.timestampsSeconds[0],
    endSeconds: result.timestampsSeconds[last],
    stepSeconds: result.stepSeconds,
    busySource: result.busySource,
    fleet: {
      capacityGpus: at(result.fleet.capacityGpus),
      allocatedGpus: at(result.fleet.allocatedGpus),
      freeGpus: at(result.fleet.freeGpus),
      busyGpus: at(result.fleet.busyGpus),
    },
    byModel: result.byModel.map((m) => ({
      gpuModel: m.gpuModel,
      capacityGpus: at(m.capacityGpus),
      allocatedGpus: at(m.allocatedGpus),
      busyGpus: at(m.busyGpus),
    })),
    byNamespace: result.byNamespace.map((n) => ({
      namespace: n.namespace,
      allocatedGpus: at(n.allocatedGpus),
      busyGpus: at(n.busyGpus),
    })),
    nodes: result.nodes.map((n) => ({
      ...n,
      capacityGpus: nullIfNaN(n.capacityGpus),
      allocatedGpus: nullIfNaN(n.allocatedGpus),
      busyGpus: nullIfNaN(n.busyGpus),
    })),
    warnings: result.warnings,
  };
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function formatInventory(result: InventoryResult): string {
  const last = result.timestampsSeconds.length - 1;
  const at = (values: number[] | undefined) => (values ? values[last] : NaN);
  const sections: Array<[string, string]> = [
    [
      `Fleet at ${isoSeconds(result.timestampsSeconds[last])}`,
      table(
        ['capacity', 'allocated', 'free', 'busy'],
        [
          [
            gpus(at(result.fleet.capacityGpus)),
            gpus(at(result.fleet.allocatedGpus)),
            gpus(at(result.fleet.freeGpus)),
            busy(at(result.fleet.busyGpus)),
          ],
        ]
      ),
    ],
    [
      'By GPU model',
      table(
        ['model', 'capacity', 'allocated', 'busy'],
        result.byModel.map((m) => [
          m.gpuModel,
          gpus(at(m.capacityGpus)),
          gpus(at(m.allocatedGpus)),
          busy(at(m.busyGpus)),
        ])
      ),
    ],
    [
      'By namespace',
      table(
        ['namespace', 'allocated', 'busy'],
        result.byNamespace.map((n) => [n.namespace, gpus(at(n.allocatedGpus)), busy(at(n.busyGpus))])
      ),
    ],
    [
      'By node',
      table(
        ['node', 'model', 'capacity', 'allocated', 'busy'],
        result.nodes.map((n) => [
          n.node,
          n.gpuModel || 'unknown',
          gpus(n.capacityGpus),
          gpus(n.allocatedGpus),
          busy(n.busyGpus),
        ])
      ),
    ],
  ];
  const title =
    `GPU inventory ${isoSeconds(result.timestampsSeconds[0])} – ${isoSeconds(result.timestampsSeconds[last])} ` +
    `(step ${result.stepSeconds} s, busy from ${result.busySource})`;
  return `${[title, ...sections.map(([heading, body]) => `${heading}\n${body}`)].join('\n\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) {
    return '  (none)';
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function gpus(value: number): string {
  return Number.isNaN(value) ? 'n/a' : String(Math.round(value * 100) / 100);
}

/** Busy GPU-equivalents are fractional sums of activity ratios. */
function busy(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(2);
}
