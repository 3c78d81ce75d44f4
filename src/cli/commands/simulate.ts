/**
 * `headroom simulate`: writes a synthetic GPU fleet's history as OpenMetrics (for promtool backfill),
 * or serves the same fleet live on /metrics.
 */
import { parseArgs } from 'node:util';
import { UsageError, parseTimeSeconds } from '../args';
import type { CliCommand } from '../command';
import {
  FleetSpecError,
  HistoryOptionsError,
  defaultFleetSpec,
  startLiveMetricsServer,
  writeOpenMetricsHistory,
} from '../../simulator';

const USAGE = `usage: headroom simulate [--gpus N] [--days D] [--step-seconds S] [--seed K] [--end ISO|unix]
                         [--no-profiling] [--exported-labels] (--out FILE [--json] | --serve [--port P] [--host H])

  --gpus N           about N GPUs (default 64)
  --days D           history length in days (default 3)
  --step-seconds S   sample step in whole seconds (default 60)
  --seed K           integer seed; the same seed gives the same fleet (default 1)
  --end T            last sample time, ISO 8601 or unix seconds (default now)
  --out FILE         write OpenMetrics history for 'promtool tsdb create-blocks-from openmetrics FILE DIR'
  --json             print the ground-truth summary as JSON (default: a short text summary)
  --serve            serve /metrics live, continuing a --days history written today
  --no-profiling     leave out DCGM_FI_PROF_* fields
  --exported-labels  name pod labels exported_namespace/exported_pod/exported_container
`;

function parseNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`${flag} must be a number (got "${text}")`);
  }
  return value;
}

async function run(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        gpus: { type: 'string' },
        days: { type: 'string' },
        'step-seconds': { type: 'string' },
        seed: { type: 'string' },
        end: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        serve: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        'no-profiling': { type: 'boolean' },
        'exported-labels': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`headroom simulate: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const gpuCount = parseNumber('--gpus', values.gpus, 64);
    if (!Number.isInteger(gpuCount) || gpuCount < 1) {
      throw new UsageError(`--gpus must be a whole number >= 1 (got ${values.gpus}); a fleet needs at least one GPU`);
    }
    const seed = parseNumber('--seed', values.seed, 1);
    if (!Number.isInteger(seed)) {
      throw new UsageError(`--seed must be a whole number (got ${values.seed})`);
    }
    const days = parseNumber('--days', values.days, 3);
    const spec = defaultFleetSpec({ gpuCount, seed });
    const common = { profiling: !values['no-profiling'], exportedLabels: Boolean(values['exported-labels']) };
    if (values.serve) {
      if (!(days > 0)) {
        throw new UsageError(`--days must be greater than 0 (got ${values.days})`);
      }
      const port = parseNumber('--port', values.port, 9400);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${values.port})`);
      }
      const server = await startLiveMetricsServer(spec, { port, host: values.host, days, ...common });
      process.stderr.write(`serving a fleet of ${gpuCount} GPUs (seed ${seed}) at ${server.url}; Ctrl-C stops\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      await server.close();
      return 0;
    }
    if (!values.out) {
      throw new UsageError('give --out FILE to write history, or --serve to run the live endpoint');
    }
    const summary = await writeOpenMetricsHistory(
      spec,
      {
        endSeconds: Math.floor(parseTimeSeconds('--end', values.end) ?? Date.now() / 1000),
        days,
        stepSeconds: parseNumber('--step-seconds', values['step-seconds'], 60),
        ...common,
      },
      values.out
    );
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      const e = summary.atEnd;
      process.stdout.write(
        [
          `wrote ${values.out}: ${summary.seriesCount} series, ${summary.sampleCount} samples, ${(summary.bytes / 2 ** 20).toFixed(1)} MiB`,
          `fleet: ${summary.totalGpus} GPUs on ${summary.nodes.length} nodes (${Object.entries(summary.gpusByModel)
            .map(([m, n]) => `${n} × ${m}`)
            .join(', ')})`,
          `at ${new Date(e.timeSeconds * 1000).toISOString()}: ${e.allocatedGpus}/${summary.allocatableWholeGpus} whole GPUs allocated, ` +
            `${e.busyGpuEquivalents.toFixed(2)} busy GPU-equivalents, ${e.runningPods} pods running, ${e.pendingPods} pending`,
          `backfill: promtool tsdb create-blocks-from openmetrics ${values.out} ./data`,
        ].join('\n') + '\n'
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof FleetSpecError || error instanceof HistoryOptionsError) {
      process.stderr.write(`headroom simulate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

export const simulateCommand: CliCommand = {
  summary: 'write a synthetic GPU fleet history (OpenMetrics) or serve it live on /metrics',
  run,
};
