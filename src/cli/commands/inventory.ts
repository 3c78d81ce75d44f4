/**
 * `headroom inventory`: GPU capacity, allocation and busy GPUs of a fleet from Prometheus, as a table or JSON.
 */

import { DEFAULT_GPU_RESOURCE, type MetricCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { fetchInventory } from '../../prometheus/inventory';
import { findNewestSampleSeconds } from '../../prometheus/newestSample';
import { matcher, selector } from '../../prometheus/promql';
import type { InventoryResult, PrometheusClient } from '../../prometheus/types';
import { isoSeconds, metricOverrides, parseFlags, parseTimeSeconds, UsageError } from '../args';
import type { CliCommand } from '../command';
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
  --step SECONDS      query step (default: chosen from the range, at most 11,000 points per series)
  --node NAME         only this node (repeatable)
  --namespace NAME    only this namespace (repeatable); capacity stays the whole fleet's
  --gpu-model NAME    only nodes with this GPU model, as DCGM's modelName says it (repeatable)
  --json              print the InventoryResult as JSON (unknown values are null)
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
      const result = await fetchInventory(client, catalog, {
        startSeconds,
        endSeconds,
        stepSeconds: options.stepSeconds,
        filters: { nodes: options.nodes, namespaces: options.namespaces, gpuModels: options.gpuModels },
      });
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatInventory(result));
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
    help: { type: 'boolean', default: false },
    ...metricOverrides.flags,
  });
  if (values.help) {
    return 'help';
  }
  if (!values.prometheus) {
    throw new UsageError('--prometheus URL is required, e.g. --prometheus http://localhost:9090.');
  }
  const stepSeconds = values.step === undefined ? undefined : Number(values.step);
  if (stepSeconds !== undefined && !(stepSeconds > 0)) {
    throw new UsageError(`--step must be a positive number of seconds, got "${values.step}".`);
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
  };
}

async function newestSampleOrExplain(client: PrometheusClient, catalog: MetricCatalog, url: string): Promise<number> {
  const probes = [
    selector(catalog.name('kube_node_status_allocatable'), [
      matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE)),
    ]),
    selector(catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE'), []),
    selector(catalog.name('DCGM_FI_DEV_GPU_UTIL'), []),
  ];
  const nowSeconds = Math.floor(Date.now() / 1000);
  for (const probe of probes) {
    const newest = await findNewestSampleSeconds(client, probe, nowSeconds);
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
