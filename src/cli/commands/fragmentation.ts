/**
 * `headroom fragmentation`: GPU fragmentation (Weng et al., ATC'23) of a cluster state against its target workload.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import {
  analyseFragmentation,
  FragmentationInputError,
  GANG_SIZES,
  type FragmentationReport,
  type NodeState,
  type TaskType,
} from '../../engine/fragmentation';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { reportCommandError } from '../reportError';

const USAGE = `usage: headroom fragmentation --state FILE [--json]

Fragmentation of free GPUs against the requests people submit: how much free GPU the target workload cannot use
(FGD measure, Weng et al., USENIX ATC'23), fully free GPUs, gangs, and how many more pods of each type fit.

options:
  --state FILE   JSON {"workload": [{"id", "cpu_milli", "num_gpu", "gpu_milli", "gpu_spec", "popularity"}],
                 "nodes": [{"name", "model", "gpu_count", "cpu_milli_free", "gpus": [{"index", "free_milli"}]}]}
                 (gpu_milli and free_milli in thousandths of a GPU; gpu_spec "" = any model, "A|B" = either)
  --json         print the result as JSON
`;

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
      const { nodes, workload } = readState(options.statePath);
      const report = analyseFragmentation(nodes, workload);
      process.stdout.write(options.json ? `${JSON.stringify(toJson(report), null, 2)}\n` : formatReport(report));
      for (const warning of report.warnings) {
        process.stderr.write(`warning: ${warning}\n`);
      }
      return 0;
    } catch (error) {
      return reportCommandError('fragmentation', error, { input: [FragmentationInputError] });
    }
  },
};

function parseOptions(args: string[]): { statePath: string; json: boolean } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        state: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    return 'help';
  }
  if (!values.state) {
    throw new UsageError('--state FILE is required.');
  }
  return { statePath: values.state, json: values.json ?? false };
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
    placeable: report.tasks.map((t) => ({ id: t.id, placeable: t.placeable })),
  };
}

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
    ['task type', 'placeable', 'fragmented GPUs for it'],
    report.tasks.map((t) => [t.id, String(t.placeable), fixed(t.fragmentedGpus)])
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
  return `${summary.join('\n')}\n\nHow many more pods of each type fit\n${tasks}\n\nMost fragmented nodes (top ${TABLE_NODES})\n${nodes}\n`;
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
