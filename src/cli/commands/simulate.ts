/**
 * `headroom simulate`: writes a synthetic GPU fleet's history as OpenMetrics (for promtool backfill),
 * or serves the same fleet live on /metrics.
 */
import { parseArgs } from 'node:util';
import { UsageError, parseTimeSeconds } from '../args';
import type { CliCommand } from '../command';
import {
  FleetSpecError,
  type HistoryEstimate,
  HistoryOptionsError,
  defaultFleetSpec,
  planOpenMetricsHistory,
  startLiveMetricsServer,
} from '../../simulator';

const USAGE = `usage: headroom simulate [--gpus N] [--days D] [--step-seconds S] [--seed K] [--end ISO|unix]
                         [--no-profiling] [--exported-labels]
                         (--out FILE [--json] | --dry-run [--json] | --serve [--port P] [--host H])

  --gpus N           about N GPUs, from 1 (default 64): exactly N below 10, else whole 4- and 8-GPU nodes
  --days D           history length in days (default 3)
  --step-seconds S   sample step in whole seconds (default 60)
  --seed K           integer seed; the same seed gives the same fleet (default 1)
  --end T            last sample time, ISO 8601 or unix seconds (default now)
  --out FILE         write OpenMetrics history for 'promtool tsdb create-blocks-from openmetrics FILE DIR';
                     the estimated size goes to stderr first (a 64-GPU fleet at 60 s is ~350 MiB per day)
  --dry-run          print the estimated size and stop, writing nothing
  --json             print the ground-truth summary (or, with --dry-run, the estimate) as JSON
  --serve            serve /metrics live, continuing a --days history written today
  --no-profiling     leave out DCGM_FI_PROF_* fields
  --exported-labels  name pod labels exported_namespace/exported_pod/exported_container
`;

/** Above this a history gets a warning: promtool's blocks and its backfill time grow with it. */
const LARGE_HISTORY_BYTES = 2 ** 30;

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;

function describeEstimate(estimate: HistoryEstimate): string {
  const size = estimate.bytes >= 2 ** 30 ? `${(estimate.bytes / 2 ** 30).toFixed(1)} GiB` : mebibytes(estimate.bytes);
  return (
    `about ${size} (${estimate.seriesCount.toLocaleString('en-US')} series, ` +
    `${estimate.sampleCount.toLocaleString('en-US')} samples)`
  );
}

function largeHistoryWarning(estimate: HistoryEstimate): string {
  return (
    `headroom simulate: warning: this history is large (${describeEstimate(estimate)}). promtool's backfill reads all ` +
    `of it and writes blocks beside it, which takes long on a small machine. To try Headroom, ` +
    `--gpus 16 --days 3 --step-seconds 300 (the README example) is under 100 MiB; the size grows with GPUs × days / step. ` +
    `Ctrl-C stops; --dry-run shows the size without writing.\n`
  );
}

/** Hours of a backfilled block that holds the whole history: whole days, at most 31 (the longest block Prometheus makes itself). */
const backfillBlockHours = (days: number) => Math.min(31, Math.max(1, Math.ceil(days))) * 24;

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
        'dry-run': { type: 'boolean' },
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
      // SIGTERM too: `docker compose stop` sends it, and Node as a container's first process has no default for it.
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      return 0;
    }
    if (!values.out && !values['dry-run']) {
      throw new UsageError(
        'give --out FILE to write history, --dry-run to see its size, or --serve to run the live endpoint'
      );
    }
    const plan = planOpenMetricsHistory(spec, {
      endSeconds: Math.floor(parseTimeSeconds('--end', values.end) ?? Date.now() / 1000),
      days,
      stepSeconds: parseNumber('--step-seconds', values['step-seconds'], 60),
      ...common,
    });
    if (values['dry-run']) {
      process.stdout.write(
        values.json ? `${JSON.stringify(plan.estimate, null, 2)}\n` : `${describeEstimate(plan.estimate)}\n`
      );
    } else {
      process.stderr.write(`writing ${values.out}: ${describeEstimate(plan.estimate)}\n`);
    }
    if (plan.estimate.bytes > LARGE_HISTORY_BYTES) {
      process.stderr.write(largeHistoryWarning(plan.estimate));
    }
    if (values['dry-run']) {
      return 0;
    }
    const summary = await plan.write(values.out!);
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
          // Blocks as long as the history (up to 31 days, the longest Prometheus makes itself) backfill faster than 2 h ones.
          `backfill: promtool tsdb create-blocks-from openmetrics --max-block-duration=${backfillBlockHours(days)}h ${values.out} ./data`,
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
